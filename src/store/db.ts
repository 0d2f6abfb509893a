// Opens the database. The only place that constructs a Prisma client.
import { readdirSync } from "node:fs";
import { PrismaBetterSQLite3 } from "@prisma/adapter-better-sqlite3";
import { PrismaPg } from "@prisma/adapter-pg";
import type Database from "better-sqlite3";
import pg from "pg";
import { type Prisma, PrismaClient } from "./generated/client.ts";
import { PrismaClient as PostgresClient } from "./generated-postgres/client.ts";
import {
  databaseUrlProblem,
  heldElsewhere,
  holdDatabaseFile,
  isPostgresUrl,
  lockUnwritable,
  redactedUrl,
  sqlitePath,
} from "./sqlite-file.mjs";
import { cacheStatements } from "./statement-cache.ts";

/** The database cannot serve HeroDesk: one line that says why and what to do. */
export class DatabaseError extends Error {
  override name = "DatabaseError";
}

const MIGRATIONS = new URL("../../prisma/migrations/", import.meta.url);
const MIGRATIONS_POSTGRES = new URL("../../prisma/migrations-postgres/", import.meta.url);
const MIGRATE = "run `npm run db:migrate` (npm start does it first)";

/**
 * One client type for both databases: the PostgreSQL client is generated from the same models
 * (scripts/postgres-schema.mjs), so its API is the SQLite client's.
 */
export type Db = PrismaClient;

export { isPostgresUrl };

/** The PostgreSQL databases opened here, by client, with their URL (see postgresUrl). */
const POSTGRES = new WeakMap<object, string>();

/** The URL of a PostgreSQL database opened by openDatabase; null for SQLite. */
export function postgresUrl(db: Db): string | null {
  return POSTGRES.get(db) ?? null;
}
/** A client or an open transaction: repositories work on either. */
export type DbClient = PrismaClient | Prisma.TransactionClient;

/**
 * Opens the database. `forApp`: HeroDesk itself is starting on it, so the file must be usable, its
 * schema up to date, and no other HeroDesk process on it (SQLite serves one process: a second
 * one would hand out the same outbox items and claims); it holds the file until $disconnect.
 */
export async function openDatabase(url: string, options: { forApp?: boolean } = {}): Promise<Db> {
  if (isPostgresUrl(url)) return openPostgres(url, options);
  const problem = databaseUrlProblem(url);
  if (problem) throw new DatabaseError(problem);
  const release = options.forApp ? hold(sqlitePath(url)) : () => {};
  if (!release) throw new DatabaseError(heldElsewhere(sqlitePath(url)));
  try {
    const db = await connect(url);
    if (options.forApp) {
      try {
        await checkMigrations(db, sqlitePath(url));
      } catch (err) {
        await db.$disconnect();
        throw err;
      }
    }
    const disconnect = db.$disconnect.bind(db);
    db.$disconnect = async () => {
      await disconnect();
      release();
    };
    return db;
  } catch (err) {
    release();
    throw err;
  }
}

async function connect(url: string): Promise<Db> {
  const adapter = new PrismaBetterSQLite3({ url });
  // The adapter opens its better-sqlite3 connection in connect(); that is where it gets its cache.
  const connect = adapter.connect.bind(adapter);
  adapter.connect = async () => {
    const connected = await connect();
    cacheStatements((connected as unknown as { client: Database.Database }).client);
    return connected;
  };
  const db = new PrismaClient({ adapter });
  // WAL lets readers run beside the writer; a commit is on disk before the API answers 202.
  await db.$queryRawUnsafe("PRAGMA journal_mode = WAL");
  await db.$executeRawUnsafe("PRAGMA synchronous = FULL");
  await db.$queryRawUnsafe("PRAGMA busy_timeout = 5000");
  return db;
}

/**
 * PostgreSQL serves any number of HeroDesk processes: no file to hold. The store serialises what
 * SQLite's single writer serialised (src/store/index.ts) and leases outbox lanes (lane-leases.ts).
 */
async function openPostgres(url: string, options: { forApp?: boolean }): Promise<Db> {
  // Problems with the URL itself are pg's, and named after the connection attempt below.
  const adapter = new PrismaPg({ connectionString: url, max: 10, idleTimeoutMillis: 30_000 });
  const db = new PostgresClient({ adapter }) as unknown as Db;
  const where = redactedUrl(url);
  try {
    await db.$queryRawUnsafe("SELECT 1");
  } catch (err) {
    await db.$disconnect().catch(() => {});
    throw new DatabaseError(`DATABASE_URL: cannot reach PostgreSQL at ${where} (${reason(err)})`);
  }
  if (options.forApp) {
    try {
      await checkMigrations(db, where, MIGRATIONS_POSTGRES);
    } catch (err) {
      await db.$disconnect();
      throw err;
    }
  }
  POSTGRES.set(db, url);
  return db;
}

const reason = (err: unknown) => {
  const e = err as { message?: string; cause?: { message?: string } };
  return (e?.cause?.message ?? e?.message ?? String(err)).split("\n")[0];
};

/** A connection of its own (pg), outside Prisma's pool: lane leases live as long as it does. */
export function openPostgresConnection(url: string): pg.Client {
  return new pg.Client({ connectionString: url, keepAlive: true });
}

/** The database file held for this process, or a DatabaseError saying why it cannot be. */
function hold(path: string): (() => void) | null {
  try {
    return holdDatabaseFile(path);
  } catch (err) {
    const lockPath = (err as { lockPath?: string }).lockPath;
    if (lockPath) throw new DatabaseError(lockUnwritable(lockPath));
    throw err;
  }
}

/** The schema is what this HeroDesk was written for: every migration it ships, and no others. */
async function checkMigrations(db: Db, path: string, folder = MIGRATIONS): Promise<void> {
  const shipped = readdirSync(folder).filter((d) => /^\d{14}_/.test(d));
  let applied: string[];
  try {
    const rows = await db.$queryRawUnsafe<{ migration_name: string }[]>(
      'SELECT "migration_name" FROM "_prisma_migrations" WHERE "finished_at" IS NOT NULL AND "rolled_back_at" IS NULL',
    );
    applied = rows.map((r) => r.migration_name);
  } catch {
    throw new DatabaseError(`DATABASE_URL: ${path} has no HeroDesk tables yet; ${MIGRATE}`);
  }
  const missing = shipped.filter((m) => !applied.includes(m)).sort();
  if (missing.length)
    throw new DatabaseError(
      `DATABASE_URL: the database ${path} is behind: ${missing.length} migration${missing.length === 1 ? "" : "s"} not applied (the latest: ${missing.at(-1)}); ${MIGRATE}`,
    );
  const unknown = applied.filter((m) => !shipped.includes(m));
  if (unknown.length)
    throw new DatabaseError(
      `DATABASE_URL: the database ${path} was migrated by a newer HeroDesk (${unknown.sort().at(-1)}); run that version, or a copy of the database made before it`,
    );
}

/**
 * Whether a client (or a transaction of one) is PostgreSQL's: for the few queries that must be
 * written per database. Prisma keeps its provider on the client, and a transaction passes it on.
 */
export function isPostgres(db: DbClient): boolean {
  return (db as unknown as { _activeProvider?: string })._activeProvider === "postgresql";
}

/** Prisma's error for a unique constraint: the row is already there. */
export function isUniqueViolation(err: unknown): boolean {
  return typeof err === "object" && err !== null && (err as { code?: string }).code === "P2002";
}
