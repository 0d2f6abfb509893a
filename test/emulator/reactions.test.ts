// Reactions: people's (driver.react / unreact) and the bot's (reactions.add / reactions.remove),
// and the reaction_added / reaction_removed events. Sources:
// - https://docs.slack.dev/reference/events/reaction_added and reaction_removed (fields; required
//   scope reactions:read);
// - @slack/types dist/events/reaction.d.ts (ReactionAddedEvent: user, reaction, item_user,
//   item {type: "message", channel, ts}, event_ts);
// - https://docs.slack.dev/reference/methods/reactions.remove (reactions:write; no_reaction,
//   message_not_found, invalid_name) and reactions.add (already_reacted).
import type { WebClient } from "@slack/web-api";
import { afterAll, afterEach, beforeAll, describe, expect, it } from "vitest";
import { SlackEmulator } from "../../src/emulator/index.ts";
import { client, eventsOf, type FakeApp, slackError, startFakeApp } from "./helpers.ts";

let emu: SlackEmulator;
let app: FakeApp;
let slack: WebClient;

async function start(scopes: string[]): Promise<void> {
  emu = await SlackEmulator.start({
    rateLimit: false,
    appUrl: app.url,
    scopes,
    botEvents: ["message.channels", "reaction_added", "reaction_removed"],
  });
  const ws = emu.workspace;
  ws.addExternalOrg({ teamId: "T0ACME", name: "Acme" });
  ws.addUser({ id: "U1", name: "alice" });
  ws.addUser({ id: "UACME1", name: "wile", teamId: "T0ACME" });
  ws.addChannel({
    id: "C0ACME",
    name: "acme",
    members: ["U1", "UACME1"],
    isExtShared: true,
    connectedTeams: ["T0ACME"],
  });
  ws.addChannel({ id: "C0OTHER", name: "other", members: ["U1"], botIsMember: false });
  slack = client(emu);
}

beforeAll(async () => {
  app = await startFakeApp();
  await start(["channels:history", "chat:write", "reactions:read", "reactions:write"]);
});

afterAll(async () => {
  await emu.stop();
  await app.close();
});

afterEach(async () => {
  await emu.idle();
  app.received.length = 0;
});

