// Benchmark 4: how fast HeroDesk answers Slack under load. HeroDesk runs whole in a process of its
// own (Bolt's real HTTP receiver with processBeforeResponse, the outbox posting to the emulator), as
// deployed; this process plays Slack (the emulator) and the people. Agents are seeded in SQLite;
// conversations come in through the signed inbound API, so every card is a real message in the
// emulator. Rounds of 50 concurrent requests then go in through the emulator's signed driver:
// `/desk help`, `/desk queue`, `/desk history #n`, `/desk status online`, Claim on conversations
// nobody holds (a different one each) and Close by the assignee. Each request is timed from
// sending to Bolt's full HTTP answer, the acknowledgement (Slack gives up after 3 s); HeroDesk
// does the work after it and answers on response_url, which is awaited, checked and reported too
// (request to answer). A rule holds every benchmark customer for an empty team, so nothing is
// assigned until someone claims it; the conversations a round claims come in, untimed, just
// before it. "250 queued" repeats it all with 250 more conversations waiting in the queue
// throughout. While the measured rounds are in flight, both processes' event-loop delay is
// recorded; HERODESK_BENCH_PROF=1 also writes a CPU profile of the app (bench/profile-summary.ts
// reads it). On a shared 2-core virtual machine other processes and the host show in the
// figures: the load average and the CPU time the host took (steal) are printed beside them.

import { readFileSync } from "node:fs";
import { Agent as HttpAgent } from "node:http";
import { cpus, loadavg } from "node:os";
import { performance } from "node:perf_hooks";
import Database from "better-sqlite3";
import { SlackEmulator } from "../src/emulator/index.ts";
import { type LoopDelay, type LoopOp, loopDelayMonitor, startAppProcess } from "./lib/app-process.ts";
import type { BenchDatabases } from "./lib/db.ts";
import { prng, sqlDate } from "./lib/routing-seed.ts";
import { type BenchSummary, type Summary, summarize, verdict } from "./lib/samples.ts";
import { postSigned } from "./lib/signed-post.ts";
import type { BenchSource } from "./lib/stack.ts";
import { fmt, table } from "./lib/stats.ts";

export const ACK_TARGET = { p99Ms: 100 };

const CONCURRENCY = 50;
const WARMUP_ROUNDS = 1;
const ROUNDS = 20;
/** Rounds of the same mix sent one request at a time, for the uncontended floor. */
const ALONE_ROUNDS = 4;
/** Requests of each kind in one round of CONCURRENCY. */
const MIX = { help: 8, queue: 8, history: 8, status: 6, claim: 12, close: 8 } as const;
type Kind = keyof typeof MIX;
const AGENTS = 40;
const CARD_UPDATES_PER_MINUTE = 6000;
const MANAGERS = 6;
const SOURCES: BenchSource[] = [0, 1, 2, 3].map((i) => ({
  id: `ack${i}`,
  secret: `bench-ack${i}-secret-0123456789`,
  channel: `C0BENCHACK${i}`,
}));

interface Setting {
  label: string;
  /** Conversations waiting in the queue all along (nobody claims them). */
  backlog: number;
}

/** The first is the one the target applies to. */
const SETTINGS: Setting[] = [
  { label: "short queue", backlog: 0 },
  { label: "250 queued", backlog: 250 },
];

export interface AckRow {
  label: string;
  backlog: number;
  all: Summary;
  byKind: Record<Kind, Summary>;
  /** Each request alone (one at a time, outbox idle): the floor under the concurrent figures. */
  alone: { all: Summary; byKind: Record<Kind, Summary> };
  non200: number;
  /** Event-loop delay while the measured rounds were in flight: the app's, and this process's. */
  loop: { app: LoopDelay; bench: LoopDelay };
  /** Request to answer on response_url (what the person waits for), in the measured rounds. */
  answered: Summary;
  /** The same, each request alone. */
  answeredAlone: Summary;
  /** The slowest acknowledgement of each measured round, slowest first. */
  roundMax: number[];
  /** Share of CPU time the host took from this machine (steal) during the measured rounds. */
  stolen: number;
  slowest: { kind: Kind; ms: number }[];
  problems: string[];
}

export interface AckResult {
  concurrency: number;
  rounds: number;
  rows: AckRow[];
  /** The short-queue row, which the target applies to. */
  main: AckRow;
  problems: string[];
}

interface Person {
  userId: string;
  agentId: number;
  role: "agent" | "manager";
}

const userIdOf = (n: number) => `U0ACK${n.toString().padStart(4, "0")}`;

