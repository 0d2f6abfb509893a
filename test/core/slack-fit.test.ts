// The app's measuring (src/core/slack-fit.ts) counts as the emulator's validator does (the rules
// it models: plain_text stored escaped, bolt-python#513; the cumulative size, bolt-js#2509 and
// #2867; UTF-16 lengths), and its cut and split helpers never lose or break a character.
import fc from "fast-check";
import { describe, expect, it } from "vitest";
import {
  cutMrkdwn,
  fitEscaped,
  fitText,
  messageBlocksSize,
  slackLength,
  splitMrkdwn,
  splitText,
  takeText,
  textMessages,
} from "../../src/core/slack-fit.ts";
import { escapeSlackText } from "../../src/core/slack-text.ts";
import { blocksSize, slackLength as emulatorLength } from "../../src/emulator/blockkit.ts";
import { anyHostile, hostile } from "../helpers/hostile.ts";

const endsInHalfEmoji = (s: string) => /[\uD800-\uDBFF]$/.test(s);
const startsInHalfEmoji = (s: string) => /^[\uDC00-\uDFFF]/.test(s);

describe("slackLength and messageBlocksSize count as Slack does (the emulator models it)", () => {
  it("every kind of text", () => {
    fc.assert(
      fc.property(anyHostile(5000), (text) => {
        for (const kind of ["plain_text", "mrkdwn", "raw"] as const)
          expect(slackLength(text, kind)).toBe(emulatorLength(text, kind));
      }),
    );
  });

  it("the cumulative size of blocks holding hostile text", () => {
    const text = anyHostile(3000, 1);
    const block = fc.oneof(
      text.map((t) => ({ type: "section", text: { type: "plain_text", text: t, emoji: false } })),
      text.map((t) => ({ type: "section", text: { type: "mrkdwn", text: t } })),
      fc.array(text, { minLength: 1, maxLength: 10 }).map((ts) => ({
        type: "context",
        elements: ts.map((t, i) => ({ type: i % 2 ? "plain_text" : "mrkdwn", text: t })),
      })),
      fc.tuple(text, text).map(([t, url]) => ({
        type: "section",
        text: { type: "mrkdwn", text: t },
        accessory: { type: "button", text: { type: "plain_text", text: "Open" }, url, action_id: "a" },
      })),
    );
    fc.assert(
      fc.property(fc.array(block, { maxLength: 6 }), (blocks) => {
        expect(messageBlocksSize(blocks)).toBe(blocksSize(blocks));
      }),
    );
  });
});

describe("fitText, fitEscaped, cutMrkdwn: cut on the measured length", () => {
  it("fitText keeps within the limit as plain_text and as escaped mrkdwn, a prefix plus …", () => {
    fc.assert(
      fc.property(anyHostile(4000), fc.integer({ min: 2, max: 3000 }), (text, max) => {
        const fitted = fitText(text, max);
        expect(slackLength(fitted, "plain_text")).toBeLessThanOrEqual(max);
        expect(slackLength(escapeSlackText(fitted), "mrkdwn")).toBeLessThanOrEqual(max);
        if (fitted === text) return;
        expect(fitted.endsWith("…")).toBe(true);
        expect(text.startsWith(fitted.slice(0, -1))).toBe(true);
        expect(endsInHalfEmoji(fitted.slice(0, -1))).toBe(false);
      }),
    );
  });

  it("fitText with kind raw counts UTF-16 units and can leave the ellipsis out", () => {
    expect(fitText("🎉".repeat(80), 150, { kind: "raw", ellipsis: "" })).toBe("🎉".repeat(75));
    expect(fitText(`a${"🎉".repeat(80)}`, 150, { kind: "raw", ellipsis: "" })).toBe(`a${"🎉".repeat(74)}`);
    expect(fitText("&".repeat(31), 150)).toBe(`${"&".repeat(29)}…`);
    expect(fitEscaped("&".repeat(31), 150)).toBe(`${"&amp;".repeat(29)}…`);
  });

  it("cutMrkdwn never cuts inside an entity or a link", () => {
    const mrkdwn = fc
      .array(
        fc.oneof(
          hostile(20).map(escapeSlackText),
          fc.constantFrom(
            "<@U123>",
            "<https://x.example/a?b=1&amp;c=2|label &amp; more>",
            "<!date^1^{time}|x>",
          ),
        ),
        { maxLength: 400 },
      )
      .map((parts) => parts.join(""));
    fc.assert(
      fc.property(mrkdwn, fc.integer({ min: 2, max: 3000 }), (text, max) => {
        const cut = cutMrkdwn(text, max);
        expect(slackLength(cut, "mrkdwn")).toBeLessThanOrEqual(max);
        if (cut === text) return;
        const kept = cut.slice(0, -1);
        expect(text.startsWith(kept)).toBe(true);
        expect(kept).not.toMatch(/&[a-z]{0,3}$/); // no half entity
        expect((kept.match(/</g) ?? []).length).toBe((kept.match(/>/g) ?? []).length);
        expect(endsInHalfEmoji(kept)).toBe(false);
      }),
    );
  });
});

describe("splitText, takeText, splitMrkdwn, textMessages: pieces that join back", () => {
  it("splitText: each piece fits, joined they are the text", () => {
    fc.assert(
      fc.property(anyHostile(20_000), fc.integer({ min: 8, max: 3000 }), (text, max) => {
        const pieces = splitText(text, max);
        expect(pieces.join("")).toBe(text);
        for (const p of pieces) {
          expect(slackLength(p, "plain_text")).toBeLessThanOrEqual(max);
          expect(endsInHalfEmoji(p) || startsInHalfEmoji(p)).toBe(false);
        }
      }),
    );
  });

  it("takeText stays within both the shown length and the cumulative size", () => {
    fc.assert(
      fc.property(anyHostile(10_000, 1), fc.integer({ min: 50, max: 11_000 }), (text, size) => {
        const chars = Array.from(text);
        const end = takeText(chars, 0, { text: 3000, size });
        const piece = chars.slice(0, end).join("");
        const block = { type: "section", text: { type: "plain_text", text: piece, emoji: false } };
        const empty = { type: "section", text: { type: "plain_text", text: "", emoji: false } };
        expect(slackLength(piece, "plain_text")).toBeLessThanOrEqual(3000);
        expect(blocksSize([block]) - blocksSize([empty])).toBeLessThanOrEqual(size);
      }),
    );
  });

  it("splitMrkdwn and textMessages keep every character while under their message count", () => {
    const text = fc
      .array(anyHostile(600).map(escapeSlackText), { maxLength: 80 })
      .map((lines) => lines.join("\n"));
    fc.assert(
      fc.property(text, (t) => {
        const pieces = splitMrkdwn(t, 4000);
        expect(pieces.join("")).toBe(t);
        for (const p of pieces) expect(slackLength(p, "mrkdwn")).toBeLessThanOrEqual(4000);
        const messages = textMessages(t, { maxMessages: 5 });
        expect(messages.length).toBeLessThanOrEqual(5);
        for (const m of messages) expect(slackLength(m, "mrkdwn")).toBeLessThanOrEqual(4000);
        if (pieces.length <= 5) expect(messages).toEqual(pieces);
        else expect(messages.at(-1)).toMatch(/more lines?\._$/);
      }),
    );
  });
});
