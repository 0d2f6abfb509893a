// People editing and deleting messages, and the app's own chat.update / chat.delete, as the
// events Slack sends for them. Sources:
// - https://docs.slack.dev/reference/events/message/message_changed and .../message_deleted
//   (hidden: true, message / previous_message, deleted_ts, channel, ts, event_ts);
// - slack-samples/events/MessageChangedPayload.json, MessageDeletedPayload.json;
// - @slack/types dist/events/message.d.ts MessageChangedEvent, MessageDeletedEvent;
// - bolt-js src/middleware/builtin.ts ignoreSelf: it drops bot_message subtypes from this bot and
//   events whose top-level `user` is the bot; message_changed has neither, so Slack's
//   message_changed for the bot's own chat.update reaches the app's listeners.
import type { WebClient } from "@slack/web-api";
import { afterAll, afterEach, beforeAll, describe, expect, it } from "vitest";
import { SlackEmulator } from "../../src/emulator/index.ts";
import { client, eventsOf, type FakeApp, startFakeApp } from "./helpers.ts";

let emu: SlackEmulator;
let app: FakeApp;
let slack: WebClient;

beforeAll(async () => {
  app = await startFakeApp();
  emu = await SlackEmulator.start({
    rateLimit: false,
    appUrl: app.url,
    scopes: ["channels:history", "channels:read", "chat:write"],
    botEvents: ["message.channels"],
  });
  const ws = emu.workspace;
  ws.addExternalOrg({ teamId: "T0ACME", name: "Acme" });
  ws.addUser({ id: "U1", name: "alice" });
  ws.addUser({ id: "UADMIN", name: "root", isAdmin: true });
  ws.addUser({ id: "UACME1", name: "wile", teamId: "T0ACME" });
  ws.addChannel({
    id: "C0ACME",
    name: "acme",
    members: ["U1", "UADMIN", "UACME1"],
    isExtShared: true,
    connectedTeams: ["T0ACME"],
  });
  slack = client(emu);
});

afterAll(async () => {
  await emu.stop();
  await app.close();
});

afterEach(async () => {
  await emu.idle();
  app.received.length = 0;
});

describe("driver.editMessage", () => {
  it("updates the stored message and sends message_changed with message and previous_message", async () => {
    const original = emu.driver.message({ userId: "UACME1", channelId: "C0ACME", text: "Widget broken" });
    await emu.idle();
    app.received.length = 0;
    const edited = emu.driver.editMessage({
      userId: "UACME1",
      channelId: "C0ACME",
      ts: original.ts,
      text: "Widget very broken",
    });
    await emu.idle();
    expect(edited.edited).toEqual({ user: "UACME1", ts: expect.any(String) });
    const stored = emu.workspace.message("C0ACME", original.ts);
    expect(stored?.text).toBe("Widget very broken");
    expect(JSON.stringify(stored?.blocks)).toContain("Widget very broken");
    const [event] = eventsOf(app);
    expect(event).toMatchObject({
      type: "message",
      subtype: "message_changed",
      hidden: true,
      channel: "C0ACME",
      channel_type: "channel",
      message: {
        ts: original.ts,
        user: "UACME1",
        text: "Widget very broken",
        user_team: "T0ACME",
        edited: { user: "UACME1" },
      },
      previous_message: { ts: original.ts, text: "Widget broken" },
    });
    expect(event?.ts).toBe(event?.event_ts);
    expect(event?.ts).not.toBe(original.ts);
    expect(app.received[0]?.json).toMatchObject({ is_ext_shared_channel: true });
  });

  it("a thread reply's edit keeps message.thread_ts", async () => {
    const root = emu.driver.message({ userId: "UACME1", channelId: "C0ACME", text: "Help" });
    const reply = emu.driver.message({
      userId: "UACME1",
      channelId: "C0ACME",
      text: "more",
      threadTs: root.ts,
    });
    await emu.idle();
    app.received.length = 0;
    emu.driver.editMessage({ userId: "UACME1", channelId: "C0ACME", ts: reply.ts, text: "more detail" });
    await emu.idle();
    expect(eventsOf(app)[0]).toMatchObject({
      subtype: "message_changed",
      message: { ts: reply.ts, thread_ts: root.ts, text: "more detail" },
      previous_message: { thread_ts: root.ts, text: "more" },
    });
  });

  it("only the author edits: someone else's message, a bot's message or an unknown ts throw", async () => {
    const m = emu.driver.message({ userId: "UACME1", channelId: "C0ACME", text: "mine" });
    const bot = await slack.chat.postMessage({ channel: "C0ACME", text: "from the app" });
    expect(() => emu.driver.editMessage({ userId: "U1", channelId: "C0ACME", ts: m.ts, text: "x" })).toThrow(
      /only its author/,
    );
    expect(() =>
      emu.driver.editMessage({ userId: "U1", channelId: "C0ACME", ts: bot.ts as string, text: "x" }),
    ).toThrow(/bot/);
    expect(() =>
      emu.driver.editMessage({ userId: "U1", channelId: "C0ACME", ts: "1.000001", text: "x" }),
    ).toThrow(/no message/);
  });
});

