// Events API delivery to a bare HTTP app: envelope and event shapes, signatures, concurrency,
// retries with Slack's headers, and which conversations produce events at all. Slack's timing
// (3 s deadline, retry while the first attempt runs, schedule, failure limits) is in delivery.test.ts.
import type { WebClient } from "@slack/web-api";
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from "vitest";
import { SlackEmulator } from "../../src/emulator/index.ts";
import { verifySignature } from "../../src/emulator/signing.ts";
import { client, eventsOf, type FakeApp, startFakeApp } from "./helpers.ts";

let emu: SlackEmulator;
let app: FakeApp;
let slack: WebClient;

beforeAll(async () => {
  app = await startFakeApp();
  emu = await SlackEmulator.start({
    rateLimit: false,
    appUrl: app.url,
    ackTimeoutMs: 300,
    retryDelaysMs: [10, 10, 10],
    // Message events of every kind of conversation (HeroDesk's own manifest has no message.im).
    botEvents: ["message.channels", "message.groups", "message.im", "app_home_opened"],
  });
  emu.workspace.addUser({ id: "U1", name: "alice" });
  emu.workspace.addChannel({ id: "C1", name: "support", members: ["U1"] });
  emu.workspace.addChannel({ id: "C2", name: "unrelated", members: ["U1"], botIsMember: false });
  emu.workspace.addChannel({ id: "G1", name: "private", isPrivate: true, members: ["U1"] });
  slack = client(emu);
});

afterAll(async () => {
  await emu.stop();
  await app.close();
});

beforeEach(() => {
  app.respond = () => ({ status: 200 });
});

afterEach(async () => {
  await emu.idle();
  app.received.length = 0;
});