/**
 * Agents (all online, no capacity limit) and one rule that holds every benchmark customer in the
 * queue for an empty team, so conversations stay unassigned until someone clicks Claim.
 */
function seedPeople(file: string): Person[] {
  const db = new Database(file);
  const now = sqlDate(Date.now());
  const people: Person[] = [];
  try {
    db.transaction(() => {
      const insert = db.prepare(
        `INSERT INTO "Agent" ("id","slackUserId","name","role","status","capacity","openCount","active","createdAt","updatedAt")
         VALUES (?,?,?,?,'online',0,0,1,?,?)`,
      );
      for (let i = 1; i <= AGENTS + MANAGERS; i++) {
        const role = i > AGENTS ? "manager" : "agent";
        insert.run(i, userIdOf(i), `Ack Agent ${i}`, role, now, now);
        people.push({ userId: userIdOf(i), agentId: i, role });
      }
      db.prepare(`INSERT INTO "Team" ("id","name","createdAt") VALUES (1,'holding',?)`).run(now);
      db.prepare(
        `INSERT INTO "RoutingRule" ("position","attribute","value","teamId","createdAt") VALUES (1,'lane','hold',1,?)`,
      ).run(now);
    })();
  } finally {
    db.close();
  }
  return people;
}

/** New conversations through the signed inbound API (one new customer each), 8 at a time. */
async function createConversations(stack: AckStack, count: number, next: { i: number }) {
  const agent = new HttpAgent({ keepAlive: true, maxSockets: 8 });
  const url = new URL("/api/v1/messages", stack.appUrl);
  const channelOf = new Map<number, string>();
  const last = next.i + count;
  const failures: string[] = [];
  try {
    await Promise.all(
      Array.from({ length: 8 }, async () => {
        for (let i = next.i++; i < last; i = next.i++) {
          const source = SOURCES[i % SOURCES.length]!;
          const res = await postSigned(agent, url, source.secret, {
            source: source.id,
            messageId: `ack-m-${i}`,
            customer: { id: `ack-c-${i}`, name: `Ack Customer ${i}`, attributes: { lane: "hold" } },
            text: `Hello, this is customer ${i}.`,
          });
          if (res.status !== 202) failures.push(`HTTP ${res.status} ${res.error ?? res.body}`);
          else
            channelOf.set(
              (JSON.parse(res.body) as { conversationNumber: number }).conversationNumber,
              source.channel,
            );
        }
      }),
    );
  } finally {
    next.i = last;
    agent.destroy();
  }
  if (failures.length)
    throw new Error(`creating conversations: ${failures.length} failed, first: ${failures[0]}`);
  return channelOf;
}

async function waitForOutbox(stack: AckStack) {
  const deadline = Date.now() + 120_000;
  for (;;) {
    const pending = stack.pendingOutbox();
    if (!pending) return;
    if (Date.now() > deadline) throw new Error(`outbox not drained after 120 s: ${pending} pending`);
    await new Promise((r) => setTimeout(r, 5));
  }
}

/** Waits until the outbox has nothing left, then adds the new conversations' cards (ts by number). */
async function waitForCards(stack: AckStack, fresh: Map<number, string>, cards: Map<number, string>) {
  await waitForOutbox(stack);
  for (const channel of new Set(fresh.values()))
    for (const m of stack.emulator.workspace.messages(channel)) {
      const n = (m.metadata as { event_payload?: { conversation_id?: number } } | undefined)?.event_payload
        ?.conversation_id;
      if (n && fresh.has(n)) cards.set(n, m.ts);
    }
  const missing = [...fresh.keys()].filter((n) => !cards.has(n));
  if (missing.length)
    throw new Error(`${missing.length} conversations have no card in Slack (first #${missing[0]})`);
}

interface AckStack {
  emulator: SlackEmulator;
  appUrl: string;
  /** Outbox items still pending, read from the SQLite file. */
  pendingOutbox(): number;
  /** The app process's event-loop delay monitor (see AppProcess.loopDelay). */
  appLoopDelay(op: LoopOp): Promise<LoopDelay>;
  stop(): Promise<void>;
}

/**
 * The emulator here, HeroDesk in a process of its own (as deployed: Slack is elsewhere), so the
 * load and the emulator do not take the app's event loop.
 */
