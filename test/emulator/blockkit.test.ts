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

// ------------------------------------------------------------------------------------------------
// Unknown properties, places and surfaces, and the remaining documented limits.

const issuesOf = (blocks: unknown, surface?: "message" | "modal" | "home") =>
  validateBlocks(blocks, surface ? { surface } : {}).map((i) => `${i.pointer} ${i.message}`);
const actions = (...elements: unknown[]) => [{ type: "actions", elements }];
const input = (element: unknown, over: Record<string, unknown> = {}) => ({
  type: "input",
  label: plain("Label"),
  element,
  ...over,
});

describe("unknown properties", () => {
  // Slack answers "[ERROR] invalid additional property: emoji [json-pointer:/blocks/0/text]" for a
  // property the object does not define (slack-go/slack#1414, grafana/oncall#702).
  it("rejects emoji on a mrkdwn text object and verbatim on plain_text, as Slack does", () => {
    expect(issuesOf([{ type: "section", text: { type: "mrkdwn", text: "x", emoji: true } }])).toEqual([
      "/blocks/0/text invalid additional property: emoji",
    ]);
    expect(issuesOf([{ type: "header", text: { type: "plain_text", text: "x", verbatim: true } }])).toEqual([
      "/blocks/0/text invalid additional property: verbatim",
    ]);
    expect(
      validateBlocks([{ type: "section", text: { type: "plain_text", text: "x", emoji: false } }]),
    ).toEqual([]);
  });

  it("rejects a property a block or element does not define", () => {
    // Section block reference: type, text, block_id, fields, accessory, expand.
    expect(issuesOf([{ type: "section", text: mrkdwn("x"), color: "red" }])).toEqual([
      "/blocks/0 invalid additional property: color",
    ]);
    expect(issuesOf([{ type: "divider", text: mrkdwn("x") }])).toEqual([
      "/blocks/0 invalid additional property: text",
    ]);
    // Button element reference: no `placeholder`.
    expect(issuesOf(actions(button({ placeholder: plain("x") })))).toEqual([
      "/blocks/0/elements/0 invalid additional property: placeholder",
    ]);
    // Option object reference: `url` "is only available in overflow menus".
    const withUrl = { ...option(1), url: "https://example.com" };
    expect(issuesOf(actions({ type: "static_select", action_id: "s", options: [withUrl] }))).toEqual([
      "/blocks/0/elements/0/options/0 invalid additional property: url",
    ]);
    expect(validateBlocks(actions({ type: "overflow", action_id: "o", options: [withUrl] }))).toEqual([]);
    // Confirmation dialog object reference: title, text, confirm, deny, style.
    const confirm = {
      title: plain("Sure?"),
      text: plain("Really"),
      confirm: plain("Yes"),
      deny: plain("No"),
    };
    expect(validateBlocks(actions(button({ confirm })))).toEqual([]);
    expect(issuesOf(actions(button({ confirm: { ...confirm, icon: "x" } })))).toEqual([
      "/blocks/0/elements/0/confirm invalid additional property: icon",
    ]);
  });
});

describe("rich text date element", () => {
  // docs.slack.dev/reference/block-kit/block-elements/date-element: type, timestamp (Unix
  // seconds), format required; timezone, url, fallback, style optional. `{ago}` is one of the
  // format tokens (@slack/types RichTextDate.format: "3 minutes ago").
  const dated = (date: Record<string, unknown>) => [
    { type: "rich_text", elements: [{ type: "rich_text_section", elements: [{ type: "date", ...date }] }] },
  ];
  it("accepts the documented fields and refuses a missing format, a fractional timestamp, an unknown field", () => {
    expect(
      validateBlocks(
        dated({
          timestamp: 1796160000,
          format: "{ago}",
          timezone: "Europe/Berlin",
          fallback: "x",
          url: "https://e.x",
        }),
      ),
    ).toEqual([]);
    expect(issuesOf(dated({ timestamp: 1796160000 }))).toEqual([
      "/blocks/0/elements/0/elements/0 missing required field: format",
    ]);
    expect(issuesOf(dated({ timestamp: 1796160000.5, format: "{ago}" })).length).toBe(1);
    expect(issuesOf(dated({ timestamp: 1796160000, format: "{ago}", locale: "de" }))).toEqual([
      "/blocks/0/elements/0/elements/0 invalid additional property: locale",
    ]);
  });
});

