// Benchmark: building an App Home at scale (the issue's part 4). A fresh migrated SQLite file is
// seeded (2,000 agents, 50 teams, 100 rules, 50,000 customers, 200,000 conversations of which
// 20,000 are open and 2 % of those queued, one assignment event per assigned conversation, a Slack
// thread for every conversation, answer records and waiting customers as bench/summary.ts has
// them, response targets in business hours), then, in this process, each sample builds one person's home as
// the outbox's publish does, minus the Slack call:
//   load + decide: the home service's reads (a few aggregate queries in one transaction) and the
//                  pure home model;
//   render:        its Block Kit view.
// For a manager (the target), an admin (the manager's home plus the setup) and an agent. Every
// view built is checked against Slack's Block Kit limits once (a correctness problem otherwise).
import { performance } from "node:perf_hooks";
import Database from "better-sqlite3";
import { parseFileConfig, type SourceConfig } from "../src/config.ts";
import { validateView } from "../src/emulator/blockkit.ts";
import { createHomeServices } from "../src/services/home.ts";
import { homeView } from "../src/slack/blocks/home.ts";
import { createStore, openDatabase, type Store } from "../src/store/index.ts";
import type { BenchDatabases } from "./lib/db.ts";
import { seedRoutingData } from "./lib/routing-seed.ts";
import { type BenchSummary, type Summary, summarize, verdict } from "./lib/samples.ts";
import { fmt, table } from "./lib/stats.ts";

export const HOME_TARGET = { buildP99Ms: 200, agents: 2000, conversations: 200_000 };

const RUNS = { warmup: 20, samples: 200 };
const SOURCES = [
  { id: "web", channel: "C0BENCHWEB" },
  { id: "mail", channel: "C0BENCHMAIL" },
];

/** The seed's Slack user id of agent `id` (ids % 50 are admins, % 10 managers, the rest agents). */
const userOf = (id: number) => `UB${id.toString(36).toUpperCase().padStart(6, "0")}`;

const PEOPLE = [
  { label: "manager", userId: userOf(10) },
  { label: "admin", userId: userOf(50) },
  { label: "agent", userId: userOf(7) },
] as const;

export interface HomeRow {
  label: string;
  build: Summary;
  load: Summary;
  render: Summary;
  blocks: number;
  bytes: number;
}

export interface HomeResult {
  rows: HomeRow[];
  problems: string[];
}

/** A thread for every conversation, as the outbox would have recorded when posting its card. */
function seedThreads(file: string): void {
  const db = new Database(file);
  try {
    db.exec(`INSERT INTO "SlackThread" ("conversationId", "channel", "ts", "createdAt")
      SELECT "id", "slackChannel", printf('1700000000.%06d', "id"), "createdAt" FROM "Conversation"`);
  } finally {
    db.close();
  }
}

async function measure(store: Store, userId: string, problems: string[], label: string) {
  const sources: ReadonlyMap<string, SourceConfig> = new Map(
    parseFileConfig({
      sources: SOURCES.map((s) => ({
        id: s.id,
        secret: `bench-${s.id}-secret-0123456789`,
        slackChannel: s.channel,
        // Today's response figures in business hours: their costliest case.
        businessHours: {
          timezone: "Europe/Berlin",
          weekly: Object.fromEntries(["mon", "tue", "wed", "thu", "fri"].map((d) => [d, ["09:00-17:00"]])),
        },
        targets: { firstResponse: "1h", nextResponse: "2h" },
      })),
    }).sources.map((s) => [s.id, s]),
  );
  const home = createHomeServices({
    store,
    sources,
    admins: [],
    managersCanSetHeroes: false,
    summaries: [{ channel: "C0BENCHMGR", cron: "0 9 * * 1-5", timezone: "Europe/Berlin" }],
  });
  const build: number[] = [];
  const load: number[] = [];
  const render: number[] = [];
  let blocks = 0;
  let bytes = 0;
  for (let i = 0; i < RUNS.warmup + RUNS.samples; i++) {
    const t0 = performance.now();
    const model = await home.load(userId);
    const t1 = performance.now();
    const view = homeView(model, { workspaceUrl: "https://bench.slack.com/" });
    const t2 = performance.now();
    if (i === 0) {
      const issues = validateView(view, { expectedType: "home" });
      if (issues.length)
        problems.push(
          `home (${label}): not a valid view: ${issues.map((x) => `${x.pointer} ${x.message}`).join("; ")}`,
        );
      if (label !== "agent" && !model.team) problems.push(`home (${label}): no team part`);
      blocks = view.blocks.length;
      bytes = JSON.stringify(view).length;
    }
    if (i < RUNS.warmup) continue;
    build.push(t2 - t0);
    load.push(t1 - t0);
    render.push(t2 - t1);
  }
  return { build: summarize(build), load: summarize(load), render: summarize(render), blocks, bytes };
}