async function startAckStack(databaseUrl: string, people: Person[]): Promise<AckStack> {
  // Leniency, by name: each round changes about 20 cards at once, 21 rounds back to back, more
  // than chat.update's Tier 3 (50 a minute) allows; at Slack's pace the outbox between rounds
  // would take 15 minutes. This measures acknowledgements; `cards` measures card pacing.
  const emulator = await SlackEmulator.start({
    rateLimit: false,
    methodLimits: { "chat.update": { perMinute: CARD_UPDATES_PER_MINUTE, burst: CARD_UPDATES_PER_MINUTE } },
  });
  for (const p of people)
    emulator.workspace.addUser({ id: p.userId, name: `ack${p.agentId}`, realName: `Ack Agent ${p.agentId}` });
  for (const [i, s] of SOURCES.entries())
    emulator.workspace.addChannel({ id: s.channel, name: `ack-${i}`, members: people.map((p) => p.userId) });
  let app: Awaited<ReturnType<typeof startAppProcess>>;
  try {
    app = await startAppProcess(
      {
        DATABASE_URL: databaseUrl,
        SLACK_BOT_TOKEN: emulator.botToken,
        SLACK_SIGNING_SECRET: emulator.signingSecret,
        SLACK_API_URL: emulator.apiUrl,
        PORT: "0",
        LOG_LEVEL: "error",
      },
      {
        admins: [],
        sources: SOURCES.map((s) => ({ id: s.id, secret: s.secret, slackChannel: s.channel })),
        slack: { postsPerSecondPerChannel: 100, burstPerChannel: 100 },
      },
      { "chat.update": CARD_UPDATES_PER_MINUTE },
    );
  } catch (err) {
    await emulator.stop();
    throw err;
  }
  emulator.setAppUrl(`${app.url}/slack/events`);
  const db = new Database(databaseUrl.replace(/^file:/, ""), { readonly: true, fileMustExist: true });
  const pending = db.prepare(`SELECT COUNT(*) AS n FROM "OutboxItem" WHERE "status" = 'pending'`);
  return {
    emulator,
    appUrl: app.url,
    pendingOutbox: () => (pending.get() as { n: number }).n,
    appLoopDelay: (op) => app.loopDelay(op),
    async stop() {
      db.close();
      await app.stop();
      await emulator.stop();
    },
  };
}

interface Request {
  kind: Kind;
  /** Resolves when Bolt has acknowledged; `verify` then waits for the answer and checks it. */
  send: () => Promise<{ status: number; check?: string; verify?: () => Promise<string | undefined> }>;
}

