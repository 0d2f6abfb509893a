import { describe, expect, it } from "vitest";
import {
  compareSlackTs,
  escapeSlackText,
  mentionedUserIds,
  slackDate,
  slackToPlainText,
  splitForSlack,
  unescapeSlackText,
} from "../../src/core/slack-text.ts";

describe("splitForSlack", () => {
  const cases: [string, string, number][] = [
    ["empty text is one empty part", "", 3000],
    ["short text stays whole", "hello", 3000],
    ["breaks at a newline", `${"a".repeat(20)}\n${"b".repeat(20)}`, 30],
    ["breaks at a space", `${"word ".repeat(40)}`, 50],
    ["cuts a long word", "x".repeat(95), 30],
    ["counts escaping: & becomes &amp;", "&".repeat(50), 30],
    ["keeps emoji whole", "🎉".repeat(40), 9],
    ["mixes everything", `<b> & 🎉 é\n`.repeat(300), 100],
  ];
  it.each(cases)("%s", (_name, text, limit) => {
    const parts = splitForSlack(text, limit);
    expect(parts.join("")).toBe(text);
    for (const p of parts) expect(escapeSlackText(p).length).toBeLessThanOrEqual(limit);
    for (const p of parts) expect(p).not.toMatch(/^[\uDC00-\uDFFF]|[\uD800-\uDBFF]$/);
  });
});

describe("escaping", () => {
  it.each(["<!channel>", "<@U123|bob>", "a & b", "&lt; already", "<https://x|y>"])("round-trips %s", (t) => {
    expect(unescapeSlackText(escapeSlackText(t))).toBe(t);
    expect(escapeSlackText(t)).not.toMatch(/[<>]/);
  });
});

describe("slackToPlainText: what the customer reads of an agent's Slack message", () => {
  const names = new Map([["U1", "Alice"]]);
  it.each([
    ["plain", "hello", "hello"],
    ["entities", "a &lt;3 &amp; b &gt; c", "a <3 & b > c"],
    ["mention", "ask <@U1>", "ask @Alice"],
    ["mention with label", "ask <@U2|bob>", "ask @bob"],
    ["unknown mention", "ask <@U9>", "ask @U9"],
    ["channel", "see <#C1|general>", "see #general"],
    ["link", "go <https://x.io>", "go https://x.io"],
    ["labelled link", "go <https://x.io|here>", "go here (https://x.io)"],
    ["mailto", "<mailto:a@b.c|a@b.c>", "a@b.c"],
    ["special", "<!here>", "@here"],
  ])("%s", (_n, input, output) => {
    expect(slackToPlainText(input, (id) => names.get(id))).toBe(output);
  });
  it("finds mentioned users", () => {
    expect(mentionedUserIds("<@U1> <@U2|x> <@U1>")).toEqual(["U1", "U2"]);
  });
});

describe("compareSlackTs", () => {
  it("orders by the time, then by the fraction, as numbers", () => {
    const sorted = ["1700000001.000001", "1700000000.000010", "1700000000.000002", "999999999.999999"].sort(
      compareSlackTs,
    );
    expect(sorted).toEqual([
      "999999999.999999",
      "1700000000.000002",
      "1700000000.000010",
      "1700000001.000001",
    ]);
    expect(compareSlackTs("1700000000.000100", "1700000000.000100")).toBe(0);
  });
});

describe("slackDate", () => {
  // The form and tokens are Slack's: `<!date^unix^token_string|fallback>`, with `{date_short_pretty}`
  // and `{time}` (docs.slack.dev/messaging/formatting-message-text, "Date formatting").
  it("is Slack's date token with whole seconds and a UTC fallback", () => {
    const at = new Date("2026-12-01T09:30:15.500Z");
    expect(slackDate(at)).toBe("<!date^1796117415^{date_short_pretty} {time}|2026-12-01T09:30:15.500Z>");
    expect(slackDate(new Date("2026-12-01T09:30:00Z"), "{time}")).toBe(
      "<!date^1796117400^{time}|2026-12-01T09:30:00Z>",
    );
  });
});
