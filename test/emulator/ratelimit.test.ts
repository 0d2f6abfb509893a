// chat.postMessage's special limit as the real WebClient sees it: HTTP 429 with Retry-After once
// the burst is spent, recovery after waiting, a bucket per channel, and a workspace-wide limit.
// Source: https://docs.slack.dev/reference/methods/chat.postMessage ("Rate limiting": "1 message
// per second to a specific channel", "limits governing your app's relationship with the entire
// workspace above that, limiting posting to several hundred messages per minute", quoted too in
// slackapi/java-slack-sdk MethodsRateLimitTier.java) and https://docs.slack.dev/apis/web-api/rate-limits
// ("Posting messages: 1 per second, short bursts >1 allowed"; 429 with Retry-After in seconds).
import { ErrorCode, type WebAPIRateLimitedError, type WebClient } from "@slack/web-api";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { SlackEmulator } from "../../src/emulator/index.ts";
import { ChannelRateLimiter, POST_MESSAGE_LIMIT } from "../../src/emulator/ratelimit.ts";
import { client, TOKEN } from "./helpers.ts";

let emu: SlackEmulator;
let slack: WebClient;

beforeAll(async () => {
  emu = await SlackEmulator.start(); // default limit: 1 per second, bursts of 3
  emu.workspace.addChannel({ id: "C1", name: "one" });
  emu.workspace.addChannel({ id: "C2", name: "two" });
  emu.workspace.addChannel({ id: "C3", name: "three" });
  slack = client(emu);
});

afterAll(async () => {
  await emu.stop();
});

async function rateLimited(call: Promise<unknown>): Promise<WebAPIRateLimitedError> {
  try {
    await call;
  } catch (err) {
    if ((err as { code?: string }).code === ErrorCode.RateLimitedError) return err as WebAPIRateLimitedError;
    throw err;
  }
  throw new Error("expected a rate-limited call");
}

describe("chat.postMessage rate limit", () => {
  it("allows the burst, then answers 429 with Retry-After, then recovers", async () => {
    for (let i = 0; i < 3; i++)
      expect((await slack.chat.postMessage({ channel: "C1", text: `burst ${i}` })).ok).toBe(true);
    const err = await rateLimited(slack.chat.postMessage({ channel: "C1", text: "one too many" }));
    expect(err.retryAfter).toBeGreaterThanOrEqual(1);
    expect(emu.calls.at(-1)).toMatchObject({
      method: "chat.postMessage",
      ok: false,
      error: "ratelimited",
      status: 429,
    });
    expect(emu.workspace.messages("C1")).toHaveLength(3);

    // Waiting what Retry-After said (plus a generous margin) is enough.
    await new Promise((r) => setTimeout(r, err.retryAfter * 1000 + 150));
    expect((await slack.chat.postMessage({ channel: "C1", text: "after waiting" })).ok).toBe(true);
  });

  it("keeps one bucket per channel", async () => {
    for (let i = 0; i < 3; i++) await slack.chat.postMessage({ channel: "C2", text: `c2 ${i}` });
    await rateLimited(slack.chat.postMessage({ channel: "C2", text: "limited" }));
    expect((await slack.chat.postMessage({ channel: "C3", text: "other channel is fine" })).ok).toBe(true);
  });

  it("answers the raw HTTP request like Slack", async () => {
    const form = () => new URLSearchParams({ token: TOKEN, channel: "C3", text: "raw" });
    let res: Response | undefined;
    for (let i = 0; i < 5; i++) {
      res = await fetch(`${emu.apiUrl}chat.postMessage`, { method: "POST", body: form() });
      if (res.status === 429) break;
      await res.text();
    }
    expect(res?.status).toBe(429);
    expect(Number(res?.headers.get("retry-after"))).toBeGreaterThanOrEqual(1);
    expect(Number.isInteger(Number(res?.headers.get("retry-after")))).toBe(true);
    expect(await res?.json()).toEqual({ ok: false, error: "ratelimited" });
  });

  it("does not hold other methods to chat.postMessage's per-channel bucket", async () => {
    for (let i = 0; i < 10; i++) expect((await slack.conversations.info({ channel: "C2" })).ok).toBe(true);
  });

  it("also limits posts across the workspace, whatever the channel", async () => {
    const wide = await SlackEmulator.start({
      rateLimit: { perSecond: 100, burst: 100, workspacePerMinute: 4 },
    });
    try {
      for (const id of ["C1", "C2", "C3", "C4", "C5"])
        wide.workspace.addChannel({ id, name: id.toLowerCase() });
      const web = client(wide);
      for (const channel of ["C1", "C2", "C3", "C4"]) await web.chat.postMessage({ channel, text: "hi" });
      const err = await rateLimited(web.chat.postMessage({ channel: "C5", text: "a fifth channel" }));
      expect(err.retryAfter).toBeGreaterThan(50); // the window is a minute: the first post must age out
      expect(wide.workspace.messages("C5")).toHaveLength(0);
    } finally {
      await wide.stop();
    }
  });
});

describe("chat.postMessage defaults", () => {
  it("are 1 per second per channel with bursts of 3, and 300 per minute across the workspace", () => {
    expect(POST_MESSAGE_LIMIT).toEqual({ perSecond: 1, burst: 3, workspacePerMinute: 300 });
    let now = 0;
    const limiter = new ChannelRateLimiter(POST_MESSAGE_LIMIT, () => now);
    for (let i = 0; i < 300; i++) expect(limiter.take(`C${i}`).allowed).toBe(true);
    expect(limiter.take("C_NEW")).toEqual({ allowed: false, retryAfterSeconds: 60 });
    now = 60_000;
    expect(limiter.take("C_NEW").allowed).toBe(true);
  });

  it("never admit more than 60 posts in a channel within a minute, bursts included", () => {
    // 1 per second is 60 per minute: a bucket alone would let the burst of 3 come on top of them.
    let now = 0;
    const limiter = new ChannelRateLimiter(POST_MESSAGE_LIMIT, () => now);
    for (let i = 0; i < 3; i++) expect(limiter.take("C").allowed).toBe(true);
    for (let s = 1; s <= 57; s++) {
      now = s * 1000;
      expect(limiter.take("C").allowed).toBe(true);
    }
    now = 58_000; // the bucket has a token again, but 60 posts are less than a minute old
    expect(limiter.take("C")).toEqual({ allowed: false, retryAfterSeconds: 2 });
    now = 60_000;
    expect(limiter.take("C").allowed).toBe(true);
  });
});

describe("ChannelRateLimiter", () => {
  it("refills at perSecond and computes whole-second waits", () => {
    let now = 0;
    const limiter = new ChannelRateLimiter({ perSecond: 0.5, burst: 1 }, () => now);
    expect(limiter.take("C").allowed).toBe(true);
    expect(limiter.take("C")).toEqual({ allowed: false, retryAfterSeconds: 2 });
    now = 1000;
    expect(limiter.take("C")).toEqual({ allowed: false, retryAfterSeconds: 1 });
    now = 2000;
    expect(limiter.take("C").allowed).toBe(true);
  });

  it("can be disabled", () => {
    const limiter = new ChannelRateLimiter(false);
    for (let i = 0; i < 100; i++) expect(limiter.take("C").allowed).toBe(true);
  });
});
