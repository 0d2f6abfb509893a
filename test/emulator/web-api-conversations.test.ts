// conversations.* and users.* through the real WebClient, including cursor pagination (checked
// with WebClient's own paginate() so the cursor contract is the one the SDK relies on).
import type { WebClient } from "@slack/web-api";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { readManifest } from "../../src/emulator/access.ts";
import { SlackEmulator } from "../../src/emulator/index.ts";
import { client, slackError } from "./helpers.ts";

let emu: SlackEmulator;
let slack: WebClient;

beforeAll(async () => {
  // The manifest grants im:write but not mpim:write; the MPIM test below needs it (scopes.test.ts
  // checks what happens without).
  emu = await SlackEmulator.start({
    rateLimit: false,
    scopes: [...readManifest().botScopes, "mpim:write", "users:read.email"],
  });
  const ws = emu.workspace;
  ws.addUser({
    id: "U1",
    name: "alice",
    realName: "Alice Agent",
    email: "Alice@Example.com",
    isAdmin: true,
    tz: "Europe/Berlin",
  });
  ws.addUser({ id: "U2", name: "bob", realName: "Bob Builder", email: "bob@example.com" });
  ws.addUser({ id: "U3", name: "carol", realName: "Carol Coder" });
  ws.addUser({ id: "U4", name: "dave", realName: "Dave Dev" });
  ws.addUser({ id: "UBOT2", name: "otherbot", isBot: true });
  ws.addChannel({ id: "C1", name: "support", members: ["U1", "U2", "U3", "U4"] });
  ws.addChannel({ id: "C2", name: "lobby", members: ["U1"], botIsMember: false });
  ws.addChannel({ id: "G1", name: "secret", isPrivate: true, members: ["U1"], botIsMember: false });
  ws.addChannel({ id: "G2", name: "private-team", isPrivate: true, members: ["U1"] });
  ws.addChannel({ id: "C3", name: "old", isArchived: true, botIsMember: false });
  slack = client(emu);
});

afterAll(async () => {
  await emu.stop();
});

describe("conversations.open", () => {
  it("opens an IM once and reports the second open as already open", async () => {
    const first = await slack.conversations.open({ users: "U3" });
    expect(first.channel).toMatchObject({ is_im: true, user: "U3" });
    expect(first.channel?.id).toMatch(/^D[A-Z0-9]+$/);
    expect(first.no_op).toBeUndefined();
    const again = await slack.conversations.open({ users: "U3" });
    expect(again.channel?.id).toBe(first.channel?.id);
    expect(again).toMatchObject({ no_op: true, already_open: true });
  });

  it("opens an MPIM for several users", async () => {
    const res = await slack.conversations.open({ users: "U1,U2" });
    expect(res.channel?.id).toMatch(/^G/);
    expect(emu.workspace.channel(res.channel?.id as string)?.is_mpim).toBe(true);
  });

  it("fails with user_not_found and cannot_dm_bot", async () => {
    expect((await slackError(slack.conversations.open({ users: "U0NOPE" }))).error).toBe("user_not_found");
    expect((await slackError(slack.conversations.open({ users: "UBOT2" }))).error).toBe("cannot_dm_bot");
  });
});

