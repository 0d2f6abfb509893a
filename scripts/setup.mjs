// `npm install` runs this: generate the Prisma client, then bring the database up to date.
// `node scripts/setup.mjs migrate` only migrates (npm start and npm run demo do that first);
// `node scripts/setup.mjs generate` only generates. `node scripts/setup.mjs demo` (npm run demo)
// makes the demo's own database, ./data/demo.db, afresh: the demo's Slack emulator keeps nothing
// between runs, so threads stored by an earlier run would point nowhere. The demo never uses
// DATABASE_URL, so it cannot write demo data into a real database.
// Both steps run Prisma's WASM engines (see prisma.config.ts), so nothing is downloaded.
import { spawnSync } from "node:child_process";
import { existsSync, mkdirSync, rmSync } from "node:fs";
import { dirname } from "node:path";
import {
  databaseUrlProblem,
  heldElsewhere,
  holdDatabaseFile,
  isPostgresUrl,
  lockUnwritable,
  redactedUrl,
  sqlitePath,
} from "../src/store/sqlite-file.mjs";

if (!existsSync("prisma/schema.prisma")) process.exit(0); // installed as a dependency elsewhere
// npm start reads .env (src/config.ts readDotEnv); its migrations use the same DATABASE_URL.
// What the environment sets wins over the file; an empty line means unset.
if (existsSync(".env")) process.loadEnvFile(".env");
if (process.env.DATABASE_URL === "") delete process.env.DATABASE_URL;

const step = process.argv[2]; // "generate", "migrate", "demo", or generate and migrate when absent
const DEMO_DB = "file:./data/demo.db";
const url = step === "demo" ? DEMO_DB : (process.env.DATABASE_URL ?? "file:./data/herodesk.db");
const postgres = isPostgresUrl(url);
// The CLI needs DATABASE_URL set, or it falls back to downloading a native engine. It also picks
// the schema and migrations: file: is SQLite, postgresql: PostgreSQL (prisma.config.ts).
const env = { ...process.env, DATABASE_URL: url };
/**
 * Runs the Prisma CLI and says what it did in one line. Its own output is shown only when it
 * fails (it says why), less its warning that the schema's `url` is not used: the url is there
 * because Prisma 6's CLI downloads a native engine without one (README, "What start-up checks").
 */
const UNUSED_URL_WARNING =
  /\nWARNING: Your schema specifies the following datasource properties[\s\S]*?only using driver adapters\.\n/;
const run = (args, { retryLocked = false, runEnv = env } = {}) => {
  const res = spawnSync("npx", ["--no-install", "prisma", ...args], {
    stdio: ["inherit", "pipe", "pipe"],
    env: runEnv,
    encoding: "utf8",
  });
  const output = `${res.stdout ?? ""}${res.stderr ?? ""}`.replace(UNUSED_URL_WARNING, "\n");
  // PostgreSQL: another replica's deploy holds the migration lock; the engine gives up after 10 s.
  if (res.status !== 0 && retryLocked && /P1002/.test(output)) {
    say("another deploy holds the migration lock; trying again");
    return run(args, { retryLocked: false, runEnv });
  }
  if (res.status !== 0) {
    process.stderr.write(output);
    process.stderr.write(`herodesk: prisma ${args.join(" ")} failed (exit code ${res.status ?? "none"})\n`);
    process.exit(res.status ?? 1);
  }
  return output;
};
/** "9 migrations, 2 applied now" from migrate deploy's report. */
function migrated(output) {
  const found = /(\d+) migrations? found/.exec(output)?.[1] ?? "?";
  const applied = output.includes("have been applied")
    ? (output.split("have been applied")[1].match(/└─ \d{14}_/g) ?? []).length
    : 0;
  return `${found} migrations, ${applied ? `${applied} applied now` : "none pending"}`;
}
function say(line) {
  process.stderr.write(`herodesk: ${line}\n`);
}
/** The database, as the lines name it: the file, or PostgreSQL's URL less its password. */
const where = () => (postgres ? redactedUrl(url) : sqlitePath(url));

// A DATABASE_URL that cannot work is one line, before Prisma says it in twenty.
const problem = databaseUrlProblem(url, { folderMayBeMissing: true });
if (problem) {
  process.stderr.write(`herodesk: ${problem}\n`);
  process.exit(1);
}
if (!postgres) mkdirSync(dirname(sqlitePath(url)), { recursive: true });

// A HeroDesk running on this database keeps it (SQLite serves one process): migrating under it,
// or deleting the demo's from under it, would fail in Prisma's words or lose its data. PostgreSQL
// serves many: replicas keep running while a deploy migrates (Prisma's advisory lock serialises
// deploys).
if (step !== "generate" && !postgres) {
  const file = sqlitePath(url);
  let release;
  try {
    release = holdDatabaseFile(file);
  } catch (err) {
    if (!err.lockPath) throw err;
    process.stderr.write(`herodesk: ${lockUnwritable(err.lockPath)}\n`);
    process.exit(1);
  }
  if (!release) {
    process.stderr.write(`herodesk: ${heldElsewhere(file)}\n`);
    process.exit(1);
  }
  release();
}
if (step === "demo") {
  const file = DEMO_DB.slice("file:".length);
  for (const suffix of ["", "-wal", "-shm", "-journal"]) rmSync(file + suffix, { force: true });
}
if (step !== "migrate" && step !== "demo") {
  // Both clients, whatever DATABASE_URL says: the store picks one by URL at start-up. Each run
  // is told a URL of its own provider (the SQLite schema reads DATABASE_URL).
  const sqliteEnv = { ...env, DATABASE_URL: postgres ? DEMO_DB : url };
  run(["generate", "--schema", "prisma/schema.prisma"], { runEnv: sqliteEnv });
  run(["generate", "--schema", "prisma/postgres/schema.prisma"], { runEnv: sqliteEnv });
  say("Prisma clients generated (src/store/generated, src/store/generated-postgres)");
}
if (step !== "generate")
  say(
    `database ${where()} is up to date: ${migrated(run(["migrate", "deploy"], { retryLocked: postgres }))}`,
  );
