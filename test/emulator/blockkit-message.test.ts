// Whole message payloads as chat.postMessage judges them (validateMessage), the cumulative size
// (msg_blocks_too_long), and the same rules through the Web API and response_url with Slack's
// error shapes.
import type { WebClient } from "@slack/web-api";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import {
  assertValidMessage,
  BLOCK_KIT_LIMITS,
  blocksSize,
  SlackEmulator,
  slackLength,
  validateMessage,
  validateViewPayload,
} from "../../src/emulator/index.ts";
import { client, type FakeApp, slackError, startFakeApp } from "./helpers.ts";

const plain = (text: string) => ({ type: "plain_text", text });
const mrkdwn = (text: string) => ({ type: "mrkdwn", text });
const section = (text: string) => ({ type: "section", text: mrkdwn(text) });
const errorOf = (payload: Parameters<typeof validateMessage>[0]) => {
  const verdict = validateMessage(payload);
  return verdict.ok ? "ok" : verdict.error;
};

/** Sections of mrkdwn "x" (3000 at most each) whose blocksSize() is exactly `size`. */
function blocksOfSize(size: number): ReturnType<typeof section>[] {
  const unit = blocksSize([section("")]);
  const blocks: ReturnType<typeof section>[] = [];
  let left = size;
  while (left > unit + 3000) {
    blocks.push(section("x".repeat(3000)));
    left -= unit + 3000;
  }
  blocks.push(section("x".repeat(left - unit)));
  return blocks;
}

describe("validateMessage", () => {
  it("accepts a card-like message with text, blocks and metadata", () => {
    expect(
      validateMessage({
        text: "#42 Ada (web): open",
        blocks: [
          { type: "header", text: plain("#42 · Ada") },
          { type: "section", fields: [mrkdwn("*Customer*\nAda"), mrkdwn("*Status*\nOpen")] },
          {
            type: "actions",
            elements: [{ type: "button", text: plain("Claim"), action_id: "c", value: "42" }],
          },
        ],
        metadata: { event_type: "herodesk_card", event_payload: { conversation_id: 42 } },
      }),
    ).toEqual({ ok: true });
    expect(() => assertValidMessage({ text: "hi" })).not.toThrow();
    expect(() => assertValidMessage({})).toThrow(/^no_text/);
  });

  // chat.postMessage reference: text, blocks or attachments is required ("no_text: No message text
  // provided"); text is not required when blocks or attachments are given.
  it("answers no_text without text, blocks or attachments", () => {
    expect(errorOf({})).toBe("no_text");
    expect(errorOf({ text: "", blocks: [] })).toBe("no_text");
    expect(errorOf({ blocks: [section("x")] })).toBe("ok");
    expect(errorOf({ attachments: [{ text: "x", fallback: "x" }] })).toBe("ok");
    expect(validateMessage({}, { requireContent: false })).toEqual({ ok: true });
  });

  // Form bodies carry blocks as JSON strings; Slack's code for unparseable blocks is
  // invalid_blocks_format (chat.postMessage errors); anything else wrong is invalid_blocks.
  it("answers invalid_blocks_format for blocks that are not a JSON array, invalid_blocks otherwise", () => {
    expect(errorOf({ blocks: "[{" })).toBe("invalid_blocks_format");
    expect(errorOf({ blocks: { type: "section" } })).toBe("invalid_blocks_format");
    expect(errorOf({ blocks: JSON.stringify([section("ok")]) })).toBe("ok");
    const verdict = validateMessage({ blocks: [section("x".repeat(3001))] });
    expect(verdict).toEqual({
      ok: false,
      error: "invalid_blocks",
      issues: [{ pointer: "/blocks/0/text/text", message: "must be less than 3001 characters" }],
    });
    // Blocks reference: "You can include up to 50 blocks in each message".
    expect(errorOf({ blocks: Array.from({ length: 51 }, () => ({ type: "divider" })) })).toBe(
      "invalid_blocks",
    );
  });
});

