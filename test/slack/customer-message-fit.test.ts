// A customer message as thread replies, whatever the customer sent: every reply is one Slack
// accepts (the emulator's validator: per element, per block, blocks per message, the cumulative
// size of bolt-js#2509/#2867, the top-level text), and nothing is lost: the replies' text is the
// customer's text exactly, and every attachment is there, in order, with its URL and name.
import fc from "fast-check";
import { describe, expect, it } from "vitest";
import type { Attachment, Message } from "../../src/core/domain.ts";
import { blocksSize, validateMessage } from "../../src/emulator/blockkit.ts";
import {
  customerMessagePosts,
  linkTarget,
  type MessagePost,
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

/** Every post is accepted as Slack would accept it, numbered in order. */
function expectAccepted(posts: MessagePost[]) {
  expect(posts.length).toBeGreaterThan(0);
  posts.forEach((post, i) => {
    const verdict = validateMessage({ text: post.text, blocks: post.blocks, metadata: post.metadata });
    if (!verdict.ok) throw new Error(`part ${i}: ${verdict.error} ${JSON.stringify(verdict.issues)}`);
    expect(post.part).toBe(i);
    expect(post.metadata.event_payload).toMatchObject({ message_id: 42, part: i, parts: posts.length });
  });
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
        const posts = customerMessagePosts(message(text, []));
        expectAccepted(posts);
        expect(mirroredText(posts)).toBe(text);
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
          const posts = customerMessagePosts(message(text, attachments));
          expectAccepted(posts);
          expect(mirroredText(posts)).toBe(text);
          expectAttachments(posts, attachments);
          // A retry builds the same parts (SlackPost keeps their numbers).
          expect(customerMessagePosts(message(text, attachments))).toEqual(posts);
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
      const posts = customerMessagePosts(message(text, attachments));
      try {
        expectAccepted(posts);
        expect(mirroredText(posts)).toBe(text);
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
          const posts = customerMessagePosts(message("", all));
          expectAccepted(posts);
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
    const posts = customerMessagePosts(message(text, []));
    expectAccepted(posts);
    const sizes = posts.map((p) => blocksSize(p.blocks));
    for (const size of sizes.slice(0, -1)) expect(size).toBeGreaterThan(10_000);
  });
});
