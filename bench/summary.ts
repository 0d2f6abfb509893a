// Benchmark: building an assignment summary at scale (SPEC section 5). A fresh migrated SQLite file
// is seeded (2,000 agents, 50 teams, 50,000 customers, 200,000 conversations of which 20,000 are
// open, one assignment event per assigned conversation, an answer record per first response and
// one per second next response, a customer waiting on a third of the assigned open ones; the source
// has response targets in business hours), then, in this process, each sample builds what the app
// builds for one summary:
//   figures: the report queries (src/store/reports.ts) and the response figures in one transaction;
//   message: the summary model and its Block Kit message;
//   chart:   the bar chart model and its PNG.
// Periods: the last 24 hours (a daily summary), 7 days (the longest a summary covers) and, to show
// that the cost follows the period and not the history, 200,000 vs 20,000 stored conversations.
import { performance } from "node:perf_hooks";
import { parseFileConfig, type SourceConfig } from "../src/config.ts";
import { buildBarChart } from "../src/core/chart.ts";
import { buildSummary, type SummaryPeriod } from "../src/core/summary.ts";
import { readSummaryFigures } from "../src/services/post-summary.ts";
import { summaryMessage } from "../src/slack/blocks/summary.ts";
import { renderBarChartPng } from "../src/slack/chart-png.ts";
import { createStore, openDatabase, type Store } from "../src/store/index.ts";
import type { BenchDatabases } from "./lib/db.ts";
import { seedRoutingData } from "./lib/routing-seed.ts";
import { type BenchSummary, type Summary, summarize, verdict } from "./lib/samples.ts";
import { fmt, table } from "./lib/stats.ts";

export const SUMMARY_TARGET = { buildP99Ms: 1000, agents: 2000, conversations: 200_000 };

const RUNS = { warmup: 3, samples: 30 };
const DAY = 86_400_000;

interface Scenario {
  label: string;
  conversations: number;
  periodDays: number;
}
const SCENARIOS: Scenario[] = [
  { label: "200k conversations, 24 h", conversations: 200_000, periodDays: 1 },
  { label: "200k conversations, 7 days", conversations: 200_000, periodDays: 7 },
  { label: "20k conversations, 24 h", conversations: 20_000, periodDays: 1 },
];

export interface SummaryRow {
  label: string;
  figures: Summary;
  message: Summary;
  chart: Summary;
  total: Summary;
  shown: { open: number; new: number; rows: number; firstResponses: number; pngBytes: number };
}

/** The seed's source, with response targets in business hours (the figures' costliest case). */
const SOURCES: ReadonlyMap<string, SourceConfig> = new Map(
  parseFileConfig({
    sources: [
      {
        id: "web",
        secret: "bench-web-secret-0123456789",
        slackChannel: "C0BENCHWEB",
        businessHours: {
          timezone: "Europe/Berlin",
          weekly: Object.fromEntries(["mon", "tue", "wed", "thu", "fri"].map((d) => [d, ["09:00-17:00"]])),
        },
        targets: { firstResponse: "1h", nextResponse: "2h" },
      },
    ],
  }).sources.map((s) => [s.id, s]),
);

async function measure(store: Store, period: SummaryPeriod) {
  const figures: number[] = [];
  const message: number[] = [];
  const chart: number[] = [];
  const total: number[] = [];
  let shown = { open: 0, new: 0, rows: 0, firstResponses: 0, pngBytes: 0 };
  for (let i = 0; i < RUNS.warmup + RUNS.samples; i++) {
    const t0 = performance.now();
    const f = await store.transaction((tx) => readSummaryFigures(tx, { sources: SOURCES }, period));
    const t1 = performance.now();
    const model = buildSummary(f, period);
    const msg = summaryMessage(model, { summaryId: i, trigger: "schedule", requestedBy: null });
    const t2 = performance.now();
    const png = await renderBarChartPng(
      buildBarChart({ title: "Open conversations per agent", bars: model.chart }),
    );
    const t3 = performance.now();
    if (i < RUNS.warmup) continue;
    figures.push(t1 - t0);
    message.push(t2 - t1);
    chart.push(t3 - t2);
    total.push(t3 - t0);
    shown = {
      open: model.totals.open,
      new: model.totals.new,
      rows: msg.blocks.length,
      firstResponses: model.firstResponse.count,
      pngBytes: png.length,
    };
  }
  return {
    figures: summarize(figures),
    message: summarize(message),
    chart: summarize(chart),
    total: summarize(total),
    shown,
  };
}

export async function runSummary(dbs: BenchDatabases, log: (line: string) => void): Promise<SummaryRow[]> {
  log("## Summary: figures + message + chart, 2,000 agents");
  const rows: SummaryRow[] = [];
  const stores = new Map<number, Store>();
  try {
    for (const s of SCENARIOS) {
      let store = stores.get(s.conversations);
      if (!store) {
        const url = dbs.fresh(`summary-${s.conversations}`);
        const seed = seedRoutingData(url.replace(/^file:/, ""), {
          agents: SUMMARY_TARGET.agents,
          teams: 50,
          rules: 100,
          customers: 50_000,
          conversations: s.conversations,
          open: 20_000,
          queuedShare: 0.02,
          sources: [{ id: "web", channel: "C0BENCHWEB" }],
          responses: true,
        });
        log(`seeded ${s.conversations.toLocaleString("en-US")} conversations in ${fmt(seed.ms / 1000)} s`);
        store = createStore(await openDatabase(url));
        stores.set(s.conversations, store);
      }
      const until = new Date();
      const result = await measure(store, { since: new Date(until.getTime() - s.periodDays * DAY), until });
      rows.push({ label: s.label, ...result });
    }
  } finally {
    for (const store of stores.values()) await store.close();
  }
  log(
    table(
      [
        "scenario",
        "figures p50",
        "p99",
        "message p50",
        "chart p50",
        "p99",
        "total p50",
        "total p99",
        "in period",
      ],
      rows.map((r) => [
        r.label,
        `${fmt(r.figures.p50)} ms`,
        `${fmt(r.figures.p99)} ms`,
        `${fmt(r.message.p50, 2)} ms`,
        `${fmt(r.chart.p50)} ms`,
        `${fmt(r.chart.p99)} ms`,
        `${fmt(r.total.p50)} ms`,
        `${fmt(r.total.p99)} ms`,
        `${r.shown.new} new, ${r.shown.firstResponses} answered`,
      ]),
    ),
  );
  log("");
  return rows;
}

export function summaryBenchSummary(rows: SummaryRow[]): BenchSummary {
  const main = rows[0]!;
  const week = rows[1]!;
  const small = rows[2]!;
  return {
    rows: [
      [
        "summary build (200k conv, 2k agents)",
        "p50 / p99",
        `${fmt(main.total.p50)} / ${fmt(main.total.p99)} ms`,
        `p99 ≤ ${SUMMARY_TARGET.buildP99Ms} ms`,
        verdict(main.total.p99 <= SUMMARY_TARGET.buildP99Ms),
      ],
      [
        "summary build, 7-day period",
        "p50 / p99",
        `${fmt(week.total.p50)} / ${fmt(week.total.p99)} ms`,
        `p99 ≤ ${SUMMARY_TARGET.buildP99Ms} ms`,
        verdict(week.total.p99 <= SUMMARY_TARGET.buildP99Ms),
      ],
      [
        "summary figures: 200k vs 20k history",
        "p50 ratio",
        `×${fmt(main.figures.p50 / small.figures.p50, 2)}`,
        "independent of history",
        "",
      ],
    ],
    problems: [],
  };
}
