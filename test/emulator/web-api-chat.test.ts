// chat.* and auth through the real WebClient: response shapes, every error the emulator promises,
// form and JSON bodies, and the emulator.calls log.
import type { WebClient } from "@slack/web-api";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { readManifest } from "../../src/emulator/access.ts";
import { SlackEmulator } from "../../src/emulator/index.ts";
import { client, slackError, TOKEN } from "./helpers.ts";

let emu: SlackEmulator;
let slack: WebClient;

beforeAll(async () => {
  // reactions.add needs reactions:write, which HeroDesk's manifest does not ask for.
  emu = await SlackEmulator.start({
    rateLimit: false,
    scopes: [...readManifest().botScopes, "reactions:write"],
  });
  const ws = emu.workspace;
  ws.addUser({ id: "U1", name: "alice", realName: "Alice Agent", email: "alice@example.com" });
  ws.addUser({ id: "U2", name: "bob", realName: "Bob Builder" });
  ws.addChannel({ id: "C1", name: "support", members: ["U1"] });
  ws.addChannel({ id: "C2", name: "elsewhere", members: ["U1"], botIsMember: false });
  ws.addChannel({ id: "G1", name: "secret", isPrivate: true, members: ["U1"], botIsMember: false });
  ws.addChannel({ id: "C3", name: "old", isArchived: true });
  slack = client(emu);
});

afterAll(async () => {
  await emu.stop();
});

const section = (text: string) => ({ type: "section", text: { type: "mrkdwn", text } });

describe("auth", () => {
  it("auth.test describes the bot", async () => {
    const res = await slack.auth.test();
    expect(res).toMatchObject({
      ok: true,
      url: "https://herodesk-demo.slack.com/",
      team: "HeroDesk Demo",
      team_id: "T0HERODESK",
      user_id: "U0HEROBOT",
      bot_id: "B0HEROBOT",
      app_id: "A0HERODESK",
      is_enterprise_install: false,
    });
    expect(typeof res.user).toBe("string");
  });

  it("rejects other tokens with invalid_auth and a missing token with not_authed", async () => {
    expect((await slackError(client(emu, "xoxb-nope").auth.test())).error).toBe("invalid_auth");
    const res = await fetch(`${emu.apiUrl}auth.test`, { method: "POST" });
    expect(res.status).toBe(200);
    expect(await res.json()).toEqual({ ok: false, error: "not_authed" });
  });

  it("answers unknown methods with unknown_method", async () => {
    const err = await slackError(slack.apiCall("chat.doesNotExist", {}));
    expect(err.error).toBe("unknown_method");
  });

  it("accepts JSON bodies with a Bearer header, and not a token inside JSON", async () => {
    const post = (headers: Record<string, string>, body: unknown) =>
      fetch(`${emu.apiUrl}chat.postMessage`, {
        method: "POST",
        headers: { "content-type": "application/json; charset=utf-8", ...headers },
        body: JSON.stringify(body),
      }).then((r) => r.json() as Promise<Record<string, unknown>>);
    const blocks = [section("from *JSON*")];
    const ok = await post({ authorization: `Bearer ${TOKEN}` }, { channel: "C1", text: "json", blocks });
    expect(ok.ok).toBe(true);
    const stored = emu.workspace.message("C1", ok.ts as string);
    expect(stored?.blocks?.[0]).toMatchObject(blocks[0] as object);
    const noHeader = await post({}, { token: TOKEN, channel: "C1", text: "json" });
    expect(noHeader).toEqual({ ok: false, error: "not_authed" });
  });

  it("accepts form bodies with the token as a field, objects as JSON strings", async () => {
    const form = new URLSearchParams({
      token: TOKEN,
      channel: "C1",
      text: "form",
      blocks: JSON.stringify([section("from a form")]),
    });
    const res = await fetch(`${emu.apiUrl}chat.postMessage`, { method: "POST", body: form });
    const body = (await res.json()) as { ok: boolean; ts: string };
    expect(body.ok).toBe(true);
    expect(emu.workspace.message("C1", body.ts)?.blocks?.[0]).toMatchObject(section("from a form"));
  });
});

