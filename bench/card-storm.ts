// Benchmark: a card-update storm under Slack's per-method limits (issue 9). 50 conversations in 5
// channels each change state 4 times within 10 s (a manager assigns, reassigns, unassigns and
// closes them with /desk, through the emulator's driver); the emulator enforces its full default
// rate model (chat.update is Tier 3: 50 a minute for the workspace). The clock stops when every
// card shows its last state. Reported against the minimum the tier allows: one chat.update per
// card (50, within one minute's budget), done as soon as the last change is made.
import { performance } from "node:perf_hooks";
import { sign as signature } from "../src/core/signature.ts";
import type { SlackEmulator } from "../src/emulator/index.ts";
import { CARD_METADATA_TYPE } from "../src/slack/blocks/card.ts";
import type { BenchDatabases } from "./lib/db.ts";
import { type BenchSummary, verdict } from "./lib/samples.ts";
import { type BenchSource, startBenchStack } from "./lib/stack.ts";
import { fmt, table } from "./lib/stats.ts";

const CHANNELS = 5;
const PER_CHANNEL = 10;
const CHANGES = 4;
const STORM_MS = 10_000;
const DEADLINE_MS = 180_000;
const ADMIN = "U0ADMIN";
const AGENTS = ["U0STORMA", "U0STORMB"] as const;
/** Slack's chat.update tier (docs.slack.dev/reference/methods/chat.update: Tier 3, 50+ per minute). */
const TIER3_PER_MINUTE = 50;

export const CARD_STORM_TARGET = { rateLimited: 0 };

export interface CardStormResult {
  cards: number;
  changes: number;
  lastChangeMs: number;
  doneMs: number;
  updateCalls: number;
  rateLimited: number;
  minCalls: number;
  timedOut: boolean;
  problems: string[];
}

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

/** A small seeded generator, so every run storms the same way. */
function random(seed: number) {
  let s = seed >>> 0;
  return () => {
    s = (s * 1664525 + 1013904223) >>> 0;
    return s / 2 ** 32;
  };
}

function cardText(emulator: SlackEmulator, channel: string, n: number): string | undefined {
  return emulator.workspace
    .messages(channel)
    .find(
      (m) => m.metadata?.event_type === CARD_METADATA_TYPE && m.metadata.event_payload.conversation_id === n,
    )?.text;
}

