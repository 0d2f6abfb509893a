// Per-method tier limits. Sources:
// - https://docs.slack.dev/apis/web-api/rate-limits: limits apply "per API method per
//   workspace/team per app"; Tier 1 "1+ per minute", Tier 2 "20+", Tier 3 "50+", Tier 4 "100+";
//   "Rate limit windows are per minute"; an over-limit call is HTTP 429 with Retry-After (seconds);
// - each method's reference page, https://docs.slack.dev/reference/methods/<method> ("Rate
//   Limits" in its Facts), e.g. chat.update and conversations.history "Tier 3", users.info and
//   views.publish "Tier 4", conversations.list "Tier 2", auth.test and chat.getPermalink "This
//   method allows hundreds of requests per minute"; the same table in Slack's Java SDK
//   (slackapi/java-slack-sdk, slack-api-client/.../methods/MethodsRateLimits.java);
// - conversations.history / conversations.replies: "For Marketplace and internal customer-built
//   applications, this method has Tier 3 rate limits"; since 2025-05-29 commercially distributed
//   non-Marketplace apps get 1 request per minute
//   (https://docs.slack.dev/changelog/2025/05/29/rate-limit-changes-for-non-marketplace-apps).
import { ErrorCode, type WebAPIRateLimitedError, type WebClient } from "@slack/web-api";
import { afterEach, describe, expect, it } from "vitest";
import { SlackEmulator } from "../../src/emulator/index.ts";
import { SLACK_TIERS, TierRateLimiter } from "../../src/emulator/ratelimit.ts";
import { METHOD_TIERS, rateOf } from "../../src/emulator/tiers.ts";
import { METHODS } from "../../src/emulator/web-api/index.ts";
import { client } from "./helpers.ts";

const started: SlackEmulator[] = [];

async function emulator(options: Parameters<typeof SlackEmulator.start>[0] = {}) {
  const emu = await SlackEmulator.start({ rateLimit: false, ...options });
  started.push(emu);
  emu.workspace.addUser({ id: "U1", name: "alice" });
  emu.workspace.addChannel({ id: "C1", name: "support", members: ["U1"] });
  return emu;
}

afterEach(async () => {
  for (const emu of started.splice(0)) await emu.stop();
});

async function limited(call: Promise<unknown>): Promise<WebAPIRateLimitedError> {
  try {
    await call;
  } catch (err) {
    if ((err as { code?: string }).code === ErrorCode.RateLimitedError) return err as WebAPIRateLimitedError;
    throw err;
  }
  throw new Error("expected a rate-limited call");
}

/** Calls `fn` n times, all of which must succeed. */
async function times(n: number, fn: (i: number) => Promise<unknown>) {
  for (let i = 0; i < n; i++) await fn(i);
}

describe("the method → tier table", () => {
  it("gives every implemented method, and Socket Mode's apps.connections.open, its documented tier", () => {
    for (const method of [...Object.keys(METHODS), "apps.connections.open"]) {
      expect(METHOD_TIERS[method], method).toBeDefined();
    }
    expect(METHOD_TIERS).toMatchObject({
      "chat.update": "tier3",
      "chat.delete": "tier3",
      "chat.postEphemeral": "tier4",
      "chat.getPermalink": "special",
      "auth.test": "special",
      "conversations.history": "tier3",
      "conversations.replies": "tier3",
      "conversations.join": "tier3",
      "conversations.open": "tier3",
      "conversations.list": "tier2",
      "conversations.members": "tier4",
      "users.info": "tier4",
      "users.list": "tier2",
      "users.lookupByEmail": "tier3",
      "views.open": "tier4",
      "views.publish": "tier4",
      "files.getUploadURLExternal": "tier4",
      "apps.connections.open": "tier1",
      "chat.postMessage": "chat.postMessage",
    });
    // A method missing from the table is held to Tier 2 ("most methods allow at least 20").
    expect(rateOf("pins.add")).toBe("tier2");
  });

  it("uses Slack's floors per minute", () => {
    expect(SLACK_TIERS).toEqual({
      tier1: { perMinute: 1, burst: 1 },
      tier2: { perMinute: 20, burst: 20 },
      tier3: { perMinute: 50, burst: 50 },
      tier4: { perMinute: 100, burst: 100 },
      special: { perMinute: 200, burst: 200 },
    });
  });
});

