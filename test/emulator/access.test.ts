// Access beyond scopes: channel membership (chat:write.public, events and history only from
// channels the bot is in, private channels invisible, joining, removal and invitation), archived
// channels, the bot token's state, and channels with posting restrictions. Each rule cites where
// Slack documents it; choices where Slack is silent are in src/emulator/README.md.
import type { WebClient } from "@slack/web-api";
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from "vitest";
import { readManifest } from "../../src/emulator/access.ts";
import { type EmulatorOptions, SlackEmulator } from "../../src/emulator/index.ts";
import { client, eventsOf, type FakeApp, slackError, startFakeApp } from "./helpers.ts";

const MANIFEST_SCOPES = readManifest().botScopes;
// HeroDesk itself does not ask for chat:write.public or reactions:write (it joins its channels,
// and reacts to nothing); these rules are shown with them granted.
const GRANTED = [...MANIFEST_SCOPES, "chat:write.public", "reactions:write"];
const started: SlackEmulator[] = [];
let app: FakeApp;

beforeAll(async () => {
  app = await startFakeApp();
});
afterAll(async () => {
  for (const e of started) await e.stop();
  await app.close();
});
beforeEach(() => {
  app.received.length = 0;
});

async function emulator(options: EmulatorOptions = {}): Promise<{ emu: SlackEmulator; slack: WebClient }> {
  const emu = await SlackEmulator.start({ rateLimit: false, appUrl: app.url, scopes: GRANTED, ...options });
  started.push(emu);
  const ws = emu.workspace;
  ws.addUser({ id: "U1", name: "alice" });
  ws.addUser({ id: "U2", name: "bob" });
  ws.addChannel({ id: "C1", name: "support", members: ["U1"] });
  ws.addChannel({ id: "C2", name: "lobby", members: ["U1"], botIsMember: false });
  ws.addChannel({ id: "G1", name: "secret", isPrivate: true, members: ["U1"], botIsMember: false });
  ws.addChannel({ id: "G2", name: "team", isPrivate: true, members: ["U1"] });
  ws.addChannel({ id: "C3", name: "old", members: ["U1"], isArchived: true, botIsMember: false });
  return { emu, slack: client(emu) };
}

const eventsIn = (channel: string) => eventsOf(app).filter((e) => e.channel === channel);

