// Hostile text for property-based tests (fast-check): what a customer, a sender or an admin may
// put in a name, a text, a URL: Slack's control characters, entities, JSON escapes, emoji (two
// UTF-16 units), joined emoji, control characters, markup.
import fc from "fast-check";

const NASTY = [
  "&",
  "&&&&",
  "<",
  ">",
  "&amp;",
  "&lt;",
  "&gt;",
  "<!channel>",
  "<@U0AGENT1>",
  "<https://evil.example|click>",
  '"',
  "\\",
  "\n",
  "\t",
  "\u0001",
  "\u007f",
  " ",
  "|",
  "*",
  "_",
  "~",
  "`",
  "```",
  ":tada:",
  "🎉",
  "👩‍👩‍👧",
  "é",
  "\u0301",
  "\uFFFD",
  "\u2028",
];

/** One unit of hostile text: a nasty token most of the time, any printable grapheme otherwise. */
export const hostileUnit = fc.oneof(
  { weight: 3, arbitrary: fc.constantFrom(...NASTY) },
  { weight: 1, arbitrary: fc.string({ unit: "grapheme", minLength: 1, maxLength: 1 }) },
  { weight: 1, arbitrary: fc.string({ unit: "grapheme-ascii", minLength: 1, maxLength: 8 }) },
);

/** Hostile text of up to `maxUnits` units (each one to a dozen UTF-16 units). */
export const hostile = (maxUnits: number, minUnits = 0) =>
  fc.string({ unit: hostileUnit, minLength: minUnits, maxLength: maxUnits });

/** Long hostile text, cheaply: a hostile pattern repeated, cut to at most `maxLength` UTF-16 units. */
export const longHostile = (maxLength: number) =>
  fc
    .tuple(hostile(40, 1), fc.integer({ min: 1, max: maxLength }))
    .map(([pattern, length]) => cutUtf16(pattern.repeat(Math.ceil(length / pattern.length)), length));

/** Short or long hostile text, at most `maxLength` UTF-16 units, at least `minLength`. */
export const anyHostile = (maxLength: number, minLength = 0) =>
  fc
    .oneof(hostile(Math.min(60, maxLength)), longHostile(maxLength))
    .map((s) => cutUtf16(s, maxLength))
    .filter((s) => s.length >= minLength);

/** At most `max` UTF-16 units, never half an emoji. */
export function cutUtf16(s: string, max: number): string {
  let out = "";
  for (const ch of s) {
    if (out.length + ch.length > max) break;
    out += ch;
  }
  return out;
}
