// The durable outbox's failure modes (issue part 7): Slack's 429s, lost answers, restarts, channels
// HeroDesk was never invited to or that do not exist. Nothing lost, nothing posted twice.
import { afterEach, describe, expect, it } from "vitest";
import { freshDatabaseUrl } from "../helpers/db.ts";
import { startFlakyProxy } from "../helpers/flaky-proxy.ts";
import { shownText } from "../helpers/slack-view.ts";
import { CHANNEL, customerMessage, type Stack, startStack } from "../helpers/stack.ts";
import { waitFor } from "../helpers/wait.ts";

let stack: Stack | undefined;
const cleanups: (() => Promise<void>)[] = [];
afterEach(async () => {
  await stack?.stop();
  stack = undefined;
  for (const c of cleanups.splice(0)) await c();
});

const shown = shownText;

function threadTexts(s: Stack, channel = CHANNEL) {
  const cards = s.emulator.workspace.messages(channel);
  return cards.map((card) => s.emulator.workspace.replies(channel, card.ts).map(shown));
}

async function sendAll(s: Stack, texts: string[], extra: Record<string, unknown> = {}) {
  for (const text of texts)
    expect((await s.sendMessage(customerMessage({ text, ...extra }))).status).toBe(202);
}

describe("Slack's rate limit", () => {
  it("a 429 with Retry-After pauses only that channel; the others go on", async () => {
    // HeroDesk's own pacing is turned up so that it runs into the emulator's limit.
    stack = await startStack({ emulator: { rateLimit: { perSecond: 1, burst: 2 } } });
    const texts = Array.from({ length: 6 }, (_, i) => `busy ${i}`);
    await sendAll(stack, texts);
    await waitFor("a 429 on the busy channel", () =>
      stack!.emulator.calls.some((c) => c.method === "chat.postMessage" && c.status === 429),
    );
    // The busy channel is now paused; a message for another channel still goes out at once.
    await stack.sendMessage(customerMessage({ source: "mail", text: "quiet" }), {
      secret: "mail-secret-0123456789",
    });
    await waitFor("the quiet channel's thread", () => threadTexts(stack!, "C0OTHER")[0]?.length === 1, 1500);
    expect(threadTexts(stack, CHANNEL)[0]?.length ?? 0).toBeLessThan(texts.length);

    await stack.drained(20_000);
    expect(threadTexts(stack)).toEqual([texts]);
    const limited = stack.emulator.calls.filter((c) => c.status === 429);
    expect(limited.every((c) => c.params.channel === CHANNEL)).toBe(true);
  });

  it("HeroDesk's own pacing keeps within the limit without a 429", async () => {
    stack = await startStack({
      emulator: { rateLimit: { perSecond: 5, burst: 3 } },
      file: { slack: { postsPerSecondPerChannel: 5, burstPerChannel: 3 } },
    });
    const texts = Array.from({ length: 8 }, (_, i) => `paced ${i}`);
    await sendAll(stack, texts);
    await stack.drained();
    expect(threadTexts(stack)).toEqual([texts]);
    expect(stack.emulator.calls.filter((c) => c.status === 429)).toHaveLength(0);
  });
});

describe("restarts", () => {
  it("a restart in the middle of the queue loses and duplicates nothing", async () => {
    const databaseUrl = freshDatabaseUrl();
    stack = await startStack({
      databaseUrl,
      emulator: { rateLimit: { perSecond: 10, burst: 1 } },
      file: { slack: { postsPerSecondPerChannel: 10, burstPerChannel: 1 } },
    });
    const texts = Array.from({ length: 12 }, (_, i) => `queued ${i}`);
    await sendAll(stack, texts);
    await waitFor("some posted", () => (threadTexts(stack!)[0]?.length ?? 0) >= 3);
    await stack.restart();
    const counts = await stack.drained();
    expect(counts.failed).toBeUndefined();
    expect(threadTexts(stack)).toEqual([texts]);
  });

  it("after a crash between Slack's answer and HeroDesk's record, the post is found, not repeated", async () => {
    const proxy = await startFlakyProxy();
    cleanups.push(proxy.close);
    stack = await startStack({ slackApiUrl: (url) => proxy.forward(url) });
    await sendAll(stack, ["before"]);
    await stack.drained();
    // The next two posts reach Slack, but their answers are lost on the way back.
    proxy.loseAnswerOf.push("chat.postMessage", "chat.postMessage");
    await sendAll(stack, ["lost answer 1", "lost answer 2", "after"]);
    await stack.drained();
    expect(proxy.lost).toBe(2);
    expect(threadTexts(stack)).toEqual([["before", "lost answer 1", "lost answer 2", "after"]]);
  });

  it("a card whose answer was lost is found in the channel, not posted again", async () => {
    const proxy = await startFlakyProxy();
    cleanups.push(proxy.close);
    stack = await startStack({ slackApiUrl: (url) => proxy.forward(url) });
    proxy.loseAnswerOf.push("chat.postMessage");
    await sendAll(stack, ["first words"]);
    await stack.drained();
    expect(proxy.lost).toBe(1);
    expect(stack.emulator.workspace.messages(CHANNEL)).toHaveLength(1);
    expect(threadTexts(stack)).toEqual([["first words"]]);
  });
});

describe("channels", () => {
  it("joins a public channel it was not invited to, then posts", async () => {
    stack = await startStack();
    stack.emulator.workspace.addChannel({ id: "C0NOTJOINED", name: "new-support", botIsMember: false });
    const s = stack;
    s.config.sources[1]!.slackChannel = "C0NOTJOINED";
    await s.restart();
    await s.sendMessage(customerMessage({ source: "mail", text: "hi" }), {
      secret: "mail-secret-0123456789",
    });
    await s.drained();
    expect(threadTexts(s, "C0NOTJOINED")).toEqual([["hi"]]);
    expect(s.emulator.calls.some((c) => c.method === "conversations.join" && c.ok)).toBe(true);
  });

  it("keeps messages for a channel that does not exist until it does, without stalling others", async () => {
    stack = await startStack();
    const s = stack;
    s.config.sources[1]!.slackChannel = "C0MISSING";
    await s.restart();
    await s.sendMessage(customerMessage({ source: "mail", text: "waiting" }), {
      secret: "mail-secret-0123456789",
    });
    await s.sendMessage(customerMessage({ text: "web goes on" }));
    await waitFor("web posted", () => threadTexts(s)[0]?.length === 1);
    await waitFor("a failed attempt", () => s.emulator.calls.some((c) => c.error === "channel_not_found"));
    expect((await s.app.store.outbox.countByStatus()).pending).toBeGreaterThan(0);

    s.emulator.workspace.addChannel({ id: "C0MISSING", name: "mail-support" });
    await s.app.store.outbox.retryNow(); // an operator's "retry now" (as after fixing the config)
    s.app.outbox.kick();
    await s.drained();
    expect(threadTexts(s, "C0MISSING")).toEqual([["waiting"]]);
  });
});
