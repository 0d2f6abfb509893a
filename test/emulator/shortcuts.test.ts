// Message shortcuts through a real Bolt app (HTTPReceiver and SocketModeReceiver), and the driver's
// strictness about them. Sources:
// - https://docs.slack.dev/reference/interaction-payloads/shortcuts-interactions-payload (type
//   "message_action" for message shortcuts; callback_id, trigger_id, response_url, message,
//   channel, user, team; response_url "only included for message shortcuts");
// - bolt-js src/types/shortcuts/message-shortcut.ts (MessageShortcut: message_ts, action_ts, token,
//   user {id, name, team_id, username}, channel {id, name}, team {id, domain});
// - https://docs.slack.dev/reference/app-manifest (features.shortcuts: name, type, callback_id,
//   description): a shortcut the manifest does not declare never appears in Slack's menus.
import type { Server } from "node:http";
import type { AddressInfo } from "node:net";
import { App, HTTPReceiver, LogLevel, SocketModeReceiver } from "@slack/bolt";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { SlackEmulator } from "../../src/emulator/index.ts";
import { silentLogger, TOKEN } from "./helpers.ts";

const SHORTCUTS = [
  { name: "Open a conversation", type: "message", callback_id: "open_conversation", description: "Track it" },
  { name: "New ticket", type: "global", callback_id: "new_ticket", description: "Global one" },
];

let emu: SlackEmulator;
let app: App;
const seen: Record<string, unknown>[] = [];

function seed(e: SlackEmulator): void {
  e.workspace.addExternalOrg({ teamId: "T0ACME", name: "Acme" });
  e.workspace.addUser({ id: "U1", name: "alice" });
  e.workspace.addUser({ id: "UACME1", name: "wile", teamId: "T0ACME" });
  e.workspace.addChannel({
    id: "C0ACME",
    name: "acme",
    members: ["U1", "UACME1"],
    isExtShared: true,
    connectedTeams: ["T0ACME"],
  });
}

function listen(a: App): void {
  a.shortcut("open_conversation", async ({ shortcut, ack, client, respond }) => {
    seen.push(shortcut as unknown as Record<string, unknown>);
    await ack();
    if (shortcut.type !== "message_action") return;
    await client.views.open({
      trigger_id: shortcut.trigger_id,
      view: { type: "modal", title: { type: "plain_text", text: "Track" }, blocks: [] },
    });
    await respond({ text: `Tracking ${shortcut.message_ts}` });
  });
}

beforeAll(async () => {
  emu = await SlackEmulator.start({ rateLimit: false, shortcuts: SHORTCUTS });
  seed(emu);
  const receiver = new HTTPReceiver({ signingSecret: emu.signingSecret, logLevel: LogLevel.ERROR });
  app = new App({
    token: TOKEN,
    receiver,
    logger: silentLogger,
    clientOptions: { slackApiUrl: emu.apiUrl, retryConfig: { retries: 0 } },
  });
  listen(app);
  const server = (await app.start(0)) as Server;
  emu.setAppUrl(`http://127.0.0.1:${(server.address() as AddressInfo).port}/slack/events`);
});

afterAll(async () => {
  await app.stop();
  await emu.stop();
});

describe("driver.messageShortcut", () => {
  it("sends the signed message_action payload Bolt's shortcut() listener accepts", async () => {
    const m = emu.driver.message({ userId: "UACME1", channelId: "C0ACME", text: "Our widget is broken" });
    const res = await emu.driver.messageShortcut({
      userId: "U1",
      channelId: "C0ACME",
      messageTs: m.ts,
      callbackId: "open_conversation",
    });
    expect(res.status).toBe(200);
    await emu.idle({ settleMs: 50 });
    expect(seen.at(-1)).toMatchObject({
      type: "message_action",
      callback_id: "open_conversation",
      trigger_id: res.triggerId,
      response_url: res.responseUrl,
      message_ts: m.ts,
      action_ts: expect.any(String),
      token: expect.any(String),
      user: { id: "U1", name: "alice", team_id: emu.workspace.team.id },
      channel: { id: "C0ACME", name: "acme" },
      team: { id: emu.workspace.team.id, domain: emu.workspace.team.domain },
      message: { ts: m.ts, text: "Our widget is broken", user: "UACME1", user_team: "T0ACME" },
    });
    // trigger_id opened the modal; response_url answered the person (ephemeral by default).
    expect(emu.workspace.openViews.at(-1)?.trigger).toBe(res.triggerId);
    expect(emu.ephemerals.at(-1)).toMatchObject({ channel: "C0ACME", user: "U1", text: `Tracking ${m.ts}` });
  });

  it("refuses an undeclared or global callback_id, an unknown message and a member of the other organisation", async () => {
    const m = emu.driver.message({ userId: "U1", channelId: "C0ACME", text: "x" });
    const base = { userId: "U1", channelId: "C0ACME", messageTs: m.ts };
    await expect(emu.driver.messageShortcut({ ...base, callbackId: "nope" })).rejects.toThrow(
      /declares no message shortcut/,
    );
    await expect(emu.driver.messageShortcut({ ...base, callbackId: "new_ticket" })).rejects.toThrow(
      /declares no message shortcut/,
    );
    await expect(
      emu.driver.messageShortcut({ ...base, messageTs: "1.000001", callbackId: "open_conversation" }),
    ).rejects.toThrow(/no message/);
    await expect(
      emu.driver.messageShortcut({ ...base, userId: "UACME1", callbackId: "open_conversation" }),
    ).rejects.toThrow(/another organisation/);
    await expect(
      emu.driver.slashCommand({ userId: "UACME1", channelId: "C0ACME", text: "help" }),
    ).rejects.toThrow(/another organisation/);
  });

  it("reads the shortcuts from a manifest's features.shortcuts and checks their shape", async () => {
    await expect(SlackEmulator.start({ shortcuts: [{ type: "message", callback_id: "x" }] })).rejects.toThrow(
      /features.shortcuts\[0\].name/,
    );
  });
});

describe("over Socket Mode", () => {
  it("delivers the same payload as an interactive envelope", async () => {
    const socketEmu = await SlackEmulator.start({
      rateLimit: false,
      delivery: "socket",
      shortcuts: SHORTCUTS,
    });
    seed(socketEmu);
    const receiver = new SocketModeReceiver({
      appToken: socketEmu.appToken,
      logLevel: LogLevel.ERROR,
      installerOptions: { clientOptions: { slackApiUrl: socketEmu.apiUrl } },
    });
    const socketApp = new App({
      token: TOKEN,
      receiver,
      logger: silentLogger,
      clientOptions: { slackApiUrl: socketEmu.apiUrl, retryConfig: { retries: 0 } },
    });
    listen(socketApp);
    try {
      await socketApp.start();
      await socketEmu.socketMode.waitForConnections(1);
      const m = socketEmu.driver.message({ userId: "UACME1", channelId: "C0ACME", text: "help" });
      await socketEmu.driver.messageShortcut({
        userId: "U1",
        channelId: "C0ACME",
        messageTs: m.ts,
        callbackId: "open_conversation",
      });
      await socketEmu.idle({ settleMs: 50 });
      expect(seen.at(-1)).toMatchObject({ type: "message_action", message_ts: m.ts });
      expect(socketEmu.socketMode.envelopes.at(-1)).toMatchObject({ type: "interactive", outcome: "acked" });
    } finally {
      await socketApp.stop();
      await socketEmu.stop();
    }
  });
});
