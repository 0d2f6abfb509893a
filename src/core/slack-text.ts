import { fitEscaped, splitText } from "./slack-fit.ts";

// Customer text is untrusted. Slack reads `&`, `<` and `>` as control characters (mentions such as
// <!channel>, links such as <url|label>), so they are escaped and the text is shown exactly as the
// customer wrote it, never pinging anyone.
export function escapeSlackText(text: string): string {
  return text.replace(/&/g, "&amp;").replace(/</g, "&lt;").replace(/>/g, "&gt;");
}

/** Inverse of escapeSlackText: what a Slack client shows for an escaped text. */
export function unescapeSlackText(text: string): string {
  return text.replace(/&lt;/g, "<").replace(/&gt;/g, ">").replace(/&amp;/g, "&");
}

/**
 * Splits text into parts whose escaped form fits in `limit` characters (Slack's section text holds
 * 3000). Parts join back to the exact original: nothing is lost or trimmed. Cuts prefer a line
 * break, then a space, and never split a surrogate pair. (slack-fit.ts measures for every builder.)
 */
export const splitForSlack = (text: string, limit = 3000) => splitText(text, limit);

/** At most `max` characters (code points), "…" last when cut: for Slack's field limits. */
export function cut(text: string, max: number): string {
  const chars = Array.from(text);
  return chars.length > max ? `${chars.slice(0, max - 1).join("")}…` : text;
}

/** "1,234": counts as people read them, whatever the server's locale. */
export const count = (n: number) => n.toLocaleString("en-US");

/** "1 customer", "2,000 customers". */
export const plural = (n: number, one: string, many = `${one}s`) => `${count(n)} ${n === 1 ? one : many}`;

/** One line of text for notifications and fallbacks: escaped, at most `max` as Slack counts it. */
export function preview(text: string, max = 150): string {
  return fitEscaped(text.replace(/\s+/g, " ").trim(), max);
}

/** A link label safe inside <url|label>: no `|` or `>` may end it early. */
export function linkLabel(label: string): string {
  return escapeSlackText(label).replace(/\|/g, "¦");
}

/**
 * Slack's date token renders in each reader's time zone; the fallback is UTC. The form
 * `<!date^unix^token_string|fallback>` and the tokens `{date_short_pretty}` ("today", "yesterday"
 * or a short date) and `{time}` are Slack's (docs.slack.dev/messaging/formatting-message-text,
 * "Date formatting"); mrkdwn documents no relative token; the card counts up with the rich text date element (card.ts).
 */
export function slackDate(at: Date, format = "{date_short_pretty} {time}"): string {
  const unix = Math.floor(at.getTime() / 1000);
  return `<!date^${unix}^${format}|${at.toISOString().replace(".000Z", "Z")}>`;
}

/**
 * What a customer should read for an agent's Slack message: Slack's markup turned back into
 * plain text (mentions to @names, links to their URLs, entities decoded).
 */
export function slackToPlainText(text: string, userName: (id: string) => string | undefined): string {
  const plain = text.replace(/<([^<>]*)>/g, (whole, inner: string) => {
    const [target = "", label] = inner.split("|", 2);
    if (target.startsWith("@")) return `@${label ?? userName(target.slice(1)) ?? target.slice(1)}`;
    if (target.startsWith("#")) return `#${label ?? target.slice(1)}`;
    if (target.startsWith("!")) return label ?? `@${target.slice(1).split("^")[0]}`;
    if (/^(https?|mailto):/i.test(target)) {
      const url = target.replace(/^mailto:/i, "");
      return label && label !== url ? `${label} (${url})` : url;
    }
    return whole;
  });
  return unescapeSlackText(plain);
}

/** User ids mentioned as <@U123>, to resolve their names before slackToPlainText. */
export function mentionedUserIds(text: string): string[] {
  return [...new Set([...text.matchAll(/<@([UW][A-Z0-9]+)(?:\|[^>]*)?>/g)].map((m) => m[1]!))];
}

/**
 * Orders two Slack ts ("1700000000.000100": seconds, then a fraction unique in the channel) as
 * Slack does: by time, then by the fraction. Negative when `a` is earlier.
 */
export function compareSlackTs(a: string, b: string): number {
  const [aSec = "", aFrac = ""] = a.split(".", 2);
  const [bSec = "", bFrac = ""] = b.split(".", 2);
  const bySeconds = Number(aSec) - Number(bSec);
  if (bySeconds !== 0 && Number.isFinite(bySeconds)) return bySeconds;
  const byFraction = Number(aFrac.padEnd(6, "0")) - Number(bFrac.padEnd(6, "0"));
  return Number.isFinite(byFraction) ? byFraction : a.localeCompare(b);
}

/**
 * A refusal written as mrkdwn, for a place Slack shows as plain text (a modal's input errors):
 * mentions become `names(id)` (else "this person"), and the markers of code and emphasis go.
 */
export function mrkdwnToPlainText(text: string, names: (id: string) => string | undefined): string {
  const plain = text.replace(
    /<@([UW][A-Z0-9]+)(?:\|[^>]*)?>/g,
    (_, id: string) => names(id) ?? "this person",
  );
  return slackToPlainText(plain, names)
    .replace(/`/g, "")
    .replace(/(^|\W)[*_]([^*_\n]+)[*_](?=\W|$)/g, "$1$2")
    .replace(/^./, (c) => c.toUpperCase());
}