describe("conversations.info / join / members", () => {
  it("describes a channel from the bot's point of view", async () => {
    const res = await slack.conversations.info({ channel: "C1", include_num_members: true });
    expect(res.channel).toMatchObject({
      id: "C1",
      name: "support",
      is_channel: true,
      is_private: false,
      is_im: false,
      is_archived: false,
      is_member: true,
      num_members: 5,
    });
    expect((await slack.conversations.info({ channel: "C2" })).channel?.is_member).toBe(false);
    expect((await slack.conversations.info({ channel: "G2" })).channel).toMatchObject({
      is_private: true,
      is_member: true,
    });
  });

  it("hides private channels the bot is not in", async () => {
    expect((await slackError(slack.conversations.info({ channel: "G1" }))).error).toBe("channel_not_found");
    expect((await slackError(slack.conversations.info({ channel: "C0NOPE" }))).error).toBe(
      "channel_not_found",
    );
  });

  it("joins public channels; refuses private and archived ones", async () => {
    const joined = await slack.conversations.join({ channel: "C2" });
    expect(joined.channel).toMatchObject({ id: "C2", is_member: true });
    expect(emu.workspace.isMember("C2", "U0HEROBOT")).toBe(true);
    const again = await slack.conversations.join({ channel: "C2" });
    expect(again.warning).toBe("already_in_channel");
    // A private channel the bot is not in is invisible to it (slackapi/bolt-js#1656: channel_not_found);
    // one it is in cannot be joined (method_not_supported_for_channel_type, argoproj/argo-events#1077).
    expect((await slackError(slack.conversations.join({ channel: "G1" }))).error).toBe("channel_not_found");
    expect((await slackError(slack.conversations.join({ channel: "G2" }))).error).toBe(
      "method_not_supported_for_channel_type",
    );
    expect((await slackError(slack.conversations.join({ channel: "C3" }))).error).toBe("is_archived");
    expect((await slackError(slack.conversations.join({ channel: "C0NOPE" }))).error).toBe(
      "channel_not_found",
    );
  });

  it("pages through members with cursors", async () => {
    const first = await slack.conversations.members({ channel: "C1", limit: 2 });
    expect(first.members).toEqual(["U1", "U2"]);
    expect(first.response_metadata?.next_cursor).toBeTruthy();
    const all: string[] = [];
    for await (const page of slack.paginate("conversations.members", { channel: "C1", limit: 2 })) {
      all.push(...((page as unknown as { members: string[] }).members ?? []));
    }
    expect(all).toEqual(["U1", "U2", "U3", "U4", "U0HEROBOT"]);
    expect((await slackError(slack.conversations.members({ channel: "C1", cursor: "bogus" }))).error).toBe(
      "invalid_cursor",
    );
  });
});

describe("conversations.history / replies", () => {
  let parentTs: string;
  let replyTs: string[];
  let topTs: string[];

  beforeAll(async () => {
    topTs = [];
    for (let i = 1; i <= 5; i++) {
      const res = await slack.chat.postMessage({
        channel: "C1",
        text: `top ${i}`,
        metadata: { event_type: "card", event_payload: { n: i } },
      });
      topTs.push(res.ts as string);
    }
    parentTs = topTs[0] as string;
    replyTs = [];
    for (let i = 1; i <= 4; i++) {
      if (i % 2 === 0) {
        replyTs.push(
          emu.driver.message({ userId: "U2", channelId: "C1", threadTs: parentTs, text: `reply ${i}` }).ts,
        );
      } else {
        const res = await slack.chat.postMessage({ channel: "C1", text: `reply ${i}`, thread_ts: parentTs });
        replyTs.push(res.ts as string);
      }
    }
  });

  it("returns the newest messages first, without metadata unless asked", async () => {
    const res = await slack.conversations.history({ channel: "C1", limit: 2 });
    expect(res.messages?.map((m) => m.text)).toEqual(["top 5", "top 4"]);
    expect(res.has_more).toBe(true);
    expect(res.messages?.[0]).not.toHaveProperty("metadata");
    const withMeta = await slack.conversations.history({
      channel: "C1",
      limit: 1,
      include_all_metadata: true,
    });
    expect(withMeta.messages?.[0]?.metadata).toEqual({ event_type: "card", event_payload: { n: 5 } });
  });

  it("pages history with WebClient.paginate and filters by oldest/latest", async () => {
    const texts: string[] = [];
    for await (const page of slack.paginate("conversations.history", { channel: "C1", limit: 2 })) {
      texts.push(...(page as unknown as { messages: { text: string }[] }).messages.map((m) => m.text));
    }
    expect(texts).toEqual(["top 5", "top 4", "top 3", "top 2", "top 1"]);
    const window = await slack.conversations.history({ channel: "C1", oldest: topTs[1], latest: topTs[3] });
    expect(window.messages?.map((m) => m.text)).toEqual(["top 3"]);
    const inclusive = await slack.conversations.history({
      channel: "C1",
      oldest: topTs[1],
      latest: topTs[3],
      inclusive: true,
    });
    expect(inclusive.messages?.map((m) => m.text)).toEqual(["top 4", "top 3", "top 2"]);
  });

  it("shows the thread parent with reply bookkeeping in history", async () => {
    const res = await slack.conversations.history({ channel: "C1", oldest: "0", latest: topTs[1] });
    expect(res.messages?.[0]).toMatchObject({
      ts: parentTs,
      thread_ts: parentTs,
      reply_count: 4,
      reply_users_count: 2,
      latest_reply: replyTs[3],
    });
    expect(res.messages?.[0]?.reply_users).toEqual(["U0HEROBOT", "U2"]);
  });

  it("returns a thread as [parent, ...replies] with cursor pages", async () => {
    const all = await slack.conversations.replies({ channel: "C1", ts: parentTs });
    expect(all.messages?.map((m) => m.ts)).toEqual([parentTs, ...replyTs]);
    expect(all.messages?.[2]).toMatchObject({
      user: "U2",
      thread_ts: parentTs,
      parent_user_id: "U0HEROBOT",
      text: "reply 2",
    });
    expect((all.messages?.[2] as Record<string, unknown> | undefined)?.client_msg_id).toBeTruthy();
    expect(all.has_more).toBe(false);

    const first = await slack.conversations.replies({ channel: "C1", ts: parentTs, limit: 2 });
    expect(first.messages?.map((m) => m.ts)).toEqual([parentTs, replyTs[0]]);
    expect(first.has_more).toBe(true);
    const second = await slack.conversations.replies({
      channel: "C1",
      ts: parentTs,
      limit: 2,
      cursor: first.response_metadata?.next_cursor as string,
    });
    expect(second.messages?.map((m) => m.ts)).toEqual([replyTs[1], replyTs[2]]);
    const paged: string[] = [];
    for await (const page of slack.paginate("conversations.replies", {
      channel: "C1",
      ts: parentTs,
      limit: 2,
    })) {
      paged.push(...(page as unknown as { messages: { ts: string }[] }).messages.map((m) => m.ts));
    }
    expect(paged).toEqual([parentTs, ...replyTs]);
  });

  it("finds the thread from a reply's ts; metadata only with include_all_metadata", async () => {
    const res = await slack.conversations.replies({ channel: "C1", ts: replyTs[1] as string });
    expect(res.messages?.[0]?.ts).toBe(parentTs);
    expect(res.messages?.[0]).not.toHaveProperty("metadata");
    const meta = await slack.conversations.replies({
      channel: "C1",
      ts: parentTs,
      include_all_metadata: true,
    });
    expect(meta.messages?.[0]?.metadata).toEqual({ event_type: "card", event_payload: { n: 1 } });
  });

  it("fails with thread_not_found, not_in_channel and channel_not_found", async () => {
    expect(
      (await slackError(slack.conversations.replies({ channel: "C1", ts: "1500000000.000001" }))).error,
    ).toBe("thread_not_found");
    emu.workspace.leave("C2", "U0HEROBOT");
    expect((await slackError(slack.conversations.history({ channel: "C2" }))).error).toBe("not_in_channel");
    expect((await slackError(slack.conversations.history({ channel: "G1" }))).error).toBe(
      "channel_not_found",
    );
  });
});

