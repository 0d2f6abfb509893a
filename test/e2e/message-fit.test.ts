// End to end, the worst a customer can send through the inbound API (src/connectors/inbound-api.ts
// takes at most 50 attachments, URLs of 3,000, names of 255, customer names of 200): a 20,000-
// character `&`-heavy text, 50 attachments with 2,000-character `&`-heavy URLs and names, and a
// customer with an `&`-heavy name and 8 long attributes. Against the strict emulator (every Block
// Kit limit and the cumulative size of bolt-js#2509/#2867): every part arrives, in order, nothing
// is lost, nothing is given up, and the channel's next message goes out after it.
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { escapeSlackText } from "../../src/core/slack-text.ts";
import { validateMessage } from "../../src/emulator/blockkit.ts";
import { linkTarget } from "../../src/slack/blocks/customer-message.ts";
import { mirroredAttachments, mirroredText } from "../helpers/mirrored.ts";
import { CHANNEL, customerMessage, type Stack, startStack } from "../helpers/stack.ts";

let stack: Stack;
beforeEach(async () => {
  // Leniency, by name: a long message here goes out in many posts of one channel; what these
  // tests check is their size and content, not the channel's pace (mirroring.test.ts has that).
  stack = await startStack({ postsPerChannel: { perSecond: 100, burst: 100 } });
});
afterEach(async () => {
  await stack.stop();
});

type Posted = {
  ts: string;
  text?: string;
  blocks?: unknown[];
  metadata?: { event_type?: string; event_payload?: Record<string, unknown> };
};

const TEXT = `${'Order R&D-42 <urgent> & "broken" 🎉 | *bold* <!channel>\n'.repeat(400)}`.slice(0, 20_000);
const ATTACHMENTS = Array.from({ length: 50 }, (_, i) => ({
  url: `https://files.example.com/${i}/download?${"a=1&b=2&".repeat(250)}`.slice(0, 2000),
  name: `${"&".repeat(200)} <scan|${i}>.pdf`,
  mimeType: "application/pdf",
}));
const ATTRIBUTES = Object.fromEntries(
  // Values at the inbound API's 1,000 characters (ATTRIBUTE_LIMITS).
  Array.from({ length: 8 }, (_, i) => [
    `${"&".repeat(50)}${i}`,
    `${"R&D <team> ".repeat(90)}${i}`.padEnd(1000, "&"),
  ]),
);
const NAME = `${"&".repeat(150)} <Ada> 🎉 Lovelace`.slice(0, 200);