describe("a person's reactions", () => {
  it("react sends reaction_added with item, item_user and the reactor; unreact reaction_removed", async () => {
    const bot = await slack.chat.postMessage({ channel: "C0ACME", text: "We are on it" });
    await emu.idle();
    app.received.length = 0;
    emu.driver.react({ userId: "UACME1", channelId: "C0ACME", ts: bot.ts as string, name: ":thumbsup:" });
    await emu.idle();
    expect(emu.workspace.message("C0ACME", bot.ts as string)?.reactions).toEqual([
      { name: "thumbsup", users: ["UACME1"], count: 1 },
    ]);
    const [added] = eventsOf(app);
    expect(added).toEqual({
      type: "reaction_added",
      user: "UACME1",
      reaction: "thumbsup",
      item_user: emu.workspace.bot.userId,
      item: { type: "message", channel: "C0ACME", ts: bot.ts },
      event_ts: expect.any(String),
    });
    expect(app.received[0]?.json).toMatchObject({ is_ext_shared_channel: true });
    app.received.length = 0;
    emu.driver.unreact({ userId: "UACME1", channelId: "C0ACME", ts: bot.ts as string, name: "thumbsup" });
    await emu.idle();
    expect(emu.workspace.message("C0ACME", bot.ts as string)?.reactions).toBeUndefined();
    expect(eventsOf(app)[0]).toMatchObject({
      type: "reaction_removed",
      user: "UACME1",
      reaction: "thumbsup",
    });
  });

  it("a reaction on a person's message names them as item_user", async () => {
    const m = emu.driver.message({ userId: "UACME1", channelId: "C0ACME", text: "help" });
    emu.driver.react({ userId: "U1", channelId: "C0ACME", ts: m.ts, name: "eyes" });
    await emu.idle();
    expect(eventsOf(app).find((e) => e.type === "reaction_added")).toMatchObject({
      user: "U1",
      item_user: "UACME1",
    });
  });

  it("the driver refuses repeats, missing reactions, bad names, unknown messages and non-members", () => {
    const m = emu.driver.message({ userId: "U1", channelId: "C0ACME", text: "x" });
    emu.driver.react({ userId: "U1", channelId: "C0ACME", ts: m.ts, name: "eyes" });
    expect(() => emu.driver.react({ userId: "U1", channelId: "C0ACME", ts: m.ts, name: "eyes" })).toThrow(
      /already/,
    );
    expect(() => emu.driver.unreact({ userId: "U1", channelId: "C0ACME", ts: m.ts, name: "tada" })).toThrow(
      /no :tada:/,
    );
    expect(() =>
      emu.driver.react({ userId: "U1", channelId: "C0ACME", ts: m.ts, name: "Not An Emoji" }),
    ).toThrow(/emoji name/);
    expect(() =>
      emu.driver.react({ userId: "U1", channelId: "C0ACME", ts: "1.000001", name: "eyes" }),
    ).toThrow(/no message/);
    expect(() =>
      emu.driver.react({ userId: "UACME1", channelId: "C0OTHER", ts: m.ts, name: "eyes" }),
    ).toThrow(/another organisation/);
  });

  it("no event from a channel the bot is not in", async () => {
    const m = emu.driver.message({ userId: "U1", channelId: "C0OTHER", text: "internal" });
    emu.driver.react({ userId: "U1", channelId: "C0OTHER", ts: m.ts, name: "eyes" });
    await emu.idle();
    expect(eventsOf(app)).toEqual([]);
  });
});

describe("the bot's reactions.add / reactions.remove", () => {
  it("removes its own reaction, refuses one it did not add, and announces both changes", async () => {
    const m = emu.driver.message({ userId: "UACME1", channelId: "C0ACME", text: "thanks" });
    await slack.reactions.add({ channel: "C0ACME", timestamp: m.ts, name: "white_check_mark" });
    expect(
      (
        await slackError(
          slack.reactions.add({ channel: "C0ACME", timestamp: m.ts, name: "white_check_mark" }),
        )
      ).error,
    ).toBe("already_reacted");
    await slack.reactions.remove({ channel: "C0ACME", timestamp: m.ts, name: "white_check_mark" });
    expect(
      (
        await slackError(
          slack.reactions.remove({ channel: "C0ACME", timestamp: m.ts, name: "white_check_mark" }),
        )
      ).error,
    ).toBe("no_reaction");
    expect(
      (await slackError(slack.reactions.remove({ channel: "C0ACME", timestamp: "1.000001", name: "eyes" })))
        .error,
    ).toBe("message_not_found");
    expect(
      (await slackError(slack.reactions.remove({ channel: "C0ACME", timestamp: m.ts, name: "Bad Name" })))
        .error,
    ).toBe("invalid_name");
    await emu.idle();
    const events = eventsOf(app).filter((e) => e.type !== "message");
    expect(events.map((e) => [e.type, e.user, e.item_user])).toEqual([
      ["reaction_added", emu.workspace.bot.userId, "UACME1"],
      ["reaction_removed", emu.workspace.bot.userId, "UACME1"],
    ]);
  });
});

describe("without reactions:read", () => {
  it("Slack sends no reaction events", async () => {
    await emu.stop();
    await start(["channels:history", "chat:write"]);
    const m = emu.driver.message({ userId: "U1", channelId: "C0ACME", text: "x" });
    await emu.idle();
    app.received.length = 0;
    emu.driver.react({ userId: "U1", channelId: "C0ACME", ts: m.ts, name: "eyes" });
    await emu.idle();
    expect(eventsOf(app)).toEqual([]);
  });
});
