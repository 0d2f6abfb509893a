// Opens the database. The only place that constructs a Prisma client.
import { PrismaBetterSQLite3 } from "@prisma/adapter-better-sqlite3";
import type Database from "better-sqlite3";
import { type Prisma, PrismaClient } from "./generated/client.ts";
import { cacheStatements } from "./statement-cache.ts";

export type Db = PrismaClient;
/** A client or an open transaction: repositories work on either. */
export type DbClient = PrismaClient | Prisma.TransactionClient;

export async function openDatabase(url: string): Promise<Db> {
  if (!url.startsWith("file:")) throw new Error("only SQLite (file:...) URLs are supported for now");
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

/** Prisma's error for a unique constraint: the row is already there. */
export function isUniqueViolation(err: unknown): boolean {
  return typeof err === "object" && err !== null && (err as { code?: string }).code === "P2002";
}
