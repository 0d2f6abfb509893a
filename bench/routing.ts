// Benchmark 3: routing at scale (SPEC section 4). Each scenario seeds a fresh migrated SQLite file
// straight through better-sqlite3 (agents, teams, members, rules, customers with heroes, the
// conversation history), then measures in this process:
//   (a) decide: the pure `route()` on inputs built from that data (agents, teams and rules as the
//       service loads them, a random customer's attributes and hero);
//   (b) load, decide and save: a new open, unassigned conversation (created untimed), then
//       `routeQueue(tx, id)` inside `store.transaction`, timed from start to commit. Between samples
//       the outbox work it enqueued is marked done (untimed), as the running worker would.
import { performance } from "node:perf_hooks";
import { parseFileConfig, type SourceConfig } from "../src/config.ts";
import type { Customer } from "../src/core/domain.ts";
import { type RoutingInput, route } from "../src/core/routing.ts";
import { conversationFacts } from "../src/core/triage.ts";
import { createRouting } from "../src/services/route-conversation.ts";
import { createStore, openDatabase, type Store } from "../src/store/index.ts";
import { copySqliteToPostgres } from "./lib/copy-to-postgres.ts";
import type { BenchDatabases } from "./lib/db.ts";
import { postgresBenchDatabases } from "./lib/postgres.ts";
import { openCountMismatches, prng, type SeedResult, seedRoutingData } from "./lib/routing-seed.ts";
import { type BenchSummary, type Summary, summarize, verdict } from "./lib/samples.ts";
import { fmt, table } from "./lib/stats.ts";

export const ROUTING_TARGET = { decideP99Ms: 2, saveP99Ms: 20, agents: 2000, conversations: 200_000 };

const DECIDE = { warmup: 1000, samples: 5000 };
const SAVE = { warmup: 50, samples: 1000 };
const CUSTOMERS = 50_000;
const OPEN = 20_000;
const SOURCES = [
  { id: "web", channel: "C0BENCHWEB", heroWaitSeconds: 300 },
  { id: "mail", channel: "C0BENCHMAIL", heroWaitSeconds: 60 },
];

interface Scenario {
  label: string;
  agents: number;
  conversations: number;
}

const SCENARIOS: Scenario[] = [
  { label: "200 agents", agents: 200, conversations: 200_000 },
  { label: "2,000 agents", agents: 2000, conversations: 200_000 },
  // Right after the one it is compared with, so both run on a process in the same state.
  { label: "2,000 agents, no closed history", agents: 2000, conversations: OPEN },
  { label: "20,000 agents", agents: 20_000, conversations: 200_000 },
];

/** Teams and rules grow with the team size: 40 agents a team, one rule per 20 agents. */
const teamsFor = (agents: number) => Math.max(5, Math.round(agents / 40));
const rulesFor = (agents: number) => Math.max(10, Math.round(agents / 20));

export interface RoutingRow {
  label: string;
  agents: number;
  teams: number;
  rules: number;
  conversations: number;
  open: number;
  seed: SeedResult;
  decide: Summary;
  /** The decision's time by its outcome: `routed` (no rule, no hero) compares every agent. */
  decideKinds: Record<string, Summary>;
  save: Summary;
  create: Summary;
  saveOutcomes: { assigned: number; waiting: number; queued: number };
}

export interface RoutingResult {
  rows: RoutingRow[];
  /** The scenario the targets apply to (2,000 agents, 200,000 conversations). */
  main: RoutingRow;
  /** 20,000 agents vs 200 (p50 ratios), and 200,000 vs 20,000 conversations at 2,000 agents. */
  growth: {
    agentFactor: number;
    decideP50: number;
    /** The worst case: no rule and no hero, so every agent is compared. */
    scanP50: number;
    saveP50: number;
    historyDecideP50: number;
    historySaveP50: number;
  };
  problems: string[];
}

const sourceConfigs = (): ReadonlyMap<string, SourceConfig> => {
  const file = parseFileConfig({
    sources: SOURCES.map((s) => ({
      id: s.id,
      secret: `bench-${s.id}-secret-0123456789`,
      slackChannel: s.channel,
      heroWaitSeconds: s.heroWaitSeconds,
    })),
  });
  return new Map(file.sources.map((s) => [s.id, s]));
};