describe("chat.postMessage", () => {
  it("returns channel, ts and the stored message in Slack's shape", async () => {
    const res = await slack.chat.postMessage({
      channel: "C1",
      text: "New conversation #1",
      blocks: [
        section("*Ada Lovelace*"),
        {
          type: "actions",
          elements: [
            {
              type: "button",
              text: { type: "plain_text", text: "Claim" },
              action_id: "conv_claim",
              value: "1",
            },
          ],
        },
      ],
      metadata: { event_type: "conversation_card", event_payload: { id: 1 } },
    });
    expect(res.ok).toBe(true);
    expect(res.channel).toBe("C1");
    expect(res.ts).toMatch(/^\d{10}\.\d{6}$/);
    const message = res.message as Record<string, unknown>;
    expect(message).toMatchObject({
      type: "message",
      ts: res.ts,
      text: "New conversation #1",
      user: "U0HEROBOT",
      bot_id: "B0HEROBOT",
      app_id: "A0HERODESK",
      team: "T0HERODESK",
      bot_profile: { id: "B0HEROBOT", app_id: "A0HERODESK", team_id: "T0HERODESK", deleted: false },
      metadata: { event_type: "conversation_card", event_payload: { id: 1 } },
    });
    // Like Slack, blocks without a block_id get one.
    const blocks = message.blocks as { block_id?: string }[];
    expect(blocks.every((b) => typeof b.block_id === "string" && b.block_id.length > 0)).toBe(true);
    expect(emu.workspace.messages("C1").at(-1)?.ts).toBe(res.ts);
  });

  it("posts to a user's IM when channel is a user ID, reusing the same IM", async () => {
    const first = await slack.chat.postMessage({ channel: "U2", text: "You have a new conversation" });
    const second = await slack.chat.postMessage({ channel: "U2", text: "And another" });
    expect(first.channel).toMatch(/^D[A-Z0-9]+$/);
    expect(second.channel).toBe(first.channel);
    expect(emu.workspace.dmChannelFor("U2")).toBe(first.channel);
    expect(emu.workspace.dms("U2").map((m) => m.text)).toEqual([
      "You have a new conversation",
      "And another",
    ]);
    const open = await slack.conversations.open({ users: "U2" });
    expect(open.channel?.id).toBe(first.channel);
  });

  it("posts into threads and keeps the parent's thread fields current", async () => {
    const parent = await slack.chat.postMessage({ channel: "C1", text: "card" });
    const r1 = await slack.chat.postMessage({
      channel: "C1",
      text: "customer says hi",
      thread_ts: parent.ts,
    });
    const r2 = emu.workspace.replies("C1", parent.ts as string);
    expect(r2).toHaveLength(1);
    expect(r1.message).toMatchObject({ thread_ts: parent.ts, parent_user_id: "U0HEROBOT" });
    const stored = emu.workspace.message("C1", parent.ts as string);
    expect(stored).toMatchObject({
      thread_ts: parent.ts,
      reply_count: 1,
      reply_users: ["U0HEROBOT"],
      reply_users_count: 1,
      latest_reply: r1.ts,
    });
    // Replies are not top-level messages.
    expect(emu.workspace.messages("C1").map((m) => m.ts)).not.toContain(r1.ts);
  });

  it("files a reply under an unknown thread_ts without failing (as Slack does)", async () => {
    const orphanTs = "1600000000.000100";
    const res = await slack.chat.postMessage({ channel: "C1", text: "lost", thread_ts: orphanTs });
    expect(res.ok).toBe(true);
    expect(emu.workspace.replies("C1", orphanTs).map((m) => m.text)).toEqual(["lost"]);
    expect(emu.workspace.messages("C1").map((m) => m.ts)).not.toContain(res.ts);
  });

  it("shows reply_broadcast replies in the channel too", async () => {
    const parent = await slack.chat.postMessage({ channel: "C1", text: "card" });
    const res = await slack.chat.postMessage({
      channel: "C1",
      text: "also here",
      thread_ts: parent.ts as string,
      reply_broadcast: true,
    });
    expect(res.message).toMatchObject({ subtype: "thread_broadcast", thread_ts: parent.ts });
    expect(emu.workspace.messages("C1").at(-1)?.ts).toBe(res.ts);
    expect(emu.workspace.replies("C1", parent.ts as string).at(-1)?.ts).toBe(res.ts);
  });

  it("hands out unique, increasing timestamps", async () => {
    const ts: string[] = [];
    for (let i = 0; i < 15; i++)
      ts.push((await slack.chat.postMessage({ channel: "C1", text: `n${i}` })).ts as string);
    expect(new Set(ts).size).toBe(ts.length);
    const sorted = [...ts].sort((a, b) => Number(a) - Number(b));
    expect(ts).toEqual(sorted);
  });

  it("supports a custom username and icon (chat:write.customize)", async () => {
    const res = await slack.chat.postMessage({
      channel: "C1",
      text: "hi",
      username: "Ada Lovelace",
      icon_emoji: ":bust_in_silhouette:",
    });
    expect(res.message).toMatchObject({
      username: "Ada Lovelace",
      icons: { emoji: ":bust_in_silhouette:" },
      bot_id: "B0HEROBOT",
    });
  });

  // A public channel the bot is not in: access.test.ts (chat:write.public decides).
  it.each([
    ["an unknown channel", { channel: "C0NOPE", text: "x" }, "channel_not_found"],
    ["an unknown user", { channel: "U0NOPE", text: "x" }, "channel_not_found"],
    ["a private channel the bot is not in", { channel: "G1", text: "x" }, "channel_not_found"],
    ["an archived channel", { channel: "C3", text: "x" }, "is_archived"],
    ["no text and no blocks", { channel: "C1" }, "no_text"],
    ["empty text", { channel: "C1", text: "" }, "no_text"],
    ["text over 40,000 characters", { channel: "C1", text: "x".repeat(40_001) }, "msg_too_long"],
    ["a malformed thread_ts", { channel: "C1", text: "x", thread_ts: "12345" }, "invalid_thread_ts"],
  ])("fails for %s", async (_name, args, error) => {
    const before = emu.workspace.messages("C1").length;
    const err = await slackError(slack.chat.postMessage(args as never));
    expect(err.error).toBe(error);
    expect(emu.workspace.messages("C1")).toHaveLength(before);
  });

  it("accepts text of exactly 40,000 characters", async () => {
    expect((await slack.chat.postMessage({ channel: "C1", text: "x".repeat(40_000) })).ok).toBe(true);
  });

  it("can post once the bot joined the channel", async () => {
    await slack.conversations.join({ channel: "C2" });
    expect((await slack.chat.postMessage({ channel: "C2", text: "now I can" })).ok).toBe(true);
    emu.workspace.leave("C2", "U0HEROBOT");
  });

  it("rejects Block Kit violations with invalid_blocks and Slack's pointer messages", async () => {
    const blocks = [section("a"), section("b"), section("c"), section("x".repeat(3001))];
    const err = await slackError(slack.chat.postMessage({ channel: "C1", text: "t", blocks }));
    expect(err.error).toBe("invalid_blocks");
    // toMatchObject: WebClient adds Slack's x-oauth-scopes headers to response_metadata too.
    expect(err.response_metadata).toMatchObject({
      messages: ["[ERROR] must be less than 3001 characters [json-pointer:/blocks/3/text/text]"],
    });
    expect(err.errors).toEqual(["must be less than 3001 characters [json-pointer:/blocks/3/text/text]"]);
  });

  it("rejects more than 50 blocks, unknown block types and non-object blocks", async () => {
    const many = Array.from({ length: 51 }, (_, i) => section(`s${i}`));
    expect((await slackError(slack.chat.postMessage({ channel: "C1", text: "t", blocks: many }))).error).toBe(
      "invalid_blocks",
    );
    expect((await slack.chat.postMessage({ channel: "C1", text: "t", blocks: many.slice(0, 50) })).ok).toBe(
      true,
    );
    const unknown = await slackError(
      slack.chat.postMessage({ channel: "C1", text: "t", blocks: [{ type: "carousel" }] as never }),
    );
    expect(unknown.error).toBe("invalid_blocks");
    const junk = await slackError(
      slack.apiCall("chat.postMessage", { channel: "C1", text: "t", blocks: "[1, 2]" }),
    );
    expect(junk.error).toBe("invalid_blocks");
  });

  it("rejects blocks that are not JSON with invalid_blocks_format", async () => {
    const err = await slackError(
      slack.apiCall("chat.postMessage", { channel: "C1", text: "t", blocks: "[{not json" }),
    );
    expect(err.error).toBe("invalid_blocks_format");
  });
});

