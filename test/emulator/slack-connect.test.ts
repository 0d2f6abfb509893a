// Slack Connect: an external organisation's members in channels shared with it, as the app's bot
// token sees them through the real WebClient, and the events their messages produce.
// Sources:
// - https://docs.slack.dev/apis/slack-connect ("Understanding Slack Connect": shared channels,
//   is_ext_shared, messages and users from other teams);
// - https://docs.slack.dev/reference/methods/users.info ("Shared channels": is_stranger) and the
//   user object's is_stranger ("belongs to a different workspace ... and isn't in any shared
//   channels visible to your app");
// - https://slack.com/help/articles/4417558556691 (external organisations see "Basic details
//   (default): name and profile photo");
// - slack-samples/events/MessageChangedPayload.json (message.user_team, message.source_team;
//   envelope is_ext_shared_channel) and @slack/types dist/events/message.d.ts;
// - slack-samples/events/MessageFileSharePayload.json, @slack/types FileShareMessageEvent, and
//   https://docs.slack.dev/reference/scopes/files.read ("View files shared in channels and
//   conversations that your Slack app has been added to").
import type { WebClient } from "@slack/web-api";
import { afterAll, afterEach, beforeAll, describe, expect, it } from "vitest";
import { SlackEmulator } from "../../src/emulator/index.ts";
import { client, type FakeApp, slackError, startFakeApp } from "./helpers.ts";

let emu: SlackEmulator;
let app: FakeApp;
let slack: WebClient;

