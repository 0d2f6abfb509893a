// A customer message as thread replies, whatever the customer sent: every reply is one Slack
// accepts (the emulator's validator: per element, per block, blocks per message, the cumulative
// size of bolt-js#2509/#2867, the top-level text), and nothing is lost: the replies' text is the
// customer's text exactly, and every attachment is there, in order, with its URL and name.
import fc from "fast-check";
import { describe, expect, it } from "vitest";
import type { Attachment, Message } from "../../src/core/domain.ts";
import { blocksSize, validateMessage } from "../../src/emulator/blockkit.ts";
import {
  customerMessageSteps,
  INLINE_TEXT_POSTS,
  linkTarget,
  type MessagePost,
  type MessageStep,
} from "../../src/slack/blocks/customer-message.ts";
import { anyHostile, cutUtf16 } from "../helpers/hostile.ts";
import { mirroredAttachments, mirroredText } from "../helpers/mirrored.ts";

const message = (text: string, attachments: Attachment[]): Message => ({
  id: 42,
  conversationId: 7,
  sourceId: "web",
  externalId: "m-1",
  direction: "inbound",
  authorName: "Ada",
  authorSlackId: null,
  text,
  textFormat: null,
  slackTs: null,
  attachments,
  sentAt: new Date("2026-11-21T10:00:00Z"),
  createdAt: new Date("2026-11-21T10:00:00Z"),
  deliveryStatus: null,
  deliveryError: null,
  editedAt: null,
  deletedAt: null,
});

// Within what the inbound API accepts (src/connectors/inbound-api.ts): URLs of at most 3,000,
// names and types of at most 255.
const url = (max: number) =>
  anyHostile(max - 30).map((tail) => cutUtf16(`https://files.example.com/${tail}`, max));
const attachment = (urlMax = 3000, nameMax = 255): fc.Arbitrary<Attachment> =>
  fc
    .record({
      url: url(urlMax),
      name: anyHostile(nameMax, 1),
      mimeType: fc.option(anyHostile(255, 1), { nil: undefined }),
    })
    .map(({ mimeType, ...a }) => (mimeType === undefined ? a : { ...a, mimeType }));

const postsOf = (steps: MessageStep[]) => steps.filter((s): s is MessagePost => s.kind === "post");

/** Every post is accepted as Slack would accept it; the steps are numbered in order. */
function expectAccepted(steps: MessageStep[]): MessagePost[] {
  expect(steps.length).toBeGreaterThan(0);
  steps.forEach((step, i) => {
    expect(step.part).toBe(i);
    if (step.kind === "file") return;
    const verdict = validateMessage({ text: step.text, blocks: step.blocks, metadata: step.metadata });
    if (!verdict.ok) throw new Error(`part ${i}: ${verdict.error} ${JSON.stringify(verdict.issues)}`);
    expect(step.metadata.event_payload).toMatchObject({ message_id: 42, part: i, parts: steps.length });
  });
  return postsOf(steps);
}

/**
 * The text as agents can read it: the posts' text, or for a long one the file (the whole text,
 * which the first post starts with).
 */
function readable(steps: MessageStep[]): string {
  const file = steps.find((s) => s.kind === "file");
  const inline = mirroredText(postsOf(steps));
  if (!file) return inline;
  const whole = Buffer.from(file.bytes).toString("utf8");
  expect(whole.startsWith(inline)).toBe(true);
  return whole;
}

/** Every attachment, in order: the link (or button) opens its URL; written out, it is the URL. */
function expectAttachments(posts: MessagePost[], attachments: Attachment[]) {
  const shown = mirroredAttachments(posts);
  expect(shown).toHaveLength(attachments.length);
  shown.forEach((s, i) => {
    const a = attachments[i]!;
    const type = a.mimeType !== undefined ? ` (${a.mimeType})` : "";
    if (s.form === "written") expect(s.url).toBe(a.url);
    else expect(s.url).toBe(linkTarget(a.url));
    expect(s.label).toBe(`${s.form === "link" ? a.name.replace(/\|/g, "¦") : a.name}${type}`);
  });
}

