// A person adds the app's bot to a channel (and removes it). Sources:
// - https://docs.slack.dev/reference/events/member_joined_channel (user, channel, channel_type
//   "C" public / "G" private, team, inviter; "If your bot or app has the channels:read scope, it
//   will receive events for public channels. If it has groups:read, ... private channels");
// - slack-samples/events/MemberJoinedChannelPayload.json; @slack/types MemberJoinedChannelEvent;
// - bolt-js src/middleware/builtin.ts ignoreSelf keeps member_joined_channel for the bot itself
//   ("eventsWhichShouldBeKept"), so the app hears its own invitation;
// - https://docs.slack.dev/apis/slack-connect: apps are installed per organisation; in a shared
//   channel only the installing workspace's members add its app (README, chosen where vague).
import { afterAll, afterEach, beforeAll, describe, expect, it } from "vitest";
import { SlackEmulator } from "../../src/emulator/index.ts";
import { eventsOf, type FakeApp, startFakeApp } from "./helpers.ts";

let emu: SlackEmulator;
let app: FakeApp;

async function start(scopes: string[]): Promise<void> {
  emu = await SlackEmulator.start({
    rateLimit: false,
    appUrl: app.url,
    scopes,
    botEvents: ["message.channels", "member_joined_channel", "channel_left", "group_left"],
  });
  const ws = emu.workspace;
  ws.addExternalOrg({ teamId: "T0ACME", name: "Acme" });
  ws.addUser({ id: "U1", name: "alice" });
  ws.addUser({ id: "U2", name: "bob" });
  ws.addUser({ id: "UACME1", name: "wile", teamId: "T0ACME" });
  ws.addChannel({
    id: "C0ACME",
    name: "acme",
    members: ["U1", "UACME1"],
    isExtShared: true,
    connectedTeams: ["T0ACME"],
    botIsMember: false,
  });
  ws.addChannel({ id: "C0PRIV", name: "vip", isPrivate: true, members: ["U1"], botIsMember: false });
  ws.addChannel({ id: "C0OLD", name: "old", members: ["U1"], botIsMember: false, isArchived: true });
}

beforeAll(async () => {
  app = await startFakeApp();
  await start(["channels:read", "groups:read", "channels:history"]);
});

afterAll(async () => {
  await emu.stop();
  await app.close();
});

afterEach(async () => {
  await emu.idle();
  app.received.length = 0;
});

describe("driver.inviteBot", () => {
  it("makes the bot a member and sends member_joined_channel with the inviter, ext shared", async () => {
    emu.driver.inviteBot({ userId: "U1", channelId: "C0ACME" });
    await emu.idle();
    expect(emu.workspace.isMember("C0ACME", emu.workspace.bot.userId)).toBe(true);
    expect(app.received[0]?.json).toMatchObject({
      is_ext_shared_channel: true,
      event: {
        type: "member_joined_channel",
        user: emu.workspace.bot.userId,
        channel: "C0ACME",
        channel_type: "C",
        team: emu.workspace.team.id,
        inviter: "U1",
        event_ts: expect.any(String),
      },
    });
    // From now on the customer's messages reach the app.
    app.received.length = 0;
    emu.driver.message({ userId: "UACME1", channelId: "C0ACME", text: "hello" });
    await emu.idle();
    expect(eventsOf(app)[0]).toMatchObject({ type: "message", user: "UACME1" });
  });

  it("a private channel's event says channel_type G", async () => {
    emu.driver.inviteBot({ userId: "U1", channelId: "C0PRIV" });
    await emu.idle();
    expect(eventsOf(app)[0]).toMatchObject({
      type: "member_joined_channel",
      channel: "C0PRIV",
      channel_type: "G",
    });
  });

  it("refuses a member of the other organisation, a non-member, an archived channel and a second invitation", () => {
    expect(() => emu.driver.inviteBot({ userId: "UACME1", channelId: "C0ACME" })).toThrow(
      /another organisation/,
    );
    expect(() => emu.driver.inviteBot({ userId: "U2", channelId: "C0ACME" })).toThrow(/not a member/);
    expect(() => emu.driver.inviteBot({ userId: "U1", channelId: "C0OLD" })).toThrow(/archived/);
    expect(() => emu.driver.inviteBot({ userId: "U1", channelId: "C0ACME" })).toThrow(/already/);
  });

  it("removeBot sends channel_left / group_left with the actor", async () => {
    emu.driver.removeBot({ userId: "U1", channelId: "C0ACME" });
    emu.driver.removeBot({ userId: "U1", channelId: "C0PRIV" });
    await emu.idle();
    expect(eventsOf(app).map((e) => [e.type, e.channel, e.actor_id])).toEqual(
      expect.arrayContaining([
        ["channel_left", "C0ACME", "U1"],
        ["group_left", "C0PRIV", "U1"],
      ]),
    );
    expect(() => emu.driver.removeBot({ userId: "U1", channelId: "C0ACME" })).toThrow(/not in/);
  });

  it("without groups:read the app hears nothing of a private channel invitation", async () => {
    await emu.stop();
    await start(["channels:read", "channels:history"]);
    emu.driver.inviteBot({ userId: "U1", channelId: "C0PRIV" });
    await emu.idle();
    expect(eventsOf(app)).toEqual([]);
    expect(emu.workspace.isMember("C0PRIV", emu.workspace.bot.userId)).toBe(true);
  });
});