describe("driver.deleteMessage", () => {
  it("removes the message and sends message_deleted with deleted_ts and previous_message", async () => {
    const m = emu.driver.message({ userId: "UACME1", channelId: "C0ACME", text: "oops" });
    await emu.idle();
    app.received.length = 0;
    emu.driver.deleteMessage({ userId: "UACME1", channelId: "C0ACME", ts: m.ts });
    await emu.idle();
    expect(emu.workspace.message("C0ACME", m.ts)).toBeUndefined();
    expect(eventsOf(app)[0]).toMatchObject({
      type: "message",
      subtype: "message_deleted",
      hidden: true,
      channel: "C0ACME",
      deleted_ts: m.ts,
      previous_message: { ts: m.ts, text: "oops", user: "UACME1" },
    });
  });

  it("a workspace admin deletes anyone's message; other people cannot", async () => {
    const m = emu.driver.message({ userId: "UACME1", channelId: "C0ACME", text: "spam" });
    expect(() => emu.driver.deleteMessage({ userId: "U1", channelId: "C0ACME", ts: m.ts })).toThrow(
      /not theirs/,
    );
    const home = emu.driver.message({ userId: "U1", channelId: "C0ACME", text: "ours" });
    expect(() => emu.driver.deleteMessage({ userId: "UACME1", channelId: "C0ACME", ts: home.ts })).toThrow(
      /not theirs/,
    );
    emu.driver.deleteMessage({ userId: "UADMIN", channelId: "C0ACME", ts: m.ts });
    expect(emu.workspace.message("C0ACME", m.ts)).toBeUndefined();
  });
});

describe("the app's own chat.update and chat.delete", () => {
  it("produce message_changed and message_deleted to the app, as for anyone's edit", async () => {
    const posted = await slack.chat.postMessage({ channel: "C0ACME", text: "v1" });
    await emu.idle();
    app.received.length = 0;
    await slack.chat.update({ channel: "C0ACME", ts: posted.ts as string, text: "v2" });
    await slack.chat.delete({ channel: "C0ACME", ts: posted.ts as string });
    await emu.idle();
    const events = eventsOf(app);
    const changed = events.find((e) => e.subtype === "message_changed");
    expect(changed).toMatchObject({
      message: { text: "v2", bot_id: emu.workspace.bot.botId, edited: { user: emu.workspace.bot.userId } },
      previous_message: { text: "v1" },
    });
    // No top-level user: Bolt's ignoreSelf lets it through.
    expect(changed?.user).toBeUndefined();
    expect(events.find((e) => e.subtype === "message_deleted")).toMatchObject({ deleted_ts: posted.ts });
  });
});
