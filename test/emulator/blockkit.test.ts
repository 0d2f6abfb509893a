// The pure Block Kit validator: each documented limit on both sides of its boundary.
import { describe, expect, it } from "vitest";
import {
  assertValidBlocks,
  BlockKitError,
  formatIssues,
  validateBlocks,
  validateView,
  withGeneratedIds,
} from "../../src/emulator/blockkit.ts";

const plain = (text: string) => ({ type: "plain_text", text });
const mrkdwn = (text: string) => ({ type: "mrkdwn", text });
const button = (over: Record<string, unknown> = {}) => ({
  type: "button",
  text: plain("Claim"),
  action_id: "conv_claim",
  ...over,
});
const option = (i: number) => ({ text: plain(`Option ${i}`), value: `v${i}` });
const pointers = (blocks: unknown, surface?: "message" | "modal" | "home") =>
  validateBlocks(blocks, surface ? { surface } : {}).map((i) => i.pointer);

describe("validateBlocks", () => {
  it("accepts a typical conversation card", () => {
    const card = [
      { type: "header", text: plain("Conversation #42") },
      {
        type: "section",
        text: mrkdwn("*Ada Lovelace* via web"),
        fields: [mrkdwn("*Status*\nOpen"), mrkdwn("*Assignee*\n<@U1>")],
      },
      { type: "context", elements: [mrkdwn("waiting 5 min")] },
      { type: "divider" },
      {
        type: "actions",
        elements: [
          button(),
          { type: "users_select", action_id: "conv_assign", placeholder: plain("Assign to…") },
          { type: "static_select", action_id: "conv_assign_static", options: [option(1), option(2)] },
          button({ action_id: "conv_close", text: plain("Close"), style: "danger", value: "42" }),
        ],
      },
    ];
    expect(validateBlocks(card)).toEqual([]);
    expect(() => assertValidBlocks(card)).not.toThrow();
  });

  it("limits blocks per surface: 50 in messages, 100 in modals and App Home", () => {
    const blocks = (n: number) => Array.from({ length: n }, () => ({ type: "divider" }));
    expect(pointers(blocks(50))).toEqual([]);
    expect(pointers(blocks(51))).toEqual(["/blocks"]);
    expect(pointers(blocks(100), "modal")).toEqual([]);
    expect(pointers(blocks(101), "home")).toEqual(["/blocks"]);
  });

  it.each([
    [
      "section text",
      { type: "section", text: mrkdwn("x".repeat(3000)) },
      { type: "section", text: mrkdwn("x".repeat(3001)) },
      "/blocks/0/text/text",
    ],
    [
      "section field",
      { type: "section", fields: [mrkdwn("x".repeat(2000))] },
      { type: "section", fields: [mrkdwn("x".repeat(2001))] },
      "/blocks/0/fields/0/text",
    ],
    [
      "header text",
      { type: "header", text: plain("x".repeat(150)) },
      { type: "header", text: plain("x".repeat(151)) },
      "/blocks/0/text/text",
    ],
    [
      "button text",
      { type: "actions", elements: [button({ text: plain("x".repeat(75)) })] },
      { type: "actions", elements: [button({ text: plain("x".repeat(76)) })] },
      "/blocks/0/elements/0/text/text",
    ],
    [
      "button value",
      { type: "actions", elements: [button({ value: "x".repeat(2000) })] },
      { type: "actions", elements: [button({ value: "x".repeat(2001) })] },
      "/blocks/0/elements/0/value",
    ],
    [
      "button url",
      { type: "actions", elements: [button({ url: `https://e.x/${"x".repeat(2988)}` })] },
      { type: "actions", elements: [button({ url: `https://e.x/${"x".repeat(2989)}` })] },
      "/blocks/0/elements/0/url",
    ],
    [
      "action_id",
      { type: "actions", elements: [button({ action_id: "a".repeat(255) })] },
      { type: "actions", elements: [button({ action_id: "a".repeat(256) })] },
      "/blocks/0/elements/0/action_id",
    ],
    [
      "block_id",
      { type: "divider", block_id: "b".repeat(255) },
      { type: "divider", block_id: "b".repeat(256) },
      "/blocks/0/block_id",
    ],
  ])("limits %s", (_name, okBlock, badBlock, pointer) => {
    expect(validateBlocks([okBlock])).toEqual([]);
    const issues = validateBlocks([badBlock]);
    expect(issues.map((i) => i.pointer)).toEqual([pointer]);
    expect(issues[0]?.message).toMatch(/^must be less than \d+ characters$/);
  });

  it("limits counts: 10 section fields, 10 context elements, 25 actions elements, 100 select options", () => {
    const fields = (n: number) => [{ type: "section", fields: Array.from({ length: n }, () => mrkdwn("f")) }];
    expect(pointers(fields(10))).toEqual([]);
    expect(pointers(fields(11))).toEqual(["/blocks/0/fields"]);
    const context = (n: number) => [
      { type: "context", elements: Array.from({ length: n }, () => mrkdwn("c")) },
    ];
    expect(pointers(context(10))).toEqual([]);
    expect(pointers(context(11))).toEqual(["/blocks/0/elements"]);
    const actions = (n: number) => [
      { type: "actions", elements: Array.from({ length: n }, (_, i) => button({ action_id: `a${i}` })) },
    ];
    expect(pointers(actions(25))).toEqual([]);
    expect(pointers(actions(26))).toEqual(["/blocks/0/elements"]);
    const select = (n: number) => [
      {
        type: "actions",
        elements: [
          { type: "static_select", action_id: "s", options: Array.from({ length: n }, (_, i) => option(i)) },
        ],
      },
    ];
    expect(pointers(select(100))).toEqual([]);
    expect(pointers(select(101))).toEqual(["/blocks/0/elements/0/options"]);
    expect(pointers(select(0))).toEqual(["/blocks/0/elements/0/options"]);
  });

  it("requires text objects to have a type and non-empty text", () => {
    expect(validateBlocks([{ type: "section", text: { text: "no type" } }]).map((i) => i.message)).toEqual([
      "missing required field: type",
    ]);
    expect(validateBlocks([{ type: "section", text: { type: "mrkdwn" } }]).map((i) => i.message)).toEqual([
      "missing required field: text",
    ]);
    expect(pointers([{ type: "section", text: mrkdwn("") }])).toEqual(["/blocks/0/text/text"]);
    expect(pointers([{ type: "header", text: mrkdwn("headers are plain") }])).toEqual([
      "/blocks/0/text/type",
    ]);
    expect(pointers([{ type: "section", text: { type: "html", text: "x" } }])).toEqual([
      "/blocks/0/text/type",
    ]);
  });

  it("rejects unknown block types, non-objects, elements in the wrong place and duplicates", () => {
    expect(pointers([{ type: "carousel" }])).toEqual(["/blocks/0/type"]);
    expect(pointers([42])).toEqual(["/blocks/0"]);
    expect(pointers({ type: "section" })).toEqual(["/blocks"]);
    expect(pointers([{ type: "actions", elements: [{ type: "plain_text_input", action_id: "x" }] }])).toEqual(
      ["/blocks/0/elements/0"],
    );
    expect(pointers([{ type: "actions", elements: [button(), button()] }])).toEqual([
      "/blocks/0/elements/1/action_id",
    ]);
    expect(
      pointers([
        { type: "divider", block_id: "same" },
        { type: "divider", block_id: "same" },
      ]),
    ).toEqual(["/blocks/1/block_id"]);
    expect(pointers([{ type: "actions", elements: [button({ style: "fancy" })] }])).toEqual([
      "/blocks/0/elements/0/style",
    ]);
  });

  it("formats issues like Slack's response_metadata.messages", () => {
    const issues = validateBlocks([{ type: "divider" }, { type: "header", text: plain("x".repeat(151)) }]);
    expect(formatIssues(issues)).toEqual([
      "[ERROR] must be less than 151 characters [json-pointer:/blocks/1/text/text]",
    ]);
    expect(() => assertValidBlocks([{ type: "header", text: plain("") }])).toThrow(BlockKitError);
  });
});

