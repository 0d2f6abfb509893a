// Benchmark: customers who write in Slack (issue 13). 200 customer channels of one source of kind
// slack, 2,000 customer messages sent in bursts (a round of one message per channel at a time: a
// top-level question, then replies in its thread), delivered by the emulator as signed events, as
// Slack does. The clock stops when every message is mirrored into the triage channel. Every
// conversation's card and mirror go to that one channel, so Slack's per-channel limit (one post a
// second, bursts of three) sets the floor: (cards + messages - burst) / rate. HeroDesk and the
// emulator keep Slack's limits; users.info (Tier 4) names each customer ahead of their card.
// CONNECT_CHANNELS and CONNECT_MESSAGES make a shorter run (the full one takes about 37 minutes).
// Events are retried on Slack's schedule (0, 1 and 5 minutes), as a run this long can afford.
import { performance } from "node:perf_hooks";
import { loadConfig, parseFileConfig } from "../src/config.ts";
import { SLACK_RETRY_DELAYS_MS, SlackEmulator, type SlackMessage } from "../src/emulator/index.ts";
import { POST_MESSAGE_LIMIT } from "../src/emulator/ratelimit.ts";
import { startHeroDesk } from "../src/herodesk.ts";
import { createLogger } from "../src/logger.ts";
import { CARD_METADATA_TYPE } from "../src/slack/blocks/card.ts";
import { MESSAGE_METADATA_TYPE } from "../src/slack/blocks/customer-message.ts";
import type { BenchDatabases } from "./lib/db.ts";
import type { BenchSummary } from "./lib/samples.ts";
import { fmt } from "./lib/stats.ts";

export const CONNECT_TARGET = { ratio: 1.1 };
const TRIAGE = "C0BENCHTRIAGE";
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

export interface ConnectResult {
  channels: number;
  messages: number;
  elapsedMs: number;
  minMs: number;
  lost: number;
  duplicated: number;
  orderKept: boolean;
  rateLimited: number;
  /** Event deliveries Slack would have taken as failed (no 2xx within 3 s) and sent again. */
  lateAcks: number;
  problems: string[];
}

