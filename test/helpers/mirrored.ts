// Reads back what HeroDesk's mirrored posts of a customer message carry (src/slack/blocks/
// customer-message.ts): the text of its plain_text sections, and every attachment in any of its
// three forms (a link, a button, a URL written out in pieces), to check that nothing was lost.
import { unescapeSlackText } from "../../src/core/slack-text.ts";

type Text = { type: string; text: string };
type Block = {
  type: string;
  text?: Text;
  elements?: Text[];
  accessory?: { type: string; url?: string };
};

export interface ShownAttachment {
  form: "link" | "button" | "written";
  /** The link's target as Slack opens it (entities decoded; `|<> ` stay percent-encoded). */
  url: string;
  /** The name and type as shown, "name (type)" (mrkdwn decoded; `|` shows as `¦` in a link). */
  label: string;
  /** The host shown beside a link or button (" · host"), which the URL really opens. */
  host?: string;
}

/** "name (type) · host" → the label and the host (a host has no spaces: the last " · " is it). */
function withHost(shown: string): { label: string; host?: string } {
  const at = shown.lastIndexOf(" · ");
  if (at < 0 || shown.slice(at + 3).includes(" ")) return { label: shown };
  return { label: shown.slice(0, at), host: shown.slice(at + 3) };
}

const LINK = /^:paperclip: <([^|>]*)\|([^>]*)>(.*)$/s;
const NAMED = /^:paperclip: ([\s\S]*?)(: its link is too long for Slack[\s\S]*)?$/;
const PART_MARKER = /^_Part \d+ of \d+/;

/** The text a Slack client shows of the posts, in order. */
export function mirroredText(posts: { blocks?: unknown[] }[]): string {
  return posts
    .flatMap((p) => (p.blocks ?? []) as Block[])
    .filter((b) => b.type === "section" && b.text?.type === "plain_text" && !b.accessory)
    .map((b) => b.text!.text)
    .join("");
}

/** Every attachment the posts show, in order. */
export function mirroredAttachments(posts: { blocks?: unknown[] }[]): ShownAttachment[] {
  const out: ShownAttachment[] = [];
  let written: ShownAttachment | null = null;
  for (const block of posts.flatMap((p) => (p.blocks ?? []) as Block[])) {
    const elements = block.type === "context" ? (block.elements ?? []) : [];
    // A part's closing "Part 2 of 7" line does not end a URL written out across parts.
    if (elements.length === 1 && elements[0]!.type === "mrkdwn" && PART_MARKER.test(elements[0]!.text))
      continue;
    if (written && elements.length && elements.every((e) => e.type === "plain_text")) {
      written.url += elements.map((e) => e.text).join("");
      continue;
    }
    written = null;
    for (const e of elements) {
      const m = e.type === "mrkdwn" ? LINK.exec(e.text) : null;
      if (m)
        out.push({
          form: "link",
          url: unescapeSlackText(m[1]!),
          ...withHost(unescapeSlackText(m[2]! + m[3]!)),
        });
    }
    if (block.type === "section" && block.text?.type === "mrkdwn") {
      const m = NAMED.exec(block.text.text);
      if (!m) continue;
      const shown: ShownAttachment = block.accessory
        ? { form: "button", url: block.accessory.url ?? "", ...withHost(unescapeSlackText(m[1]!)) }
        : { form: "written", url: "", label: unescapeSlackText(m[1]!) };
      out.push(shown);
      if (!block.accessory) written = shown;
    }
  }
  return out;
}