const p50Of = (row: RoutingRow, kind: string) => row.decideKinds[kind]?.p50 ?? Number.NaN;

/** (a) The pure decision over what routing loads (the online roster), for random customers. */
async function measureDecide(store: Store, rand: () => number) {
  const { agents, teams, rules } = await store.transaction((tx) => tx.agents.onlineRoster());
  // Indexed by id, as the service's load does.
  const routingAgents = new Map(agents.map((a) => [a.id, a]));
  const customers: Customer[] = [];
  for (let i = 0; i < 2000; i++)
    customers.push(await store.customers.get(1 + Math.floor(rand() * CUSTOMERS)));
  const byKind: Record<string, number[]> = {};
  const times: number[] = [];
  for (let i = 0; i < DECIDE.warmup + DECIDE.samples; i++) {
    const customer = customers[i % customers.length]!;
    const input: RoutingInput = {
      agents: routingAgents,
      teams,
      rules,
      facts: conversationFacts(customer.attributes),
      hero: customer.hero,
      now: new Date(),
      heroWaitSeconds: SOURCES[i % SOURCES.length]!.heroWaitSeconds,
      heroWaitUntil: null,
    };
    const t0 = performance.now();
    const decision = route(input);
    const ms = performance.now() - t0;
    if (i < DECIDE.warmup) continue;
    times.push(ms);
    const kind = decision.kind === "assign" ? decision.reason : decision.kind;
    const ofKind = byKind[kind] ?? [];
    ofKind.push(ms);
    byKind[kind] = ofKind;
  }
  const decideKinds = Object.fromEntries(Object.entries(byKind).map(([k, v]) => [k, summarize(v)]));
  return { decide: summarize(times), decideKinds };
}

/** Marks every pending outbox item done, as the worker would have by the next conversation. */
async function drainOutbox(store: Store): Promise<void> {
  await store.transaction(async (tx) => {
    for (;;) {
      const heads = await tx.outbox.laneHeads(500);
      if (!heads.length) return;
      for (const item of heads) await tx.outbox.markDone(item.id);
    }
  });
}

/** (b) New conversation, then load → decide → save in one transaction. */
async function measureSave(store: Store, rand: () => number, label: string) {
  const routing = createRouting({ store, sources: sourceConfigs() });
  const save: number[] = [];
  const create: number[] = [];
  const outcomes = { assigned: 0, waiting: 0, queued: 0 };
  const tag = label.replace(/\W+/g, "-");
  for (let i = 0; i < SAVE.warmup + SAVE.samples; i++) {
    const source = SOURCES[i % SOURCES.length]!;
    const c0 = performance.now();
    const conversation = await store.conversations.create({
      sourceId: source.id,
      externalId: `bench-${tag}-${i}`,
      customerId: 1 + Math.floor(rand() * CUSTOMERS),
      slackChannel: source.channel,
      at: new Date(),
    });
    const t0 = performance.now();
    await store.transaction((tx) => routing.routeQueue(tx, conversation.id));
    const t1 = performance.now();
    const after = await store.conversations.get(conversation.id);
    await drainOutbox(store);
    if (i < SAVE.warmup) continue;
    create.push(t0 - c0);
    save.push(t1 - t0);
    if (after?.assigneeId) outcomes.assigned++;
    else if (after?.heroWaitUntil) outcomes.waiting++;
    else outcomes.queued++;
  }
  return { save: summarize(save), create: summarize(create), saveOutcomes: outcomes };
}