export async function runConnect(dbs: BenchDatabases, log: (line: string) => void): Promise<ConnectResult> {
  const channels = Number(process.env.CONNECT_CHANNELS ?? 200);
  const messages = Number(process.env.CONNECT_MESSAGES ?? 2000);
  const perChannel = Math.max(1, Math.round(messages / channels));
  const total = channels * perChannel;
  const limit = POST_MESSAGE_LIMIT;
  const posts = channels + total; // a card per conversation (one per channel), and each message
  const minMs = (Math.max(0, posts - limit.burst) / limit.perSecond) * 1000;
  const deadlineMs = minMs * 2 + 120_000;
  log(
    `connect: ${channels} customer channels, ${total} customer messages (${perChannel} per channel, in ${perChannel} bursts of ${channels}), ` +
      `${posts} posts in one triage channel; floor (${posts} - ${limit.burst}) / ${limit.perSecond}/s = ${fmt(minMs / 1000, 1)} s; running …`,
  );

  // Slack's own retry schedule (nearly at once, after 1 minute, after 5), not the tests' shortened
  // one: an event that a burst kept from its ack within 3 s comes back when Slack would send it.
  const emulator = await SlackEmulator.start({ retryDelaysMs: SLACK_RETRY_DELAYS_MS });
  const ws = emulator.workspace;
  ws.addExternalOrg({ teamId: "T0BENCHEXT", name: "Customers Inc" });
  ws.addChannel({ id: TRIAGE, name: "triage", isPrivate: true, members: [] });
  const customerChannels = Array.from({ length: channels }, (_, i) => {
    const id = `C0BENCHCU${i}`;
    const user = `U0BENCHCU${i}`;
    ws.addUser({ id: user, name: `customer${i}`, realName: `Customer ${i}`, teamId: "T0BENCHEXT" });
    ws.addChannel({
      id,
      name: `customer-${i}`,
      isExtShared: true,
      connectedTeams: ["T0BENCHEXT"],
      members: [user],
    });
    return { id, user };
  });
  const fileConfig = parseFileConfig({
    admins: ["U0ADMIN"],
    sources: [
      {
        id: "connect",
        kind: "slack",
        slackChannel: TRIAGE,
        customerChannels: customerChannels.map((c) => c.id),
      },
    ],
  });
  const config = loadConfig(
    {
      DATABASE_URL: dbs.fresh("connect"),
      SLACK_BOT_TOKEN: emulator.botToken,
      SLACK_SIGNING_SECRET: emulator.signingSecret,
      SLACK_API_URL: emulator.apiUrl,
      PORT: "0",
      LOG_LEVEL: "error",
    },
    { fileConfig },
  );
  const app = await startHeroDesk(config, { logger: createLogger("error") });
  emulator.setAppUrl(`${app.url}/slack/events`);
  const problems: string[] = [];
  const texts = customerChannels.map((_, i) =>
    Array.from({ length: perChannel }, (_, k) => `Channel ${i} message ${k + 1} of ${perChannel}`),
  );
  const startedAt = Date.now();
  const t0 = performance.now();
  let elapsedMs = Number.NaN;
  const mirrored = () =>
    ws.allMessages(TRIAGE).filter((m) => m.metadata?.event_type === MESSAGE_METADATA_TYPE);
  try {
    const roots: string[] = [];
    for (let k = 0; k < perChannel; k++) {
      // A burst: every channel's next message at once.
      for (const [i, c] of customerChannels.entries()) {
        const m = emulator.driver.message({
          userId: c.user,
          channelId: c.id,
          text: texts[i]![k]!,
          ...(k > 0 ? { threadTs: roots[i]! } : {}),
        });
        if (k === 0) roots[i] = m.ts;
      }
      await sleep(1000);
    }
    let progressAt = performance.now();
    for (;;) {
      await sleep(200);
      if (performance.now() - progressAt >= 120_000) {
        progressAt = performance.now();
        const posted = ws.allMessages(TRIAGE).length;
        const s = (performance.now() - t0) / 1000;
        log(
          `    ${fmt(s, 0)} s: ${posted} posts in triage (${fmt(posted / s, 2)}/s), ${mirrored().length} of ${total} messages mirrored`,
        );
      }
      if (mirrored().length >= total) {
        elapsedMs = performance.now() - t0;
        break;
      }
      if (performance.now() - t0 > deadlineMs) {
        elapsedMs = performance.now() - t0;
        problems.push(`connect: ${mirrored().length} of ${total} mirrored after ${fmt(deadlineMs / 1000)} s`);
        break;
      }
    }
    await sleep(2000); // a late duplicate would show now
  } finally {
    await app.stop();
    await emulator.stop();
  }

  // Lost, duplicated, order: per card, its thread's mirrored texts.
  const cards = ws.messages(TRIAGE).filter((m) => m.metadata?.event_type === CARD_METADATA_TYPE);
  const byChannel = new Map<number, SlackMessage[]>();
  for (const card of cards) {
    const thread = ws
      .replies(TRIAGE, card.ts)
      .filter((m) => m.metadata?.event_type === MESSAGE_METADATA_TYPE);
    const first = thread[0] ? /Channel (\d+) /.exec(JSON.stringify(thread[0].blocks)) : null;
    if (first) byChannel.set(Number(first[1]), [...(byChannel.get(Number(first[1])) ?? []), ...thread]);
  }
  let lost = 0;
  let duplicated = Math.max(0, cards.length - channels);
  let orderKept = true;
  for (const [i, sent] of texts.entries()) {
    const shown = (byChannel.get(i) ?? []).map(
      (m) => /Channel \d+ message \d+ of \d+/.exec(JSON.stringify(m.blocks))?.[0] ?? "",
    );
    const seen = new Set(shown);
    duplicated += shown.length - seen.size;
    lost += sent.filter((t) => !seen.has(t)).length;
    if (sent.filter((t) => seen.has(t)).join("\n") !== [...seen].join("\n")) orderKept = false;
  }
  if (lost) problems.push(`connect: ${lost} messages lost`);
  if (duplicated) problems.push(`connect: ${duplicated} posts duplicated`);
  if (!orderKept) problems.push("connect: a thread came out of order");
  const rateLimited = emulator.calls.filter(
    (c) => c.method === "chat.postMessage" && c.at >= startedAt && c.status === 429,
  ).length;
  // Slack's deadline is the emulator's: an attempt not answered 2xx within 3 s is http_timeout.
  const lateAcks = emulator.deliveries.filter((d) => d.at >= startedAt && d.outcome !== "ok").length;
  if (lateAcks)
    problems.push(`connect: ${lateAcks} event deliveries not acknowledged within 3 s (Slack retried them)`);
  log(
    `  every message mirrored after ${fmt(elapsedMs / 1000, 1)} s (floor ${fmt(minMs / 1000, 1)} s, ${fmt(elapsedMs / minMs, 3)}x); ` +
      `lost ${lost}, duplicated ${duplicated}, order ${orderKept ? "kept" : "BROKEN"}, ${rateLimited} posts answered 429, ${lateAcks} events acknowledged late`,
  );
  return {
    channels,
    messages: total,
    elapsedMs,
    minMs,
    lost,
    duplicated,
    orderKept,
    rateLimited,
    lateAcks,
    problems,
  };
}

export function connectSummary(r: ConnectResult): BenchSummary {
  const ratio = r.elapsedMs / r.minMs;
  const name = `connect ${r.channels} ch / ${r.messages} msg`;
  return {
    rows: [
      [
        name,
        "mirrored / floor",
        `${fmt(ratio, 3)} (${fmt(r.elapsedMs / 1000, 1)} s / ${fmt(r.minMs / 1000, 1)} s)`,
        `<= ${CONNECT_TARGET.ratio.toFixed(2)}`,
        ratio <= CONNECT_TARGET.ratio ? "PASS" : "MISS",
      ],
      [
        name,
        "lost / duplicated",
        `${r.lost} / ${r.duplicated}`,
        "0 / 0",
        r.lost + r.duplicated === 0 ? "PASS" : "MISS",
      ],
      [name, "order kept", r.orderKept ? "yes" : "no", "yes", r.orderKept ? "PASS" : "MISS"],
      [name, "events acknowledged late (> 3 s)", String(r.lateAcks), "0", r.lateAcks === 0 ? "PASS" : "MISS"],
    ],
    problems: r.problems,
  };
}