describe("validateView", () => {
  const modal = (over: Record<string, unknown> = {}) => ({
    type: "modal",
    title: plain("Assign conversation"),
    submit: plain("Assign"),
    close: plain("Cancel"),
    blocks: [
      {
        type: "input",
        block_id: "agent",
        label: plain("Agent"),
        element: { type: "users_select", action_id: "pick" },
      },
    ],
    ...over,
  });

  it("accepts a modal and a home view", () => {
    expect(validateView(modal())).toEqual([]);
    expect(
      validateView(
        { type: "home", blocks: [{ type: "section", text: mrkdwn("Your queue") }] },
        { expectedType: "home" },
      ),
    ).toEqual([]);
  });

  it("limits the modal title to 24 characters, buttons to 24, metadata to 3000", () => {
    expect(validateView(modal({ title: plain("x".repeat(24)) }))).toEqual([]);
    expect(formatIssues(validateView(modal({ title: plain("x".repeat(25)) })))).toEqual([
      "[ERROR] must be less than 25 characters [json-pointer:/view/title/text]",
    ]);
    expect(validateView(modal({ submit: plain("x".repeat(25)) })).map((i) => i.pointer)).toEqual([
      "/view/submit/text",
    ]);
    expect(validateView(modal({ private_metadata: "x".repeat(3001) })).map((i) => i.pointer)).toEqual([
      "/view/private_metadata",
    ]);
  });

  it("checks the view's blocks with the 100-block limit and the expected type", () => {
    const many = Array.from({ length: 101 }, () => ({ type: "divider" }));
    expect(validateView(modal({ blocks: many })).map((i) => i.pointer)).toEqual(["/view/blocks"]);
    expect(validateView(modal(), { expectedType: "home" }).map((i) => i.pointer)).toEqual(["/view/type"]);
    expect(validateView(modal({ submit: undefined })).map((i) => i.pointer)).toEqual(["/view"]);
  });
});

describe("withGeneratedIds", () => {
  it("fills in missing block_ids and action_ids, keeping given ones", () => {
    const out = withGeneratedIds([
      { type: "actions", elements: [{ type: "button", text: plain("A") }, button()] },
      {
        type: "section",
        block_id: "mine",
        text: mrkdwn("x"),
        accessory: { type: "overflow", options: [option(1)] },
      },
    ]) as unknown as {
      block_id: string;
      elements?: { action_id: string }[];
      accessory?: { action_id: string };
    }[];
    expect(out[0]?.block_id).toMatch(/^\w{5}$/);
    expect(out[0]?.elements?.[0]?.action_id).toMatch(/^\w{5}$/);
    expect(out[0]?.elements?.[1]?.action_id).toBe("conv_claim");
    expect(out[1]?.block_id).toBe("mine");
    expect(out[1]?.accessory?.action_id).toMatch(/^\w{5}$/);
  });
});