describe("what goes where", () => {
  // Actions block reference, "Compatible block elements"; input-only elements fail the schema.
  it("accepts in an actions block only its compatible elements", () => {
    for (const type of [
      "plain_text_input",
      "email_text_input",
      "number_input",
      "url_text_input",
      "file_input",
    ]) {
      expect(issuesOf(actions({ type, action_id: "x" }))).toEqual([
        "/blocks/0/elements/0 failed to match all allowed schemas",
      ]);
    }
    // The element reference lists the rich text input for input blocks only.
    expect(issuesOf(actions({ type: "rich_text_input", action_id: "x" }), "modal")).toEqual([
      "/blocks/0/elements/0 failed to match all allowed schemas",
    ]);
    expect(issuesOf(actions({ type: "image", image_url: "https://e.x/a.png", alt_text: "a" }))).toEqual([
      "/blocks/0/elements/0 failed to match all allowed schemas",
    ]);
  });

  // Section block reference: accessory is one of the compatible elements (no datetimepicker, no inputs).
  it("accepts as a section accessory only its compatible elements", () => {
    const sectionWith = (accessory: unknown) => [{ type: "section", text: mrkdwn("x"), accessory }];
    expect(
      validateBlocks(sectionWith({ type: "image", image_url: "https://e.x/a.png", alt_text: "a" })),
    ).toEqual([]);
    expect(issuesOf(sectionWith({ type: "datetimepicker", action_id: "d" }))).toEqual([
      "/blocks/0/accessory failed to match all allowed schemas",
    ]);
    expect(issuesOf(sectionWith({ type: "plain_text_input", action_id: "p" }))).toEqual([
      "/blocks/0/accessory failed to match all allowed schemas",
    ]);
  });

  // Input block reference: element is one of the input elements (no buttons, no overflow menus).
  it("accepts in an input block only input elements", () => {
    expect(issuesOf([input(button())], "modal")).toEqual([
      "/blocks/0/element failed to match all allowed schemas",
    ]);
    expect(issuesOf([input({ type: "overflow", action_id: "o", options: [option(1)] })], "modal")).toEqual([
      "/blocks/0/element failed to match all allowed schemas",
    ]);
    expect(
      validateBlocks([input({ type: "plain_text_input", action_id: "p" })], { surface: "modal" }),
    ).toEqual([]);
  });

  // Context block reference: image elements and text objects only.
  it("accepts in a context block only images and text objects", () => {
    expect(issuesOf([{ type: "context", elements: [button()] }])).toEqual([
      "/blocks/0/elements/0/type must be one of plain_text, mrkdwn",
    ]);
  });

  // Blocks reference, each block's "Available in surfaces": input collects input in modals and
  // Home tabs (kept out of messages, stricter); markdown and table blocks are for messages;
  // file blocks "can't be added to app surfaces directly".
  it("keeps each block on its surfaces", () => {
    expect(issuesOf([input({ type: "plain_text_input", action_id: "p" })])).toEqual([
      "/blocks/0/type input blocks are not allowed in messages",
    ]);
    expect(issuesOf([{ type: "markdown", text: "**hi**" }], "modal")).toEqual([
      "/blocks/0/type markdown blocks are not allowed in modals",
    ]);
    expect(validateBlocks([{ type: "markdown", text: "**hi**" }])).toEqual([]);
    expect(issuesOf([{ type: "table", rows: [[{ type: "raw_text", text: "a" }]] }], "home")).toEqual([
      "/blocks/0/type table blocks are not allowed in Home tabs",
    ]);
    expect(issuesOf([{ type: "file", external_id: "F1", source: "remote" }])).toEqual([
      "/blocks/0/type file blocks are added by Slack for remote files",
    ]);
  });

  // Block elements reference, "Surfaces": email, number, URL and file inputs are for modals; the
  // rich text input for modals and Home tabs; the datetime picker for modals and messages.
  it("keeps each element on its surfaces", () => {
    expect(issuesOf([input({ type: "email_text_input", action_id: "e" })], "home")).toEqual([
      "/blocks/0/element/type email_text_input elements are not allowed in Home tabs",
    ]);
    expect(issuesOf([input({ type: "file_input", action_id: "f" })], "home")).toEqual([
      "/blocks/0/element/type file_input elements are not allowed in Home tabs",
    ]);
    expect(issuesOf(actions({ type: "datetimepicker", action_id: "d" }), "home")).toEqual([
      "/blocks/0/elements/0/type datetimepicker elements are not allowed in Home tabs",
    ]);
    expect(validateBlocks(actions({ type: "datetimepicker", action_id: "d" }))).toEqual([]);
    expect(validateBlocks([input({ type: "rich_text_input", action_id: "r" })], { surface: "home" })).toEqual(
      [],
    );
  });

  // Input block reference: "dispatch_action ... is incompatible with the file_input block element".
  it("refuses dispatch_action on an input block holding a file_input", () => {
    const fileInput = { type: "file_input", action_id: "f", max_files: 10 };
    expect(validateBlocks([input(fileInput)], { surface: "modal" })).toEqual([]);
    expect(issuesOf([input(fileInput, { dispatch_action: true })], "modal")).toEqual([
      "/blocks/0/dispatch_action unsupported type: dispatch_action with file_input",
    ]);
    // File input element reference: max_files "Minimum of 1, maximum of 10".
    expect(issuesOf([input({ ...fileInput, max_files: 11 })], "modal")).toEqual([
      "/blocks/0/element/max_files must be between 1 and 10",
    ]);
  });
});

