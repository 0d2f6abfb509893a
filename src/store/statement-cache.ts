// Prisma's better-sqlite3 adapter (6.19, pinned) prepares every statement anew, on every query:
// in the inbound benchmark that was a tenth of the app's CPU time. SQLite can run a prepared
// statement again with new parameters, so the connection keeps the statements it has prepared,
// the most recently used few hundred, and hands the adapter the same calls it makes today.
import type Database from "better-sqlite3";

type Statement = Database.Statement<unknown[]>;

/** What the adapter calls on a prepared statement (adapter-better-sqlite3/dist/index.mjs). */
interface AdapterStatement {
  readonly reader: boolean;
  run(): Database.RunResult;
  columns(): Database.ColumnDefinition[];
  raw(): { all(): unknown[] };
  bind(args: unknown[]): AdapterStatement;
}

function reusable(stmt: Statement, args: unknown[] = []): AdapterStatement {
  return {
    reader: stmt.reader,
    // better-sqlite3's own bind() fixes the parameters for the statement's life; these pass them
    // per call instead, so the statement can serve the next query.
    run: () => stmt.run(args),
    columns: () => stmt.columns(),
    raw: () => ({ all: () => stmt.raw(true).all(args) }),
    bind: (next) => reusable(stmt, next),
  };
}

export function cacheStatements(db: Database.Database, size = 500): void {
  const prepare = db.prepare.bind(db);
  const cache = new Map<string, Statement>();
  const cached = (sql: string): AdapterStatement => {
    let stmt = cache.get(sql);
    if (stmt)
      cache.delete(sql); // re-inserted below: the Map's order is the recency
    else stmt = prepare(sql) as Statement;
    cache.set(sql, stmt);
    if (cache.size > size) cache.delete(cache.keys().next().value as string);
    return reusable(stmt);
  };
  (db as unknown as { prepare: typeof cached }).prepare = cached;
}
