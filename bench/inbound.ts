// Benchmark 1: the inbound API on SQLite. HeroDesk runs in this process (with its outbox posting
// to the emulator, as under real load); a forked worker process sends the signed requests.
import { fork } from "node:child_process";
import { randomBytes } from "node:crypto";
import { fileURLToPath } from "node:url";
import type { AbuseMessage, AbusePlan } from "./abuse-worker.ts";
import type { BenchDatabases } from "./lib/db.ts";
import { storedMessageCounts } from "./lib/db.ts";
import { PROJECT_ROOT } from "./lib/paths.ts";
import { startBenchStack } from "./lib/stack.ts";
import { fmt, percentile, table } from "./lib/stats.ts";
import type { LoadPlan, LoadResult, WorkerMessage } from "./load-worker.ts";

export const INBOUND_TARGET = { rps: 500, p99Ms: 50 };

const SOURCE = { id: "web", secret: "bench-web-secret-0123456789", channel: "C0BENCHIN" };
const CUSTOMERS = 500;

export interface InboundRow {
  label: string;
  concurrency: number;
  rps: number;
  p50: number;
  p90: number;
  p99: number;
  max: number;
  /** Non-202 answers over the whole run (warm-up included). */
  non202: number;
  sent: number;
  accepted: number;
  lost: number;
  duplicated: number;
  duplicateAnswers: number;
  /** Stored although the client saw no 202 (a timeout, say): not a loss, reported for the record. */
  storedWithout202: number;
  slackPosts: number;
  outboxPending: number;
  /** What the abusive clients of the row were answered. */
  abused: string;
  problems: string[];
}

interface RowPlan {
  label: string;
  concurrency: number;
  warmupMs: number;
  measureMs: number;
  /** Unsigned clients posting 1 MiB nested bodies all along (bench/abuse-worker.ts). */
  abusers?: number;
}

const ROWS: RowPlan[] = [
  { label: "sustained", concurrency: 16, warmupMs: 2000, measureMs: 10_000 },
  { label: "sustained, 4 abusers", concurrency: 16, warmupMs: 2000, measureMs: 10_000, abusers: 4 },
  { label: "latency floor", concurrency: 1, warmupMs: 1000, measureMs: 5000 },
];

/** The sustained p99 under abuse, at most this many times the one without (issue 15). */
export const ABUSE_TARGET = { p99Ratio: 1.5 };

/** Starts the abusive clients; `stop()` ends them and says what they were answered. */
function startAbusers(url: string, clients: number) {
  const script = fileURLToPath(new URL("./abuse-worker.ts", import.meta.url));
  const child = fork(script, [], { cwd: PROJECT_ROOT, stdio: ["ignore", "inherit", "inherit", "ipc"] });
  const done = new Promise<Extract<AbuseMessage, { type: "done" }>>((resolve, reject) => {
    child.on("message", (m: AbuseMessage) => {
      if (m.type === "ready") child.send({ url, clients } satisfies AbusePlan);
      else resolve(m);
    });
    child.on("error", reject);
  });
  return {
    async stop() {
      child.send("stop");
      return done;
    },
  };
}

export function runWorker(plan: LoadPlan): Promise<LoadResult> {
  const script = fileURLToPath(new URL("./load-worker.ts", import.meta.url));
  return new Promise((resolve, reject) => {
    // execArgv is inherited: under `tsx bench/run.ts` it carries tsx's loader, so the worker runs .ts.
    const child = fork(script, [], { cwd: PROJECT_ROOT, stdio: ["ignore", "inherit", "inherit", "ipc"] });
    let result: LoadResult | undefined;
    child.on("message", (m: WorkerMessage) => {
      if (m.type === "ready") child.send(plan);
      else if (m.type === "result") result = m.result;
    });
    child.on("error", reject);
    child.on("exit", (code, signal) => {
      if (result) resolve(result);
      else reject(new Error(`load worker exited (${signal ?? `code ${code}`}) without a result`));
    });
  });
}