describe("chat.update", () => {
  it("replaces text and blocks and marks the message edited", async () => {
    const posted = await slack.chat.postMessage({ channel: "C1", text: "v1", blocks: [section("v1")] });
    const res = await slack.chat.update({
      channel: "C1",
      ts: posted.ts as string,
      text: "v2",
      blocks: [section("v2")],
    });
    expect(res).toMatchObject({ ok: true, channel: "C1", ts: posted.ts, text: "v2" });
    const stored = emu.workspace.message("C1", posted.ts as string);
    expect(stored?.text).toBe("v2");
    expect(stored?.blocks?.[0]).toMatchObject(section("v2"));
    expect(stored?.edited?.user).toBe("U0HEROBOT");
    expect(Number(stored?.edited?.ts)).toBeGreaterThan(Number(posted.ts));
  });

  it("drops old blocks when only text is given, keeps them when only metadata changes text-free", async () => {
    const posted = await slack.chat.postMessage({ channel: "C1", text: "v1", blocks: [section("v1")] });
    await slack.chat.update({ channel: "C1", ts: posted.ts as string, text: "plain now" });
    expect(emu.workspace.message("C1", posted.ts as string)?.blocks).toBeUndefined();
    const other = await slack.chat.postMessage({ channel: "C1", text: "keep", blocks: [section("keep")] });
    await slack.chat.update({ channel: "C1", ts: other.ts as string, blocks: [section("new blocks")] });
    expect(emu.workspace.message("C1", other.ts as string)).toMatchObject({
      text: "keep",
      blocks: [section("new blocks")],
    });
  });

  it("fails with message_not_found, cant_update_message, channel_not_found, no_text, invalid_blocks, msg_too_long", async () => {
    const mine = await slack.chat.postMessage({ channel: "C1", text: "mine" });
    const theirs = emu.driver.message({ userId: "U1", channelId: "C1", text: "a person wrote this" });
    const ts = mine.ts as string;
    expect(
      (await slackError(slack.chat.update({ channel: "C1", ts: "1500000000.000001", text: "x" }))).error,
    ).toBe("message_not_found");
    expect((await slackError(slack.chat.update({ channel: "C1", ts: theirs.ts, text: "x" }))).error).toBe(
      "cant_update_message",
    );
    expect((await slackError(slack.chat.update({ channel: "C0NOPE", ts, text: "x" }))).error).toBe(
      "channel_not_found",
    );
    expect((await slackError(slack.chat.update({ channel: "C1", ts } as never))).error).toBe("no_text");
    const bad = await slackError(
      slack.chat.update({
        channel: "C1",
        ts,
        text: "x",
        blocks: [{ type: "header", text: { type: "plain_text", text: "h".repeat(151) } }],
      }),
    );
    expect(bad.error).toBe("invalid_blocks");
    expect(bad.response_metadata).toMatchObject({
      messages: ["[ERROR] must be less than 151 characters [json-pointer:/blocks/0/text/text]"],
    });
    expect((await slackError(slack.chat.update({ channel: "C1", ts, text: "x".repeat(40_001) }))).error).toBe(
      "msg_too_long",
    );
    expect(emu.workspace.message("C1", ts)?.text).toBe("mine");
  });
});