export async function runHome(dbs: BenchDatabases, log: (line: string) => void): Promise<HomeResult> {
  log("## App Home: load + decide + render, 2,000 agents, 200,000 conversations");
  const url = dbs.fresh("home");
  const file = url.replace(/^file:/, "");
  const seed = seedRoutingData(file, {
    agents: HOME_TARGET.agents,
    teams: 50,
    rules: 100,
    customers: 50_000,
    conversations: HOME_TARGET.conversations,
    open: 20_000,
    queuedShare: 0.02,
    sources: SOURCES,
    responses: true,
    seed: 11,
  });
  seedThreads(file);
  log(
    `  seeded ${seed.agents} agents, ${seed.conversations.toLocaleString("en-US")} conversations ` +
      `(${seed.open} open, ${seed.queued} queued) in ${fmt(seed.ms / 1000, 1)} s; ${RUNS.samples} builds each after ${RUNS.warmup} warm-up`,
  );
  const problems: string[] = [];
  const rows: HomeRow[] = [];
  const store = createStore(await openDatabase(url));
  try {
    for (const p of PEOPLE)
      rows.push({ label: p.label, ...(await measure(store, p.userId, problems, p.label)) });
  } finally {
    await store.close();
  }
  log(
    table(
      ["home", "build p50", "p99", "max", "load+decide p50", "p99", "render p50", "p99", "blocks", "bytes"],
      rows.map((r) => [
        r.label,
        `${fmt(r.build.p50, 2)} ms`,
        `${fmt(r.build.p99, 2)} ms`,
        `${fmt(r.build.max, 1)} ms`,
        `${fmt(r.load.p50, 2)} ms`,
        `${fmt(r.load.p99, 2)} ms`,
        `${fmt(r.render.p50, 3)} ms`,
        `${fmt(r.render.p99, 3)} ms`,
        String(r.blocks),
        String(r.bytes),
      ]),
    ),
  );
  log("");
  return { rows, problems };
}

export function homeSummary(result: HomeResult): BenchSummary {
  const manager = result.rows.find((r) => r.label === "manager")!;
  const admin = result.rows.find((r) => r.label === "admin")!;
  return {
    rows: [
      [
        `home manager ${HOME_TARGET.agents} agents`,
        "load+decide+render p50 / p99",
        `${fmt(manager.build.p50, 1)} / ${fmt(manager.build.p99, 1)} ms`,
        `p99 <= ${HOME_TARGET.buildP99Ms} ms`,
        verdict(manager.build.p99 <= HOME_TARGET.buildP99Ms),
      ],
      [
        "home admin (with setup)",
        "load+decide+render p50 / p99",
        `${fmt(admin.build.p50, 1)} / ${fmt(admin.build.p99, 1)} ms`,
        `p99 <= ${HOME_TARGET.buildP99Ms} ms`,
        verdict(admin.build.p99 <= HOME_TARGET.buildP99Ms),
      ],
    ],
    problems: result.problems,
  };
}
