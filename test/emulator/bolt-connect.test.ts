// What a real Bolt app (HTTPReceiver, default ignoreSelf) hears of the events this work added.
// bolt-js src/middleware/builtin.ts ignoreSelf: drops message events with subtype bot_message from
// this bot, and any event whose top-level `user` is the bot unless it is member_joined_channel or
// member_left_channel. So: the bot's own invitation is heard, its own reaction is not, and
// message_changed for its own chat.update is (no top-level user).
import type { Server } from "node:http";
import type { AddressInfo } from "node:net";
import { App, HTTPReceiver, LogLevel } from "@slack/bolt";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { SlackEmulator } from "../../src/emulator/index.ts";
import { silentLogger, TOKEN } from "./helpers.ts";

let emu: SlackEmulator;
let app: App;
const heard: Record<string, unknown>[] = [];

beforeAll(async () => {
  emu = await SlackEmulator.start({
    rateLimit: false,
    scopes: ["channels:read", "channels:history", "chat:write", "reactions:read", "reactions:write"],
    botEvents: ["message.channels", "member_joined_channel", "reaction_added"],
  });
  emu.workspace.addExternalOrg({ teamId: "T0ACME", name: "Acme" });
  emu.workspace.addUser({ id: "U1", name: "alice" });
  emu.workspace.addUser({ id: "UACME1", name: "wile", teamId: "T0ACME" });
  emu.workspace.addChannel({
    id: "C0ACME",
    name: "acme",
    members: ["U1", "UACME1"],
    isExtShared: true,
    connectedTeams: ["T0ACME"],
    botIsMember: false,
  });
  const receiver = new HTTPReceiver({ signingSecret: emu.signingSecret, logLevel: LogLevel.ERROR });
  app = new App({
    token: TOKEN,
    receiver,
    logger: silentLogger,
    clientOptions: { slackApiUrl: emu.apiUrl, retryConfig: { retries: 0 } },
  });
  app.event("member_joined_channel", async ({ event }) => {
    heard.push(event as unknown as Record<string, unknown>);
  });
  app.event("reaction_added", async ({ event }) => {
    heard.push(event as unknown as Record<string, unknown>);
  });
  app.event("message", async ({ event }) => {
    heard.push(event as unknown as Record<string, unknown>);
  });
  const server = (await app.start(0)) as Server;
  emu.setAppUrl(`http://127.0.0.1:${(server.address() as AddressInfo).port}/slack/events`);
});

afterAll(async () => {
  await app.stop();
  await emu.stop();
});

describe("Bolt with ignoreSelf", () => {
  it("hears its invitation, a customer's message, edit and reaction; not its own reaction", async () => {
    emu.driver.inviteBot({ userId: "U1", channelId: "C0ACME" });
    const m = emu.driver.message({ userId: "UACME1", channelId: "C0ACME", text: "help" });
    emu.driver.editMessage({ userId: "UACME1", channelId: "C0ACME", ts: m.ts, text: "help please" });
    emu.driver.react({ userId: "UACME1", channelId: "C0ACME", ts: m.ts, name: "eyes" });
    await emu.idle({ settleMs: 50 });
    await app.client.reactions.add({ channel: "C0ACME", timestamp: m.ts, name: "white_check_mark" });
    const posted = await app.client.chat.postMessage({ channel: "C0ACME", text: "v1" });
    await app.client.chat.update({ channel: "C0ACME", ts: posted.ts as string, text: "v2" });
    await emu.idle({ settleMs: 50 });
    const kinds = heard.map((e) => `${e.type}${e.subtype ? `/${e.subtype}` : ""}:${String(e.user ?? "")}`);
    expect(kinds).toEqual(
      expect.arrayContaining([
        `member_joined_channel:${emu.workspace.bot.userId}`,
        "message:UACME1",
        "message/message_changed:",
        "reaction_added:UACME1",
      ]),
    );
    // Its own reaction and its own post (top-level user = the bot) are dropped by ignoreSelf.
    expect(kinds).not.toContain(`reaction_added:${emu.workspace.bot.userId}`);
    expect(kinds).not.toContain(`message:${emu.workspace.bot.userId}`);
    // Its own edit does arrive.
    expect(heard.filter((e) => e.subtype === "message_changed")).toHaveLength(2);
  });
});
