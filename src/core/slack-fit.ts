// How Slack measures what HeroDesk sends, and how to make a text fit: the one place every block
// builder measures with, so a message is checked the way Slack checks it before it is sent.
//
// Slack's rules, as Slack behaves (its docs give most limits but not how they are counted):
// - Lengths are UTF-16 code units, never fewer than the "characters" Slack's docs speak of: an
//   emoji outside the BMP counts 2, and a cut must never split its surrogate pair.
// - plain_text is stored escaped: a plain_text "Answer & 1" comes back as "Answer &amp; 1"
//   (slackapi/bolt-python#513), so `&` counts 5 and `<`, `>` count 4. Nothing is parsed in
//   plain_text, so HeroDesk sends the customer's text there as it is, never escaped itself.
// - mrkdwn and a message's top-level `text` are measured as sent: HeroDesk escapes `&`, `<`, `>`
//   itself (`&amp;` is 5), and a bare `&` counts as the `&amp;` Slack stores.
// - A message's blocks have a cumulative size (`msg_blocks_too_long`) that Slack does not
//   document: its staff said "12,000 text characters with a buffer for block containers", a
//   divider cost 125 more (slackapi/bolt-js#2509), and a message whose `.text` fields added up to
//   11,341 was refused (slackapi/bolt-js#2867). So HeroDesk counts, stricter than both: each
//   top-level block as its JSON (keys, punctuation, URLs, ids: everything) with its text objects'
//   entities as above, plus 125, and keeps the total at most 12,000. It applies to
//   chat.postMessage, chat.update, chat.postEphemeral and response_url alike.
// - A message's top-level `text` is truncated by Slack past 40,000 characters; Slack's
//   chat.postMessage page asks to keep it to 4,000 "for best results". Text-only answers keep to
//   4,000 a message and continue in the next.

export type TextKind = "plain_text" | "mrkdwn" | "raw";

/** Slack's limits HeroDesk builds to (Block Kit reference, and the rules above). */
export const SLACK_LIMITS = {
  blocksPerMessage: 50,
  blocksPerView: 100,
  sectionText: 3000,
  sectionField: 2000,
  headerText: 150,
  contextElements: 10,
  contextText: 3000,
  buttonText: 75,
  url: 3000,
  optionText: 75,
  optionValue: 150,
  messageBlocksSize: 12_000,
  blockOverhead: 125,
  messageText: 40_000,
  /** What a text-only message is kept to (Slack: "for best results"). */
  readableText: 4000,
} as const;

const BARE_AMPERSAND = /&(?!amp;|lt;|gt;)/g;

/** The length Slack holds `text` to, counted as a text of `kind` (see the rules above). */
export function slackLength(text: string, kind: TextKind = "raw"): number {
  if (kind === "raw") return text.length;
  if (kind === "mrkdwn") return text.length + 4 * (text.match(BARE_AMPERSAND)?.length ?? 0);
  let n = text.length;
  for (let i = 0; i < text.length; i++) {
    const c = text.charCodeAt(i);
    if (c === 38) n += 4;
    else if (c === 60 || c === 62) n += 3;
  }
  return n;
}

/**
 * What one code point of a customer's text costs once shown: as plain_text (Slack stores `&`,
 * `<`, `>` as entities) or escaped into mrkdwn by escapeSlackText: the same count either way.
 */
export function textCost(ch: string): number {
  return ch === "&" ? 5 : ch === "<" || ch === ">" ? 4 : ch.length;
}

/** What one code point costs inside a JSON string (the cumulative size counts the JSON). */
export function jsonCost(ch: string): number {
  if (ch.length === 2) return 2;
  const c = ch.charCodeAt(0);
  if (c === 34 || c === 92) return 2; // \" \\
  if (c < 0x20) return c === 8 || c === 9 || c === 10 || c === 12 || c === 13 ? 2 : 6; // \n, \u0001
  if (c >= 0xd800 && c <= 0xdfff) return 6; // a lone surrogate: \udXXX
  return 1;
}

/** What one code point of a text object's text costs in a message's cumulative size. */
export function sizeCost(ch: string): number {
  return jsonCost(ch) + textCost(ch) - ch.length;
}