describe("users.*", () => {
  it("users.info returns Slack's user shape", async () => {
    const res = await slack.users.info({ user: "U1" });
    expect(res.user).toMatchObject({
      id: "U1",
      team_id: "T0HERODESK",
      name: "alice",
      real_name: "Alice Agent",
      deleted: false,
      is_bot: false,
      is_admin: true,
      tz: "Europe/Berlin",
      profile: {
        real_name: "Alice Agent",
        email: "Alice@Example.com",
        first_name: "Alice",
        last_name: "Agent",
      },
    });
    expect(res.user?.profile?.image_48).toMatch(/^https:\/\//);
    expect(typeof res.user?.tz_offset).toBe("number");
    expect((await slackError(slack.users.info({ user: "U0NOPE" }))).error).toBe("user_not_found");
  });

  it("the bot user exists from the start, flagged as a bot", async () => {
    const res = await slack.users.info({ user: "U0HEROBOT" });
    expect(res.user).toMatchObject({
      is_bot: true,
      profile: { bot_id: "B0HEROBOT", api_app_id: "A0HERODESK" },
    });
  });

  it("users.list pages with cursors and includes the bot and Slackbot", async () => {
    const ids: string[] = [];
    for await (const page of slack.paginate("users.list", { limit: 3 })) {
      ids.push(...(page as unknown as { members: { id: string }[] }).members.map((m) => m.id));
    }
    expect(ids).toEqual(["U0HEROBOT", "USLACKBOT", "U1", "U2", "U3", "U4", "UBOT2"]);
    const first = await slack.users.list({ limit: 3 });
    expect(first.members).toHaveLength(3);
    expect(first.response_metadata?.next_cursor).toBeTruthy();
  });

  it("users.lookupByEmail is case-insensitive and fails with users_not_found", async () => {
    expect((await slack.users.lookupByEmail({ email: "alice@example.com" })).user?.id).toBe("U1");
    expect((await slackError(slack.users.lookupByEmail({ email: "nobody@example.com" }))).error).toBe(
      "users_not_found",
    );
  });
});
