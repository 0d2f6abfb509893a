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
  ])("%s stays under its tier's %i per minute in any minute, burst included", (method, perMinute) => {
    const { p, advance } = pacer();
    const first = callsWithin(p, advance, method, 60_000);
    expect(first).toBeLessThanOrEqual(perMinute);
    expect(first).toBeGreaterThan(perMinute * 0.8);
    // A sixth of the minute goes at once.
    const { p: fresh } = pacer();
    let burst = 0;
    while (fresh.take(method) === 0) burst++;
    expect(burst).toBe(Math.floor(perMinute / 6));
  });

  it("methods have budgets of their own: a spent chat.update does not hold views.publish", () => {
    const { p } = pacer();
    while (p.take("chat.update") === 0);
    expect(p.take("chat.update")).toBeGreaterThan(0);
    expect(p.take("views.publish")).toBe(0);
  });

  it("posts are paced per channel: a busy channel does not hold another", () => {
    const { p, advance } = pacer({ postsPerSecondPerChannel: 1, burstPerChannel: 3 });
    expect([1, 2, 3].map(() => p.take("chat.postMessage", "C1"))).toEqual([0, 0, 0]);
    const wait = p.take("chat.postMessage", "C1");
    expect(wait).toBeGreaterThan(900);
    expect(p.take("chat.postMessage", "C2")).toBe(0);
    advance(wait);
    expect(p.take("chat.postMessage", "C1")).toBe(0);
    // About one a second after the burst.
    expect(callsWithin(p, advance, "chat.postMessage", 10_000, "C1")).toBeLessThanOrEqual(10);
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
});
