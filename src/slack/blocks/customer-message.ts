// A customer's message as thread replies: exact text in plain_text sections (no mrkdwn, no
// mentions, no emoji codes turned into pictures), attachments as links, long texts in parts.
import type { KnownBlock } from "@slack/types";
import type { Attachment, Message } from "../../core/domain.ts";
import { escapeSlackText, linkLabel, splitForSlack } from "../../core/slack-text.ts";

export const MESSAGE_METADATA_TYPE = "herodesk_message";
/** Slack's section text limit. */
export const PART_LIMIT = 3000;

export interface MessagePost {
  part: number;
  text: string;
  blocks: KnownBlock[];
  metadata: { event_type: string; event_payload: Record<string, string | number> };
}

function attachmentLine(a: Attachment): string {
  const kind = a.mimeType ? ` (${escapeSlackText(a.mimeType)})` : "";
  // Inside <url|label>, `|`, `<`, `>` and spaces would end or break the link, and `&` is read as an
  // entity: percent-encoded, and `&` written as Slack's entity (it reads it back as `&`).
  const url = a.url.replace(/[|<> ]/g, encodeURIComponent).replace(/&/g, "&amp;");
  return `:paperclip: <${url}|${linkLabel(a.name)}>${kind}`;
}

/** Every post needed for one customer message, in order. */
export function customerMessagePosts(message: Message): MessagePost[] {
  const parts = message.text.length ? splitForSlack(message.text, PART_LIMIT) : [];
  const attachmentBlocks: KnownBlock[] = [];
  // Context blocks hold at most 10 elements; longer lists take several blocks.
  for (let i = 0; i < message.attachments.length; i += 10) {
    attachmentBlocks.push({
      type: "context",
      elements: message.attachments
        .slice(i, i + 10)
        .map((a) => ({ type: "mrkdwn", text: attachmentLine(a) })),
    });
  }
  const total = Math.max(parts.length, 1);
  const posts: MessagePost[] = [];
  for (let part = 0; part < total; part++) {
    const text = parts[part];
    const blocks: KnownBlock[] = [];
    if (text !== undefined)
      blocks.push({
        type: "section",
        text: { type: "plain_text", text: escapeSlackText(text), emoji: false },
      });
    if (part === total - 1) blocks.push(...attachmentBlocks);
    const marker = total > 1 ? ` (${part + 1}/${total})` : "";
    posts.push({
      part,
      text: text !== undefined ? `${escapeSlackText(text)}${marker}` : ":paperclip: attachment",
      blocks,
      metadata: {
        event_type: MESSAGE_METADATA_TYPE,
        event_payload: { message_id: message.id, part, parts: total },
      },
    });
  }
  return posts;
}