async function runScenario(
  dbs: BenchDatabases,
  s: Scenario,
  log: (line: string) => void,
  problems: string[],
  /** PostgreSQL: the seed is copied into this database, and routing runs there. */
  postgres?: string,
): Promise<RoutingRow> {
  const url = dbs.fresh(`routing-${s.agents}-${s.conversations}`);
  const file = url.replace(/^file:/, "");
  const teams = teamsFor(s.agents);
  const rules = rulesFor(s.agents);
  const seed = seedRoutingData(file, {
    agents: s.agents,
    teams,
    rules,
    customers: CUSTOMERS,
    conversations: s.conversations,
    open: OPEN,
    queuedShare: 0.02,
    sources: SOURCES,
    seed: 7,
  });
  log(
    `  ${s.label}: seeded ${seed.agents} agents (${seed.online} online, ${seed.away} away, ${seed.offline} offline, ` +
      `${seed.unlimited} unlimited), ${seed.teams} teams (${seed.memberships} members), ${seed.rules} rules, ` +
      `${seed.customers} customers (${seed.agentHeroes} agent heroes, ${seed.teamHeroes} team heroes), ` +
      `${seed.conversations} conversations (${seed.open} open, ${seed.queued} queued) in ${fmt(seed.ms / 1000, 1)} s`,
  );
  const seeded = openCountMismatches(file);
  if (seeded.length)
    problems.push(`${s.label}: the seed left ${seeded.length} agents with a wrong openCount`);

  if (postgres) {
    const copyStarted = performance.now();
    await copySqliteToPostgres(file, postgres);
    log(`    copied into PostgreSQL in ${fmt((performance.now() - copyStarted) / 1000, 1)} s`);
  }
  const store = createStore(await openDatabase(postgres ?? url));
  let row: RoutingRow;
  try {
    const rand = prng(s.agents + s.conversations);
    const decide = await measureDecide(store, rand);
    log(
      `    decide: p50 ${fmt(decide.decide.p50, 3)} ms, p99 ${fmt(decide.decide.p99, 3)} ms ` +
        `(${Object.entries(decide.decideKinds)
          .map(([k, t]) => `${k} ${t.n} at p50 ${fmt(t.p50, 3)} ms`)
          .join(", ")})`,
    );
    const save = await measureSave(store, rand, s.label);
    log(
      `    load, decide, save: p50 ${fmt(save.save.p50, 2)} ms, p99 ${fmt(save.save.p99, 2)} ms ` +
        `(assigned ${save.saveOutcomes.assigned}, waiting for hero ${save.saveOutcomes.waiting}, queued ${save.saveOutcomes.queued})`,
    );
    row = {
      label: s.label,
      agents: s.agents,
      teams,
      rules,
      conversations: s.conversations,
      open: OPEN,
      seed,
      ...decide,
      ...save,
    };
  } finally {
    await store.close();
  }
  if (postgres) return row;
  // Routing keeps every agent's open count in step with the conversations it assigned.
  const after = openCountMismatches(file);
  if (after.length)
    problems.push(
      `${s.label}: after routing, ${after.length} agents have an openCount that differs from their open conversations ` +
        `(first: agent ${after[0]!.agentId} stored ${after[0]!.stored}, holds ${after[0]!.actual})`,
    );
  return row;
}

export async function runRouting(dbs: BenchDatabases, log: (line: string) => void): Promise<RoutingResult> {
  log(
    `routing: SQLite seeded per scenario (${CUSTOMERS} customers, ${OPEN} open conversations, teams = agents/40, ` +
      `rules = agents/20); decide ${DECIDE.samples} samples, load+decide+save ${SAVE.samples} samples (after warm-up)`,
  );
  const problems: string[] = [];
  const rows: RoutingRow[] = [];
  for (const s of SCENARIOS) rows.push(await runScenario(dbs, s, log, problems));

  const find = (agents: number, conversations: number) =>
    rows.find((r) => r.agents === agents && r.conversations === conversations)!;
  const main = find(ROUTING_TARGET.agents, ROUTING_TARGET.conversations);
  const small = find(200, 200_000);
  const large = find(20_000, 200_000);
  const noHistory = find(2000, OPEN);
  const growth = {
    agentFactor: large.agents / small.agents,
    decideP50: large.decide.p50 / small.decide.p50,
    scanP50: p50Of(large, "routed") / p50Of(small, "routed"),
    saveP50: large.save.p50 / small.save.p50,
    historyDecideP50: main.decide.p50 / noHistory.decide.p50,
    historySaveP50: main.save.p50 / noHistory.save.p50,
  };

  log("");
  log(
    table(
      [
        "routing",
        "agents",
        "teams",
        "rules",
        "conversations",
        "decide p50",
        "decide p99",
        "x (p50)",
        "load+decide+save p50",
        "p99",
        "max",
        "x (p50)",
        "create p50",
      ],
      rows.map((r) => [
        r.label,
        String(r.agents),
        String(r.teams),
        String(r.rules),
        `${r.conversations} (${r.open} open)`,
        `${fmt(r.decide.p50, 3)} ms`,
        `${fmt(r.decide.p99, 3)} ms`,
        `${fmt(r.decide.p50 / main.decide.p50, 2)}`,
        `${fmt(r.save.p50, 2)} ms`,
        `${fmt(r.save.p99, 2)} ms`,
        `${fmt(r.save.max, 1)} ms`,
        `${fmt(r.save.p50 / main.save.p50, 2)}`,
        `${fmt(r.create.p50, 2)} ms`,
      ]),
    ),
  );
  log(
    `  x = p50 relative to ${main.label} with ${main.conversations} conversations. ` +
      `200 → 20,000 agents (${growth.agentFactor}x): decide ${fmt(growth.decideP50, 1)}x ` +
      `(the scan of every agent when no rule or hero applies: ${fmt(growth.scanP50, 1)}x), load+decide+save ${fmt(growth.saveP50, 1)}x. ` +
      `Closed history (200,000 vs 20,000 conversations at 2,000 agents): decide ${fmt(growth.historyDecideP50, 2)}x, ` +
      `load+decide+save ${fmt(growth.historySaveP50, 2)}x.`,
  );
  log("");
  return { rows, main, growth, problems };
}