async function runRow(dbs: BenchDatabases, row: RowPlan): Promise<InboundRow> {
  const databaseUrl = dbs.fresh(`inbound-c${row.concurrency}`);
  const stack = await startBenchStack({
    databaseUrl,
    sources: [SOURCE],
    // The outbox keeps running at Slack's real pace (the emulator's limit and HeroDesk's default
    // pacing), as in production: the API stores faster than Slack lets anyone post.
    emulator: {},
  });
  let result: LoadResult;
  let slackPosts = 0;
  let outboxPending = 0;
  const abusers = row.abusers ? startAbusers(stack.app.url, row.abusers) : undefined;
  let abused = "";
  try {
    result = await runWorker({
      url: stack.app.url,
      source: SOURCE.id,
      secret: SOURCE.secret,
      concurrency: row.concurrency,
      warmupMs: row.warmupMs,
      measureMs: row.measureMs,
      customers: CUSTOMERS,
      runId: `b${randomBytes(4).toString("hex")}`,
    });
    if (abusers) {
      const a = await abusers.stop();
      abused = `${a.requests} unsigned 1 MiB requests answered ${JSON.stringify(a.statuses)}`;
    }
    slackPosts = stack.emulator.calls.filter((c) => c.method === "chat.postMessage" && c.ok).length;
    outboxPending = (await stack.app.store.outbox.countByStatus()).pending ?? 0;
  } finally {
    await stack.stop();
  }

  // Every 202 must be in the database exactly once (read after HeroDesk closed its connection).
  const stored = storedMessageCounts(databaseUrl, SOURCE.id);
  const problems: string[] = [];
  let lost = 0;
  let duplicated = 0;
  for (const id of result.accepted) {
    const n = stored.get(id) ?? 0;
    if (n === 0) lost++;
    if (n > 1) duplicated++;
  }
  const acked = new Set([...result.accepted, ...result.duplicateAnswers]);
  for (const [id, n] of stored) if (n > 1 && !acked.has(id)) duplicated++;
  let storedWithout202 = 0;
  for (const id of stored.keys()) if (!acked.has(id)) storedWithout202++;

  const tag = `inbound ${row.label}`;
  if (lost) problems.push(`${tag}: ${lost} messages answered 202 are not in the database`);
  if (duplicated) problems.push(`${tag}: ${duplicated} messageIds are stored more than once`);
  if (result.duplicateAnswers.length)
    problems.push(`${tag}: ${result.duplicateAnswers.length} new messageIds were answered duplicate: true`);
  if (result.total.non202)
    problems.push(
      `${tag}: ${result.total.non202} of ${result.total.sent} requests were not answered 202 ` +
        `(${JSON.stringify(result.total.statuses)}); first: ${result.failures.join(" | ")}`,
    );

  const sorted = Float64Array.from(result.measured.latenciesMs).sort();
  return {
    label: row.label,
    concurrency: row.concurrency,
    rps: result.measured.count / (result.measured.windowMs / 1000),
    p50: percentile(sorted, 50),
    p90: percentile(sorted, 90),
    p99: percentile(sorted, 99),
    max: sorted.length ? sorted[sorted.length - 1]! : Number.NaN,
    non202: result.total.non202,
    sent: result.total.sent,
    accepted: result.accepted.length,
    lost,
    duplicated,
    duplicateAnswers: result.duplicateAnswers.length,
    storedWithout202,
    slackPosts,
    outboxPending,
    abused,
    problems,
  };
}

export async function runInbound(dbs: BenchDatabases, log: (line: string) => void): Promise<InboundRow[]> {
  log(
    `inbound: POST /api/v1/messages from a second process, ${CUSTOMERS} customers/conversations, ` +
      "unique messageIds, SQLite; outbox running (emulator without rate limit, 100 posts/s per channel)",
  );
  const rows: InboundRow[] = [];
  for (const row of ROWS) {
    log(
      `  ${row.label}: concurrency ${row.concurrency}, warm-up ${row.warmupMs} ms, measure ${row.measureMs} ms …`,
    );
    rows.push(await runRow(dbs, row));
  }
  log("");
  log(
    table(
      [
        "inbound",
        "conc",
        "req/s",
        "p50 ms",
        "p90 ms",
        "p99 ms",
        "max ms",
        "non-202",
        "202s",
        "lost",
        "dup",
        "slack posts",
      ],
      rows.map((r) => [
        r.label,
        String(r.concurrency),
        fmt(r.rps, 0),
        fmt(r.p50, 2),
        fmt(r.p90, 2),
        fmt(r.p99, 2),
        fmt(r.max, 2),
        String(r.non202),
        String(r.accepted),
        String(r.lost),
        String(r.duplicated),
        String(r.slackPosts),
      ]),
    ),
  );
  for (const r of rows) {
    if (r.abused) log(`  note (${r.label}): ${r.abused}`);
    if (r.storedWithout202)
      log(
        `  note (c=${r.concurrency}): ${r.storedWithout202} messages stored without a 202 reaching the client`,
      );
    if (r.outboxPending)
      log(`  note (c=${r.concurrency}): ${r.outboxPending} outbox items still pending when the load stopped`);
  }
  log("");
  return rows;
}
