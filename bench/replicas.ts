// Benchmark: the inbound API on PostgreSQL with 1, 2 and 3 HeroDesk replicas (issue 14), beside
// SQLite with one process, in one run. Each replica is `npm start`'s program (src/main.ts) in its
// own process, all on one database and one emulator; the same load generator as `inbound` (a
// forked process, 16 keep-alive connections) spreads its connections over the replicas, as a load
// balancer without stickiness would. Afterwards every 202 is looked for in the database: 0 lost,
// 0 stored twice. PostgreSQL: HERODESK_BENCH_PG (default the local server).
import { type ChildProcess, spawn } from "node:child_process";
import { randomBytes } from "node:crypto";
import { mkdtempSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import pg from "pg";
import { SlackEmulator } from "../src/emulator/index.ts";
import { runWorker } from "./inbound.ts";
import { type BenchDatabases, storedMessageCounts } from "./lib/db.ts";
import { PROJECT_ROOT } from "./lib/paths.ts";
import { postgresBenchDatabases } from "./lib/postgres.ts";
import { fmt, percentile, table } from "./lib/stats.ts";

const SOURCE = { id: "web", secret: "bench-web-secret-0123456789", channel: "C0BENCHIN" };
const PLAN = { concurrency: 16, warmupMs: 2000, measureMs: 10_000, customers: 500 };

export interface ReplicaRow {
  database: "SQLite" | "PostgreSQL";
  replicas: number;
  rps: number;
  p50: number;
  p99: number;
  accepted: number;
  non202: number;
  lost: number;
  duplicated: number;
}

export function startReplica(env: Record<string, string>, port: number): ChildProcess {
  return spawn(process.execPath, ["--import", "tsx", "src/main.ts"], {
    cwd: PROJECT_ROOT,
    env: { ...process.env, ...env, PORT: String(port) },
    stdio: ["ignore", "ignore", "inherit"],
  });
}

export async function healthy(url: string): Promise<void> {
  const deadline = Date.now() + 60_000;
  while (!(await fetch(`${url}/healthz`).catch(() => null))?.ok) {
    if (Date.now() > deadline) throw new Error(`replica at ${url} did not come up`);
    await new Promise((r) => setTimeout(r, 100));
  }
}

/** Stored rows per inbound messageId, from PostgreSQL. */
async function storedOnPostgres(url: string): Promise<Map<string, number>> {
  const client = new pg.Client({ connectionString: url });
  await client.connect();
  try {
    const { rows } = await client.query<{ id: string; n: string }>(
      `SELECT "externalId" AS id, COUNT(*) AS n FROM "Message"
       WHERE "sourceId" = $1 AND "direction" = 'inbound' GROUP BY "externalId"`,
      [SOURCE.id],
    );
    return new Map(rows.map((r) => [r.id, Number(r.n)]));
  } finally {
    await client.end();
  }
}

async function runRow(databaseUrl: string, replicas: number): Promise<ReplicaRow> {
  const emulator = await SlackEmulator.start({});
  emulator.workspace.addChannel({ id: SOURCE.channel, name: "bench-in" });
  const dir = mkdtempSync(join(tmpdir(), "herodesk-bench-replicas-"));
  const configPath = join(dir, "herodesk.config.json");
  writeFileSync(
    configPath,
    JSON.stringify({ sources: [{ id: SOURCE.id, secret: SOURCE.secret, slackChannel: SOURCE.channel }] }),
  );
  const env = {
    DATABASE_URL: databaseUrl,
    SLACK_BOT_TOKEN: emulator.botToken,
    SLACK_SIGNING_SECRET: emulator.signingSecret,
    SLACK_API_URL: emulator.apiUrl,
    HERODESK_CONFIG: configPath,
    LOG_LEVEL: "error",
  };
  const base = 31_000 + Math.floor(Math.random() * 20_000);
  const urls = Array.from({ length: replicas }, (_, i) => `http://127.0.0.1:${base + i}`);
  const children = urls.map((_, i) => startReplica(env, base + i));
  try {
    for (const url of urls) await healthy(url);
    const result = await runWorker({
      url: urls[0]!,
      urls,
      source: SOURCE.id,
      secret: SOURCE.secret,
      ...PLAN,
      runId: `r${randomBytes(4).toString("hex")}`,
    });
    for (const c of children) c.kill("SIGTERM");
    await Promise.all(
      children.map((c) => new Promise((r) => (c.exitCode !== null ? r(null) : c.once("exit", r)))),
    );
    const stored = databaseUrl.startsWith("file:")
      ? storedMessageCounts(databaseUrl, SOURCE.id)
      : await storedOnPostgres(databaseUrl);
    let lost = 0;
    let duplicated = 0;
    for (const id of result.accepted) {
      const n = stored.get(id) ?? 0;
      if (n === 0) lost++;
      if (n > 1) duplicated++;
    }
    const sorted = Float64Array.from(result.measured.latenciesMs).sort();
    return {
      database: databaseUrl.startsWith("file:") ? "SQLite" : "PostgreSQL",
      replicas,
      rps: result.measured.count / (result.measured.windowMs / 1000),
      p50: percentile(sorted, 50),
      p99: percentile(sorted, 99),
      accepted: result.accepted.length,
      non202: result.total.non202,
      lost,
      duplicated,
    };
  } finally {
    for (const c of children) if (c.exitCode === null) c.kill("SIGKILL");
    await emulator.stop();
  }
}

export async function runReplicas(
  dbs: BenchDatabases,
  log: (line: string) => void,
): Promise<{ rows: ReplicaRow[]; problems: string[] }> {
  log(
    `replicas: POST /api/v1/messages from a second process (${PLAN.concurrency} connections spread over the replicas, ` +
      `${PLAN.customers} customers), each replica src/main.ts in its own process; SQLite 1 process, PostgreSQL 1, 2, 3`,
  );
  const pgDbs = await postgresBenchDatabases();
  const rows: ReplicaRow[] = [];
  try {
    log("  SQLite, 1 process …");
    rows.push(await runRow(dbs.fresh("replicas-sqlite"), 1));
    for (const n of [1, 2, 3]) {
      log(`  PostgreSQL, ${n} replica${n === 1 ? "" : "s"} …`);
      rows.push(await runRow(await pgDbs.fresh(), n));
    }
  } finally {
    await pgDbs.cleanup();
  }
  log("");
  log(
    table(
      ["inbound", "replicas", "req/s", "p50", "p99", "accepted", "non-202", "lost", "duplicated"],
      rows.map((r) => [
        r.database,
        String(r.replicas),
        fmt(r.rps, 0),
        `${fmt(r.p50, 1)} ms`,
        `${fmt(r.p99, 1)} ms`,
        String(r.accepted),
        String(r.non202),
        String(r.lost),
        String(r.duplicated),
      ]),
    ),
  );
  log("");
  const problems = rows.flatMap((r) => [
    ...(r.lost ? [`replicas ${r.database} x${r.replicas}: ${r.lost} answered 202 but not stored`] : []),
    ...(r.duplicated ? [`replicas ${r.database} x${r.replicas}: ${r.duplicated} stored twice`] : []),
    ...(r.non202 ? [`replicas ${r.database} x${r.replicas}: ${r.non202} requests not answered 202`] : []),
  ]);
  return { rows, problems };
}
