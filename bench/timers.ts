// Benchmark: timer load (issue 12). "20,000 open conversations with due times and 2,000 agents:
// the scheduler's CPU per minute and the lateness of reminders (p50/p99) stay flat as open
// conversations grow from 2,000 to 20,000."
// Per size, a fresh migrated SQLite file is seeded (bench/lib/timer-seed.ts): 2,000 agents, every
// conversation open, assigned and waiting, each with its two pending targets.check timers; a
// steady stream of them falls due over the window, on random conversations. Then this process
// opens the store and runs the real OutboxWorker with the real targets.check handler (it reads the
// conversation and enqueues the card update and the DM); every other kind is a no-op (no Slack).
// Measured: the process's CPU (process.cpuUsage: the worker, the store, the handlers) per minute
// of wall time, first while every timer waits (nothing due: the scheduler alone), then over the
// window; and each reminder's lateness: when its handler finished less when it was due. A
// reminder not run by the end of the window counts as lost. An untimed round first warms the JIT.
import { performance } from "node:perf_hooks";
import { parseFileConfig, type SourceConfig } from "../src/config.ts";
import { createLogger } from "../src/logger.ts";
import type { JobHandlers } from "../src/outbox/handler.ts";
import { JOBS } from "../src/outbox/jobs.ts";
import { OutboxWorker } from "../src/outbox/worker.ts";
import { createResponseReminders } from "../src/services/response-reminders.ts";
import { createStore, openDatabase } from "../src/store/index.ts";
import type { BenchDatabases } from "./lib/db.ts";
import { type BenchSummary, type Summary, summarize, verdict } from "./lib/samples.ts";
import { fmt, table } from "./lib/stats.ts";
import { seedTimers } from "./lib/timer-seed.ts";

export const TIMERS_TARGET = { cpuRatio: 1.5, lateP99Ms: 1000 };

const SIZES = [2000, 5000, 10_000, 20_000];
const AGENTS = 2000;
const WINDOW_MS = 24_000;
/** Before the window: every timer waits, none falls due. */
const IDLE_MS = 6000;
/** Reminders falling due per window, evenly spread, the last 2 s before its end. */
const DUE = 200;
/** From the end of the seed to the window's start: the store opens and the worker starts. */
const LEAD_MS = 3000;
const SOURCE = { id: "web", channel: "C0BENCHTIMERS" };
const ESCALATION = "C0BENCHESCALATE";

export interface TimersRow {
  open: number;
  timers: number;
  seedMs: number;
  /** CPU ms per minute of wall time over the window. */
  cpuPerMinute: number;
  /** The same while nothing was due. */
  idleCpuPerMinute: number;
  late: Summary;
  due: number;
  performed: number;
  /** Reminders the handler told someone of (the DMs it enqueued that the worker then ran). */
  dms: number;
}

export interface TimersResult {
  rows: TimersRow[];
  cpuRatio: number;
  problems: string[];
}

const sources = (): ReadonlyMap<string, SourceConfig> => {
  const file = parseFileConfig({
    sources: [
      {
        id: SOURCE.id,
        secret: "bench-timers-secret-0123456789",
        slackChannel: SOURCE.channel,
        targets: { firstResponse: "60m", nextResponse: "4h" },
        escalationChannel: ESCALATION,
      },
    ],
  });
  return new Map(file.sources.map((s) => [s.id, s]));
};

const sleepUntil = (t: number) => new Promise((r) => setTimeout(r, Math.max(0, t - Date.now())));

const cpuPerMinute = (since: NodeJS.CpuUsage, wall0: number) => {
  const cpu = process.cpuUsage(since);
  return ((cpu.user + cpu.system) / 1000 / (performance.now() - wall0)) * 60_000;
};