describe("cumulative size of a message's blocks (msg_blocks_too_long)", () => {
  // bolt-js#2509: Slack answers msg_blocks_too_long when the blocks' text adds up past about
  // 12,000 characters "with a buffer for block containers"; a divider cost 125 characters.
  it("counts each block as JSON plus 125, and passes up to 12,000", () => {
    expect(BLOCK_KIT_LIMITS.messageBlocksSize).toBe(12_000);
    expect(blocksSize([{ type: "divider" }])).toBe(125 + '{"type":"divider"}'.length);
    expect(blocksSize(blocksOfSize(12_000))).toBe(12_000);
    expect(errorOf({ blocks: blocksOfSize(12_000) })).toBe("ok");
    expect(errorOf({ blocks: blocksOfSize(12_001) })).toBe("msg_blocks_too_long");
  });

  // bolt-js#2867: rich_text + section + header + divider whose `.text` fields summed to 11,341
  // were refused: counting only texts is not enough; containers count too.
  it("refuses the message of bolt-js#2867 (11,341 characters of text in four kinds of block)", () => {
    const words = Array.from({ length: 100 }, (_, i) => ({
      type: "text",
      text: `${"w".repeat(80)}${i % 10}`,
    }));
    words[0]!.text += "w".repeat(91);
    const texts = words.reduce((n, w) => n + w.text.length, 0);
    const blocks = [
      { type: "header", text: plain("h".repeat(150)) },
      { type: "divider" },
      section("s".repeat(3000)),
      { type: "rich_text", elements: [{ type: "rich_text_section", elements: words }] },
    ];
    expect(150 + 3000 + texts).toBe(11_341);
    expect(errorOf({ blocks })).toBe("msg_blocks_too_long");
  });

  // bolt-python#513: plain_text is stored escaped, so & counts 5 in the total too.
  it("counts plain_text entities and mrkdwn as sent", () => {
    const amps = { type: "section", text: plain("&".repeat(1000)) };
    expect(blocksSize([amps]) - blocksSize([{ type: "section", text: plain("x".repeat(1000)) }])).toBe(4000);
    expect(slackLength("&amp;&lt;", "mrkdwn")).toBe(9);
    expect(slackLength("a&b", "mrkdwn")).toBe(7);
  });

  // Stricter than the evidence: the blocks of attachments count with the message's own.
  it("adds the blocks inside attachments", () => {
    const half = blocksOfSize(6_001);
    expect(errorOf({ blocks: half })).toBe("ok");
    expect(errorOf({ blocks: half, attachments: [{ fallback: "f", blocks: half }] })).toBe(
      "msg_blocks_too_long",
    );
  });
});

describe("top-level text (msg_too_long)", () => {
  // chat.postMessage reference and changelog 2018-04-truncating-really-long-messages: the text
  // field accepts up to 40,000 characters (Slack truncates past it; the emulator refuses).
  it("refuses text past 40,000 characters, escapes counted as sent and UTF-16 code units", () => {
    expect(errorOf({ text: "x".repeat(40_000) })).toBe("ok");
    expect(errorOf({ text: "x".repeat(40_001) })).toBe("msg_too_long");
    expect(errorOf({ text: "&amp;".repeat(8_000) })).toBe("ok");
    expect(errorOf({ text: `${"&amp;".repeat(8_000)}x` })).toBe("msg_too_long");
    expect(errorOf({ text: "&".repeat(8_001) })).toBe("msg_too_long");
    expect(errorOf({ text: "😀".repeat(20_001) })).toBe("msg_too_long");
  });
});

