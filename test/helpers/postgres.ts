// The test suite on PostgreSQL (HERODESK_TEST_DB=postgres, `npm run test:postgres`): the server's
// URL, and databases made and dropped with psql (synchronous, so freshDatabaseUrl stays a plain
// call). CREATE DATABASE … TEMPLATE copies the migrated template in a few milliseconds.
import { execFileSync } from "node:child_process";

export const postgresTesting = () => process.env.HERODESK_TEST_DB === "postgres";

/** The server the tests use, as a URL of its maintenance database. */
export const postgresServer = () =>
  process.env.HERODESK_TEST_PG ?? "postgresql://postgres@127.0.0.1:5432/postgres";

/** The URL of database `name` on that server. */
export function urlOf(name: string): string {
  const u = new URL(postgresServer());
  u.pathname = `/${name}`;
  return u.toString();
}

/** Runs `sql` on the server's maintenance database, or on `database`. */
export function psql(sql: string, database?: string): string {
  return execFileSync(
    "psql",
    [
      "-X",
      "-q",
      "-A",
      "-t",
      "-v",
      "ON_ERROR_STOP=1",
      "-d",
      database ? urlOf(database) : postgresServer(),
      "-c",
      sql,
    ],
    {
      encoding: "utf8",
      stdio: ["ignore", "pipe", "pipe"],
    },
  );
}

let made = 0;

/** A new database, a copy of `template`; its name. */
export function databaseFrom(template: string, prefix: string): string {
  const name = `${prefix}${process.pid}_${++made}`;
  for (let attempt = 1; ; attempt++) {
    try {
      psql(`CREATE DATABASE "${name}" TEMPLATE "${template}"`);
      return name;
    } catch (err) {
      // Another copy of the template starting at the same instant: PostgreSQL refuses, briefly.
      if (attempt >= 20 || !/being accessed by other users/.test(String((err as { stderr?: string }).stderr)))
        throw err;
      execFileSync("sleep", ["0.05"]);
    }
  }
}

/** Drops every database whose name starts with `prefix` (connections to them are ended). */
export function dropDatabasesLike(prefix: string): void {
  const names = psql(`SELECT datname FROM pg_database WHERE datname LIKE '${prefix}%'`)
    .split("\n")
    .map((n) => n.trim())
    .filter(Boolean);
  if (!names.length) return;
  // One psql, one -c per database: DROP DATABASE cannot share a transaction with another.
  execFileSync(
    "psql",
    [
      "-X",
      "-q",
      "-d",
      postgresServer(),
      ...names.flatMap((n) => ["-c", `DROP DATABASE IF EXISTS "${n}" WITH (FORCE)`]),
    ],
    { stdio: ["ignore", "pipe", "pipe"] },
  );
}