describe("element and composition limits", () => {
  it.each([
    // Extensions (placeholder): "Maximum length for the text field in this object is 150 characters".
    [
      "placeholder",
      (n: number) => actions({ type: "users_select", action_id: "u", placeholder: plain("x".repeat(n)) }),
      150,
      "/blocks/0/elements/0/placeholder/text",
    ],
    // Option object reference: text 75, value 150, description 75.
    [
      "option text",
      (n: number) =>
        actions({
          type: "static_select",
          action_id: "s",
          options: [{ text: plain("x".repeat(n)), value: "v" }],
        }),
      75,
      "/blocks/0/elements/0/options/0/text/text",
    ],
    [
      "option value",
      (n: number) =>
        actions({
          type: "static_select",
          action_id: "s",
          options: [{ text: plain("t"), value: "x".repeat(n) }],
        }),
      150,
      "/blocks/0/elements/0/options/0/value",
    ],
    [
      "option description",
      (n: number) =>
        actions({
          type: "checkboxes",
          action_id: "c",
          options: [{ text: plain("t"), value: "v", description: plain("x".repeat(n)) }],
        }),
      75,
      "/blocks/0/elements/0/options/0/description/text",
    ],
    // Option group object reference: label 75.
    [
      "option group label",
      (n: number) =>
        actions({
          type: "static_select",
          action_id: "s",
          option_groups: [{ label: plain("x".repeat(n)), options: [option(1)] }],
        }),
      75,
      "/blocks/0/elements/0/option_groups/0/label/text",
    ],
    // Confirmation dialog object reference: title 100, text 300, confirm and deny 30.
    [
      "confirm title",
      (n: number) =>
        actions(
          button({
            confirm: { title: plain("x".repeat(n)), text: plain("t"), confirm: plain("y"), deny: plain("n") },
          }),
        ),
      100,
      "/blocks/0/elements/0/confirm/title/text",
    ],
    [
      "confirm text",
      (n: number) =>
        actions(
          button({
            confirm: { title: plain("t"), text: plain("x".repeat(n)), confirm: plain("y"), deny: plain("n") },
          }),
        ),
      300,
      "/blocks/0/elements/0/confirm/text/text",
    ],
    [
      "confirm button",
      (n: number) =>
        actions(
          button({
            confirm: { title: plain("t"), text: plain("t"), confirm: plain("x".repeat(n)), deny: plain("n") },
          }),
        ),
      30,
      "/blocks/0/elements/0/confirm/confirm/text",
    ],
    // Button element reference: accessibility_label 75.
    [
      "accessibility_label",
      (n: number) => actions(button({ accessibility_label: "x".repeat(n) })),
      75,
      "/blocks/0/elements/0/accessibility_label",
    ],
    // Image block reference: image_url 3000, alt_text 2000, title 2000.
    [
      "image_url",
      (n: number) => [{ type: "image", image_url: `https://e.x/${"x".repeat(n - 12)}`, alt_text: "a" }],
      3000,
      "/blocks/0/image_url",
    ],
    [
      "image alt_text",
      (n: number) => [{ type: "image", image_url: "https://e.x/a.png", alt_text: "x".repeat(n) }],
      2000,
      "/blocks/0/alt_text",
    ],
    [
      "image title",
      (n: number) => [
        { type: "image", image_url: "https://e.x/a.png", alt_text: "a", title: plain("x".repeat(n)) },
      ],
      2000,
      "/blocks/0/title/text",
    ],
    // Markdown block reference: "Limit 12,000 characters".
    ["markdown text", (n: number) => [{ type: "markdown", text: "x".repeat(n) }], 12_000, "/blocks/0/text"],
    // Video block reference: title "must be less than 200 characters".
    [
      "video title",
      (n: number) => [
        {
          type: "video",
          alt_text: "v",
          title: plain("x".repeat(n)),
          video_url: "https://e.x/v",
          thumbnail_url: "https://e.x/t.png",
        },
      ],
      199,
      "/blocks/0/title/text",
    ],
  ])("limits %s", (_name, build, max, pointer) => {
    expect(validateBlocks(build(max))).toEqual([]);
    expect(validateBlocks(build(max + 1)).map((i) => i.pointer)).toEqual([pointer]);
  });

  it.each([
    // Input block reference: label and hint 2000.
    [
      "input label",
      (n: number) => [input({ type: "plain_text_input", action_id: "p" }, { label: plain("x".repeat(n)) })],
      2000,
      "/blocks/0/label/text",
    ],
    [
      "input hint",
      (n: number) => [input({ type: "plain_text_input", action_id: "p" }, { hint: plain("x".repeat(n)) })],
      2000,
      "/blocks/0/hint/text",
    ],
    // Plain-text input element reference: min_length "Maximum value is 3000".
    [
      "plain_text_input min_length",
      (n: number) => [input({ type: "plain_text_input", action_id: "p", min_length: n })],
      3000,
      "/blocks/0/element/min_length",
    ],
  ])("limits %s (modal)", (_name, build, max, pointer) => {
    expect(validateBlocks(build(max), { surface: "modal" })).toEqual([]);
    expect(validateBlocks(build(max + 1), { surface: "modal" }).map((i) => i.pointer)).toEqual([pointer]);
  });

  it("limits option counts: overflow 5, checkboxes 10, radio buttons 10, option groups 100", () => {
    const opts = (n: number) => Array.from({ length: n }, (_, i) => option(i));
    // Overflow menu element reference: "up to 5"; checkboxes and radio buttons: "A maximum of 10".
    for (const [type, max] of [
      ["overflow", 5],
      ["checkboxes", 10],
      ["radio_buttons", 10],
    ] as const) {
      expect(validateBlocks(actions({ type, action_id: "x", options: opts(max) }))).toEqual([]);
      expect(pointers(actions({ type, action_id: "x", options: opts(max + 1) }))).toEqual([
        "/blocks/0/elements/0/options",
      ]);
    }
    // Select menu element reference: "Maximum number of option groups is 100".
    const groups = (n: number) =>
      Array.from({ length: n }, (_, i) => ({ label: plain(`G${i}`), options: [option(i)] }));
    expect(
      validateBlocks(actions({ type: "static_select", action_id: "s", option_groups: groups(100) })),
    ).toEqual([]);
    expect(pointers(actions({ type: "static_select", action_id: "s", option_groups: groups(101) }))).toEqual([
      "/blocks/0/elements/0/option_groups",
    ]);
  });

  // Table block reference: "Maximum 100 rows", "a max of 20 table cells".
  it("limits table rows and cells", () => {
    const table = (rows: number, cells: number) => [
      {
        type: "table",
        rows: Array.from({ length: rows }, () =>
          Array.from({ length: cells }, () => ({ type: "raw_text", text: "c" })),
        ),
      },
    ];
    expect(validateBlocks(table(100, 20))).toEqual([]);
    expect(pointers(table(101, 1))).toEqual(["/blocks/0/rows"]);
    expect(pointers(table(1, 21))).toEqual(["/blocks/0/rows/0"]);
  });

  // Markdown block reference: the 12,000-character limit is cumulative over a payload's markdown blocks.
  it("limits the markdown blocks of one payload to 12,000 characters together", () => {
    const md = (n: number) => ({ type: "markdown", text: "x".repeat(n) });
    expect(validateBlocks([md(6000), md(6000)])).toEqual([]);
    expect(pointers([md(6000), md(6001)])).toEqual(["/blocks/1/text"]);
  });

  // Option object reference: initial_option(s) must "exactly match" options of the element.
  it("requires initial options to be among the options", () => {
    const select = (initial: unknown) =>
      actions({
        type: "static_select",
        action_id: "s",
        options: [option(1), option(2)],
        initial_option: initial,
      });
    expect(validateBlocks(select(option(2)))).toEqual([]);
    expect(issuesOf(select(option(3)))).toEqual([
      "/blocks/0/elements/0/initial_option must match one of the options",
    ]);
  });

  // Confirmation dialog object reference: title, text, confirm, deny are all required.
  it("requires every part of a confirmation dialog", () => {
    expect(issuesOf(actions(button({ confirm: { title: plain("t"), text: plain("x") } })))).toEqual([
      "/blocks/0/elements/0/confirm missing required field: confirm",
      "/blocks/0/elements/0/confirm missing required field: deny",
    ]);
  });

  // Extensions (Focusable): "Only one element can be set to true".
  it("allows focus_on_load on one element of a view", () => {
    const focused = (id: string) =>
      input({ type: "plain_text_input", action_id: id, focus_on_load: true }, { block_id: id });
    const view = {
      type: "modal",
      title: plain("T"),
      submit: plain("OK"),
      blocks: [focused("a"), focused("b")],
    };
    expect(validateView(view).map((i) => i.pointer)).toEqual(["/view/blocks/1/element/focus_on_load"]);
  });
});