describe("chat.delete", () => {
  it("removes the bot's message; refuses others'", async () => {
    const posted = await slack.chat.postMessage({ channel: "C1", text: "oops" });
    expect(await slack.chat.delete({ channel: "C1", ts: posted.ts as string })).toMatchObject({
      ok: true,
      channel: "C1",
      ts: posted.ts,
    });
    expect(emu.workspace.message("C1", posted.ts as string)).toBeUndefined();
    const theirs = emu.driver.message({ userId: "U1", channelId: "C1", text: "keep me" });
    expect((await slackError(slack.chat.delete({ channel: "C1", ts: theirs.ts }))).error).toBe(
      "cant_delete_message",
    );
  });
});

describe("chat.postEphemeral", () => {
  it("shows a message to one member and returns message_ts", async () => {
    const res = await slack.chat.postEphemeral({
      channel: "C1",
      user: "U1",
      text: "only you",
      blocks: [section("only you")],
    });
    expect(res.ok).toBe(true);
    expect(res.message_ts).toMatch(/^\d+\.\d{6}$/);
    expect(emu.ephemerals.at(-1)).toMatchObject({
      channel: "C1",
      user: "U1",
      text: "only you",
      ts: res.message_ts,
      source: "api",
    });
  });

  it("counts the IM's user as a member", async () => {
    const dm = emu.workspace.dmChannelFor("U2");
    expect((await slack.chat.postEphemeral({ channel: dm, user: "U2", text: "psst" })).ok).toBe(true);
  });

  it("fails with user_not_in_channel, channel_not_found and user_not_found", async () => {
    expect((await slackError(slack.chat.postEphemeral({ channel: "C1", user: "U2", text: "x" }))).error).toBe(
      "user_not_in_channel",
    );
    expect(
      (await slackError(slack.chat.postEphemeral({ channel: "C0NOPE", user: "U1", text: "x" }))).error,
    ).toBe("channel_not_found");
    expect(
      (await slackError(slack.chat.postEphemeral({ channel: "C1", user: "U0NOPE", text: "x" }))).error,
    ).toBe("user_not_found");
  });
});

