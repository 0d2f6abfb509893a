// `npm start` with a bad setting: it stops with one clear line per problem and never echoes a secret.

import { spawnSync } from "node:child_process";
import { mkdtempSync, readdirSync, symlinkSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import Database from "better-sqlite3";
import { describe, expect, inject, it } from "vitest";
import { openDatabase } from "../../src/store/db.ts";
import { freshDatabaseUrl, onPostgres } from "../helpers/db.ts";
import { databaseFrom, psql, urlOf } from "../helpers/postgres.ts";

/** How many PostgreSQL migrations HeroDesk ships. */
const PG_MIGRATIONS = readdirSync("prisma/migrations-postgres").filter((d) => /^\d{14}_/.test(d)).length;

const TSX = import.meta.resolve("tsx");
const MAIN = new URL("../../src/main.ts", import.meta.url).pathname;

/** `npm start`'s program with this environment, in `cwd` (default: the repository). */
function start(env: Record<string, string>, cwd?: string, timeout = 20_000) {
  const res = spawnSync(process.execPath, ["--import", TSX, MAIN], {
    ...(cwd ? { cwd } : {}),
    env: { PATH: process.env.PATH ?? "", ...env },
    encoding: "utf8",
    timeout,
  });
  return { status: res.status, lines: res.stderr.trim().split("\n").filter(Boolean) };
}

it("stops with one line naming each bad setting, without echoing secrets", () => {
  const dir = mkdtempSync(join(tmpdir(), "herodesk-cfg-"));
  const path = join(dir, "config.json");
  writeFileSync(path, JSON.stringify({ sources: [{ id: "web", secret: "short", slackChannel: "support" }] }));
  const { status, lines } = start({ SLACK_BOT_TOKEN: "xoxp-super-secret-token", HERODESK_CONFIG: path });
  expect(status).toBe(1);
  expect(lines).toEqual([
    "herodesk: config error: env SLACK_BOT_TOKEN: expected a bot token starting with xoxb-",
    "herodesk: config error: env SLACK_SIGNING_SECRET: required in HTTP mode (or set SLACK_APP_TOKEN for Socket Mode)",
  ]);
  expect(lines.join("\n")).not.toContain("super-secret");
});

it("names the config file's problems with their paths", () => {
  const dir = mkdtempSync(join(tmpdir(), "herodesk-cfg-"));
  const path = join(dir, "config.json");
  writeFileSync(path, JSON.stringify({ sources: [{ id: "web", secret: "short", slackChannel: "support" }] }));
  const { status, lines } = start({
    SLACK_BOT_TOKEN: "xoxb-1",
    SLACK_SIGNING_SECRET: "s",
    HERODESK_CONFIG: path,
  });
  expect(status).toBe(1);
  expect(lines).toEqual([
    `herodesk: config error: ${path} sources[0].secret: at least 8 characters`,
    `herodesk: config error: ${path} sources[0].slackChannel: expected a Slack channel ID such as C0123ABCD`,
  ]);
});

it("says what to do when the config file is missing", () => {
  const { status, lines } = start({
    SLACK_BOT_TOKEN: "xoxb-1",
    SLACK_SIGNING_SECRET: "s",
    HERODESK_CONFIG: "/nope/x.json",
  });
  expect(status).toBe(1);
  expect(lines).toEqual([
    "herodesk: config error: HERODESK_CONFIG: cannot read /nope/x.json (ENOENT); copy herodesk.config.example.json",
  ]);
});

// `npm start` reads .env from its working directory (issue 10, part 3): run from a folder holding
// one, HeroDesk sees its settings; the environment's own values win over the file's.
describe(".env", () => {
  it("is read when it exists, with empty lines meaning unset", () => {
    const dir = mkdtempSync(join(tmpdir(), "herodesk-env-"));
    writeFileSync(
      join(dir, ".env"),
      "SLACK_BOT_TOKEN=xoxp-from-dotenv\nSLACK_SIGNING_SECRET=\nSLACK_APP_TOKEN=\nHERODESK_CONFIG=/nope/x.json\n",
    );
    const { status, lines } = start({}, dir);
    expect(status).toBe(1);
    expect(lines).toEqual([
      "herodesk: config error: env SLACK_BOT_TOKEN: expected a bot token starting with xoxb-",
      "herodesk: config error: env SLACK_SIGNING_SECRET: required in HTTP mode (or set SLACK_APP_TOKEN for Socket Mode)",
    ]);
  });
  it("the environment wins over the file", () => {
    const dir = mkdtempSync(join(tmpdir(), "herodesk-env-"));
    writeFileSync(
      join(dir, ".env"),
      "SLACK_BOT_TOKEN=xoxp-from-dotenv\nSLACK_SIGNING_SECRET=s\nHERODESK_CONFIG=/nope/x.json\n",
    );
    const { status, lines } = start({ SLACK_BOT_TOKEN: "xoxb-from-env" }, dir);
    expect(status).toBe(1);
    expect(lines).toEqual([
      "herodesk: config error: HERODESK_CONFIG: cannot read /nope/x.json (ENOENT); copy herodesk.config.example.json",
    ]);
  });
});

// Issue 10, part 2: what stands in the way of the database is one line, before anything starts.
describe("database problems", () => {
  const run = (databaseUrl: string, timeout?: number) => {
    const dir = mkdtempSync(join(tmpdir(), "herodesk-db-"));
    const path = join(dir, "config.json");
    writeFileSync(
      path,
      JSON.stringify({ sources: [{ id: "web", secret: "web-secret-123", slackChannel: "C0SUPPORT" }] }),
    );
    return start(
      {
        SLACK_BOT_TOKEN: "xoxb-1",
        SLACK_SIGNING_SECRET: "s",
        HERODESK_CONFIG: path,
        // Nothing answers here: a database problem is found before Slack is asked anything.
        SLACK_API_URL: "http://127.0.0.1:9/api/",
        DATABASE_URL: databaseUrl,
      },
      undefined,
      timeout,
    );
  };
  const fails = (databaseUrl: string) => {
    const { status, lines } = run(databaseUrl);
    expect(status).toBe(1);
    expect(lines).toHaveLength(1);
    return lines[0]!;
  };

  it("a URL of a kind HeroDesk does not run on, without echoing its password", () => {
    const line = fails("mysql://herodesk:hunter2@db.example/herodesk");
    expect(line).toBe(
      "herodesk: failed to start: DATABASE_URL: mysql: URLs are not supported; HeroDesk keeps its data in an SQLite file (file:./data/herodesk.db, the default) or in PostgreSQL (postgresql://user@host:5432/database)",
    );
  });

  it("a folder in the way, a file in the way, a folder that cannot be written", () => {
    const dir = mkdtempSync(join(tmpdir(), "herodesk-db-"));
    expect(fails(`file:${dir}`)).toBe(
      `herodesk: failed to start: DATABASE_URL: ${dir} is a folder, not a database file; name a file in it, like file:${dir}/herodesk.db`,
    );
    const file = join(dir, "notes.txt");
    writeFileSync(file, "x");
    expect(fails(`file:${file}/herodesk.db`)).toBe(
      `herodesk: failed to start: DATABASE_URL: ${file} is a file, so ${file}/herodesk.db cannot be made there; name a file in a folder`,
    );
    // /sys refuses new files even to root.
    expect(fails("file:/sys/herodesk.db")).toMatch(
      /^herodesk: failed to start: DATABASE_URL: the folder \/sys cannot be written \(E[A-Z]+\); SQLite needs to write there/,
    );
  });

  // SQLite files: the suite on PostgreSQL has its own below.
  it.skipIf(onPostgres())("a database whose migrations were not applied: says which command to run", () => {
    const empty = join(mkdtempSync(join(tmpdir(), "herodesk-db-")), "empty.db");
    new Database(empty).close();
    expect(fails(`file:${empty}`)).toBe(
      `herodesk: failed to start: DATABASE_URL: ${empty} has no HeroDesk tables yet; run \`npm run db:migrate\` (npm start does it first)`,
    );
    const behind = freshDatabaseUrl();
    const db = new Database(behind.slice("file:".length));
    const latest = db
      .prepare(
        'SELECT "migration_name" AS name FROM "_prisma_migrations" ORDER BY "migration_name" DESC LIMIT 1',
      )
      .get() as { name: string };
    db.prepare('DELETE FROM "_prisma_migrations" WHERE "migration_name" = ?').run(latest.name);
    db.close();
    expect(fails(behind)).toBe(
      `herodesk: failed to start: DATABASE_URL: the database ${behind.slice("file:".length)} is behind: 1 migration not applied (the latest: ${latest.name}); run \`npm run db:migrate\` (npm start does it first)`,
    );
  });

  it("options after ? (Prisma would make a file of that name): one line", () => {
    expect(fails("file:./data/herodesk.db?connection_limit=1")).toBe(
      'herodesk: failed to start: DATABASE_URL: options after "?" are not supported for SQLite (?connection_limit=1); name the file alone, like file:./data/herodesk.db',
    );
  });

  // SQLite files: the suite on PostgreSQL has its own below.
  it.skipIf(onPostgres())(
    "npm start's migrations, and a symlink to the same file, are refused while a HeroDesk holds it",
    async () => {
      const url = freshDatabaseUrl();
      const path = url.slice("file:".length);
      const first = await openDatabase(url, { forApp: true });
      try {
        // `npm start` runs the migrations first (prestart): one line there, not Prisma's stack.
        const migrate = spawnSync(process.execPath, ["scripts/setup.mjs", "migrate"], {
          env: { PATH: process.env.PATH ?? "", DATABASE_URL: url },
          encoding: "utf8",
          timeout: 60_000,
        });
        expect(migrate.status).toBe(1);
        expect(migrate.stderr).toBe(
          `herodesk: DATABASE_URL: another HeroDesk is already running on ${path} (SQLite serves one process); stop it first, or give this one its own database file\n`,
        );
        const link = join(mkdtempSync(join(tmpdir(), "herodesk-link-")), "link.db");
        symlinkSync(path, link);
        expect(fails(`file:${link}`)).toContain("another HeroDesk is already running");
      } finally {
        await first.$disconnect();
      }
    },
  );

  // SQLite files: the suite on PostgreSQL has its own below.
  it.skipIf(onPostgres())(
    "a second HeroDesk on the same SQLite file is refused; the first one's lock goes with it",
    async () => {
      const url = freshDatabaseUrl();
      const first = await openDatabase(url, { forApp: true });
      expect(fails(url)).toBe(
        `herodesk: failed to start: DATABASE_URL: another HeroDesk is already running on ${url.slice("file:".length)} (SQLite serves one process); stop it first, or give this one its own database file`,
      );
      await first.$disconnect();
      // Released: the next one gets past the database (and on to Slack, which does not answer).
      // (It keeps running, Slack or not: stopped after 6 s.)
      const { lines } = run(url, 6000);
      expect(lines.join("\n")).not.toContain("another HeroDesk");
      expect(lines.join("\n")).toContain("Slack did not answer");
    },
  );
});

// PostgreSQL serves several HeroDesk processes: no lock to hold, and its problems in one line too.
describe.skipIf(!onPostgres())("database problems on PostgreSQL", () => {
  const run = (databaseUrl: string, timeout?: number) => {
    const dir = mkdtempSync(join(tmpdir(), "herodesk-db-"));
    const path = join(dir, "config.json");
    writeFileSync(
      path,
      JSON.stringify({ sources: [{ id: "web", secret: "web-secret-123", slackChannel: "C0SUPPORT" }] }),
    );
    return start(
      {
        SLACK_BOT_TOKEN: "xoxb-1",
        SLACK_SIGNING_SECRET: "s",
        HERODESK_CONFIG: path,
        SLACK_API_URL: "http://127.0.0.1:9/api/",
        DATABASE_URL: databaseUrl,
      },
      undefined,
      timeout,
    );
  };

  it("a database without HeroDesk's tables, or behind: says which command to run", () => {
    const empty = urlOf(databaseFrom("template0", `${inject("templateDb").replace(/_template$/, "_")}`));
    const where = (url: string) => new URL(url).toString();
    expect(run(empty).lines).toEqual([
      `herodesk: failed to start: DATABASE_URL: ${where(empty)} has no HeroDesk tables yet; run \`npm run db:migrate\` (npm start does it first)`,
    ]);
    const behind = freshDatabaseUrl();
    const name = new URL(behind).pathname.slice(1);
    psql('DELETE FROM "_prisma_migrations"', name);
    expect(run(behind).lines[0]).toMatch(
      new RegExp(`DATABASE_URL: the database .* is behind: ${PG_MIGRATIONS} migrations? not applied`),
    );
  });

  it("an unreachable server: one line, without the password", () => {
    const { status, lines } = run("postgresql://herodesk:hunter2@127.0.0.1:9/herodesk");
    expect(status).toBe(1);
    expect(lines).toHaveLength(1);
    expect(lines[0]).toMatch(
      /^herodesk: failed to start: DATABASE_URL: cannot reach PostgreSQL at postgresql:\/\/herodesk:\*\*\*@127\.0\.0\.1:9\/herodesk \(/,
    );
    expect(lines[0]).not.toContain("hunter2");
  });

  it("a second HeroDesk on the same database starts beside the first (and migrating under them is fine)", async () => {
    const url = freshDatabaseUrl();
    const first = await openDatabase(url, { forApp: true });
    try {
      const migrate = spawnSync(process.execPath, ["scripts/setup.mjs", "migrate"], {
        env: { PATH: process.env.PATH ?? "", DATABASE_URL: url },
        encoding: "utf8",
        timeout: 60_000,
      });
      expect(migrate.stderr).toMatch(new RegExp(`is up to date: ${PG_MIGRATIONS} migrations, none pending`));
      expect(migrate.status).toBe(0);
      const { lines } = run(url, 15_000);
      expect(lines.join("\n")).not.toContain("another HeroDesk");
      expect(lines.join("\n")).toContain("Slack did not answer");
    } finally {
      await first.$disconnect();
    }
  });
});

// Issue 10, part 3: every install and start printed Prisma's "The values from your schema will NOT
// be used!" about the schema's url, which Prisma 6's CLI needs (without it, it downloads an engine).
it("applying migrations prints one line, and no warning about the schema's url", () => {
  const url = `file:${join(mkdtempSync(join(tmpdir(), "herodesk-migrate-")), "x.db")}`;
  const res = spawnSync(process.execPath, ["scripts/setup.mjs", "migrate"], {
    env: { PATH: process.env.PATH ?? "", DATABASE_URL: url },
    encoding: "utf8",
    timeout: 60_000,
  });
  expect(res.status).toBe(0);
  // One line for what it did; Prisma's own report only when it fails.
  expect(res.stdout).toBe("");
  expect(res.stderr).toMatch(/^herodesk: database .*x\.db is up to date: \d+ migrations, \d+ applied now\n$/);
  expect(`${res.stdout}${res.stderr}`).not.toMatch(/WARNING|NOT be used/);
});

// Issue 10, part 6, as `npm start` meets it: a JSON mistake names its line and column, an unknown
// key its path and the setting it likely meant.
it("a config file with a JSON mistake or an unknown key: one line each, in people's words", () => {
  const dir = mkdtempSync(join(tmpdir(), "herodesk-cfg-"));
  const broken = join(dir, "broken.json");
  writeFileSync(broken, '{\n  "sources": [\n    { "id": "web", }\n  ]\n}\n');
  const env = { SLACK_BOT_TOKEN: "xoxb-1", SLACK_SIGNING_SECRET: "s" };
  expect(start({ ...env, HERODESK_CONFIG: broken })).toEqual({
    status: 1,
    lines: [
      `herodesk: config error: HERODESK_CONFIG: ${broken} is not valid JSON, line 3, column 20: a comma before the closing brace`,
    ],
  });
  const typo = join(dir, "typo.json");
  writeFileSync(
    typo,
    JSON.stringify({ sources: [{ id: "web", secret: "web-secret-123", slackChanel: "C0SUPPORT" }] }),
  );
  expect(start({ ...env, HERODESK_CONFIG: typo })).toEqual({
    status: 1,
    lines: [
      `herodesk: config error: ${typo} sources[0].slackChannel: required`,
      `herodesk: config error: ${typo} sources[0].slackChanel: not a setting HeroDesk knows (did you mean slackChannel?)`,
    ],
  });
});