describe("lengths as Slack counts them", () => {
  // Text object reference: "maximum length is 3000 characters"; JavaScript strings are UTF-16 and
  // an emoji outside the BMP is 2 code units. Counting code units is never fewer than code points.
  it("counts UTF-16 code units", () => {
    const emoji = "😀";
    expect(validateBlocks([{ type: "section", text: mrkdwn(emoji.repeat(1500)) }])).toEqual([]);
    expect(pointers([{ type: "section", text: mrkdwn(`${emoji.repeat(1500)}x`) }])).toEqual([
      "/blocks/0/text/text",
    ]);
    expect(pointers([{ type: "header", text: plain(emoji.repeat(76)) }])).toEqual(["/blocks/0/text/text"]);
  });

  // Formatting reference ("Escaping text"): the app sends &, <, > as &amp; &lt; &gt; in mrkdwn, so
  // mrkdwn is measured as sent (80 `&` escaped are 400 characters); a bare & is stored as &amp;.
  it("measures mrkdwn as sent, escapes included", () => {
    expect(validateBlocks([{ type: "section", text: mrkdwn("&amp;".repeat(600)) }])).toEqual([]);
    expect(pointers([{ type: "section", text: mrkdwn(`${"&amp;".repeat(600)}x`) }])).toEqual([
      "/blocks/0/text/text",
    ]);
    expect(pointers([{ type: "section", text: mrkdwn("&".repeat(601)) }])).toEqual(["/blocks/0/text/text"]);
    expect(validateBlocks([{ type: "section", text: mrkdwn("&".repeat(600)) }])).toEqual([]);
  });

  // Slack stores plain_text escaped (a plain_text "Answer & 1" comes back as "Answer &amp; 1",
  // slackapi/bolt-python#513), so &, <, > count as their entities.
  it("counts &, <, > in plain_text as the entities Slack stores", () => {
    expect(validateBlocks([{ type: "header", text: plain("&".repeat(30)) }])).toEqual([]);
    expect(pointers([{ type: "header", text: plain("&".repeat(31)) }])).toEqual(["/blocks/0/text/text"]);
    expect(validateBlocks([{ type: "header", text: plain("<".repeat(37)) }])).toEqual([]);
    expect(pointers([{ type: "header", text: plain(">".repeat(38)) }])).toEqual(["/blocks/0/text/text"]);
  });
});