describe("message events", () => {
  it("delivers a person's message as a signed event_callback envelope", async () => {
    const before = emu.deliveries.length;
    const posted = emu.driver.message({ userId: "U1", channelId: "C1", text: "hello" });
    await emu.idle();
    expect(app.received).toHaveLength(1);
    const req = app.received[0];
    expect(req?.headers["content-type"]).toBe("application/json");
    expect(
      verifySignature(
        emu.signingSecret,
        {
          timestamp: req?.headers["x-slack-request-timestamp"] as string,
          signature: req?.headers["x-slack-signature"] as string,
        },
        req?.raw ?? "",
      ),
    ).toBe(true);
    const envelope = req?.json as Record<string, unknown>;
    expect(envelope).toMatchObject({
      type: "event_callback",
      team_id: "T0HERODESK",
      api_app_id: "A0HERODESK",
      is_ext_shared_channel: false,
      authorizations: [
        { team_id: "T0HERODESK", user_id: "U0HEROBOT", is_bot: true, is_enterprise_install: false },
      ],
    });
    expect(envelope.event_id).toMatch(/^Ev[A-Z0-9]+$/);
    expect(typeof envelope.event_time).toBe("number");
    expect(envelope.event).toMatchObject({
      type: "message",
      channel: "C1",
      user: "U1",
      text: "hello",
      ts: posted.ts,
      event_ts: posted.ts,
      channel_type: "channel",
      team: "T0HERODESK",
    });
    expect((envelope.event as Record<string, unknown>).client_msg_id).toBeTruthy();
    expect(emu.deliveries.slice(before)).toEqual([
      expect.objectContaining({
        eventId: envelope.event_id,
        attempt: 1,
        retryNum: 0,
        status: 200,
        outcome: "ok",
      }),
    ]);
  });

  it("delivers replies with thread_ts and parent_user_id, and the bot's own messages with bot fields", async () => {
    const card = await slack.chat.postMessage({ channel: "C1", text: "card" });
    emu.driver.message({ userId: "U1", channelId: "C1", threadTs: card.ts as string, text: "agent reply" });
    await emu.idle();
    const [own, reply] = eventsOf(app);
    expect(own).toMatchObject({
      type: "message",
      channel: "C1",
      ts: card.ts,
      user: "U0HEROBOT",
      bot_id: "B0HEROBOT",
      app_id: "A0HERODESK",
    });
    expect(own?.bot_profile).toMatchObject({ id: "B0HEROBOT" });
    expect(reply).toMatchObject({
      user: "U1",
      thread_ts: card.ts,
      parent_user_id: "U0HEROBOT",
      text: "agent reply",
    });
  });

  it("announces chat.update as message_changed with the previous message", async () => {
    const card = await slack.chat.postMessage({ channel: "C1", text: "v1" });
    await slack.chat.update({ channel: "C1", ts: card.ts as string, text: "v2" });
    await emu.idle();
    const changed = eventsOf(app).find((e) => e.subtype === "message_changed");
    expect(changed).toMatchObject({
      type: "message",
      subtype: "message_changed",
      channel: "C1",
      hidden: true,
      message: { ts: card.ts, text: "v2", edited: { user: "U0HEROBOT" } },
      previous_message: { ts: card.ts, text: "v1" },
      channel_type: "channel",
    });
  });

  it("uses channel_type im / group for IMs and private channels", async () => {
    const dm = emu.workspace.dmChannelFor("U1");
    emu.driver.message({ userId: "U1", channelId: dm, text: "dm" });
    emu.driver.message({ userId: "U1", channelId: "G1", text: "private" });
    await emu.idle();
    expect(eventsOf(app).map((e) => e.channel_type)).toEqual(["im", "group"]);
  });

  it("sends nothing for conversations the bot is not in", async () => {
    emu.driver.message({ userId: "U1", channelId: "C2", text: "not for the bot" });
    await emu.idle();
    expect(app.received).toHaveLength(0);
    expect(emu.workspace.messages("C2").map((m) => m.text)).toEqual(["not for the bot"]);
  });

  it("delivers events concurrently: an unanswered one holds back none, not even in its channel", async () => {
    // https://docs.slack.dev/apis/events-api/: each event is its own request; Slack waits for no
    // earlier answer and promises no order.
    let release: () => void = () => {};
    const held = new Promise<void>((r) => {
      release = r;
    });
    app.respond = async (_req, i) => {
      if (i === 0) await held; // the first event's answer waits until the others have arrived
      return { status: 200 };
    };
    for (let i = 1; i <= 3; i++) emu.driver.message({ userId: "U1", channelId: "C1", text: `m${i}` });
    emu.driver.message({ userId: "U1", channelId: "G1", text: "elsewhere" });
    await emu.waitFor(() => app.received.length === 4, { timeoutMs: 250 }); // before ackTimeoutMs (300)
    expect(eventsOf(app).map((e) => e.text)).toEqual(expect.arrayContaining(["m1", "m2", "m3", "elsewhere"]));
    release();
    await emu.idle();
    expect(emu.deliveries.slice(-4).every((d) => d.outcome === "ok")).toBe(true);
  });
});

describe("retries", () => {
  it("retries a 500 up to 3 times with the same event_id and Slack's retry headers", async () => {
    app.respond = () => ({ status: 500 });
    emu.driver.message({ userId: "U1", channelId: "C1", text: "fails" });
    await emu.idle();
    expect(app.received).toHaveLength(4);
    const ids = app.received.map((r) => (r.json as { event_id: string }).event_id);
    expect(new Set(ids).size).toBe(1);
    expect(app.received.map((r) => r.headers["x-slack-retry-num"])).toEqual([undefined, "1", "2", "3"]);
    expect(app.received.map((r) => r.headers["x-slack-retry-reason"])).toEqual([
      undefined,
      "http_error",
      "http_error",
      "http_error",
    ]);
    const attempts = emu.deliveries.filter((d) => d.eventId === ids[0]);
    expect(attempts.map((d) => [d.attempt, d.retryNum, d.status, d.outcome])).toEqual([
      [1, 0, 500, "http_error"],
      [2, 1, 500, "http_error"],
      [3, 2, 500, "http_error"],
      [4, 3, 500, "http_error"],
    ]);
  });

  it("stops retrying once the app answers 2xx", async () => {
    app.respond = (_req, i) => ({ status: i === 0 ? 503 : 200 });
    emu.driver.message({ userId: "U1", channelId: "C1", text: "flaky" });
    await emu.idle();
    expect(app.received.map((r) => r.headers["x-slack-retry-num"])).toEqual([undefined, "1"]);
  });

  it("retries with http_timeout when the app does not answer in time", async () => {
    app.respond = (_req, i) => ({ status: 200, delayMs: i === 0 ? 1500 : 0 });
    emu.driver.message({ userId: "U1", channelId: "C1", text: "slow" });
    await emu.idle();
    expect(app.received).toHaveLength(2);
    expect(app.received[1]?.headers["x-slack-retry-reason"]).toBe("http_timeout");
    const id = (app.received[0]?.json as { event_id: string } | undefined)?.event_id;
    expect(emu.deliveries.filter((d) => d.eventId === id).map((d) => d.outcome)).toEqual([
      "http_timeout",
      "ok",
    ]);
  });

  it("honours X-Slack-No-Retry: 1", async () => {
    app.respond = () => ({ status: 500, headers: { "x-slack-no-retry": "1" } });
    emu.driver.message({ userId: "U1", channelId: "C1", text: "no retry please" });
    await emu.idle();
    expect(app.received).toHaveLength(1);
  });
});