describe("chat:write.public and membership", () => {
  // docs.slack.dev/reference/scopes/chat.write.public: "Send messages to channels your Slack app
  // isn't a member of". chat.postMessage's error table: not_in_channel "Cannot post user
  // messages to a channel they are not in".
  it("with chat:write.public the bot posts in a public channel it is not in", async () => {
    const { emu, slack } = await emulator();
    const res = await slack.chat.postMessage({ channel: "C2", text: "hello lobby" });
    expect(res.ok).toBe(true);
    expect(emu.workspace.messages("C2").map((m) => m.text)).toEqual(["hello lobby"]);
    expect(emu.workspace.isMember("C2", "U0HEROBOT")).toBe(false);
  });

  it("without chat:write.public (HeroDesk's manifest) it is not_in_channel, and nothing is posted", async () => {
    expect(MANIFEST_SCOPES).not.toContain("chat:write.public");
    const { emu, slack } = await emulator({ scopes: MANIFEST_SCOPES });
    expect((await slackError(slack.chat.postMessage({ channel: "C2", text: "x" }))).error).toBe(
      "not_in_channel",
    );
    expect(emu.workspace.messages("C2")).toHaveLength(0);
  });

  it("chat:write.public does not open private channels: channel_not_found", async () => {
    const { slack } = await emulator();
    expect((await slackError(slack.chat.postMessage({ channel: "G1", text: "x" }))).error).toBe(
      "channel_not_found",
    );
  });

  // docs.slack.dev/reference/scopes/channels.history: "View messages and other content in public
  // channels that your Slack app has been added to"; message.channels events come from those
  // channels only (issue 9: thread replies in a channel the bot only posted to never arrive).
  it("sends no message events from a channel the bot is not in, even after it posted there", async () => {
    const { emu, slack } = await emulator();
    const card = await slack.chat.postMessage({ channel: "C2", text: "card" });
    emu.driver.message({ userId: "U1", channelId: "C2", text: "agent reply", threadTs: card.ts as string });
    emu.driver.message({ userId: "U1", channelId: "C1", text: "in a member channel" });
    await emu.idle();
    expect(eventsIn("C2")).toHaveLength(0);
    expect(eventsIn("C1").map((e) => e.text)).toEqual(["in a member channel"]);
  });

  // conversations.history errors: not_in_channel "The token used does not have access to the
  // proper channel. Only user tokens can access public channels they are not in."
  // conversations.replies: the same scope (channels:history: channels "your Slack app has been
  // added to"); its table does not list not_in_channel, the emulator answers it too (README).
  it("history and replies of a public channel need membership: not_in_channel, then join", async () => {
    const { slack } = await emulator();
    const card = await slack.chat.postMessage({ channel: "C2", text: "card" });
    expect((await slackError(slack.conversations.history({ channel: "C2" }))).error).toBe("not_in_channel");
    expect(
      (await slackError(slack.conversations.replies({ channel: "C2", ts: card.ts as string }))).error,
    ).toBe("not_in_channel");
    await slack.conversations.join({ channel: "C2" });
    expect((await slack.conversations.history({ channel: "C2" })).messages).toHaveLength(1);
  });

  // Private conversations the bot is not in do not exist for it: every method's
  // channel_not_found ("Value passed for channel was invalid"); slackapi/bolt-js#1656 for join.
  it("a private channel the bot is not in is channel_not_found for every method", async () => {
    const { emu, slack } = await emulator();
    const ts = emu.workspace.postMessage({ channel: "G1", from: { kind: "user", userId: "U1" }, text: "s" })
      .message.ts;
    const calls: [string, Record<string, unknown>][] = [
      ["chat.postMessage", { channel: "G1", text: "x" }],
      ["chat.update", { channel: "G1", ts, text: "x" }],
      ["chat.delete", { channel: "G1", ts }],
      ["chat.postEphemeral", { channel: "G1", user: "U1", text: "x" }],
      ["chat.getPermalink", { channel: "G1", message_ts: ts }],
      ["conversations.info", { channel: "G1" }],
      ["conversations.history", { channel: "G1" }],
      ["conversations.replies", { channel: "G1", ts }],
      ["conversations.members", { channel: "G1" }],
      ["conversations.join", { channel: "G1" }],
      ["reactions.add", { channel: "G1", timestamp: ts, name: "eyes" }],
    ];
    for (const [method, args] of calls) {
      expect((await slackError(slack.apiCall(method, args))).error, method).toBe("channel_not_found");
    }
  });

  // conversations.join: bot token scope channels:join; errors method_not_supported_for_channel_type
  // "This type of conversation cannot be used with this method" and is_archived "Channel has been
  // archived" (docs.slack.dev/reference/methods/conversations.join).
  it("conversations.join: public channels only; a private one it is in is method_not_supported_for_channel_type", async () => {
    const { emu, slack } = await emulator();
    expect((await slackError(slack.conversations.join({ channel: "G2" }))).error).toBe(
      "method_not_supported_for_channel_type",
    );
    const dm = emu.workspace.dmChannelFor("U1");
    expect((await slackError(slack.conversations.join({ channel: dm }))).error).toBe(
      "method_not_supported_for_channel_type",
    );
    expect((await slackError(slack.conversations.join({ channel: "C3" }))).error).toBe("is_archived");
    expect(emu.workspace.isMember("C3", "U0HEROBOT")).toBe(false);
    const missing = await emulator({ scopes: GRANTED.filter((s) => s !== "channels:join") });
    expect(await slackError(missing.slack.conversations.join({ channel: "C2" }))).toMatchObject({
      error: "missing_scope",
      needed: "channels:join",
    });
  });

  // chat.update / chat.delete in a public channel the bot is not in: their error tables list
  // cant_update_message / cant_delete_message ("Authenticated user does not have permission to
  // update/delete this message"); Slack says nothing about membership (README: chosen strictly).
  it("chat.update and chat.delete in a public channel the bot is not in are refused", async () => {
    const { emu, slack } = await emulator();
    const posted = await slack.chat.postMessage({ channel: "C2", text: "v1" });
    const ts = posted.ts as string;
    expect((await slackError(slack.chat.update({ channel: "C2", ts, text: "v2" }))).error).toBe(
      "cant_update_message",
    );
    expect((await slackError(slack.chat.delete({ channel: "C2", ts }))).error).toBe("cant_delete_message");
    expect(emu.workspace.message("C2", ts)?.text).toBe("v1");
  });
});

