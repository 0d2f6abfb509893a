// HeroDesk's own pacing of Web API calls (src/slack/pacing.ts), on a fake clock. Slack's limits:
// docs.slack.dev/apis/web-api/rate-limits ("per API method per workspace/team per app"; Tier 2
// 20+/min, Tier 3 50+/min, Tier 4 100+/min; chat.postMessage about 1 per second per channel).
import { describe, expect, it } from "vitest";
import { SlackPacer } from "../../src/slack/pacing.ts";

function pacer(options: { postsPerSecondPerChannel?: number; burstPerChannel?: number } = {}) {
  let now = 1_000_000;
  const p = new SlackPacer({
    postsPerSecondPerChannel: options.postsPerSecondPerChannel ?? 1,
    burstPerChannel: options.burstPerChannel ?? 3,
    now: () => now,
  });
  return { p, advance: (ms: number) => (now += ms) };
}

/** How many calls go in `ms`, calling whenever a slot is free (every 10 ms). */
function callsWithin(
  p: SlackPacer,
  advance: (ms: number) => number,
  method: string,
  ms: number,
  channel?: string,
) {
  let n = 0;
  for (let t = 0; t <= ms; t += 10) {
    while (p.take(method, channel) === 0) n++;
    advance(10);
  }
  return n;
}

describe("SlackPacer", () => {
  it.each([
    ["chat.update", 50],
    ["conversations.history", 50],
    ["views.publish", 100],
    ["users.info", 100],
    ["conversations.list", 20],
    ["apps.connections.open", 1],
  ])("%s: a burst goes at once, and no minute holds more than its tier's %i", (method, perMinute) => {
    const { p, advance } = pacer();
    let burst = 0;
    while (p.take(method) === 0) burst++;
    expect(burst).toBe(Math.max(1, Math.floor(perMinute / 2)));
    // Then a steady pace, not a minute's wait: the next slot within a few seconds (Tier 2 and up).
    if (perMinute >= 20)
      expect(p.take(method)).toBeLessThanOrEqual(Math.ceil(60_000 / (perMinute * 0.95)) + 50);
    // Over three minutes, calling whenever allowed: never more than the figure in any 60 s.
    const times: number[] = [];
    let t = 0;
    for (; t < 180_000; t += 10) {
      while (p.take(method) === 0) times.push(t);
      advance(10);
    }
    const all = [...Array(burst).fill(-1), ...times];
    for (let i = 0; i < all.length; i++) {
      const inMinute = all.filter((x) => x >= all[i]! && x < all[i]! + 60_000).length;
      expect(inMinute).toBeLessThanOrEqual(perMinute);
    }
    // And the budget is used: close to the figure every minute.
    expect(burst + times.length).toBeGreaterThanOrEqual(Math.floor(3 * perMinute * 0.95) - 2);
  });

  it("chat.postMessage keeps under the workspace's several hundred a minute across channels", () => {
    const { p } = pacer({ burstPerChannel: 3 });
    let n = 0;
    for (let c = 0; c < 200; c++)
      for (let i = 0; i < 3; i++) if (p.take("chat.postMessage", `C${c}`) === 0) n++;
    // Half a minute's worth at once (150), never 286 in a minute.
    expect(n).toBe(150);
  });

  it("methods have budgets of their own: a spent chat.update does not hold views.publish", () => {
    const { p } = pacer();
    while (p.take("chat.update") === 0);
    expect(p.take("chat.update")).toBeGreaterThan(0);
    expect(p.take("views.publish")).toBe(0);
  });

  it("posts are paced per channel: a busy channel does not hold another, and none gets over 60 a minute", () => {
    const { p, advance } = pacer({ postsPerSecondPerChannel: 1, burstPerChannel: 3 });
    expect([1, 2, 3].map(() => p.take("chat.postMessage", "C1"))).toEqual([0, 0, 0]);
    const wait = p.take("chat.postMessage", "C1");
    expect(wait).toBeGreaterThan(900);
    expect(p.take("chat.postMessage", "C2")).toBe(0);
    advance(wait);
    expect(p.take("chat.postMessage", "C1")).toBe(0);
    // About one a second after the burst, and never 61 in a minute.
    expect(callsWithin(p, advance, "chat.postMessage", 10_000, "C1")).toBeLessThanOrEqual(10);
    const { p: q, advance: move } = pacer({ postsPerSecondPerChannel: 1, burstPerChannel: 3 });
    expect(callsWithin(q, move, "chat.postMessage", 59_990, "C1")).toBeLessThanOrEqual(60);
  });

  it("a file shared in a channel takes that channel's posting slot and its method's", () => {
    const { p } = pacer({ burstPerChannel: 1 });
    expect(p.take("files.completeUploadExternal", "C1")).toBe(0);
    expect(p.take("chat.postMessage", "C1")).toBeGreaterThan(0);
  });

  it("a 429 pauses that method (or that channel's posts) for Retry-After, and nothing else", () => {
    const { p, advance } = pacer();
    p.pause("chat.update", undefined, 30_000);
    expect(p.take("chat.update")).toBe(30_000);
    expect(p.take("views.publish")).toBe(0);
    p.pause("chat.postMessage", "C1", 5_000);
    expect(p.take("chat.postMessage", "C1")).toBe(5_000);
    expect(p.take("chat.postMessage", "C2")).toBe(0);
    advance(30_000);
    expect(p.take("chat.update")).toBe(0);
  });

  it("a wait takes nothing: the call that waited gets the slot it waited for", () => {
    const { p, advance } = pacer({ burstPerChannel: 1 });
    expect(p.take("chat.postMessage", "C1")).toBe(0);
    const wait = p.take("chat.postMessage", "C1");
    expect(p.take("chat.postMessage", "C1")).toBe(wait); // asking again does not push it back
    advance(wait);
    expect(p.take("chat.postMessage", "C1")).toBe(0);
  });

  it("calls turned away together come back one slot apart, not all at once", () => {
    const { p, advance } = pacer();
    while (p.take("conversations.info") === 0); // the burst is spent
    const wait = p.take("conversations.info");
    expect(wait).toBeGreaterThan(0);
    // 100 calls that will not wait (a worker defers them): each is given the next slot.
    const away = Array.from({ length: 100 }, () => p.deferral("conversations.info", undefined, wait));
    const interval = away[1]! - away[0]!;
    expect(away[0]).toBe(wait);
    // Tier 3 kept at 95 % of 50 a minute: about 1.26 s between two calls.
    expect(interval).toBeGreaterThan(1200);
    expect(interval).toBeLessThan(1300);
    for (const [i, ms] of away.entries()) expect(ms).toBeCloseTo(wait + i * interval, 6);
    // Coming back at its time, a call mostly finds its slot: the ones before it took theirs (in
    // the first minute the burst still counts in the sliding minute, so some are turned away again).
    let got = 0;
    for (const [i, ms] of away.entries()) {
      advance(ms - (i ? away[i - 1]! : 0));
      if (p.take("conversations.info") === 0) got++;
    }
    expect(got).toBeGreaterThanOrEqual(70);
    // Another method is not pushed back by them.
    expect(p.deferral("users.info", undefined, 10)).toBe(10);
  });
});
