// Events API delivery timing and failure rules, as Slack documents them:
// - https://docs.slack.dev/apis/events-api/ ("Responding to events", "Retries", "Failure
//   conditions", "Turning retries off", "Failure limits"): answer with a 2xx within 3 seconds or the
//   attempt has failed; failed deliveries are retried 3 times, "nearly immediately", after 1 minute
//   and after 5 minutes, with X-Slack-Retry-Num and X-Slack-Retry-Reason (http_timeout,
//   connection_failed, http_error, ...); X-Slack-No-Retry: 1 turns retries off;
// - the http_timeout retry is sent at 3 s without waiting for (or cutting off) the slow attempt:
//   slackapi/python-slack-events-api issue 84 ("if an event handler takes over 3 seconds, the event
//   request times out and the Slack API server resends the same event up to 3 times"),
//   slackapi/bolt-python issue 75 (a slow handler received "4 times the same answer (3 times in a
//   row and 6 minutes later a fourth time)");
// - https://docs.slack.dev/reference/events/app_rate_limited: subscriptions "may be limited and
//   disabled when your app does not respond with a HTTP 200 OK to at [least] 5% of event deliveries
//   in the past 60 minutes"; more than 30,000 events an hour from a workspace are rate limited
//   (https://docs.slack.dev/apis/web-api/rate-limits, "Events API events").
import { createServer as createHttpServer, type IncomingHttpHeaders } from "node:http";
import { type AddressInfo, createServer } from "node:net";
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from "vitest";
import {
  COMPRESSED_RETRY_DELAYS_MS,
  SLACK_EVENT_FAILURE_LIMIT,
  SLACK_RETRY_DELAYS_MS,
  SlackEmulator,
} from "../../src/emulator/index.ts";
import { eventsOf, type FakeApp, startFakeApp } from "./helpers.ts";

let app: FakeApp;
const started: SlackEmulator[] = [];

async function emulator(options: Parameters<typeof SlackEmulator.start>[0] = {}) {
  const emu = await SlackEmulator.start({ rateLimit: false, appUrl: app.url, ...options });
  started.push(emu);
  emu.workspace.addUser({ id: "U1", name: "alice" });
  emu.workspace.addChannel({ id: "C1", name: "support", members: ["U1"] });
  return emu;
}

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));
const headerOf = (i: number, name: string) => app.received[i]?.headers[name];

beforeAll(async () => {
  app = await startFakeApp();
});

afterAll(async () => {
  await app.close();
});

beforeEach(() => {
  app.received.length = 0;
  app.respond = () => ({ status: 200 });
});

afterEach(async () => {
  for (const emu of started.splice(0)) await emu.stop();
});

describe("the 3 s deadline, by default", () => {
  it("retries at 3 s with http_timeout while the first attempt is still running", async () => {
    // A bare server, to see whether the emulator hangs up on the slow attempt (Slack does not).
    const seen: { at: number; headers: IncomingHttpHeaders; eventId: string }[] = [];
    const answers: { attempt: number; connectionOpen: boolean }[] = [];
    const server = createHttpServer((req, res) => {
      const chunks: Buffer[] = [];
      req.on("data", (c: Buffer) => chunks.push(c));
      req.on("end", async () => {
        const attempt = seen.length + 1;
        const eventId = (JSON.parse(Buffer.concat(chunks).toString()) as { event_id: string }).event_id;
        seen.push({ at: Date.now(), headers: req.headers, eventId });
        if (attempt === 1) await sleep(3600);
        answers.push({ attempt, connectionOpen: !res.destroyed && !req.socket.destroyed });
        if (!res.destroyed) res.writeHead(200).end();
      });
    });
    await new Promise<void>((r) => server.listen(0, "127.0.0.1", r));
    try {
      const port = (server.address() as AddressInfo).port;
      const emu = await emulator({ appUrl: `http://127.0.0.1:${port}/slack/events` }); // ackTimeoutMs: Slack's 3000
      emu.driver.message({ userId: "U1", channelId: "C1", text: "slow" });
      await emu.waitFor(() => seen.length === 2, { timeoutMs: 3500 });
      const [first, retry] = seen;
      expect((retry?.at ?? 0) - (first?.at ?? 0)).toBeGreaterThanOrEqual(2950);
      expect((retry?.at ?? 0) - (first?.at ?? 0)).toBeLessThan(3400);
      expect(answers.map((a) => a.attempt)).toEqual([2]); // the first is still at work
      expect(retry?.headers["x-slack-retry-num"]).toBe("1");
      expect(retry?.headers["x-slack-retry-reason"]).toBe("http_timeout");
      expect(retry?.eventId).toBe(first?.eventId);
      await emu.idle();
      // Not awaited, not cut off: the late answer went out on an open connection, and changed nothing.
      expect(answers).toEqual([
        { attempt: 2, connectionOpen: true },
        { attempt: 1, connectionOpen: true },
      ]);
      expect(emu.deliveries.map((d) => [d.attempt, d.outcome])).toEqual([
        [1, "http_timeout"],
        [2, "ok"],
      ]);
    } finally {
      server.closeAllConnections();
      await new Promise<void>((r) => server.close(() => r()));
    }
  });

  it("does not retry an app that answers within 3 s", async () => {
    const emu = await emulator();
    app.respond = async () => {
      await sleep(2500);
      return { status: 200 };
    };
    emu.driver.message({ userId: "U1", channelId: "C1", text: "in time" });
    await emu.idle();
    expect(app.received).toHaveLength(1);
    expect(emu.deliveries.map((d) => d.outcome)).toEqual(["ok"]);
  });
});