async function runSetting(
  dbs: BenchDatabases,
  setting: Setting,
  log: (line: string) => void,
): Promise<AckRow> {
  const loadBefore = loadavg()[0]!;
  const databaseUrl = dbs.fresh(`ack-${setting.backlog}`);
  const people = seedPeople(databaseUrl.replace(/^file:/, ""));
  const stack = await startAckStack(databaseUrl, people);
  const problems: string[] = [];
  const times: Record<Kind, number[]> = {
    help: [],
    queue: [],
    history: [],
    status: [],
    claim: [],
    close: [],
  };
  const alone: Record<Kind, number[]> = {
    help: [],
    queue: [],
    history: [],
    status: [],
    claim: [],
    close: [],
  };
  const slowest: { kind: Kind; ms: number }[] = [];
  /** Request to answer (on response_url) in the measured rounds, for the record: what the person waits for. */
  const answered: number[] = [];
  const answeredAlone: number[] = [];
  const roundMax: number[] = [];
  const steal = stealMeter();
  let non200 = 0;
  const benchLoop = loopDelayMonitor();
  let loop: AckRow["loop"] | undefined;
  try {
    const { emulator } = stack;
    const next = { i: 0 };
    const channelOf = new Map<number, string>();
    const cards = new Map<number, string>();
    /** Creates conversations (untimed) and waits until their cards are in Slack. */
    const add = async (count: number): Promise<number[]> => {
      const fresh = await createConversations(stack, count, next);
      await waitForCards(stack, fresh, cards);
      for (const [n, channel] of fresh) channelOf.set(n, channel);
      return [...fresh.keys()].sort((a, b) => a - b);
    };
    if (setting.backlog) {
      const started = performance.now();
      await add(setting.backlog);
      log(
        `  ${setting.label}: ${setting.backlog} conversations in the queue (cards posted) in ${fmt((performance.now() - started) / 1000, 1)} s`,
      );
    }

    const rand = prng(3);
    const pick = <T>(xs: readonly T[]) => xs[Math.floor(rand() * xs.length)]!;
    const agents = people.filter((p) => p.role === "agent");
    const managers = people.filter((p) => p.role === "manager");
    /** Claimed in an earlier round, still open: [conversation, assignee]. */
    const held: [number, Person][] = [];
    const driver = emulator.driver;
    /** HeroDesk acknowledges first and answers through response_url: wait for that answer. */
    const answerOf = answersOn(emulator);

    const command = (kind: Kind, user: Person, text: string): Request => ({
      kind,
      send: async () => {
        const res = await driver.slashCommand({ userId: user.userId, channelId: SOURCES[0]!.channel, text });
        return {
          status: res.status,
          verify: async () => {
            const answer = (res.body as { text?: string } | null)?.text || (await answerOf(res.responseUrl));
            return answer ? undefined : `/desk ${text}: empty answer`;
          },
        };
      },
    });
    const click = (kind: Kind, user: Person, n: number, actionId: string, expect: string): Request => ({
      kind,
      send: async () => {
        const res = await driver.blockAction({
          userId: user.userId,
          channelId: channelOf.get(n)!,
          messageTs: cards.get(n)!,
          actionId,
        });
        return {
          status: res.status,
          verify: async () => {
            const answer = await answerOf(res.responseUrl);
            return answer === expect
              ? undefined
              : `${actionId} #${n}: answered "${answer}", expected "${expect}"`;
          },
        };
      },
    });

    /** One round's requests; the conversations it claims (and closes, at first) come in untimed before. */
    const round = async (): Promise<Request[]> => {
      const closingFresh = Math.max(0, MIX.close - held.length);
      const fresh = await add(MIX.claim + closingFresh);
      const known = [...channelOf.keys()];
      const requests: Request[] = [];
      for (let i = 0; i < MIX.help; i++) requests.push(command("help", pick(people), "help"));
      for (let i = 0; i < MIX.queue; i++) requests.push(command("queue", pick(people), "queue"));
      for (let i = 0; i < MIX.history; i++)
        requests.push(command("history", pick(people), `history #${pick(known)}`));
      for (let i = 0; i < MIX.status; i++) requests.push(command("status", pick(agents), "status online"));
      // Close: what earlier rounds claimed, by its assignee; otherwise a manager closes a queued one.
      for (let i = 0; i < MIX.close; i++) {
        const [n, who] = held.shift() ?? [fresh.pop()!, pick(managers)];
        requests.push(click("close", who, n, "conv_close", `#${n} is closed.`));
      }
      // Claim: a different conversation each, by different agents.
      const claimers = [...agents].sort(() => rand() - 0.5).slice(0, MIX.claim);
      for (const who of claimers) {
        const n = fresh.shift()!;
        requests.push(click("claim", who, n, "conv_claim", `You have #${n} now.`));
        held.push([n, who]);
      }
      return requests.sort(() => rand() - 0.5);
    };

    /** Sends one request, checks its answer, and returns how long Bolt took to answer it. */
    const fire = async (req: Request, answers: number[]): Promise<number> => {
      const t0 = performance.now();
      let outcome: { status: number; check?: string; verify?: () => Promise<string | undefined> };
      try {
        outcome = await req.send();
      } catch (err) {
        outcome = { status: 0, check: `${req.kind}: ${err instanceof Error ? err.message : String(err)}` };
      }
      const ms = performance.now() - t0;
      if (outcome.status === 200 && outcome.verify) {
        const check = await outcome.verify();
        answers.push(performance.now() - t0);
        if (check) outcome.check = check;
      }
      if (outcome.status !== 200) {
        non200++;
        problems.push(`ack ${req.kind}: HTTP ${outcome.status}${outcome.check ? ` (${outcome.check})` : ""}`);
      } else if (outcome.check) problems.push(`ack ${outcome.check}`);
      return ms;
    };

    for (let r = 0; r < WARMUP_ROUNDS + ROUNDS; r++) {
      const measured = r >= WARMUP_ROUNDS;
      const requests = await round();
      // Event-loop delay, both sides, only while a measured round is in flight.
      if (measured) {
        await stack.appLoopDelay("on");
        benchLoop("on");
        steal("on");
      }
      const acks = await Promise.all(
        requests.map(async (req) => {
          const ms = await fire(req, measured ? answered : []);
          if (!measured) return ms;
          times[req.kind].push(ms);
          slowest.push({ kind: req.kind, ms });
          return ms;
        }),
      );
      if (measured) {
        steal("off");
        benchLoop("off");
        await stack.appLoopDelay("off");
        roundMax.push(Math.max(...acks));
      }
    }
    loop = { app: await stack.appLoopDelay("read"), bench: benchLoop("read") };
    // The floor: the same mix one request at a time, each on an app with nothing else to do.
    for (let r = 0; r < ALONE_ROUNDS; r++) {
      for (const req of await round()) {
        await waitForOutbox(stack);
        alone[req.kind].push(await fire(req, answeredAlone));
      }
    }
  } finally {
    await stack.stop();
  }
  slowest.sort((a, b) => b.ms - a.ms);
  const a = summarize(answered);
  const aAlone = summarize(answeredAlone);
  log(
    `  ${setting.label}: answers on response_url, request to answer: p50 ${fmt(a.p50, 1)} ms, p99 ${fmt(a.p99, 1)} ms ` +
      `(alone: p50 ${fmt(aAlone.p50, 1)} ms, p99 ${fmt(aAlone.p99, 1)} ms)`,
  );
  roundMax.sort((x, y) => y - x);
  log(
    `  ${setting.label}: slowest acknowledgement per round: ${roundMax.map((ms) => fmt(ms, 0)).join(", ")} ms`,
  );
  const delay = (d: LoopDelay) => `p50 ${fmt(d.p50, 1)}, p99 ${fmt(d.p99, 1)}, max ${fmt(d.max, 1)} ms`;
  if (loop)
    log(
      `  ${setting.label}: event-loop delay during the measured rounds: app ${delay(loop.app)}; bench (emulator + driver) ${delay(loop.bench)}`,
    );
  const stolen = steal("read");
  log(
    `  ${setting.label}: load average (1 min, ${cpus().length} CPUs) ${fmt(loadBefore, 2)} before, ${fmt(loadavg()[0]!, 2)} after; ` +
      `CPU time taken by the host (steal) during the measured rounds: ${fmt(100 * stolen, 1)} %`,
  );
  return {
    label: setting.label,
    backlog: setting.backlog,
    all: summarize(Object.values(times).flat()),
    byKind: Object.fromEntries(Object.entries(times).map(([k, v]) => [k, summarize(v)])) as Record<
      Kind,
      Summary
    >,
    alone: {
      all: summarize(Object.values(alone).flat()),
      byKind: Object.fromEntries(Object.entries(alone).map(([k, v]) => [k, summarize(v)])) as Record<
        Kind,
        Summary
      >,
    },
    non200,
    loop: loop ?? { app: noDelay, bench: noDelay },
    answered: a,
    answeredAlone: aAlone,
    roundMax,
    stolen,
    slowest: slowest.slice(0, 5),
    problems,
  };
}