/** The summary rows: the targets at 2,000 agents, the growth with agents, the closed history. */
export function routingSummary(result: RoutingResult): BenchSummary {
  const { main, growth } = result;
  const name = `routing ${main.agents} agents`;
  // "About linear in agents at worst": the p50 grows no faster than the agents (25 % slack).
  const linear = growth.agentFactor * 1.25;
  return {
    rows: [
      [
        name,
        "decide p50 / p99",
        `${fmt(main.decide.p50, 3)} / ${fmt(main.decide.p99, 3)} ms`,
        `p99 <= ${ROUTING_TARGET.decideP99Ms} ms`,
        verdict(main.decide.p99 <= ROUTING_TARGET.decideP99Ms),
      ],
      [
        name,
        "load+decide+save p50 / p99",
        `${fmt(main.save.p50, 2)} / ${fmt(main.save.p99, 2)} ms`,
        `p99 <= ${ROUTING_TARGET.saveP99Ms} ms`,
        verdict(main.save.p99 <= ROUTING_TARGET.saveP99Ms),
      ],
      [
        "routing 200 -> 20,000 agents",
        "decide / load+decide+save p50 growth",
        `${fmt(growth.decideP50, 1)}x (scan ${fmt(growth.scanP50, 1)}x) / ${fmt(growth.saveP50, 1)}x`,
        `<= ${fmt(linear, 0)}x (linear)`,
        verdict(growth.decideP50 <= linear && growth.scanP50 <= linear && growth.saveP50 <= linear),
      ],
      // The decision's input holds no conversations at all, so only the load and save can feel the
      // history; the decide ratio, a few microseconds over a few microseconds, is for the record.
      [
        "routing closed history",
        "200k vs 20k conversations, load+decide+save p50",
        `${fmt(growth.historySaveP50, 2)}x (decide ${fmt(growth.historyDecideP50, 2)}x)`,
        "<= 1.25x",
        verdict(growth.historySaveP50 <= 1.25),
      ],
    ],
    problems: result.problems,
  };
}

/**
 * Routing at 2,000 agents / 200,000 conversations on PostgreSQL (issue 14): the same seed, copied
 * into a migrated PostgreSQL database, and the same samples; load + decide + save includes the
 * writer lock every use case's transaction takes there.
 */
export async function runRoutingPostgres(
  dbs: BenchDatabases,
  log: (line: string) => void,
): Promise<BenchSummary> {
  log("routing on PostgreSQL: the 2,000-agent scenario, seeded in SQLite and copied over");
  const pgDbs = await postgresBenchDatabases();
  const problems: string[] = [];
  let row: RoutingRow;
  try {
    row = await runScenario(dbs, SCENARIOS[1]!, log, problems, await pgDbs.fresh());
  } finally {
    await pgDbs.cleanup();
  }
  log("");
  return {
    rows: [
      [
        "routing on PostgreSQL, 2,000 agents",
        "load + decide + save p50 / p99",
        `${fmt(row.save.p50, 2)} / ${fmt(row.save.p99, 2)} ms`,
        `p99 <= ${ROUTING_TARGET.saveP99Ms} ms`,
        verdict(row.save.p99 <= ROUTING_TARGET.saveP99Ms),
      ],
    ],
    problems,
  };
}