describe("retry schedule and reasons", () => {
  it("is Slack's schedule compressed 600 times by default: at once, then 100 ms, then 500 ms", async () => {
    expect(SLACK_RETRY_DELAYS_MS).toEqual([0, 60_000, 300_000]);
    expect(COMPRESSED_RETRY_DELAYS_MS).toEqual([0, 100, 500]);
    const emu = await emulator();
    app.respond = () => ({ status: 503 });
    emu.driver.message({ userId: "U1", channelId: "C1", text: "down" });
    await emu.idle();
    expect(app.received.map((_, i) => headerOf(i, "x-slack-retry-num"))).toEqual([undefined, "1", "2", "3"]);
    const at = app.received.map((r) => r.at);
    const gaps = at.slice(1).map((t, i) => t - (at[i] as number));
    expect(gaps[0]).toBeLessThan(45); // "nearly immediately"
    expect(gaps[1]).toBeGreaterThanOrEqual(95);
    expect(gaps[1]).toBeLessThan(180);
    expect(gaps[2]).toBeGreaterThanOrEqual(495);
    expect(gaps[2]).toBeLessThan(650);
  });

  it("retries with connection_failed when the app cannot be reached", async () => {
    const closed = createServer();
    await new Promise<void>((r) => closed.listen(0, "127.0.0.1", r));
    const port = (closed.address() as { port: number }).port;
    await new Promise<void>((r) => closed.close(() => r()));
    const emu = await emulator({ appUrl: `http://127.0.0.1:${port}/slack/events` });
    emu.driver.message({ userId: "U1", channelId: "C1", text: "nobody home" });
    await emu.idle();
    expect(emu.deliveries.map((d) => [d.outcome, d.retryReason])).toEqual([
      ["connection_failed", undefined],
      ["connection_failed", "connection_failed"],
      ["connection_failed", "connection_failed"],
      ["connection_failed", "connection_failed"],
    ]);
  });

  it("a late X-Slack-No-Retry does not call back a retry already sent for http_timeout", async () => {
    const emu = await emulator({ ackTimeoutMs: 200 });
    app.respond = async (_req, i) => {
      if (i === 0) await sleep(400);
      return { status: 500, headers: { "x-slack-no-retry": "1" } };
    };
    emu.driver.message({ userId: "U1", channelId: "C1", text: "too late to opt out" });
    await emu.idle();
    // The first attempt timed out (retry sent); the retry's own No-Retry ends the series.
    expect(app.received).toHaveLength(2);
    expect(headerOf(1, "x-slack-retry-reason")).toBe("http_timeout");
  });
});

describe("failure limits", () => {
  it("disables the subscriptions when too few deliveries are acknowledged, and tells the app", async () => {
    expect(SLACK_EVENT_FAILURE_LIMIT).toEqual({
      windowMs: 3_600_000,
      minDeliveries: 1000,
      minSuccessRate: 0.05,
    });
    const emu = await emulator({
      eventFailureLimit: { windowMs: 60_000, minDeliveries: 4, minSuccessRate: 0.5 },
    });
    app.respond = (req) =>
      (req.json as { type?: string }).type === "app_rate_limited"
        ? { status: 200 }
        : { status: 500, headers: { "x-slack-no-retry": "1" } };
    for (let i = 0; i < 4; i++) {
      emu.driver.message({ userId: "U1", channelId: "C1", text: `fails ${i}` });
      await emu.idle();
    }
    expect(emu.eventSubscriptionsDisabled).toBe(true);
    const notice = app.received.at(-1)?.json as Record<string, unknown>;
    expect(notice).toMatchObject({
      type: "app_rate_limited",
      team_id: "T0HERODESK",
      api_app_id: "A0HERODESK",
    });
    expect(typeof notice.minute_rate_limited).toBe("number");
    const before = app.received.length;
    emu.driver.message({ userId: "U1", channelId: "C1", text: "not delivered" });
    await emu.idle();
    expect(app.received).toHaveLength(before);
    emu.enableEventSubscriptions();
    app.respond = () => ({ status: 200 });
    emu.driver.message({ userId: "U1", channelId: "C1", text: "delivered again" });
    await emu.idle();
    expect(eventsOf(app).at(-1)?.text).toBe("delivered again");
  });

  it("drops deliveries past the hourly limit and tells the app once", async () => {
    const emu = await emulator({ eventDeliveriesPerHour: 3 });
    for (let i = 0; i < 5; i++) emu.driver.message({ userId: "U1", channelId: "C1", text: `m${i}` });
    await emu.idle();
    expect(
      eventsOf(app)
        .map((e) => e.text)
        .sort(),
    ).toEqual(["m0", "m1", "m2"]);
    expect(
      app.received.filter((r) => (r.json as { type?: string }).type === "app_rate_limited"),
    ).toHaveLength(1);
  });
});
