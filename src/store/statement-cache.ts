// Prisma's better-sqlite3 adapter (6.19, pinned) prepares every statement anew, on every query:
// in the inbound benchmark that was a tenth of the app's CPU time. SQLite can run a prepared
// statement again with new parameters, so the connection keeps the statements it has prepared,
// the most recently used few hundred, and hands the adapter the same calls it makes today. The
// adapter also asks every reading statement for its columns, which costs more than a point query
// itself; they are kept with the statement (the schema does not change while HeroDesk runs).
import type Database from "better-sqlite3";

type Statement = Database.Statement<unknown[]>;
interface Cached {
  stmt: Statement;
  columns?: Database.ColumnDefinition[];
}

/** What the adapter calls on a prepared statement (adapter-better-sqlite3/dist/index.mjs). */
interface AdapterStatement {
  readonly reader: boolean;
  run(): Database.RunResult;
  columns(): Database.ColumnDefinition[];
  raw(): { all(): unknown[] };
  bind(args: unknown[]): AdapterStatement;
}

function reusable(cached: Cached, args: unknown[] = []): AdapterStatement {
  const { stmt } = cached;
  return {
    reader: stmt.reader,
    // better-sqlite3's own bind() fixes the parameters for the statement's life; these pass them
    // per call instead, so the statement can serve the next query.
    run: () => stmt.run(args),
    columns: () => {
      cached.columns ??= stmt.columns();
      return cached.columns;
    },
    raw: () => ({ all: () => stmt.raw(true).all(args) }),
    bind: (next) => reusable(cached, next),
  };
}

export function cacheStatements(db: Database.Database, size = 500): void {
  const prepare = db.prepare.bind(db);
  const cache = new Map<string, Cached>();
  const prepareCached = (sql: string): AdapterStatement => {
    // Taken out and put back, so the Map's order is the order of last use.
    const entry = cache.get(sql) ?? { stmt: prepare(sql) as Statement };
    cache.delete(sql);
    cache.set(sql, entry);
    if (cache.size > size) cache.delete(cache.keys().next().value as string);
    return reusable(entry);
  };
  (db as unknown as { prepare: typeof prepareCached }).prepare = prepareCached;
}
