// Benchmark 2: mirroring under Slack's chat.postMessage limits. The emulator enforces its full
// default rate model (one post per second per channel, bursts of three, at most 60 a minute per
// channel and 300 a minute across the workspace; every other method's tier), HeroDesk runs with
// src/config.ts's defaults for the `slack` section. 600 customer messages over 30 conversations in 10 channels go
// in through the signed inbound API as fast as it takes them; the clock stops when the last one is
// in its thread. Slack's limit alone sets a floor on that time, which the ratio compares against.
import { mkdtempSync, writeFileSync } from "node:fs";
import { Agent } from "node:http";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { performance } from "node:perf_hooks";
import pg from "pg";
import { parseFileConfig } from "../src/config.ts";
import { SlackEmulator, type SlackMessage } from "../src/emulator/index.ts";
import { POST_MESSAGE_LIMIT } from "../src/emulator/ratelimit.ts";
import { CARD_METADATA_TYPE } from "../src/slack/blocks/card.ts";
import { MESSAGE_METADATA_TYPE } from "../src/slack/blocks/customer-message.ts";
import type { BenchDatabases } from "./lib/db.ts";
import { postSigned } from "./lib/signed-post.ts";
import { type BenchSource, benchFileConfig, benchWorkspace, startBenchStack } from "./lib/stack.ts";
import { fmt, table } from "./lib/stats.ts";
import { healthy, startReplica } from "./replicas.ts";

export const MIRRORING_TARGET = { ratio: 1.1, rateLimitedPct: 2 };

/** The emulator's chat.postMessage limits when EmulatorOptions.rateLimit is left out. */
const EMULATOR_DEFAULT_LIMIT = POST_MESSAGE_LIMIT;

const CHANNELS = 10;
const CONVERSATIONS_PER_CHANNEL = 3;
const MESSAGES_PER_CONVERSATION = 20;
const SENDER_SOCKETS = 16;
/** Give up waiting this long after the first request (the floor is about 120 s). */
const DEADLINE_MS = 300_000;

export interface MirroringResult {
  emulatorLimit: { perSecond: number; burst: number; workspacePerMinute: number };
  probedLimit: { perSecond: number; burst: number };
  herodeskLimit: { perSecond: number; burst: number };
  messages: number;
  acceptedMs: number;
  elapsedMs: number;
  minMs: number;
  ratio: number;
  lost: number;
  duplicated: number;
  orderKept: boolean;
  postCalls: number;
  rateLimited: number;
  rateLimitedPct: number;
  maxPostsPerChannel: number;
  expectedPostsPerChannel: number;
  timedOut: boolean;
  problems: string[];
}

interface Conversation {
  index: number;
  source: BenchSource;
  externalId: string;
  customerId: string;
  texts: string[];
  /** HeroDesk's number for it (the card's metadata conversation_id), from the first 202. */
  number?: number;
  cardTs?: string;
}

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

/**
 * Checks the emulator's default limit by using it: how many posts in a row pass on a fresh channel
 * (the burst), and how many pass again after 2.05 s (the refill rate).
 */
async function probeEmulatorLimit(): Promise<{ perSecond: number; burst: number }> {
  const emulator = await SlackEmulator.start();
  try {
    emulator.workspace.addChannel({ id: "C0PROBE", name: "probe" });
    const post = async () => {
      const res = await fetch(`${emulator.apiUrl}chat.postMessage`, {
        method: "POST",
        headers: { authorization: `Bearer ${emulator.botToken}`, "content-type": "application/json" },
        body: JSON.stringify({ channel: "C0PROBE", text: "probe" }),
      });
      await res.text();
      return res.status !== 429;
    };
    const passing = async () => {
      let n = 0;
      while (n < 50 && (await post())) n++;
      return n;
    };
    const burst = await passing();
    await sleep(2050);
    const refilled = await passing();
    return { perSecond: refilled / 2, burst };
  } finally {
    await emulator.stop();
  }
}

/** What the measurement needs of HeroDesk: one process in this one, or replicas of src/main.ts. */
interface Mirrorer {
  emulator: SlackEmulator;
  /** Where the inbound API is; requests go round-robin over them, as a balancer sends them. */
  urls: URL[];
  pending(): Promise<number>;
  stop(): Promise<void>;
}

async function inProcess(databaseUrl: string, sources: BenchSource[]): Promise<Mirrorer> {
  const stack = await startBenchStack({ databaseUrl, sources });
  return {
    emulator: stack.emulator,
    urls: [new URL("/api/v1/messages", stack.app.url)],
    pending: async () => (await stack.app.store.outbox.countByStatus()).pending ?? 0,
    stop: () => stack.stop(),
  };
}