/** Extra size the text objects inside `value` get from their entities (see slackLength). */
function entityExtra(value: unknown): number {
  if (Array.isArray(value)) return value.reduce((sum: number, v) => sum + entityExtra(v), 0);
  if (typeof value !== "object" || value === null) return 0;
  const obj = value as Record<string, unknown>;
  let extra = 0;
  if ((obj.type === "plain_text" || obj.type === "mrkdwn") && typeof obj.text === "string")
    extra += slackLength(obj.text, obj.type) - obj.text.length;
  for (const [key, v] of Object.entries(obj))
    if (key !== "text" || typeof v !== "string") extra += entityExtra(v);
  return extra;
}

/** One top-level block's share of a message's cumulative size. */
export function blockSize(block: unknown): number {
  return SLACK_LIMITS.blockOverhead + (JSON.stringify(block) ?? "").length + entityExtra(block);
}

/** A message's cumulative blocks size: at most SLACK_LIMITS.messageBlocksSize. */
export function messageBlocksSize(blocks: readonly unknown[]): number {
  return blocks.reduce((sum: number, b) => sum + blockSize(b), 0);
}

// ------------------------------------------------------------------------------------------------
// Cutting a customer's (raw) text

const ELLIPSIS = "…";

/**
 * `text` (raw, as the customer wrote it) cut so that it measures at most `max` once shown
 * (textCost: plain_text as it is, or mrkdwn once escaped), "…" last when cut, never inside a
 * surrogate pair. `kind: "raw"` measures UTF-16 code units (ids, values, names Slack keeps raw).
 */
export function fitText(
  text: string,
  max: number,
  options: { kind?: "text" | "raw"; ellipsis?: string } = {},
) {
  const cost = options.kind === "raw" ? (ch: string) => ch.length : textCost;
  const ellipsis = options.ellipsis ?? ELLIPSIS;
  let total = 0;
  for (const ch of text) total += cost(ch);
  if (total <= max) return text;
  const room = max - ellipsis.length;
  let size = 0;
  let end = 0;
  for (const ch of text) {
    const c = cost(ch);
    if (size + c > room) break;
    size += c;
    end += ch.length;
  }
  return text.slice(0, end) + ellipsis;
}

/** Customer text for mrkdwn: escaped, and cut to measure at most `max` as sent. */
export function fitEscaped(text: string, max: number): string {
  return escapeForSlack(fitText(text, max));
}

// escapeSlackText's rule; written here because slack-text.ts builds on this module.
function escapeForSlack(text: string): string {
  return text.replace(/&/g, "&amp;").replace(/</g, "&lt;").replace(/>/g, "&gt;");
}

/**
 * The end (index into `chars`, code points) of the longest piece of `chars` from `start` whose
 * shown length (textCost) is at most `text` and whose cumulative size (sizeCost) is at most
 * `size`. Unless the rest fits, the piece ends at a line break, else a space, in its last fifth.
 * At least one code point when even that one does not fit (the caller gave too little room).
 */
export function takeText(
  chars: readonly string[],
  start: number,
  limits: { text: number; size?: number },
): number {
  const sizeMax = limits.size ?? Number.POSITIVE_INFINITY;
  let shown = 0;
  let size = 0;
  let end = start;
  let lastNewline = -1;
  let lastSpace = -1;
  while (end < chars.length) {
    const ch = chars[end]!;
    const t = textCost(ch);
    const s = sizeCost(ch);
    if (shown + t > limits.text || size + s > sizeMax) break;
    shown += t;
    size += s;
    end++;
    if (ch === "\n") lastNewline = end;
    else if (ch === " ") lastSpace = end;
  }
  if (end === start) return Math.min(start + 1, chars.length);
  if (end < chars.length) {
    const floor = start + Math.floor((end - start) * 0.8);
    if (lastNewline > floor) end = lastNewline;
    else if (lastSpace > floor) end = lastSpace;
  }
  return end;
}

/** `text` in pieces that each measure at most `max` once shown; joined, they give `text` back. */
export function splitText(text: string, max: number): string[] {
  if (max < 8) throw new Error("limit too small");
  const chars = Array.from(text);
  const pieces: string[] = [];
  for (let start = 0; start < chars.length; ) {
    const end = takeText(chars, start, { text: max });
    pieces.push(chars.slice(start, end).join(""));
    start = end;
  }
  return pieces.length ? pieces : [""];
}

// ------------------------------------------------------------------------------------------------
// Cutting HeroDesk's own mrkdwn (already escaped, with <links>, <@mentions> and entities)

/** mrkdwn's units: an entity, a <…> link or mention, a code point: never cut inside one. */
const MRKDWN_TOKEN = /&(?:amp|lt|gt);|<[^<>\n]{1,4000}>|[\s\S]/gu;