describe("chat.getPermalink", () => {
  it("links top-level messages and replies like Slack", async () => {
    const parent = await slack.chat.postMessage({ channel: "C1", text: "card" });
    const reply = await slack.chat.postMessage({ channel: "C1", text: "reply", thread_ts: parent.ts });
    const top = await slack.chat.getPermalink({ channel: "C1", message_ts: parent.ts as string });
    expect(top.permalink).toBe(
      `https://herodesk-demo.slack.com/archives/C1/p${(parent.ts as string).replace(".", "")}`,
    );
    const inner = await slack.chat.getPermalink({ channel: "C1", message_ts: reply.ts as string });
    expect(inner.permalink).toBe(
      `https://herodesk-demo.slack.com/archives/C1/p${(reply.ts as string).replace(".", "")}?thread_ts=${parent.ts}&cid=C1`,
    );
    expect(
      (await slackError(slack.chat.getPermalink({ channel: "C1", message_ts: "1500000000.000001" }))).error,
    ).toBe("message_not_found");
  });
});

describe("reactions.add", () => {
  it("adds a reaction once", async () => {
    const posted = await slack.chat.postMessage({ channel: "C1", text: "react" });
    await slack.reactions.add({ channel: "C1", timestamp: posted.ts as string, name: "eyes" });
    expect(emu.workspace.message("C1", posted.ts as string)?.reactions).toEqual([
      { name: "eyes", users: ["U0HEROBOT"], count: 1 },
    ]);
    expect(
      (await slackError(slack.reactions.add({ channel: "C1", timestamp: posted.ts as string, name: "eyes" })))
        .error,
    ).toBe("already_reacted");
    expect(
      (await slackError(slack.reactions.add({ channel: "C1", timestamp: "1500000000.000001", name: "eyes" })))
        .error,
    ).toBe("message_not_found");
  });
});

describe("emulator.calls", () => {
  it("records every call with decoded params, outcome, status and time", async () => {
    const before = Date.now();
    await slack.chat.postMessage({ channel: "C1", text: "logged", blocks: [section("logged")] });
    await slackError(slack.chat.postMessage({ channel: "C0NOPE", text: "x" }));
    const [okCall, failed] = emu.calls.slice(-2);
    expect(okCall).toMatchObject({
      method: "chat.postMessage",
      ok: true,
      status: 200,
      params: { channel: "C1", text: "logged", blocks: [section("logged")] },
    });
    expect(okCall?.params).not.toHaveProperty("token");
    expect(okCall?.at).toBeGreaterThanOrEqual(before);
    expect(failed).toMatchObject({
      method: "chat.postMessage",
      ok: false,
      error: "channel_not_found",
      status: 200,
    });
  });
});