/** `replicas` processes of src/main.ts on one PostgreSQL database and one emulator (issue 14). */
async function replicated(databaseUrl: string, sources: BenchSource[], replicas: number): Promise<Mirrorer> {
  const emulator = await SlackEmulator.start({});
  benchWorkspace(emulator, sources);
  const dir = mkdtempSync(join(tmpdir(), "herodesk-bench-mirroring-"));
  const configPath = join(dir, "herodesk.config.json");
  writeFileSync(configPath, JSON.stringify(benchFileConfig(sources)));
  const env = {
    DATABASE_URL: databaseUrl,
    SLACK_BOT_TOKEN: emulator.botToken,
    SLACK_SIGNING_SECRET: emulator.signingSecret,
    SLACK_API_URL: emulator.apiUrl,
    HERODESK_CONFIG: configPath,
    LOG_LEVEL: "error",
  };
  const base = 31_000 + Math.floor(Math.random() * 20_000);
  const bases = Array.from({ length: replicas }, (_, i) => `http://127.0.0.1:${base + i}`);
  const children = bases.map((_, i) => startReplica(env, base + i));
  const db = new pg.Client({ connectionString: databaseUrl });
  const stop = async () => {
    for (const c of children) if (c.exitCode === null) c.kill("SIGTERM");
    await Promise.all(
      children.map((c) => new Promise((r) => (c.exitCode !== null ? r(null) : c.once("exit", r)))),
    );
    await db.end().catch(() => undefined);
    await emulator.stop();
  };
  try {
    for (const b of bases) await healthy(b);
    await db.connect();
  } catch (err) {
    for (const c of children) c.kill("SIGKILL");
    await stop();
    throw err;
  }
  emulator.setAppUrl(`${bases[0]}/slack/events`);
  return {
    emulator,
    urls: bases.map((b) => new URL("/api/v1/messages", b)),
    pending: async () =>
      Number(
        (await db.query<{ n: string }>(`SELECT COUNT(*) AS n FROM "OutboxItem" WHERE "status" = 'pending'`))
          .rows[0]!.n,
      ),
    stop,
  };
}