describe("the bot removed from a channel and invited back", () => {
  it("after removal: no events, no history; chat:write.public still posts", async () => {
    const { emu, slack } = await emulator();
    emu.removeFromChannel("C1", { by: "U1" });
    expect(emu.workspace.isMember("C1", "U0HEROBOT")).toBe(false);
    emu.driver.message({ userId: "U1", channelId: "C1", text: "nobody hears this" });
    await emu.idle();
    // HeroDesk's manifest subscribes to channel_left: that, and nothing else, arrives.
    expect(eventsIn("C1").map((e) => e.type)).toEqual(["channel_left"]);
    expect((await slackError(slack.conversations.history({ channel: "C1" }))).error).toBe("not_in_channel");
    expect((await slack.chat.postMessage({ channel: "C1", text: "still posts" })).ok).toBe(true);
  });

  it("removed from a private channel, the bot cannot see it any more", async () => {
    const { emu, slack } = await emulator();
    emu.removeFromChannel("G2");
    expect((await slackError(slack.chat.postMessage({ channel: "G2", text: "x" }))).error).toBe(
      "channel_not_found",
    );
  });

  // docs.slack.dev/reference/events/member_joined_channel: sent when a user joins, "Bot users will
  // receive this event when a new member joins a channel your bot or app is already a member of";
  // public channels need channels:read, private ones groups:read. HeroDesk's manifest does not
  // subscribe to it, so HeroDesk hears nothing when it is invited back.
  it("invited back: events flow again; member_joined_channel only when subscribed", async () => {
    // Not subscribed (HeroDesk's manifest subscribes to it since issue 13).
    const { emu } = await emulator({
      botEvents: readManifest().botEvents.filter((e) => e !== "member_joined_channel"),
    });
    emu.removeFromChannel("C1");
    emu.inviteToChannel("C1", { inviter: "U1" });
    emu.driver.message({ userId: "U1", channelId: "C1", text: "welcome back" });
    await emu.idle();
    expect(eventsIn("C1").map((e) => e.type)).toEqual(["channel_left", "message"]);

    const subscribed = await emulator({ botEvents: [...readManifest().botEvents, "member_joined_channel"] });
    subscribed.emu.removeFromChannel("C1");
    await subscribed.emu.idle(); // its channel_left delivered before the count starts
    app.received.length = 0;
    subscribed.emu.inviteToChannel("C1", { inviter: "U1" });
    await subscribed.emu.idle();
    const [joined] = eventsIn("C1");
    // Field names as slack-samples/events/MemberJoinedChannelPayload.json.
    expect(joined).toEqual({
      type: "member_joined_channel",
      user: "U0HEROBOT",
      channel: "C1",
      channel_type: "C",
      team: "T0HERODESK",
      inviter: "U1",
      event_ts: expect.stringMatching(/^\d+\.\d{6}$/),
    });
  });

  // The bot joining by itself is a member_joined_channel too (no inviter); leaving is channel_left
  // ("You left a channel", channels:read), both only when subscribed.
  it("conversations.join and conversations.leave send member_joined_channel and channel_left when subscribed", async () => {
    const botEvents = [...readManifest().botEvents, "member_joined_channel", "channel_left"];
    const { emu, slack } = await emulator({ botEvents, scopes: [...GRANTED, "channels:manage"] });
    await slack.conversations.join({ channel: "C2" });
    await slack.conversations.leave({ channel: "C2" });
    await emu.idle();
    expect(eventsIn("C2").map((e) => [e.type, e.user])).toEqual([
      ["member_joined_channel", "U0HEROBOT"],
      ["channel_left", undefined],
    ]);
  });

  it("member_joined_channel also needs channels:read (public) / groups:read (private)", async () => {
    const botEvents = [...readManifest().botEvents, "member_joined_channel"];
    const { emu } = await emulator({
      botEvents,
      scopes: GRANTED.filter((s) => s !== "channels:read"),
    });
    emu.removeFromChannel("C1");
    emu.removeFromChannel("G2");
    emu.inviteToChannel("C1", { inviter: "U1" });
    emu.inviteToChannel("G2", { inviter: "U1" });
    await emu.idle();
    const joins = (channel: string) => eventsIn(channel).filter((e) => e.type === "member_joined_channel");
    expect(joins("C1")).toHaveLength(0);
    expect(joins("G2")).toHaveLength(1);
  });
});