describe("attachments", () => {
  // chat.postMessage errors: too_many_attachments, "A maximum of 100 attachments are allowed".
  it("allows 100 attachments", () => {
    const many = (n: number) => Array.from({ length: n }, (_, i) => ({ fallback: `a${i}`, text: `a${i}` }));
    expect(errorOf({ attachments: many(100) })).toBe("ok");
    expect(errorOf({ attachments: many(101) })).toBe("too_many_attachments");
  });

  it("answers invalid_attachments for attachments that are not a JSON array of known fields", () => {
    expect(errorOf({ attachments: "[" })).toBe("invalid_attachments");
    expect(errorOf({ attachments: { text: "x" } })).toBe("invalid_attachments");
    // @slack/types MessageAttachment lists the fields; others are refused (stricter).
    expect(validateMessage({ attachments: [{ text: "x", colour: "red" }] })).toEqual({
      ok: false,
      error: "invalid_attachments",
      issues: [{ pointer: "/attachments/0", message: "invalid additional property: colour" }],
    });
  });

  it("checks blocks inside attachments like a message's own", () => {
    expect(validateMessage({ attachments: [{ blocks: [section("x".repeat(3001))] }] })).toEqual({
      ok: false,
      error: "invalid_attachments",
      issues: [
        { pointer: "/attachments/0/blocks/0/text/text", message: "must be less than 3001 characters" },
      ],
    });
  });
});

describe("metadata", () => {
  const meta = (metadata: unknown) => errorOf({ text: "x", metadata });

  it("answers invalid_metadata_format for metadata that is not JSON", () => {
    expect(meta("{")).toBe("invalid_metadata_format");
    expect(meta(JSON.stringify({ event_type: "a_b", event_payload: {} }))).toBe("ok");
  });

  // Message metadata reference: an event_type string and an event_payload object; @slack/types
  // MessageMetadata: payload values are strings, numbers, booleans, flat objects or arrays of them.
  it("answers invalid_metadata_schema for the wrong shape", () => {
    expect(meta([])).toBe("invalid_metadata_schema");
    expect(meta({ event_payload: {} })).toBe("invalid_metadata_schema");
    expect(meta({ event_type: "t", event_payload: "x" })).toBe("invalid_metadata_schema");
    expect(meta({ event_type: "t", event_payload: {}, extra: 1 })).toBe("invalid_metadata_schema");
    expect(meta({ event_type: "t", event_payload: { a: { b: { c: 1 } } } })).toBe("invalid_metadata_schema");
    expect(meta({ event_type: "t", event_payload: { a: null } })).toBe("invalid_metadata_schema");
    expect(
      meta({ event_type: "t", event_payload: { a: "s", n: 1, b: true, o: { k: "v" }, l: [{ k: 1 }, "x"] } }),
    ).toBe("ok");
  });

  // Metadata guide ("alphanumeric and underscore"); an event_type with "." is dropped by Slack
  // without an error (bolt-python#863): the emulator refuses it instead.
  it("refuses event_types other than lowercase letters, digits and underscores", () => {
    expect(meta({ event_type: "herodesk_card", event_payload: {} })).toBe("ok");
    expect(meta({ event_type: "slack.post-prompt", event_payload: {} })).toBe("invalid_metadata_schema");
    expect(meta({ event_type: "", event_payload: {} })).toBe("invalid_metadata_schema");
  });

  // No documented size: chosen 8,000 characters of JSON (README).
  it("answers metadata_too_large past 8,000 characters of JSON", () => {
    const payload = (n: number) => ({ event_type: "t", event_payload: { v: "x".repeat(n) } });
    const overhead = JSON.stringify(payload(0)).length;
    expect(meta(payload(8_000 - overhead))).toBe("ok");
    expect(meta(payload(8_001 - overhead))).toBe("metadata_too_large");
  });
});

describe("validateViewPayload", () => {
  // views.open reference: a bad view is invalid_arguments with [json-pointer:/view/...] messages.
  it("answers invalid_arguments with the issues", () => {
    const modal = { type: "modal", title: plain("x".repeat(25)), blocks: [] };
    expect(validateViewPayload(modal, { expectedType: "modal" })).toEqual({
      ok: false,
      error: "invalid_arguments",
      issues: [{ pointer: "/view/title/text", message: "must be less than 25 characters" }],
    });
    expect(validateViewPayload(JSON.stringify({ ...modal, title: plain("ok") }))).toEqual({ ok: true });
    expect(validateViewPayload("{").ok).toBe(false);
  });
});