beforeAll(async () => {
  app = await startFakeApp();
  emu = await SlackEmulator.start({
    rateLimit: false,
    appUrl: app.url,
    scopes: [
      "channels:read",
      "channels:history",
      "channels:join",
      "groups:read",
      "users:read",
      "users:read.email",
      "chat:write",
      "files:read",
    ],
    botEvents: ["message.channels", "message.groups"],
  });
  const ws = emu.workspace;
  ws.addExternalOrg({ teamId: "T0ACME", name: "Acme", domain: "acme" });
  ws.addExternalOrg({ teamId: "T0GLOBEX", name: "Globex" });
  ws.addUser({
    id: "U1",
    name: "alice",
    realName: "Alice Agent",
    email: "alice@herodesk.example",
    title: "Support",
  });
  ws.addUser({
    id: "UACME1",
    name: "wile",
    realName: "Wile E. Coyote",
    email: "wile@acme.example",
    title: "Genius",
    teamId: "T0ACME",
  });
  ws.addUser({
    id: "UGLOBEX1",
    name: "hank",
    realName: "Hank Scorpio",
    email: "hank@globex.example",
    teamId: "T0GLOBEX",
  });
  ws.addChannel({
    id: "C0ACME",
    name: "acme-support",
    members: ["U1", "UACME1"],
    isExtShared: true,
    connectedTeams: ["T0ACME"],
  });
  ws.addChannel({ id: "C0HELP", name: "help", members: ["U1"] });
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

function envelopes(): Record<string, unknown>[] {
  return app.received.map((r) => r.json as Record<string, unknown>);
}

describe("workspace set-up", () => {
  it("refuses members of an organisation the channel is not shared with", () => {
    const ws = emu.workspace;
    expect(() => ws.addUser({ name: "x", teamId: "T0NOBODY" })).toThrow(/unknown team/);
    expect(() => ws.join("C0HELP", "UACME1")).toThrow(/another organisation/);
    expect(() => ws.join("C0ACME", "UGLOBEX1")).toThrow(/another organisation/);
    expect(() => ws.addChannel({ name: "x-shared", isExtShared: true })).toThrow(/connectedTeams/);
    expect(() =>
      ws.addChannel({ name: "x-shared", isExtShared: true, connectedTeams: ["T0NOBODY"] }),
    ).toThrow(/unknown team/);
  });
});

describe("conversations.* on a Slack Connect channel", () => {
  it("conversations.info says it is shared, with whom, and who hosts it", async () => {
    const { channel } = await slack.conversations.info({ channel: "C0ACME" });
    expect(channel).toMatchObject({
      id: "C0ACME",
      is_shared: true,
      is_ext_shared: true,
      is_org_shared: false,
      shared_team_ids: [emu.workspace.team.id, "T0ACME"],
      context_team_id: emu.workspace.team.id,
      conversation_host_id: emu.workspace.team.id,
    });
    const internal = await slack.conversations.info({ channel: "C0HELP" });
    expect(internal.channel).toMatchObject({
      is_shared: false,
      is_ext_shared: false,
      shared_team_ids: [emu.workspace.team.id],
    });
  });

  it("conversations.list and conversations.members include the shared channel and its external members", async () => {
    const list = await slack.conversations.list({});
    expect(list.channels?.find((c) => c.id === "C0ACME")).toMatchObject({ is_ext_shared: true });
    const members = await slack.conversations.members({ channel: "C0ACME" });
    expect(members.members).toEqual(expect.arrayContaining(["U1", "UACME1"]));
  });
});

describe("users.* for members of an external organisation", () => {
  it("users.info gives their own team_id and only the basic details, never the email", async () => {
    const { user } = await slack.users.info({ user: "UACME1" });
    expect(user).toMatchObject({ id: "UACME1", team_id: "T0ACME", real_name: "Wile E. Coyote" });
    expect(user?.profile).toMatchObject({ team: "T0ACME", real_name: "Wile E. Coyote", title: "" });
    expect(user?.profile?.email).toBeUndefined();
    expect(user?.is_stranger).toBeUndefined();
    // A home member's email is there with users:read.email.
    const home = await slack.users.info({ user: "U1" });
    expect(home.user?.profile).toMatchObject({ email: "alice@herodesk.example", title: "Support" });
  });

  it("users.info marks someone the bot shares no channel with as a stranger", async () => {
    const { user } = await slack.users.info({ user: "UGLOBEX1" });
    expect(user).toMatchObject({ team_id: "T0GLOBEX", is_stranger: true });
  });

  it("users.list lists the workspace's own members only; users.lookupByEmail finds no external member", async () => {
    const { members } = await slack.users.list({});
    const ids = members?.map((m) => m.id) ?? [];
    expect(ids).toContain("U1");
    expect(ids).not.toContain("UACME1");
    expect((await slackError(slack.users.lookupByEmail({ email: "wile@acme.example" }))).error).toBe(
      "users_not_found",
    );
    expect((await slack.users.lookupByEmail({ email: "alice@herodesk.example" })).user?.id).toBe("U1");
  });
});

describe("messages in a Slack Connect channel", () => {
  it("an external member's message carries their team, user_team and source_team; the envelope is_ext_shared_channel", async () => {
    const posted = emu.driver.message({
      userId: "UACME1",
      channelId: "C0ACME",
      text: "Our widget is broken",
    });
    await emu.idle();
    const [envelope] = envelopes();
    expect(envelope).toMatchObject({
      type: "event_callback",
      team_id: emu.workspace.team.id,
      context_team_id: emu.workspace.team.id,
      is_ext_shared_channel: true,
      authorizations: [{ team_id: emu.workspace.team.id, user_id: emu.workspace.bot.userId, is_bot: true }],
      event: {
        type: "message",
        channel: "C0ACME",
        channel_type: "channel",
        user: "UACME1",
        team: "T0ACME",
        user_team: "T0ACME",
        source_team: "T0ACME",
        text: "Our widget is broken",
        ts: posted.ts,
      },
    });
    const history = await slack.conversations.history({ channel: "C0ACME" });
    expect(history.messages?.[0]).toMatchObject({ user: "UACME1", team: "T0ACME", user_team: "T0ACME" });
  });

  it("a home member's message there carries the home team; an internal channel's has no user_team and is not ext shared", async () => {
    emu.driver.message({ userId: "U1", channelId: "C0ACME", text: "Looking" });
    emu.driver.message({ userId: "U1", channelId: "C0HELP", text: "Internal" });
    await emu.idle();
    const byChannel = (id: string) =>
      envelopes().find((e) => (e.event as Record<string, unknown>).channel === id) as Record<string, unknown>;
    expect(byChannel("C0ACME")).toMatchObject({
      is_ext_shared_channel: true,
      event: { user: "U1", team: emu.workspace.team.id, user_team: emu.workspace.team.id },
    });
    expect(byChannel("C0HELP").is_ext_shared_channel).toBe(false);
    expect((byChannel("C0HELP").event as Record<string, unknown>).user_team).toBeUndefined();
  });

  it("the driver refuses a message from someone whose organisation the channel is not shared with", () => {
    expect(() => emu.driver.message({ userId: "UACME1", channelId: "C0HELP", text: "hi" })).toThrow(
      /another organisation/,
    );
  });
});

describe("files a customer shares", () => {
  it("arrive as a file_share message with Slack's file object, readable at url_private with files:read", async () => {
    const posted = emu.driver.message({
      userId: "UACME1",
      channelId: "C0ACME",
      text: "Screenshot attached",
      files: [{ name: "error.txt", content: "stack trace" }],
    });
    await emu.idle();
    const event = envelopes()[0]?.event as Record<string, unknown>;
    expect(event).toMatchObject({
      type: "message",
      subtype: "file_share",
      user: "UACME1",
      user_team: "T0ACME",
      upload: true,
      ts: posted.ts,
      files: [{ name: "error.txt", user: "UACME1", user_team: "T0ACME", size: 11, mimetype: "text/plain" }],
    });
    const file = (event.files as Record<string, unknown>[])[0] as { url_private: string; id: string };
    const ok = await fetch(file.url_private, { headers: { authorization: `Bearer ${emu.botToken}` } });
    expect(ok.status).toBe(200);
    expect(await ok.text()).toBe("stack trace");
    expect(emu.workspace.file(file.id)?.shares).toEqual([
      expect.objectContaining({ channel: "C0ACME", ts: posted.ts }),
    ]);
  });

  it("a file shared only where the bot is not is Forbidden to it", async () => {
    emu.workspace.addChannel({ id: "C0QUIET", name: "quiet", members: ["U1"], botIsMember: false });
    const posted = emu.driver.message({
      userId: "U1",
      channelId: "C0QUIET",
      text: "",
      files: [{ name: "notes.txt", content: "x" }],
    });
    const file = posted.files?.[0] as { url_private: string };
    const res = await fetch(file.url_private, { headers: { authorization: `Bearer ${emu.botToken}` } });
    expect(res.status).toBe(403);
  });
});