/**
 * Waits for the first answer posted to a response_url. One 2 ms poll reads the emulator's list
 * of posts once for all waiters (not one poll per request rescanning the list), so the bench's
 * own work stays small beside the app's.
 */
function answersOn(emulator: SlackEmulator): (responseUrl: string | undefined) => Promise<string> {
  const answers = new Map<string, string>();
  const waiters = new Map<string, { resolve: (text: string) => void; deadline: number }[]>();
  let read = 0;
  let timer: NodeJS.Timeout | undefined;
  const poll = () => {
    const posts = emulator.responseUrlPosts;
    for (; read < posts.length; read++) {
      const post = posts[read]!;
      if (answers.has(post.url)) continue;
      const text = (post.body as { text?: string }).text ?? "";
      answers.set(post.url, text);
      for (const w of waiters.get(post.url) ?? []) w.resolve(text);
      waiters.delete(post.url);
    }
    const now = Date.now();
    for (const [url, ws] of waiters) {
      const left = ws.filter((w) => now <= w.deadline);
      for (const w of ws) if (now > w.deadline) w.resolve("");
      if (left.length) waiters.set(url, left);
      else waiters.delete(url);
    }
    if (!waiters.size && timer) {
      clearInterval(timer);
      timer = undefined;
    }
  };
  return (responseUrl) => {
    if (responseUrl === undefined) return Promise.resolve("");
    poll();
    const known = answers.get(responseUrl);
    if (known !== undefined) return Promise.resolve(known);
    return new Promise((resolve) => {
      const list = waiters.get(responseUrl) ?? [];
      list.push({ resolve, deadline: Date.now() + 10_000 });
      waiters.set(responseUrl, list);
      timer ??= setInterval(poll, 2);
    });
  };
}

/**
 * The share of CPU time the hypervisor gave to others ("steal" in /proc/stat) while switched on:
 * on a shared virtual machine it shows as stalls that no code of ours causes. NaN where there is
 * no /proc/stat.
 */