describe("a customer message at the inbound API's limits", () => {
  it("arrives whole, in order, in replies Slack accepts, and the lane goes on after it", async () => {
    const worst = customerMessage({
      customer: {
        id: "cust-worst",
        name: NAME,
        email: "ada.lovelace+support@example.com",
        attributes: ATTRIBUTES,
      },
      text: TEXT,
      attachments: ATTACHMENTS,
    });
    expect((await stack.sendMessage(worst)).status).toBe(202);
    // The next message of the same channel, queued behind it.
    const next = customerMessage({ customer: { id: "cust-next", name: "Bob" }, text: "after the big one" });
    expect((await stack.sendMessage(next)).status).toBe(202);
    const counts = await stack.drained(60_000);
    expect(counts.failed ?? 0).toBe(0);

    const card = stack.card(1) as Posted;
    expect(validateMessage({ text: card.text, blocks: card.blocks, metadata: card.metadata })).toEqual({
      ok: true,
    });
    expect(JSON.stringify(card.blocks)).toContain("details in full in the thread");

    const replies = stack.emulator.workspace.replies(CHANNEL, card.ts) as Posted[];
    const parts = replies.filter((m) => m.metadata?.event_type === "herodesk_message");
    const numbers = parts.map((m) => m.metadata!.event_payload!.part);
    expect(numbers).toEqual(parts.map((_, i) => i));
    expect(parts.every((m) => m.metadata!.event_payload!.parts === parts.length)).toBe(true);
    for (const m of parts)
      expect(validateMessage({ text: m.text, blocks: m.blocks, metadata: m.metadata })).toEqual({ ok: true });

    // Nothing lost: the text exactly, every attachment with its URL and name, in order.
    expect(mirroredText(parts)).toBe(TEXT);
    const shown = mirroredAttachments(parts);
    expect(shown).toHaveLength(ATTACHMENTS.length);
    shown.forEach((s, i) => {
      const a = ATTACHMENTS[i]!;
      expect(s.url).toBe(linkTarget(a.url));
      expect(s.label).toBe(`${s.form === "link" ? a.name.replace(/\|/g, "¦") : a.name} (${a.mimeType})`);
    });

    // What the card cut of the customer is in the thread, whole.
    const notices = replies
      .filter((m) => m.metadata?.event_type === "herodesk_notice")
      .map((m) => m.text ?? "")
      .join("");
    for (const value of [
      NAME,
      "cust-worst",
      "ada.lovelace+support@example.com",
      ...Object.entries(ATTRIBUTES).flat(),
    ])
      expect(notices).toContain(escapeSlackText(value));

    // The lane went on: the next customer's card and message came after the last part.
    const nextCard = stack.card(2) as Posted;
    expect(Number(nextCard.ts)).toBeGreaterThan(Number(parts.at(-1)!.ts));
    const nextReplies = stack.emulator.workspace.replies(CHANNEL, nextCard.ts) as Posted[];
    expect(mirroredText(nextReplies)).toBe("after the big one");

    console.info(
      `worst case: ${parts.length} replies, ${parts.map((m) => (m.blocks ?? []).length).join("/")} blocks, ` +
        `${replies.length - parts.length} notices`,
    );
  }, 120_000);

  // Issue 15, part 10: a name can say anything; the host beside it is the one the link opens.
  it("an attachment's label that names another address shows the real host beside it", async () => {
    const attachments = [
      { url: "https://evil.example/steal", name: "https://intranet.example/invoice.pdf" },
      { url: `https://xn--80ak6aa92e.example/${"x".repeat(2990)}`.slice(0, 3000), name: "big.pdf" },
    ];
    const res = await stack.sendMessage(
      customerMessage({ customer: { id: "cust-lie", name: "Lia" }, text: "invoice", attachments }),
    );
    expect(res.status).toBe(202);
    await stack.drained();
    const card = stack.card(res.body.conversationNumber) as Posted;
    const parts = (stack.emulator.workspace.replies(CHANNEL, card.ts) as Posted[]).filter(
      (m) => m.metadata?.event_type === "herodesk_message",
    );
    const shown = mirroredAttachments(parts);
    expect(shown.map((s) => [s.form, s.label, s.host])).toEqual([
      ["link", "https://intranet.example/invoice.pdf", "evil.example"],
      ["button", "big.pdf", "xn--80ak6aa92e.example"],
    ]);
  });

  // Issue 15, part 3: a URL at the API's 3,000-character limit, its '&' escaped and wrapped in a
  // link's markup, is longer than 3,000 once posted; the text beside it must not be lost.
  it("an attachment URL at the 3,000-character limit keeps the message text and the whole link", async () => {
    const url = `https://files.example.com/x?${"a=1&b=2&".repeat(400)}`.slice(0, 3000);
    const attachment = { url, name: `${"&".repeat(250)}.pdf`, mimeType: "application/pdf" };
    const text = "Here is the & invoice <really>";
    const res = await stack.sendMessage(
      customerMessage({ customer: { id: "cust-url", name: "Ulla" }, text, attachments: [attachment] }),
    );
    expect(res.status).toBe(202);
    expect((await stack.drained()).failed ?? 0).toBe(0);
    const card = stack.card(res.body.conversationNumber) as Posted;
    const parts = (stack.emulator.workspace.replies(CHANNEL, card.ts) as Posted[]).filter(
      (m) => m.metadata?.event_type === "herodesk_message",
    );
    for (const m of parts)
      expect(validateMessage({ text: m.text, blocks: m.blocks, metadata: m.metadata })).toEqual({ ok: true });
    expect(mirroredText(parts)).toBe(text);
    const [shown] = mirroredAttachments(parts);
    expect(shown?.url).toBe(linkTarget(url));
  });
});
