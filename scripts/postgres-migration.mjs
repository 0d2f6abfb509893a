// `npm run db:migration:postgres -- <name>`: after a change to prisma/schema.prisma and its SQLite
// migration, writes the matching PostgreSQL migration. It regenerates prisma/postgres/schema.prisma,
// applies prisma/migrations-postgres to a throwaway database (Prisma's `migrate diff
// --from-migrations` needs one; there is no shadow database with an adapter), and diffs that
// against the schema: prisma/migrations-postgres/<name>/migration.sql. Name it as the SQLite
// migration's folder (`20261204100000_slack_connect`) so both providers list the same names; a name
// without a timestamp gets the current one. Writes nothing when the schemas already agree.
// The server: HERODESK_PG_ADMIN_URL (default postgresql://postgres@127.0.0.1:5432/postgres).
// Data statements of the SQLite migration (UPDATE, INSERT … SELECT of rows already there) are not
// derived from the schema: it names them, to be ported by hand when they matter on PostgreSQL.
import { spawnSync } from "node:child_process";
import { existsSync, mkdirSync, readFileSync, writeFileSync } from "node:fs";
import pg from "pg";

const arg = process.argv[2];
if (!arg || !/^[A-Za-z0-9_]+$/.test(arg)) {
  process.stderr.write(
    "usage: npm run db:migration:postgres -- <name>   (e.g. 20261204100000_slack_connect)\n",
  );
  process.exit(2);
}
const stamp = () => new Date().toISOString().replace(/\D/g, "").slice(0, 14);
const name = /^\d{14}_/.test(arg) ? arg : `${stamp()}_${arg}`;
const folder = `prisma/migrations-postgres/${name}`;
if (existsSync(folder)) {
  process.stderr.write(`${folder} exists already\n`);
  process.exit(1);
}

const generate = spawnSync("node", ["scripts/postgres-schema.mjs"], { stdio: "inherit" });
if (generate.status !== 0) process.exit(generate.status ?? 1);

const admin = process.env.HERODESK_PG_ADMIN_URL ?? "postgresql://postgres@127.0.0.1:5432/postgres";
const scratch = `herodesk_migration_${process.pid}`;
const url = new URL(admin);
url.pathname = `/${scratch}`;
const client = new pg.Client({ connectionString: admin });
await client.connect();
await client.query(`CREATE DATABASE "${scratch}"`);
let diff;
try {
  diff = spawnSync(
    "npx",
    [
      "--no-install",
      "prisma",
      "migrate",
      "diff",
      "--from-migrations",
      "prisma/migrations-postgres",
      "--to-schema-datamodel",
      "prisma/postgres/schema.prisma",
      "--script",
    ],
    { env: { ...process.env, DATABASE_URL: url.toString() }, encoding: "utf8" },
  );
} finally {
  await client.query(`DROP DATABASE IF EXISTS "${scratch}" WITH (FORCE)`);
  await client.end();
}
if (diff.status !== 0) {
  process.stderr.write(diff.stdout + diff.stderr);
  process.exit(diff.status ?? 1);
}
const sql = diff.stdout.trim();
if (!sql || /^-- This is an empty migration\.?$/.test(sql)) {
  process.stderr.write(
    "prisma/postgres/schema.prisma already matches prisma/migrations-postgres: nothing written\n",
  );
  process.exit(0);
}
mkdirSync(folder, { recursive: true });
writeFileSync(`${folder}/migration.sql`, `${sql}\n`);
process.stderr.write(`wrote ${folder}/migration.sql\n`);

const sqlite = `prisma/migrations/${name}/migration.sql`;
if (existsSync(sqlite)) {
  // SQLite's table rebuilds copy rows with INSERT INTO "new_…" SELECT: those are the schema's.
  const data = readFileSync(sqlite, "utf8")
    .split(";")
    .map((s) => s.replace(/^\s*--.*$/gm, "").trim())
    .filter((s) => /^(UPDATE|DELETE|INSERT)\b/i.test(s) && !/^INSERT INTO "new_/i.test(s));
  if (data.length)
    process.stderr.write(
      `${sqlite} also changes data (${data.length} statement${data.length === 1 ? "" : "s"}), which a schema diff does not carry: port what a database with data needs by hand:\n${data.map((s) => `  ${s.split("\n")[0]}…`).join("\n")}\n`,
    );
}
