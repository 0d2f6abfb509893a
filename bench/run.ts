// HeroDesk benchmarks: `npm run bench` runs them all, `npm run bench -- inbound` (or mirroring,
// cards, routing, ack, summary, home, growth, timers, connect, replicas, routing-postgres,
// mirroring-replicas) one or several.
// Prints figures against targets; timing misses do not fail the run. Exit code 1 only when a
// message was lost or duplicated, a thread came out of order, a request failed, or the run broke.
import { performance } from "node:perf_hooks";
import { ackSummary, runAck } from "./ack.ts";
import { cardStormSummary, runCardStorm } from "./card-storm.ts";
import { connectSummary, runConnect } from "./connect.ts";
import { dbGrowthSummary, runDbGrowth } from "./db-growth.ts";
import { homeSummary, runHome } from "./home.ts";
import { ABUSE_TARGET, INBOUND_TARGET, type InboundRow, runInbound } from "./inbound.ts";
import { prepareDatabases } from "./lib/db.ts";
import { postgresBenchDatabases } from "./lib/postgres.ts";
import type { BenchSummary } from "./lib/samples.ts";
import { fmt, table } from "./lib/stats.ts";
import { MIRRORING_TARGET, type MirroringResult, runMirroring } from "./mirroring.ts";
import { type ReplicaRow, runReplicas } from "./replicas.ts";
import { routingSummary, runRouting, runRoutingPostgres } from "./routing.ts";
import { runSummary, summaryBenchSummary } from "./summary.ts";
import { runTimers, timersSummary } from "./timers.ts";

const BENCHMARKS = [
  "inbound",
  "mirroring",
  "cards",
  "routing",
  "ack",
  "summary",
  "home",
  "growth",
  "timers",
  "connect",
  "replicas",
  "routing-postgres",
  "mirroring-replicas",
] as const;
type Benchmark = (typeof BENCHMARKS)[number];

function selected(argv: string[]): Benchmark[] {
  const args = argv.filter((a) => a !== "--");
  if (args.length === 0) return [...BENCHMARKS];
  const unknown = args.filter((a) => !(BENCHMARKS as readonly string[]).includes(a));
  if (unknown.length) {
    console.error(`unknown benchmark ${unknown.join(", ")}; choose from: ${BENCHMARKS.join(", ")}`);
    process.exit(2);
  }
  return BENCHMARKS.filter((b) => args.includes(b));
}

const verdict = (ok: boolean) => (ok ? "PASS" : "MISS");