describe("customerMessagePosts: every reply fits, nothing is lost", () => {
  it("hostile texts of up to 40,000 characters", () => {
    fc.assert(
      fc.property(anyHostile(40_000, 1), (text) => {
        const steps = customerMessageSteps(message(text, []));
        expectAccepted(steps);
        expect(readable(steps)).toBe(text);
      }),
      { numRuns: 60 },
    );
  });

  it("hostile texts with up to 60 hostile attachments", () => {
    fc.assert(
      fc.property(
        anyHostile(20_000),
        fc.array(attachment(), { maxLength: 60, size: "max" }),
        (text, attachments) => {
          fc.pre(text.length > 0 || attachments.length > 0);
          const steps = customerMessageSteps(message(text, attachments));
          const posts = expectAccepted(steps);
          expect(readable(steps)).toBe(text);
          expectAttachments(posts, attachments);
          // A retry builds the same parts (SlackPost keeps their numbers).
          expect(customerMessageSteps(message(text, attachments))).toEqual(steps);
        },
      ),
      { numRuns: 40 },
    );
  });

  it("the Block Kit helper's cases: 10 URLs of 1,500, an &-heavy URL or name, 500 attachments", () => {
    const cases: [string, string, Attachment[]][] = [
      [
        "10 URLs of 1,500 (16,337 in one message before)",
        "see these",
        Array.from({ length: 10 }, (_, i) => ({
          url: `https://x.example/${"a".repeat(1480)}${i}`,
          name: `f${i}`,
        })),
      ],
      ["a URL of 2,800 `&`", "", [{ url: `https://x.example/?${"&".repeat(2800)}`, name: "f" }]],
      ["a URL with spaces and pipes", "", [{ url: `https://x.example/${"a |<>".repeat(700)}`, name: "f" }]],
      [
        "a name of 255 `&` with a URL of 2,000",
        "",
        [{ url: `https://x.example/${"b".repeat(2000)}`, name: "&".repeat(255), mimeType: "&".repeat(255) }],
      ],
      [
        "500 attachments after a text",
        "hello",
        Array.from({ length: 500 }, (_, i) => ({ url: `https://x.example/${i}`, name: `file ${i}.pdf` })),
      ],
    ];
    for (const [name, text, attachments] of cases) {
      const steps = customerMessageSteps(message(text, attachments));
      try {
        const posts = expectAccepted(steps);
        expect(readable(steps)).toBe(text);
        expectAttachments(posts, attachments);
      } catch (err) {
        throw new Error(`${name}: ${(err as Error).message}`);
      }
    }
  });

  it("a URL longer than any element holds, or whose JSON is too big for a message, is written out whole", () => {
    fc.assert(
      fc.property(
        fc.array(attachment(30_000, 2000), { minLength: 1, maxLength: 4, size: "max" }),
        fc.constantFrom("\u0001", "&", '"', "a"),
        (attachments, filler) => {
          const all = [...attachments, { url: `https://x.example/${filler.repeat(2980)}`, name: "filler" }];
          const posts = expectAccepted(customerMessageSteps(message("", all)));
          const shown = mirroredAttachments(posts);
          expect(shown).toHaveLength(all.length);
          shown.forEach((s, i) => {
            expect(s.url).toBe(s.form === "written" ? all[i]!.url : linkTarget(all[i]!.url));
          });
        },
      ),
      { numRuns: 30 },
    );
  });

  it("fills replies close to the cumulative limit rather than posting many small ones", () => {
    const text = "R&D <b> ok\n".repeat(4000);
    const posts = expectAccepted(customerMessageSteps(message(text, [])));
    expect(posts.length).toBeLessThanOrEqual(INLINE_TEXT_POSTS);
    const sizes = posts.map((p) => blocksSize(p.blocks));
    for (const size of sizes.slice(0, -1)) expect(size).toBeGreaterThan(10_000);
  });
});

// Issue 15, part 6: a message of hundreds of posts held its channel for minutes.
describe("a text longer than a few posts", () => {
  const attachments = Array.from({ length: 30 }, (_, i) => ({
    url: `https://x.example/${i}`,
    name: `f${i}`,
  }));

  it("goes as its first part inline, then the whole text as a file, then the rest", () => {
    const text = "Lorem ipsum <!channel> & dolor 🎉\n".repeat(6500).slice(0, 200_000);
    const steps = customerMessageSteps(message(text, attachments));
    const posts = expectAccepted(steps);
    expect(steps.map((s) => s.kind)).toEqual(["post", "file", ...posts.slice(1).map(() => "post")]);
    expect(steps.length).toBeLessThanOrEqual(3);
    expect(readable(steps)).toBe(text);
    expectAttachments(posts, attachments);
    const file = steps[1]!;
    if (file.kind !== "file") throw new Error("no file");
    expect(file).toMatchObject({ filename: "message-42.txt", snippetType: "text" });
    expect(file.comment).toContain(`${Array.from(text).length.toLocaleString("en-US")} characters`);
    expect(JSON.stringify(posts[0]!.blocks)).toContain("in full in the file below");
  });

  it("a text over Slack's 1 MB snippet limit goes as a plain text file", () => {
    const text = "é".repeat(600_000); // 1,200,000 bytes
    const file = customerMessageSteps(message(text, [])).find((s) => s.kind === "file");
    expect(file).toMatchObject({ kind: "file", snippetType: undefined });
    expect(file?.kind === "file" && file.bytes.length).toBe(1_200_000);
  });

  it("a text of up to INLINE_TEXT_POSTS posts stays inline", () => {
    const text = "a".repeat(30_000);
    const steps = customerMessageSteps(message(text, []));
    expect(steps.every((s) => s.kind === "post")).toBe(true);
    expect(mirroredText(postsOf(steps))).toBe(text);
  });
});