export async function runMirroring(
  dbs: BenchDatabases,
  log: (line: string) => void,
  replicas?: { count: number; databaseUrl: string },
): Promise<MirroringResult> {
  const problems: string[] = [];
  const probed = await probeEmulatorLimit();
  const emulatorLimit = EMULATOR_DEFAULT_LIMIT;
  if (probed.burst !== emulatorLimit.burst || Math.abs(probed.perSecond - emulatorLimit.perSecond) > 0.5)
    log(
      `  warning: the emulator's limit behaves like ${probed.perSecond}/s burst ${probed.burst}, ` +
        `not the ${emulatorLimit.perSecond}/s burst ${emulatorLimit.burst} this benchmark assumes`,
    );
  const fileDefaults = parseFileConfig({
    sources: [{ id: "x", secret: "xxxxxxxx", slackChannel: "C0XXX" }],
  }).slack;
  const herodeskLimit = {
    perSecond: fileDefaults.postsPerSecondPerChannel,
    burst: fileDefaults.burstPerChannel,
  };

  const sources: BenchSource[] = Array.from({ length: CHANNELS }, (_, i) => ({
    id: `src${i}`,
    secret: `bench-secret-${i}-0123456789`,
    channel: `C0BENCHM${i}`,
  }));
  const conversations: Conversation[] = Array.from(
    { length: CHANNELS * CONVERSATIONS_PER_CHANNEL },
    (_, j) => ({
      index: j,
      source: sources[j % CHANNELS]!,
      externalId: `mconv-${j}`,
      customerId: `mcust-${j}`,
      texts: Array.from(
        { length: MESSAGES_PER_CONVERSATION },
        (_, k) => `Conversation ${j} message ${k + 1} of ${MESSAGES_PER_CONVERSATION}`,
      ),
    }),
  );
  const total = conversations.length * MESSAGES_PER_CONVERSATION;
  const expectedPostsPerChannel = CONVERSATIONS_PER_CHANNEL * (1 + MESSAGES_PER_CONVERSATION);
  // Channels run side by side: one channel's posts set a floor (the burst goes at once, the rest
  // at the refill rate), and the workspace's posts another (each minute takes at most its
  // workspacePerMinute, a minute's worth at once).
  const channelFloorMs =
    (Math.max(0, expectedPostsPerChannel - emulatorLimit.burst) / emulatorLimit.perSecond) * 1000;
  const workspacePosts = expectedPostsPerChannel * CHANNELS;
  const workspaceFloorMs = (Math.ceil(workspacePosts / emulatorLimit.workspacePerMinute) - 1) * 60_000;
  const minMs = Math.max(channelFloorMs, workspaceFloorMs);

  log(
    `${replicas ? `mirroring-replicas: ${replicas.count} replicas (src/main.ts) on one PostgreSQL, one emulator, ` : "mirroring: "}${CHANNELS} channels, ${conversations.length} conversations, ${total} customer messages ` +
      `(${MESSAGES_PER_CONVERSATION} per conversation), ${expectedPostsPerChannel} posts per channel`,
  );
  log(
    `  emulator chat.postMessage limit: ${emulatorLimit.perSecond}/s per channel, burst ${emulatorLimit.burst}, ` +
      `${emulatorLimit.workspacePerMinute} a minute in the workspace (src/emulator/ratelimit.ts defaults; probed: ${probed.perSecond}/s, burst ${probed.burst})`,
  );
  log(
    `  HeroDesk slack section (src/config.ts defaults): postsPerSecondPerChannel ${herodeskLimit.perSecond}, ` +
      `burstPerChannel ${herodeskLimit.burst}`,
  );
  log(
    `  floor: per channel (${expectedPostsPerChannel} - ${emulatorLimit.burst}) / ${emulatorLimit.perSecond} = ${fmt(channelFloorMs / 1000)} s, ` +
      `workspace ${workspacePosts} posts at ${emulatorLimit.workspacePerMinute} a minute = ${fmt(workspaceFloorMs / 1000)} s; running …`,
  );

  const stack = replicas
    ? await replicated(replicas.databaseUrl, sources, replicas.count)
    : await inProcess(dbs.fresh("mirroring"), sources);
  const { emulator } = stack;
  const agent = new Agent({ keepAlive: true, maxSockets: SENDER_SOCKETS });
  let sent = 0;
  let retried = 0;
  let timedOut = false;
  let acceptedMs = Number.NaN;
  let elapsedMs = Number.NaN;
  const startedAt = Date.now();
  const t0 = performance.now();

  const threadPosts = (c: Conversation): SlackMessage[] => {
    if (c.cardTs === undefined && c.number !== undefined) {
      c.cardTs = emulator.workspace
        .messages(c.source.channel)
        .find(
          (m) =>
            m.metadata?.event_type === CARD_METADATA_TYPE &&
            m.metadata.event_payload.conversation_id === c.number,
        )?.ts;
    }
    if (c.cardTs === undefined) return [];
    return emulator.workspace
      .replies(c.source.channel, c.cardTs)
      .filter((m) => m.metadata?.event_type === MESSAGE_METADATA_TYPE);
  };

  try {
    // One sender per conversation, each in its conversation's order, all at once: the requests
    // interleave across conversations and channels.
    const sending = Promise.all(
      conversations.map(async (c) => {
        for (const [k, text] of c.texts.entries()) {
          const body = {
            source: c.source.id,
            messageId: `${c.externalId}-m${k + 1}`,
            conversationId: c.externalId,
            customer: { id: c.customerId, name: `Mirror Customer ${c.index}` },
            text,
          };
          // No answer at all (a kept-alive socket the server closed as the request went out):
          // sent again with the same messageId, as a source does; the answer says if it was a duplicate.
          let res = await postSigned(agent, stack.urls[sent++ % stack.urls.length]!, c.source.secret, body);
          for (let retry = 0; res.status === 0 && retry < 5; retry++) {
            retried++;
            res = await postSigned(agent, stack.urls[sent++ % stack.urls.length]!, c.source.secret, body);
          }
          if (res.status !== 202) {
            problems.push(
              `mirroring: "${text}" was answered ${res.status || res.error} ${res.body.slice(0, 200)}`,
            );
            continue;
          }
          const answer = JSON.parse(res.body) as { conversationNumber?: number; duplicate?: boolean };
          if (answer.duplicate) problems.push(`mirroring: "${text}" was answered duplicate: true`);
          c.number ??= answer.conversationNumber;
        }
      }),
    ).then(() => {
      acceptedMs = performance.now() - t0;
    });

    // Poll what "Slack" shows until every message is in its thread.
    for (;;) {
      await sleep(50);
      const done = conversations.every((c) => threadPosts(c).length >= MESSAGES_PER_CONVERSATION);
      if (done && Number.isFinite(acceptedMs)) {
        elapsedMs = performance.now() - t0;
        break;
      }
      if (performance.now() - t0 > DEADLINE_MS) {
        timedOut = true;
        elapsedMs = performance.now() - t0;
        problems.push(`mirroring: not every message was in its thread after ${DEADLINE_MS / 1000} s`);
        break;
      }
    }
    await sending;

    // Let anything still queued (a late retry that would post twice) run before counting.
    const drainBy = performance.now() + 10_000;
    while ((await stack.pending()) > 0 && performance.now() < drainBy) await sleep(100);
    await sleep(1000);
  } finally {
    agent.destroy();
    await stack.stop();
  }

  // Lost, duplicated, order, per thread.
  let lost = 0;
  let duplicated = 0;
  let orderKept = true;
  for (const c of conversations) {
    const cards = emulator.workspace
      .messages(c.source.channel)
      .filter(
        (m) =>
          m.metadata?.event_type === CARD_METADATA_TYPE &&
          m.metadata.event_payload.conversation_id === c.number,
      );
    if (cards.length > 1) {
      duplicated += cards.length - 1;
      problems.push(`mirroring: conversation ${c.index} has ${cards.length} cards`);
    }
    const posts = threadPosts(c);
    const seenKeys = new Set<string>();
    const seenTexts = new Set<string>();
    const shown: string[] = [];
    for (const p of posts) {
      const payload = p.metadata?.event_payload ?? {};
      const key = `${String(payload.message_id)}:${String(payload.part)}`;
      if (seenKeys.has(key) || seenTexts.has(p.text)) {
        duplicated++;
        problems.push(`mirroring: conversation ${c.index}: "${p.text}" posted more than once`);
      } else shown.push(p.text);
      seenKeys.add(key);
      seenTexts.add(p.text);
    }
    const foreign = shown.filter((t) => !c.texts.includes(t));
    if (foreign.length)
      problems.push(
        `mirroring: conversation ${c.index}'s thread holds ${foreign.length} posts of others, e.g. "${foreign[0]}"`,
      );
    const missing = c.texts.filter((t) => !seenTexts.has(t));
    if (missing.length) {
      lost += missing.length;
      problems.push(
        `mirroring: conversation ${c.index} is missing ${missing.length} messages, e.g. "${missing[0]}"`,
      );
    }
    const expectedOrder = c.texts.filter((t) => seenTexts.has(t));
    const actualOrder = shown.filter((t) => c.texts.includes(t));
    if (expectedOrder.join("\n") !== actualOrder.join("\n")) {
      orderKept = false;
      problems.push(`mirroring: conversation ${c.index}'s thread is out of order`);
    }
  }

  const posts = emulator.calls.filter((call) => call.method === "chat.postMessage" && call.at >= startedAt);
  const rateLimited = posts.filter((call) => call.status === 429).length;
  const perChannel = new Map<string, number>();
  for (const call of posts) {
    if (!call.ok) continue;
    const channel = String(call.params.channel);
    perChannel.set(channel, (perChannel.get(channel) ?? 0) + 1);
  }
  const maxPostsPerChannel = Math.max(0, ...perChannel.values());
  const otherErrors = posts.filter((call) => !call.ok && call.status !== 429);
  if (otherErrors.length)
    problems.push(
      `mirroring: ${otherErrors.length} chat.postMessage calls failed, e.g. ${otherErrors[0]?.error ?? "?"}`,
    );

  const result: MirroringResult = {
    emulatorLimit,
    probedLimit: probed,
    herodeskLimit,
    messages: total,
    acceptedMs,
    elapsedMs,
    minMs,
    ratio: elapsedMs / minMs,
    lost,
    duplicated,
    orderKept,
    postCalls: posts.length,
    rateLimited,
    rateLimitedPct: posts.length ? (rateLimited / posts.length) * 100 : 0,
    maxPostsPerChannel,
    expectedPostsPerChannel,
    timedOut,
    problems,
  };

  log("");
  log(
    table(
      ["mirroring", "value"],
      [
        [`all ${total} accepted (202) after`, `${fmt(acceptedMs / 1000, 2)} s`],
        ["sent again after no answer", String(retried)],
        ["all in their threads after", `${fmt(elapsedMs / 1000, 2)} s${timedOut ? " (timed out)" : ""}`],
        ["floor set by Slack's limit", `${fmt(minMs / 1000, 2)} s`],
        ["actual / floor", fmt(result.ratio, 3)],
        ["lost", String(lost)],
        ["duplicated", String(duplicated)],
        ["order kept in every thread", orderKept ? "yes" : "no"],
        ["chat.postMessage calls", String(posts.length)],
        ["answered 429", `${rateLimited} (${fmt(result.rateLimitedPct, 2)} %)`],
        ["posts in the busiest channel", `${maxPostsPerChannel} (expected ${expectedPostsPerChannel})`],
      ],
    ),
  );
  // When the posts went, a bar per 10 s: where the minute windows and their bursts fell.
  const buckets: number[] = [];
  for (const call of posts.filter((c) => c.ok)) {
    const b = Math.floor((call.at - startedAt) / 10_000);
    buckets[b] = (buckets[b] ?? 0) + 1;
  }
  log(`  posts each 10 s: ${Array.from(buckets, (n) => n ?? 0).join(" ")}`);
  if (rateLimited) {
    const when = posts
      .filter((call) => call.status === 429)
      .slice(0, 10)
      .map((call) => `${String(call.params.channel)} +${fmt((call.at - startedAt) / 1000, 2)} s`);
    log(`  429s: ${when.join(", ")}${rateLimited > when.length ? ", …" : ""}`);
  }
  log("");
  return result;
}
