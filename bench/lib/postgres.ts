// PostgreSQL databases for the benchmarks: a template migrated with the real `prisma migrate
// deploy`, then CREATE DATABASE … TEMPLATE for each run, all dropped at the end.
// HERODESK_BENCH_PG names the server (default the local one, user postgres).
import { execFileSync } from "node:child_process";
import pg from "pg";
import { PROJECT_ROOT } from "./paths.ts";

const server = () => process.env.HERODESK_BENCH_PG ?? "postgresql://postgres@127.0.0.1:5432/postgres";

function urlOf(name: string): string {
  const u = new URL(server());
  u.pathname = `/${name}`;
  return u.toString();
}

export async function postgresBenchDatabases() {
  const prefix = `herodesk_bench_${process.pid}_`;
  const template = `${prefix}template`;
  const admin = new pg.Client({ connectionString: server() });
  await admin.connect();
  await admin.query(`CREATE DATABASE "${template}"`);
  execFileSync("npx", ["--no-install", "prisma", "migrate", "deploy"], {
    cwd: PROJECT_ROOT,
    env: { ...process.env, DATABASE_URL: urlOf(template) },
    stdio: "pipe",
  });
  let n = 0;
  return {
    async fresh(): Promise<string> {
      const name = `${prefix}${++n}`;
      await admin.query(`CREATE DATABASE "${name}" TEMPLATE "${template}"`);
      return urlOf(name);
    },
    async cleanup(): Promise<void> {
      const { rows } = await admin.query<{ name: string }>(
        "SELECT datname::text AS name FROM pg_database WHERE datname LIKE $1",
        [`${prefix}%`],
      );
      for (const r of rows) await admin.query(`DROP DATABASE IF EXISTS "${r.name}" WITH (FORCE)`);
      await admin.end();
    },
  };
}