function tokens(text: string): string[] {
  return text.match(MRKDWN_TOKEN) ?? [];
}

/** mrkdwn cut to measure at most `max` as sent, "…" last, never inside an entity or a link. */
export function cutMrkdwn(text: string, max: number): string {
  if (slackLength(text, "mrkdwn") <= max) return text;
  const room = max - ELLIPSIS.length;
  let size = 0;
  let out = "";
  for (const token of tokens(text)) {
    const n = slackLength(token, "mrkdwn");
    if (size + n > room) break;
    size += n;
    out += token;
  }
  return out + ELLIPSIS;
}

/**
 * mrkdwn in pieces that each measure at most `max` as sent, cut after a line break where one is
 * in the piece's last half, never inside an entity or a link (a link longer than `max` is cut
 * anyway, as text). Joined, the pieces give `text` back.
 */
export function splitMrkdwn(text: string, max: number): string[] {
  if (max < 16) throw new Error("limit too small");
  const units = tokens(text).flatMap((t) => (slackLength(t, "mrkdwn") > max ? Array.from(t) : [t]));
  const pieces: string[] = [];
  let start = 0;
  while (start < units.length) {
    let size = 0;
    let end = start;
    let lastNewline = -1;
    while (end < units.length) {
      const n = slackLength(units[end]!, "mrkdwn");
      if (size + n > max) break;
      size += n;
      if (units[end] === "\n") lastNewline = end + 1;
      end++;
    }
    if (end < units.length && lastNewline > start + (end - start) / 2) end = lastNewline;
    pieces.push(units.slice(start, end).join(""));
    start = end;
  }
  return pieces.length ? pieces : [""];
}

/**
 * A text-only answer (an ephemeral /desk answer, a notice) as messages of at most
 * SLACK_LIMITS.readableText each, at most `maxMessages` of them (response_url takes 5 posts):
 * past that, the last one ends with `more(lines)`, the number of lines left out.
 */
export function textMessages(
  text: string,
  options: { maxMessages?: number; max?: number; more?: (lines: number) => string } = {},
): string[] {
  const max = options.max ?? SLACK_LIMITS.readableText;
  const maxMessages = options.maxMessages ?? Number.POSITIVE_INFINITY;
  const more = options.more ?? ((n: number) => `_…and ${n} more ${n === 1 ? "line" : "lines"}._`);
  const pieces = splitMrkdwn(text, max);
  if (pieces.length <= maxMessages) return pieces;
  const kept = pieces.slice(0, maxMessages);
  const left = pieces.slice(maxMessages - 1).join("");
  const lastLines = left.split("\n");
  // The last message: as many whole lines as fit with the closing remark.
  let body = "";
  let shown = 0;
  for (const line of lastLines) {
    const next = body ? `${body}\n${line}` : line;
    const remark = more(lastLines.length - shown - 1);
    if (slackLength(`${next}\n${remark}`, "mrkdwn") > max) break;
    body = next;
    shown++;
  }
  const remark = more(lastLines.length - shown);
  kept[maxMessages - 1] = body ? `${body}\n${remark}` : cutMrkdwn(remark, max);
  return kept;
}

/**
 * mrkdwn lines packed into at most `maxTexts` texts of at most `max` each (section texts), the
 * first starting with `title`; a line too long for one is cut (cutMrkdwn); lines that do not fit
 * are summed up in a last `more(count)` line.
 */
export function packLines(
  lines: readonly string[],
  options: { title?: string; maxTexts: number; max?: number; more?: (count: number) => string },
): string[] {
  const max = options.max ?? SLACK_LIMITS.sectionText;
  const more = options.more ?? ((count: number) => `_… and ${count.toLocaleString("en-US")} more_`);
  const moreRoom = 80;
  const fill = max - moreRoom;
  const texts: string[] = [];
  let current = options.title ? cutMrkdwn(options.title, fill) : "";
  for (let i = 0; i < lines.length; i++) {
    const line = cutMrkdwn(lines[i]!, fill);
    const joined = current ? `${current}\n${line}` : line;
    if (slackLength(joined, "mrkdwn") <= fill) {
      current = joined;
      continue;
    }
    if (texts.length + 1 >= options.maxTexts) {
      texts.push(`${current}\n${cutMrkdwn(more(lines.length - i), moreRoom - 1)}`);
      return texts;
    }
    texts.push(current);
    current = line;
  }
  if (current) texts.push(current);
  return texts;
}