describe("tier limits over HTTP, by default", () => {
  it("Tier 3 chat.update: 50, then 429 + Retry-After + ratelimited, and only for that method", async () => {
    const emu = await emulator();
    const web: WebClient = client(emu);
    const card = await web.chat.postMessage({ channel: "C1", text: "card" });
    await times(50, (i) => web.chat.update({ channel: "C1", ts: card.ts as string, text: `v${i}` }));
    const err = await limited(web.chat.update({ channel: "C1", ts: card.ts as string, text: "v51" }));
    // The 50 calls are less than a minute old: the window, not the bucket, decides the wait.
    expect(err.retryAfter).toBeGreaterThanOrEqual(55);
    expect(err.retryAfter).toBeLessThanOrEqual(60);
    expect(emu.calls.at(-1)).toMatchObject({ method: "chat.update", status: 429, error: "ratelimited" });
    expect(emu.workspace.message("C1", card.ts as string)?.text).toBe("v49");
    // Other methods keep their own buckets.
    expect((await web.chat.getPermalink({ channel: "C1", message_ts: card.ts as string })).ok).toBe(true);
    expect((await web.conversations.history({ channel: "C1" })).ok).toBe(true);
  });

  it("answers the raw request with Slack's status, header and body", async () => {
    const emu = await emulator();
    const ask = () =>
      fetch(`${emu.apiUrl}conversations.list`, {
        method: "POST",
        headers: { authorization: `Bearer ${emu.botToken}` },
      });
    for (let i = 0; i < 20; i++) expect((await ask()).status).toBe(200); // Tier 2
    const res = await ask();
    expect(res.status).toBe(429);
    expect(Number.isInteger(Number(res.headers.get("retry-after")))).toBe(true);
    expect(Number(res.headers.get("retry-after"))).toBeGreaterThanOrEqual(1);
    expect(await res.json()).toEqual({ ok: false, error: "ratelimited" });
  });

  it("Tier 4 users.info: 100; special auth.test: 200", async () => {
    const emu = await emulator();
    const web = client(emu);
    await times(100, () => web.users.info({ user: "U1" }));
    await limited(web.users.info({ user: "U1" }));
    await times(200, () => web.auth.test());
    await limited(web.auth.test());
  });

  it("counts failing calls too", async () => {
    const emu = await emulator();
    const web = client(emu);
    // Slack does not say that errors are free: the stricter reading counts them.
    await times(50, () => web.conversations.info({ channel: "C0NOPE" }).catch(() => undefined));
    expect(emu.calls.filter((c) => c.error === "channel_not_found")).toHaveLength(50);
    await limited(web.conversations.info({ channel: "C1" }));
  });
});

describe("tier options", () => {
  it("methodLimits models a non-Marketplace app's conversations.history: 1 per minute", async () => {
    const emu = await emulator({ methodLimits: { "conversations.history": { perMinute: 1, burst: 1 } } });
    const web = client(emu);
    expect((await web.conversations.history({ channel: "C1" })).ok).toBe(true);
    const err = await limited(web.conversations.history({ channel: "C1" }));
    expect(err.retryAfter).toBe(60);
    expect(
      (await web.conversations.replies({ channel: "C1", ts: "1.000001" }).catch((e) => e)).code,
    ).not.toBe(ErrorCode.RateLimitedError);
  });

  it("tierLimits: false lifts tier limits; rateLimit: false does not", async () => {
    const strict = await emulator(); // rateLimit: false, as test/helpers/stack.ts starts it
    await times(20, () => client(strict).conversations.list());
    await limited(client(strict).conversations.list());
    const lenient = await emulator({ tierLimits: false });
    await times(40, () => client(lenient).conversations.list());
  });
});

describe("TierRateLimiter", () => {
  it("admits a minute's worth at once, never more within 60 s, and refills", () => {
    let now = 0;
    const limiter = new TierRateLimiter({}, {}, () => now);
    for (let i = 0; i < 20; i++) expect(limiter.take("conversations.list").allowed).toBe(true);
    expect(limiter.take("conversations.list")).toEqual({ allowed: false, retryAfterSeconds: 60 });
    now = 30_000; // the bucket is full again, but the 20 calls are younger than a minute
    expect(limiter.take("conversations.list")).toEqual({ allowed: false, retryAfterSeconds: 30 });
    now = 60_000;
    for (let i = 0; i < 20; i++) expect(limiter.take("conversations.list").allowed).toBe(true);
    expect(limiter.take("conversations.list").allowed).toBe(false);
  });

  it("holds apps.connections.open to Tier 1: one per minute", () => {
    let now = 0;
    const limiter = new TierRateLimiter({}, {}, () => now);
    expect(limiter.take("apps.connections.open").allowed).toBe(true);
    expect(limiter.take("apps.connections.open")).toEqual({ allowed: false, retryAfterSeconds: 60 });
    now = 60_000;
    expect(limiter.take("apps.connections.open").allowed).toBe(true);
  });

  it("leaves chat.postMessage to its own limiter", () => {
    const limiter = new TierRateLimiter({}, {}, () => 0);
    for (let i = 0; i < 500; i++) expect(limiter.take("chat.postMessage").allowed).toBe(true);
  });
});