describe("archived channels", () => {
  // Error tables on docs.slack.dev: chat.postMessage, chat.postEphemeral, reactions.add and
  // conversations.join answer is_archived; chat.update answers is_inactive ("The message cannot
  // be edited within a frozen, archived or deleted channel"); chat.delete lists neither, the
  // emulator answers its cant_delete_message (README).
  it("refuses posts, ephemerals, reactions, joins, updates and deletes", async () => {
    const { emu, slack } = await emulator();
    const ts = emu.workspace.postMessage({ channel: "C3", from: { kind: "bot" }, text: "before" }).message.ts;
    emu.workspace.join("C3", "U0HEROBOT");
    emu.workspace.archiveChannel("C3");
    const err = async (method: string, args: Record<string, unknown>) =>
      (await slackError(slack.apiCall(method, args))).error;
    expect(await err("chat.postMessage", { channel: "C3", text: "x" })).toBe("is_archived");
    expect(await err("chat.postEphemeral", { channel: "C3", user: "U1", text: "x" })).toBe("is_archived");
    expect(await err("reactions.add", { channel: "C3", timestamp: ts, name: "eyes" })).toBe("is_archived");
    expect(await err("chat.update", { channel: "C3", ts, text: "x" })).toBe("is_inactive");
    expect(await err("chat.delete", { channel: "C3", ts })).toBe("cant_delete_message");
    emu.workspace.leave("C3", "U0HEROBOT");
    expect(await err("conversations.join", { channel: "C3" })).toBe("is_archived");
    expect(emu.workspace.messages("C3").map((m) => m.text)).toEqual(["before"]);
  });
});

describe("the bot token's state", () => {
  // Every method's error table (docs.slack.dev): invalid_auth "Some aspect of authentication cannot
  // be validated. Either the provided token is invalid or ...", account_inactive "Authentication
  // token is for a deleted user or workspace when using a bot token", token_revoked
  // "Authentication token is for a deleted user or workspace or the app has been removed".
  it.each(["invalid_auth", "account_inactive", "token_revoked"] as const)(
    "%s: every authenticated call fails with it",
    async (state) => {
      const { emu, slack } = await emulator();
      emu.setTokenState(state);
      for (const call of [
        slack.auth.test(),
        slack.chat.postMessage({ channel: "C1", text: "x" }),
        slack.conversations.history({ channel: "C1" }),
        slack.users.info({ user: "U1" }),
        slack.views.publish({ user_id: "U1", view: { type: "home", blocks: [] } }),
      ]) {
        expect(await slackError(call)).toEqual({ ok: false, error: state, response_metadata: {} });
      }
      expect(emu.workspace.messages("C1")).toHaveLength(0);
      expect((await slack.api.test()).ok).toBe(true); // api.test needs no token
      emu.setTokenState("active");
      expect((await slack.auth.test()).ok).toBe(true);
    },
  );

  // url_private "requires an Authorization header with the bot token" (README, File uploads): a
  // revoked token is no token.
  it("url_private refuses a revoked token", async () => {
    const { emu, slack } = await emulator();
    const { upload_url, file_id } = await slack.files.getUploadURLExternal({ filename: "a.txt", length: 1 });
    await fetch(upload_url as string, { method: "POST", body: "a" });
    const done = await slack.files.completeUploadExternal({
      files: [{ id: file_id as string }],
      channel_id: "C1",
    });
    const url = (done.files?.[0] as { url_private?: string } | undefined)?.url_private as string;
    const get = () => fetch(url, { headers: { authorization: `Bearer ${emu.botToken}` } });
    expect((await get()).status).toBe(200);
    emu.setTokenState("token_revoked");
    expect((await get()).status).toBe(403);
  });

  // An uninstalled app (account_inactive, token_revoked) is sent no events; with invalid_auth
  // the app is still installed, only its token is wrong (README).
  it("an uninstalled app's token receives no events", async () => {
    const { emu } = await emulator();
    emu.setTokenState("token_revoked");
    emu.driver.message({ userId: "U1", channelId: "C1", text: "after uninstall" });
    await emu.idle();
    expect(eventsIn("C1")).toHaveLength(0);
    emu.setTokenState("invalid_auth");
    emu.driver.message({ userId: "U1", channelId: "C1", text: "wrong token" });
    await emu.idle();
    expect(eventsIn("C1")).toHaveLength(1);
  });
});