export async function runCardStorm(
  dbs: BenchDatabases,
  log: (line: string) => void,
): Promise<CardStormResult> {
  const problems: string[] = [];
  const sources: BenchSource[] = Array.from({ length: CHANNELS }, (_, i) => ({
    id: `storm${i}`,
    secret: `storm-secret-${i}-0123456789`,
    channel: `C0STORM${i}`,
  }));
  const stack = await startBenchStack({ databaseUrl: dbs.fresh("card-storm"), sources });
  const { emulator, app } = stack;
  emulator.workspace.addUser({ id: ADMIN, name: "ada", realName: "Ada Admin" });
  for (const [i, id] of AGENTS.entries())
    emulator.workspace.addUser({ id, name: `agent${i}`, realName: `Storm Agent ${"AB"[i]}` });
  for (const s of sources) for (const id of [ADMIN, ...AGENTS]) emulator.workspace.join(s.channel, id);
  const desk = async (text: string, channel: string) => {
    const res = await emulator.driver.slashCommand({ userId: ADMIN, channelId: channel, text });
    if (res.status !== 200) problems.push(`card storm: /desk ${text} answered HTTP ${res.status}`);
  };
  const conversations: { n: number; channel: string }[] = [];
  let result: CardStormResult | undefined;
  try {
    // Agents away: routing leaves the conversations alone; only the manager's commands move them.
    for (const id of AGENTS) await desk(`agent add <@${id}> agent 100`, sources[0]!.channel);
    for (const [i, s] of sources.entries()) {
      for (let k = 0; k < PER_CHANNEL; k++) {
        const sent = await fetch(`${app.url}/api/v1/messages`, signedBody(s, i * PER_CHANNEL + k));
        const body = (await sent.json()) as { conversationNumber?: number };
        if (sent.status !== 202 || !body.conversationNumber)
          problems.push(`card storm: inbound ${sent.status}`);
        else conversations.push({ n: body.conversationNumber, channel: s.channel });
      }
    }
    // Every card posted and quiet before the storm (and the chat.update budget rested).
    const settledBy = performance.now() + 120_000;
    while (
      conversations.some((c) => !cardText(emulator, c.channel, c.n)) ||
      ((await app.store.outbox.countDue(new Date(Date.now() + 5000))) ?? 0) > 0
    ) {
      if (performance.now() > settledBy) throw new Error("cards not posted in time");
      await sleep(100);
    }
    await sleep(61_000);

    log(
      `card storm: ${conversations.length} cards in ${CHANNELS} channels, ${CHANGES} changes each within ${STORM_MS / 1000} s; running …`,
    );
    const rnd = random(42);
    const startedAt = Date.now();
    const t0 = performance.now();
    const steps = (n: number) => [
      `assign #${n} <@${AGENTS[0]}>`,
      `assign #${n} <@${AGENTS[1]}>`,
      `unassign #${n}`,
      `close #${n}`,
    ];
    let lastChangeMs = 0;
    const storm = Promise.all(
      conversations.map(async (c) => {
        const times = Array.from({ length: CHANGES }, () => rnd() * STORM_MS).sort((a, b) => a - b);
        for (const [i, text] of steps(c.n).entries()) {
          await sleep(Math.max(0, times[i]! - (performance.now() - t0)));
          await desk(text, c.channel);
          lastChangeMs = Math.max(lastChangeMs, performance.now() - t0);
        }
      }),
    );
    const expected = (n: number) => new RegExp(`^#${n} .*: closed, unassigned$`);
    let doneMs = Number.NaN;
    let timedOut = false;
    for (;;) {
      await sleep(50);
      const done = conversations.every((c) => expected(c.n).test(cardText(emulator, c.channel, c.n) ?? ""));
      if (done && lastChangeMs > 0) {
        await storm;
        doneMs = performance.now() - t0;
        break;
      }
      if (performance.now() - t0 > DEADLINE_MS) {
        timedOut = true;
        doneMs = performance.now() - t0;
        problems.push(`card storm: not every card showed its last state after ${DEADLINE_MS / 1000} s`);
        break;
      }
    }
    await storm;
    const updates = emulator.calls.filter((c) => c.method === "chat.update" && c.at >= startedAt);
    const rateLimited = updates.filter((c) => c.status === 429).length;
    const failed = updates.filter((c) => !c.ok && c.status !== 429);
    if (failed.length)
      problems.push(`card storm: ${failed.length} chat.update calls failed (${failed[0]?.error})`);
    result = {
      cards: conversations.length,
      changes: conversations.length * CHANGES,
      lastChangeMs,
      doneMs,
      updateCalls: updates.length - rateLimited,
      rateLimited,
      minCalls: conversations.length,
      timedOut,
      problems,
    };
  } finally {
    await stack.stop();
  }

  log("");
  log(
    table(
      ["card storm", "value"],
      [
        ["changes", `${result.changes} (${result.cards} cards × ${CHANGES})`],
        ["last change made after", `${fmt(result.lastChangeMs / 1000, 2)} s`],
        [
          "every card shows its last state after",
          `${fmt(result.doneMs / 1000, 2)} s${result.timedOut ? " (timed out)" : ""}`,
        ],
        [
          "minimum the tier allows",
          `${result.minCalls} calls (<= ${TIER3_PER_MINUTE} a minute: all at once), done at the last change`,
        ],
        [
          "chat.update calls made",
          `${result.updateCalls} (${fmt(result.updateCalls / result.minCalls, 2)} × the minimum)`,
        ],
        ["answered 429", String(result.rateLimited)],
      ],
    ),
  );
  log("");
  return result;
}

function signedBody(s: BenchSource, k: number): RequestInit {
  const raw = JSON.stringify({
    source: s.id,
    messageId: `storm-${k}`,
    conversationId: `storm-conv-${k}`,
    customer: { id: `storm-cust-${k}`, name: `Storm Customer ${k}` },
    text: `Storm conversation ${k}`,
  });
  const ts = Math.floor(Date.now() / 1000);
  return {
    method: "POST",
    headers: {
      "content-type": "application/json",
      "x-herodesk-timestamp": String(ts),
      "x-herodesk-signature": signature(s.secret, ts, raw),
    },
    body: raw,
  };
}

export function cardStormSummary(r: CardStormResult): BenchSummary {
  const name = "card storm";
  return {
    rows: [
      [
        name,
        "last state shown after / last change",
        `${fmt(r.doneMs / 1000, 1)} s / ${fmt(r.lastChangeMs / 1000, 1)} s`,
        "(record)",
        "",
      ],
      [name, "chat.update calls / minimum", `${r.updateCalls} / ${r.minCalls}`, "(record)", ""],
      [
        name,
        "429s",
        String(r.rateLimited),
        String(CARD_STORM_TARGET.rateLimited),
        verdict(r.rateLimited === 0),
      ],
    ],
    problems: r.problems,
  };
}