describe("idle", () => {
  it("with settleMs, also waits for API calls the app makes after acking an event", async () => {
    app.respond = (req) => {
      const event = (req.json as { event?: { text?: string; user?: string } } | undefined)?.event;
      if (event?.user === "U1") {
        // Ack first, work later: the reply reaches the emulator after the delivery finished.
        setTimeout(() => void slack.chat.postMessage({ channel: "C1", text: `echo: ${event.text}` }), 20);
      }
      return { status: 200 };
    };
    emu.driver.message({ userId: "U1", channelId: "C1", text: "ping" });
    await emu.idle({ settleMs: 300 });
    expect(emu.workspace.messages("C1").at(-1)?.text).toBe("echo: ping");
  });
});

describe("driver.event", () => {
  it("replays an event with a chosen event_id and retry headers, without queueing", async () => {
    const event = {
      type: "app_mention",
      user: "U1",
      text: "<@U0HEROBOT> help",
      channel: "C1",
      ts: "1700000000.000100",
      event_ts: "1700000000.000100",
    };
    const first = await emu.driver.event(event, { eventId: "Ev0REPLAY01" });
    const retry = await emu.driver.event(event, {
      eventId: "Ev0REPLAY01",
      retryNum: 2,
      retryReason: "http_error",
    });
    expect([first.status, retry.status]).toEqual([200, 200]);
    expect(app.received.map((r) => (r.json as { event_id: string }).event_id)).toEqual([
      "Ev0REPLAY01",
      "Ev0REPLAY01",
    ]);
    expect(app.received[0]?.headers["x-slack-retry-num"]).toBeUndefined();
    expect(app.received[1]?.headers["x-slack-retry-num"]).toBe("2");
    expect(app.received[1]?.headers["x-slack-retry-reason"]).toBe("http_error");
    expect(eventsOf(app)[0]).toEqual(event);
  });
});

describe("delivery switches", () => {
  it("delivers nothing with deliverEvents: false, and nothing before an app URL is set", async () => {
    const quiet = await SlackEmulator.start({ rateLimit: false, appUrl: app.url, deliverEvents: false });
    const noUrl = await SlackEmulator.start({ rateLimit: false });
    try {
      for (const e of [quiet, noUrl]) {
        e.workspace.addUser({ id: "U1", name: "alice" });
        e.workspace.addChannel({ id: "C1", name: "support", members: ["U1"] });
        e.driver.message({ userId: "U1", channelId: "C1", text: "silent" });
        await client(e).chat.postMessage({ channel: "C1", text: "silent too" });
        await e.idle();
      }
      expect(app.received).toHaveLength(0);
      noUrl.setAppUrl(app.url);
      noUrl.driver.message({ userId: "U1", channelId: "C1", text: "now delivered" });
      await noUrl.idle();
      expect(eventsOf(app).map((e) => e.text)).toEqual(["now delivered"]);
    } finally {
      await quiet.stop();
      await noUrl.stop();
    }
  });
});