describe("restricted channels", () => {
  // chat.postMessage errors (docs.slack.dev/reference/methods/chat.postMessage):
  // restricted_action "A workspace preference prevents the authenticated user from posting",
  // restricted_action_read_only_channel "Cannot post any message into a read-only channel",
  // restricted_action_thread_only_channel "Cannot post top-level messages into a thread-only channel",
  // restricted_action_non_threadable_channel "Cannot post thread replies into a non_threadable channel",
  // restricted_action_thread_locked "Cannot post replies to a thread that has been locked by admins".
  let emu: SlackEmulator;
  let slack: WebClient;
  let rootTs: string;
  beforeAll(async () => {
    ({ emu, slack } = await emulator());
    rootTs = emu.workspace.postMessage({ channel: "C1", from: { kind: "user", userId: "U1" }, text: "root" })
      .message.ts;
  });
  afterEach(() => {
    emu.workspace.restrictPosting("C1", undefined);
  });
  const post = async (args: Record<string, unknown>) => {
    const before = emu.workspace.allMessages("C1").length;
    const err = await slackError(slack.chat.postMessage({ channel: "C1", text: "x", ...args }));
    expect(emu.workspace.allMessages("C1")).toHaveLength(before);
    return err.error;
  };

  it("admins only: restricted_action (also for chat.postEphemeral)", async () => {
    emu.workspace.restrictPosting("C1", "admins_only");
    expect(await post({})).toBe("restricted_action");
    expect(await post({ thread_ts: rootTs })).toBe("restricted_action");
    expect((await slackError(slack.chat.postEphemeral({ channel: "C1", user: "U1", text: "x" }))).error).toBe(
      "restricted_action",
    );
  });

  it("read-only: restricted_action_read_only_channel", async () => {
    emu.workspace.restrictPosting("C1", "read_only");
    expect(await post({})).toBe("restricted_action_read_only_channel");
    expect(await post({ thread_ts: rootTs })).toBe("restricted_action_read_only_channel");
  });

  it("thread-only: top-level posts refused, replies accepted", async () => {
    emu.workspace.restrictPosting("C1", "thread_only");
    expect(await post({})).toBe("restricted_action_thread_only_channel");
    expect((await slack.chat.postMessage({ channel: "C1", text: "reply", thread_ts: rootTs })).ok).toBe(true);
  });

  it("non-threadable: replies refused, top-level posts accepted", async () => {
    emu.workspace.restrictPosting("C1", "non_threadable");
    expect(await post({ thread_ts: rootTs })).toBe("restricted_action_non_threadable_channel");
    expect((await slack.chat.postMessage({ channel: "C1", text: "top" })).ok).toBe(true);
  });

  it("a locked thread: restricted_action_thread_locked, the rest of the channel still open", async () => {
    emu.workspace.lockThread("C1", rootTs);
    expect(await post({ thread_ts: rootTs })).toBe("restricted_action_thread_locked");
    expect((await slack.chat.postMessage({ channel: "C1", text: "elsewhere" })).ok).toBe(true);
  });

  // files.completeUploadExternal: posting_to_channel_denied "User is not authorized to post to channel".
  it("a file share into a read-only channel is posting_to_channel_denied", async () => {
    emu.workspace.restrictPosting("C1", "read_only");
    const { upload_url, file_id } = await slack.files.getUploadURLExternal({ filename: "a.txt", length: 1 });
    await fetch(upload_url as string, { method: "POST", body: "a" });
    const err = await slackError(
      slack.files.completeUploadExternal({ files: [{ id: file_id as string }], channel_id: "C1" }),
    );
    expect(err.error).toBe("posting_to_channel_denied");
  });
});