async function runSize(
  dbs: BenchDatabases,
  open: number,
  log: (line: string) => void,
  problems: string[],
  windowMs = WINDOW_MS,
): Promise<TimersRow> {
  const url = dbs.fresh(`timers-${open}`);
  const dueIn = Array.from(
    { length: DUE },
    (_, i) => IDLE_MS + 1000 + Math.floor((i * (windowMs - 3000)) / DUE),
  );
  const seed = seedTimers(url.replace(/^file:/, ""), {
    agents: AGENTS,
    conversations: open,
    source: SOURCE,
    dueIn,
    leadMs: LEAD_MS,
  });
  const dueAt = new Map(seed.due.map((t) => [`${t.conversationId}:${t.since}:${t.step}`, t.dueAt]));

  const ran = new Map<string, number[]>();
  let dms = 0;
  let worker: OutboxWorker | undefined;
  const store = createStore(await openDatabase(url), { onEnqueued: (lanes) => worker?.kick(lanes) });
  try {
    const real = createResponseReminders({ store, sources: sources() }).handlers["targets.check"];
    const noop = { retry: () => ({ initialDelayMs: 1000, maxDelayMs: 60_000 }), perform: async () => {} };
    const handlers: JobHandlers = {
      ...(Object.fromEntries(Object.keys(JOBS).map((kind) => [kind, noop])) as unknown as JobHandlers),
      "slack.dm_agent": { ...noop, perform: async () => void dms++ },
      "targets.check": {
        ...real,
        perform: async (payload, attempt) => {
          await real.perform(payload, attempt);
          const key = `${payload.conversationId}:${payload.since}:${payload.step}`;
          ran.set(key, [...(ran.get(key) ?? []), Date.now()]);
        },
      },
    };
    // As after a restart: the worker knows of nothing, its scans find the timers.
    worker = new OutboxWorker({ store, handlers, logger: createLogger("warn") });
    worker.start();

    await sleepUntil(seed.start);
    const idle0 = { cpu: process.cpuUsage(), wall: performance.now() };
    await sleepUntil(seed.start + IDLE_MS);
    const idleCpuPerMinute = cpuPerMinute(idle0.cpu, idle0.wall);
    const window0 = { cpu: process.cpuUsage(), wall: performance.now() };
    await sleepUntil(seed.start + IDLE_MS + windowMs);
    const windowCpuPerMinute = cpuPerMinute(window0.cpu, window0.wall);
    await worker.stop();

    const late: number[] = [];
    for (const [key, times] of ran) {
      const at = dueAt.get(key);
      if (at === undefined) problems.push(`timers ${open}: ${key} ran, but was not due for hours`);
      else late.push(times[0]! - at);
      if (times.length > 1) problems.push(`timers ${open}: ${key} ran ${times.length} times`);
    }
    const performed = [...dueAt.keys()].filter((k) => ran.has(k)).length;
    if (performed < seed.due.length)
      problems.push(
        `timers ${open}: ${seed.due.length - performed} of ${seed.due.length} reminders due in the window never ran`,
      );
    if (dms !== performed) problems.push(`timers ${open}: ${performed} reminders ran, ${dms} DMs went out`);
    const row: TimersRow = {
      open,
      timers: seed.timers,
      seedMs: seed.ms,
      cpuPerMinute: windowCpuPerMinute,
      idleCpuPerMinute,
      late: summarize(late),
      due: seed.due.length,
      performed,
      dms,
    };
    log(
      `  ${open} open (${seed.timers} timers, seeded in ${fmt(seed.ms / 1000, 1)} s): ` +
        `CPU ${fmt(row.cpuPerMinute, 0)} ms/min (nothing due: ${fmt(row.idleCpuPerMinute, 0)}), lateness p50 ${fmt(row.late.p50, 0)} ms, ` +
        `p99 ${fmt(row.late.p99, 0)} ms, ${performed}/${seed.due.length} reminders ran`,
    );
    return row;
  } finally {
    await worker?.stop();
    await store.close();
  }
}

export async function runTimers(dbs: BenchDatabases, log: (line: string) => void): Promise<TimersResult> {
  log(
    `timers: ${SIZES.join(", ")} open conversations (two pending targets.check timers each), ${AGENTS} agents; ` +
      `${DUE} reminders fall due over each ${WINDOW_MS / 1000} s window; the real worker and targets.check handler, no Slack`,
  );
  const problems: string[] = [];
  await runSize(dbs, SIZES[0]!, () => {}, [], 8000); // warm-up, not counted
  const rows: TimersRow[] = [];
  for (const open of SIZES) rows.push(await runSize(dbs, open, log, problems));
  const small = rows[0]!;
  const large = rows[rows.length - 1]!;
  const cpuRatio = large.cpuPerMinute / small.cpuPerMinute;
  log("");
  log(
    table(
      [
        "timers",
        "timers pending",
        "CPU ms/min",
        "x",
        "nothing due",
        "x",
        "late p50",
        "late p99",
        "late max",
        "reminders ran",
      ],
      rows.map((r) => [
        `${r.open} open`,
        String(r.timers),
        fmt(r.cpuPerMinute, 0),
        fmt(r.cpuPerMinute / small.cpuPerMinute, 2),
        fmt(r.idleCpuPerMinute, 0),
        fmt(r.idleCpuPerMinute / small.idleCpuPerMinute, 2),
        `${fmt(r.late.p50, 0)} ms`,
        `${fmt(r.late.p99, 0)} ms`,
        `${fmt(r.late.max, 0)} ms`,
        `${r.performed}/${r.due}`,
      ]),
    ),
  );
  log(
    `  CPU over the window (${DUE} reminders due), and over ${IDLE_MS / 1000} s before it with nothing due (the scheduler alone); ` +
      `x = relative to ${small.open} open. Targets: ${large.open}/${small.open} CPU <= ${TIMERS_TARGET.cpuRatio}x, ` +
      `lateness p99 <= ${TIMERS_TARGET.lateP99Ms} ms at every size.`,
  );
  log("");
  return { rows, cpuRatio, problems };
}

export function timersSummary(result: TimersResult): BenchSummary {
  const { rows, cpuRatio } = result;
  const small = rows[0]!;
  const large = rows[rows.length - 1]!;
  return {
    rows: [
      [
        `timers ${small.open} -> ${large.open} open`,
        "scheduler CPU per minute",
        `${fmt(cpuRatio, 2)}x (${fmt(small.cpuPerMinute, 0)} -> ${fmt(large.cpuPerMinute, 0)} ms/min; ` +
          `nothing due ${fmt(small.idleCpuPerMinute, 0)} -> ${fmt(large.idleCpuPerMinute, 0)})`,
        `<= ${TIMERS_TARGET.cpuRatio}x`,
        verdict(cpuRatio <= TIMERS_TARGET.cpuRatio),
      ],
      ...rows.map((r) => [
        `timers ${r.open} open`,
        "reminder lateness p50 / p99",
        `${fmt(r.late.p50, 0)} / ${fmt(r.late.p99, 0)} ms (${r.performed}/${r.due} ran)`,
        `p99 <= ${TIMERS_TARGET.lateP99Ms} ms`,
        verdict(r.performed === r.due && r.late.p99 <= TIMERS_TARGET.lateP99Ms),
      ]),
    ],
    problems: result.problems,
  };
}