describe("views", () => {
  // App Home reference: a Home tab has blocks, private_metadata, callback_id, external_id; no
  // title, submit or close (python-slack-sdk views: "home view cannot have submit and close").
  it("rejects properties a view type does not define", () => {
    const home = (over: Record<string, unknown>) =>
      validateView({ type: "home", blocks: [{ type: "divider" }], ...over });
    expect(home({ title: plain("Home") }).map((i) => i.message)).toEqual([
      "invalid additional property: title",
    ]);
    expect(home({ submit: plain("Go") }).map((i) => i.pointer)).toEqual(["/view"]);
    expect(
      validateView({ type: "modal", title: plain("T"), blocks: [], submit_disabled: true }).map(
        (i) => i.message,
      ),
    ).toEqual(["invalid additional property: submit_disabled"]);
    expect(
      validateView({ type: "modal", title: plain("T"), blocks: [], notify_on_close: "yes" }).map(
        (i) => i.pointer,
      ),
    ).toEqual(["/view/notify_on_close"]);
  });

  // A view as Slack returns it carries id, hash, state, ... (slack-samples/api/views.publish.json):
  // accepted only when the check names that leniency.
  it("accepts the fields of a returned view only with asReturned", () => {
    const returned = {
      type: "home",
      blocks: [{ type: "divider", block_id: "b1" }],
      id: "V1",
      team_id: "T1",
      state: { values: {} },
      hash: "1.a",
      clear_on_close: false,
      notify_on_close: false,
      submit_disabled: false,
      external_id: "",
      private_metadata: "",
      callback_id: "",
      root_view_id: null,
      previous_view_id: null,
      app_id: "A1",
      app_installed_team_id: "T1",
      bot_id: "B1",
    };
    expect(validateView(returned, { asReturned: true })).toEqual([]);
    expect(validateView(returned).map((i) => i.message)).toContain("invalid additional property: hash");
  });

  // Modal view reference: callback_id 255, external_id 255.
  it("limits callback_id and external_id to 255", () => {
    const modal = (over: Record<string, unknown>) =>
      validateView({ type: "modal", title: plain("T"), blocks: [], ...over });
    expect(modal({ callback_id: "c".repeat(255), external_id: "e".repeat(255) })).toEqual([]);
    expect(modal({ callback_id: "c".repeat(256) }).map((i) => i.pointer)).toEqual(["/view/callback_id"]);
    expect(modal({ external_id: "e".repeat(256) }).map((i) => i.pointer)).toEqual(["/view/external_id"]);
  });
});