describe("through the Web API and response_url", () => {
  let emu: SlackEmulator;
  let slack: WebClient;
  let app: FakeApp;

  beforeAll(async () => {
    app = await startFakeApp();
    emu = await SlackEmulator.start({ rateLimit: false, appUrl: app.url });
    emu.workspace.addUser({ id: "U1", name: "alice", realName: "Alice Agent" });
    emu.workspace.addChannel({ id: "C1", name: "support", members: ["U1"] });
    slack = client(emu);
  });

  afterAll(async () => {
    await emu.stop();
    await app.close();
  });

  // The shape Slack answers invalid_blocks with: errors and response_metadata.messages.
  it("answers invalid_blocks with errors and response_metadata.messages", async () => {
    const err = await slackError(
      slack.chat.postMessage({ channel: "C1", blocks: [section("x".repeat(3001))] }),
    );
    expect(err).toMatchObject({
      ok: false,
      error: "invalid_blocks",
      errors: ["must be less than 3001 characters [json-pointer:/blocks/0/text/text]"],
      response_metadata: {
        messages: ["[ERROR] must be less than 3001 characters [json-pointer:/blocks/0/text/text]"],
      },
    });
  });

  it("applies msg_blocks_too_long to chat.postMessage, chat.update and chat.postEphemeral", async () => {
    const big = blocksOfSize(12_001);
    expect((await slackError(slack.chat.postMessage({ channel: "C1", text: "t", blocks: big }))).error).toBe(
      "msg_blocks_too_long",
    );
    const posted = await slack.chat.postMessage({ channel: "C1", text: "t", blocks: blocksOfSize(12_000) });
    expect(posted.ok).toBe(true);
    expect(
      (
        await slackError(
          slack.chat.update({ channel: "C1", ts: posted.ts as string, text: "t", blocks: big }),
        )
      ).error,
    ).toBe("msg_blocks_too_long");
    expect(
      (await slackError(slack.chat.postEphemeral({ channel: "C1", user: "U1", text: "t", blocks: big })))
        .error,
    ).toBe("msg_blocks_too_long");
  });

  it("answers too_many_attachments, invalid_metadata_schema and msg_too_long over HTTP", async () => {
    const attachments = Array.from({ length: 101 }, () => ({ fallback: "f", text: "t" }));
    expect((await slackError(slack.chat.postMessage({ channel: "C1", attachments }))).error).toBe(
      "too_many_attachments",
    );
    const metadata = { event_type: "a.b", event_payload: {} };
    expect((await slackError(slack.chat.postMessage({ channel: "C1", text: "t", metadata }))).error).toBe(
      "invalid_metadata_schema",
    );
    expect(
      (await slackError(slack.chat.postMessage({ channel: "C1", text: "x".repeat(40_001) }))).error,
    ).toBe("msg_too_long");
  });

  // Changelog 2018-04-truncating-really-long-messages: the text rules apply to "interactive
  // message and slash command response URLs" too; the block rules are applied there as well.
  it("applies the same rules to response_url posts", async () => {
    const { responseUrl } = await emu.driver.slashCommand({ userId: "U1", channelId: "C1", text: "" });
    const post = (body: unknown) =>
      fetch(responseUrl, {
        method: "POST",
        headers: { "content-type": "application/json" },
        body: JSON.stringify(body),
      });
    const tooBig = await post({ text: "t", blocks: blocksOfSize(12_001) });
    expect(tooBig.status).toBe(400);
    expect(await tooBig.json()).toEqual({
      ok: false,
      error: "msg_blocks_too_long",
      response_metadata: expect.anything(),
    });
    const invalid = await post({
      blocks: [{ type: "section", text: { type: "mrkdwn", text: "x", emoji: true } }],
    });
    expect(await invalid.json()).toMatchObject({
      error: "invalid_blocks",
      response_metadata: {
        messages: ["[ERROR] invalid additional property: emoji [json-pointer:/blocks/0/text]"],
      },
    });
    expect((await post({ text: "x".repeat(40_001) })).status).toBe(400);
    expect((await post({ text: "fits", blocks: blocksOfSize(12_000) })).status).toBe(200);
  });
});