function stealMeter(): (op: "on" | "off" | "read") => number {
  const sample = () => {
    try {
      const cpu = readFileSync("/proc/stat", "utf8")
        .split("\n", 1)[0]!
        .trim()
        .split(/\s+/)
        .slice(1)
        .map(Number);
      return { total: cpu.reduce((x, y) => x + y, 0), steal: cpu[7] ?? 0 };
    } catch {
      return { total: Number.NaN, steal: Number.NaN };
    }
  };
  let since: { total: number; steal: number } | undefined;
  let total = 0;
  let stolen = 0;
  return (op) => {
    if (op === "on") since = sample();
    else if (op === "off" && since) {
      const now = sample();
      total += now.total - since.total;
      stolen += now.steal - since.steal;
      since = undefined;
    }
    const share = total > 0 ? stolen / total : Number.NaN;
    if (op === "read") total = stolen = 0;
    return share;
  };
}

const noDelay: LoopDelay = { p50: Number.NaN, p99: Number.NaN, max: Number.NaN, mean: Number.NaN };

const kindLabel = (k: Kind) => (k === "claim" ? "conv_claim" : k === "close" ? "conv_close" : `/desk ${k}`);

export async function runAck(dbs: BenchDatabases, log: (line: string) => void): Promise<AckResult> {
  log(
    `ack: /desk commands and card buttons through the emulator's signed driver into Bolt's HTTP receiver, ` +
      `${CONCURRENCY} concurrent per round, ${ROUNDS} rounds (+${WARMUP_ROUNDS} warm-up); ` +
      `mix per round ${Object.entries(MIX)
        .map(([k, n]) => `${n} ${k}`)
        .join(", ")}; ${AGENTS} agents + ${MANAGERS} managers online; ` +
      `the conversations a round claims come in (untimed) before it`,
  );
  const rows: AckRow[] = [];
  for (const setting of SETTINGS) rows.push(await runSetting(dbs, setting, log));
  log("");
  const line = (label: string, s: Summary, a: Summary) => [
    label,
    String(s.n),
    fmt(s.p50, 1),
    fmt(s.p90, 1),
    fmt(s.p99, 1),
    fmt(s.max, 1),
    fmt(a.p50, 1),
    fmt(a.p99, 1),
  ];
  log(
    table(
      ["ack", "requests", "p50 ms", "p90 ms", "p99 ms", "max ms", "alone p50", "alone p99"],
      rows.flatMap((r) => [
        ...(Object.entries(r.byKind) as [Kind, Summary][]).map(([k, s]) =>
          line(`${r.label}: ${kindLabel(k)}`, s, r.alone.byKind[k]),
        ),
        line(`${r.label}: all`, r.all, r.alone.all),
      ]),
    ),
  );
  log(
    `  p50..max: ${CONCURRENCY} concurrent requests per round; alone: the same mix one request at a time ` +
      `(${ALONE_ROUNDS} rounds), outbox idle`,
  );
  for (const r of rows)
    log(
      `  slowest (${r.label}): ${r.slowest.map((s) => `${kindLabel(s.kind)} ${fmt(s.ms, 0)} ms`).join(", ")}`,
    );
  log("");
  return {
    concurrency: CONCURRENCY,
    rounds: ROUNDS,
    rows,
    main: rows[0]!,
    problems: rows.flatMap((r) => r.problems),
  };
}

/** The summary rows: the target on the short queue; the long queue for the record. */
export function ackSummary(result: AckResult): BenchSummary {
  return {
    rows: result.rows.flatMap((r) => {
      const name = `ack c=${result.concurrency}, ${r.label}`;
      const main = r === result.main;
      return [
        [
          name,
          "p50 / p90 / p99 / max",
          `${fmt(r.all.p50, 1)} / ${fmt(r.all.p90, 1)} / ${fmt(r.all.p99, 1)} / ${fmt(r.all.max, 1)} ms`,
          main ? `p99 <= ${ACK_TARGET.p99Ms} ms` : "(stress)",
          main ? verdict(r.all.p99 <= ACK_TARGET.p99Ms) : "",
        ],
        [name, "non-200 answers", String(r.non200), "0", verdict(r.non200 === 0)],
        [
          name,
          "answer on response_url p50 / p99",
          `${fmt(r.answered.p50, 1)} / ${fmt(r.answered.p99, 1)} ms`,
          "(record)",
          "",
        ],
      ];
    }),
    problems: result.problems,
  };
}