async function main(): Promise<number> {
  const which = selected(process.argv.slice(2));
  const log = (line: string) => console.log(line);
  const started = performance.now();
  log(
    `HeroDesk benchmarks (${which.join(", ")}) on Node ${process.version}, ${process.platform}/${process.arch}`,
  );
  log("");
  const dbs = prepareDatabases();
  let inbound: InboundRow[] | undefined;
  const mirrorings: [string, MirroringResult][] = [];
  const summaries: BenchSummary[] = [];
  let replicas: { rows: ReplicaRow[]; problems: string[] } | undefined;
  try {
    if (which.includes("inbound")) inbound = await runInbound(dbs, log);
    if (which.includes("mirroring")) mirrorings.push(["mirroring", await runMirroring(dbs, log)]);
    if (which.includes("cards")) summaries.push(cardStormSummary(await runCardStorm(dbs, log)));
    if (which.includes("routing")) summaries.push(routingSummary(await runRouting(dbs, log)));
    if (which.includes("ack")) summaries.push(ackSummary(await runAck(dbs, log)));
    if (which.includes("summary")) summaries.push(summaryBenchSummary(await runSummary(dbs, log)));
    if (which.includes("home")) summaries.push(homeSummary(await runHome(dbs, log)));
    if (which.includes("growth")) summaries.push(dbGrowthSummary(await runDbGrowth(dbs, log)));
    if (which.includes("timers")) summaries.push(timersSummary(await runTimers(dbs, log)));
    if (which.includes("connect")) summaries.push(connectSummary(await runConnect(dbs, log)));
    if (which.includes("replicas")) replicas = await runReplicas(dbs, log);
    if (which.includes("routing-postgres")) summaries.push(await runRoutingPostgres(dbs, log));
    if (which.includes("mirroring-replicas")) {
      const pgDbs = await postgresBenchDatabases();
      try {
        const databaseUrl = await pgDbs.fresh();
        const m = await runMirroring(dbs, log, { count: 3, databaseUrl });
        mirrorings.push(["mirroring PostgreSQL x3", m]);
      } finally {
        await pgDbs.cleanup();
      }
    }
  } finally {
    dbs.cleanup();
  }

  const rows: string[][] = [];
  const problems: string[] = [];
  if (inbound) {
    const calm = inbound.find((r) => r.label === "sustained");
    for (const r of inbound) {
      const name = `inbound c=${r.concurrency}${r.abused ? ", abused" : ""}`;
      if (r.abused && calm) {
        const ratio = r.p99 / calm.p99;
        rows.push([
          name,
          "p99 vs without abuse",
          `${fmt(r.p99, 2)} / ${fmt(calm.p99, 2)} ms (${fmt(ratio, 2)}x)`,
          `<= ${ABUSE_TARGET.p99Ratio}x`,
          verdict(ratio <= ABUSE_TARGET.p99Ratio),
        ]);
      } else if (r.concurrency > 1) {
        rows.push([
          name,
          "throughput",
          `${fmt(r.rps, 0)} req/s`,
          `>= ${INBOUND_TARGET.rps} req/s`,
          verdict(r.rps >= INBOUND_TARGET.rps),
        ]);
        rows.push([
          name,
          "p99 latency",
          `${fmt(r.p99, 2)} ms`,
          `<= ${INBOUND_TARGET.p99Ms} ms`,
          verdict(r.p99 <= INBOUND_TARGET.p99Ms),
        ]);
      } else {
        rows.push([name, "throughput", `${fmt(r.rps, 0)} req/s`, "(floor)", ""]);
        rows.push([name, "p50 / p99 latency", `${fmt(r.p50, 2)} / ${fmt(r.p99, 2)} ms`, "(floor)", ""]);
      }
      rows.push([name, "non-202 answers", String(r.non202), "0", verdict(r.non202 === 0)]);
      rows.push([
        name,
        "lost / duplicated",
        `${r.lost} / ${r.duplicated}`,
        "0 / 0",
        verdict(r.lost + r.duplicated === 0),
      ]);
      problems.push(...r.problems);
    }
  }
  for (const [name, m] of mirrorings) {
    rows.push([
      name,
      "actual / floor",
      `${fmt(m.ratio, 3)} (${fmt(m.elapsedMs / 1000, 1)} s / ${fmt(m.minMs / 1000, 1)} s)`,
      `<= ${MIRRORING_TARGET.ratio.toFixed(2)}`,
      verdict(m.ratio <= MIRRORING_TARGET.ratio),
    ]);
    rows.push([name, "lost", String(m.lost), "0", verdict(m.lost === 0)]);
    rows.push([name, "duplicated", String(m.duplicated), "0", verdict(m.duplicated === 0)]);
    rows.push([name, "order kept", m.orderKept ? "yes" : "no", "yes", verdict(m.orderKept)]);
    rows.push([
      name,
      "429s / chat.postMessage",
      `${fmt(m.rateLimitedPct, 2)} % (${m.rateLimited}/${m.postCalls})`,
      `<= ${MIRRORING_TARGET.rateLimitedPct} %`,
      verdict(m.rateLimitedPct <= MIRRORING_TARGET.rateLimitedPct),
    ]);
    problems.push(...m.problems);
  }
  for (const b of summaries) {
    rows.push(...b.rows);
    problems.push(...b.problems);
  }
  if (replicas) {
    for (const r of replicas.rows) {
      const name = `inbound ${r.database} x${r.replicas}`;
      rows.push([name, "req/s, p99", `${fmt(r.rps, 0)} req/s, ${fmt(r.p99, 1)} ms`, "(record)", ""]);
      rows.push([
        name,
        "lost / duplicated",
        `${r.lost} / ${r.duplicated}`,
        "0 / 0",
        verdict(!r.lost && !r.duplicated),
      ]);
    }
    problems.push(...replicas.problems);
  }

  log(`summary (${fmt((performance.now() - started) / 1000, 1)} s in all)`);
  log(table(["benchmark", "figure", "value", "target", ""], rows, 2));
  if (problems.length) {
    log("");
    log("FAILED: correctness problems (timing targets never fail the run):");
    for (const p of problems.slice(0, 30)) log(`  - ${p}`);
    if (problems.length > 30) log(`  … and ${problems.length - 30} more`);
    return 1;
  }
  return 0;
}

main().then(
  (code) => process.exit(code),
  (err: unknown) => {
    console.error(`benchmark failed: ${err instanceof Error ? (err.stack ?? err.message) : String(err)}`);
    process.exit(1);
  },
);
