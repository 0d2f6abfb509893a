// A customer's message as thread replies: exact text in plain_text sections (no mrkdwn, no
// mentions, no emoji codes turned into pictures), attachments as links. Whatever the customer
// sent, each reply fits Slack's limits (src/core/slack-fit.ts); what does not fit one reply goes
// on in the next, losing no character and no attachment.
//
// The parts are a pure function of the message: a retry builds the same parts and skips those
// already posted (their part numbers are in SlackPost and in each post's metadata).
import type { ContextBlock, KnownBlock, MrkdwnElement, PlainTextElement, SectionBlock } from "@slack/types";
import type { Attachment, Message } from "../../core/domain.ts";
import {
  fitEscaped,
  fitText,
  blockSize as measured,
  SLACK_LIMITS,
  slackLength,
  takeText,
} from "../../core/slack-fit.ts";
import { linkLabel, plural } from "../../core/slack-text.ts";

export const MESSAGE_METADATA_TYPE = "herodesk_message";
/** Slack's section text limit. */
export const PART_LIMIT = SLACK_LIMITS.sectionText;
/** The button of an attachment whose link is too long for a mrkdwn link (acknowledged, nothing else). */
export const OPEN_ATTACHMENT_ACTION = "open_attachment";

export interface MessagePost {
  kind: "post";
  part: number;
  text: string;
  blocks: KnownBlock[];
  metadata: { event_type: string; event_payload: Record<string, string | number> };
}

/** A long text's whole, shared as a text file in the thread (a step of its own). */
export interface MessageFile {
  kind: "file";
  part: number;
  filename: string;
  title: string;
  bytes: Uint8Array;
  snippetType: string | undefined;
  /** The line introducing it ("Part 2 of 3: …"); HeroDesk's words only, never the customer's. */
  comment: string;
}
export type MessageStep = MessagePost | MessageFile;

/**
 * A text longer than this many posts is shared as a file after its first part: one message must
 * not hold its channel's posts (one a second) for minutes while other customers wait.
 */
export const INLINE_TEXT_POSTS = 3;
/** Slack's snippet limit, "1MB" (files.getUploadURLExternal's snippet_too_large), read strictly. */
const MAX_SNIPPET_BYTES = 1_000_000;

/**
 * Kept free in every part for its "Part 2 of 7" line, and for the customer's name above the
 * message when Slack will not show it as the sender's (no chat:write.customize: withAuthorLine).
 * Always kept, so that a message's parts are the same whichever way it is posted.
 */
const AUTHOR_NAME_MAX = 80;
const MARKER_ROOM = 250 + 700;
const SIZE_BUDGET = SLACK_LIMITS.messageBlocksSize - MARKER_ROOM;
const BLOCK_BUDGET = SLACK_LIMITS.blocksPerMessage - 2;

/** The part with the customer's name on a line of its own above it (the room is kept for it). */
export function withAuthorLine(post: MessagePost, name: string): MessagePost {
  const line: ContextBlock = {
    type: "context",
    // plain_text is shown as written: nothing in it is markup.
    elements: [{ type: "plain_text", text: fitText(name, AUTHOR_NAME_MAX), emoji: false }],
  };
  return { ...post, blocks: [line, ...post.blocks] };
}
/** A part with less room than this left for text starts the text in the next one instead. */
const MIN_TEXT_ROOM = 400;
/** The notification text (top-level `text`) shows the start of the part's text. */
const FALLBACK_TEXT = 3000;

const textSection = (text: string): SectionBlock => ({
  type: "section",
  text: { type: "plain_text", text, emoji: false },
});
/**
 * A block's share of the cumulative size, with room for the `block_id` Slack adds to each block it
 * stores (`,"block_id":"nA0nx"`): the message stays within the limit however it is measured again.
 */
const blockSize = (block: unknown) => measured(block) + 20;
const TEXT_SECTION_SIZE = blockSize(textSection(""));

/** Inside <url|label>: `|`, `<`, `>` and spaces would end or break the link: percent-encoded. */
export function linkTarget(url: string): string {
  return url.replace(/[|<> ]/g, encodeURIComponent);
}

// Room for an attachment's name and type in a 3,000 text: the inbound API's 255 characters each
// fit whole even if every one is `&` (5 as Slack counts it); only longer ones are cut.
const NAME_ROOM = 1400;
const MIME_ROOM = 1300;
const mimeNote = (a: Attachment) => (a.mimeType ? ` (${fitEscaped(a.mimeType, MIME_ROOM)})` : "");
// A name can say anything ("https://intranet.example/invoice.pdf"): beside it, the host the link
// really opens (as the URL parser reads it, so an IDN shows as its punycode).
const HOST_ROOM = 200;
const hostNote = (a: Attachment) => ` · ${fitEscaped(hostOf(a.url), HOST_ROOM)}`;
function hostOf(url: string): string {
  try {
    return new URL(url).host;
  } catch {
    return "(no host)";
  }
}

/**
 * `:paperclip: <url|name> (type) · host` when that fits one context element, and a context block
 * of it alone fits a part (a URL of control characters is six times longer as JSON), else null.
 */
function attachmentLink(a: Attachment): string | null {
  // `&` in a link is written as Slack's entity (Slack reads it back as `&`).
  const text = `:paperclip: <${linkTarget(a.url).replace(/&/g, "&amp;")}|${linkLabel(a.name)}>${mimeNote(a)}${hostNote(a)}`;
  if (slackLength(text, "mrkdwn") > SLACK_LIMITS.contextText) return null;
  return blockSize({ type: "context", elements: [{ type: "mrkdwn", text }] }) <= SIZE_BUDGET ? text : null;
}

/** An attachment whose link does not fit a mrkdwn link: its name, and a button that opens it. */
function attachmentButton(a: Attachment): SectionBlock | null {
  const url = linkTarget(a.url);
  if (url.length > SLACK_LIMITS.url) return null;
  const block: SectionBlock = {
    type: "section",
    text: {
      type: "mrkdwn",
      text: `:paperclip: ${fitEscaped(a.name, NAME_ROOM)}${mimeNote(a)}${hostNote(a)}`,
    },
    accessory: {
      type: "button",
      text: { type: "plain_text", text: "Open", emoji: false },
      url,
      action_id: OPEN_ATTACHMENT_ACTION,
    },
  };
  return blockSize(block) <= SIZE_BUDGET ? block : null;
}

interface Part {
  blocks: KnownBlock[];
  size: number;
  /** The customer's text in this part (for the notification text). */
  text: string;
  attachments: number;
}

/** The message's text, then its attachments, packed into parts that each fit one post. */
function layout(text: string, attachments: readonly Attachment[]): Part[] {
  const parts: Part[] = [];
  let part: Part = { blocks: [], size: 0, text: "", attachments: 0 };
  const next = () => {
    parts.push(part);
    part = { blocks: [], size: 0, text: "", attachments: 0 };
  };
  /** Adds a block, in a new part when this one has no room for it. */
  const place = (block: KnownBlock, size = blockSize(block)) => {
    if (part.blocks.length && (part.size + size > SIZE_BUDGET || part.blocks.length + 1 > BLOCK_BUDGET))
      next();
    part.blocks.push(block);
    part.size += size;
  };

  // The text, in plain_text sections of at most 3,000 (as Slack counts them), as many a part as
  // the part's cumulative size allows.
  const chars = Array.from(text);
  for (let start = 0; start < chars.length; ) {
    let room = SIZE_BUDGET - part.size - TEXT_SECTION_SIZE;
    if (part.blocks.length && (room < MIN_TEXT_ROOM || part.blocks.length + 1 > BLOCK_BUDGET)) {
      next();
      room = SIZE_BUDGET - TEXT_SECTION_SIZE;
    }
    const end = takeText(chars, start, { text: SLACK_LIMITS.sectionText, size: room });
    const piece = chars.slice(start, end).join("");
    place(textSection(piece));
    part.text += piece;
    start = end;
  }

  // Attachments in order: links packed 10 to a context block; a link too long for one element as
  // a button (a URL holds 3,000 there, counted raw); a URL too long even for that written out.
  let context: ContextBlock | null = null;
  for (const a of attachments) {
    const link = attachmentLink(a);
    if (link !== null) {
      const element: MrkdwnElement = { type: "mrkdwn", text: link };
      const last = part.blocks.at(-1);
      if (context && last === context && context.elements.length < SLACK_LIMITS.contextElements) {
        const grown: ContextBlock = { ...context, elements: [...context.elements, element] };
        const delta = blockSize(grown) - blockSize(context);
        if (part.size + delta <= SIZE_BUDGET) {
          part.blocks[part.blocks.length - 1] = grown;
          part.size += delta;
          context = grown;
          part.attachments++;
          continue;
        }
      }
      context = { type: "context", elements: [element] };
      place(context);
      part.attachments++;
      continue;
    }
    context = null;
    const button = attachmentButton(a);
    if (button) place(button);
    else writtenOut(a, place, () => part);
    part.attachments++;
  }
  if (part.blocks.length || parts.length === 0) parts.push(part);
  return parts;
}

/**
 * Every step of one customer message, in order: its posts, and for a text longer than
 * INLINE_TEXT_POSTS posts, the whole text as a file right after the first post (which shows the
 * text's start): a long message costs the channel two or three calls, not hundreds of posts.
 */
export function customerMessageSteps(message: Message): MessageStep[] {
  const textParts = layout(message.text, []);
  if (textParts.length <= INLINE_TEXT_POSTS) return posts(message, layout(message.text, message.attachments));
  const [first, ...rest] = posts(message, layout(textParts[0]!.text, message.attachments), true);
  const file: MessageFile = {
    kind: "file",
    part: 1,
    ...messageFile(message),
    comment: `_Part 2 of ${rest.length + 2}: the whole message, ${Array.from(message.text).length.toLocaleString("en-US")} characters, as a text file._`,
  };
  return [first!, file, ...rest];
}

/** The whole text of a long message, as the file shared in its thread. */
function messageFile(message: Message): Omit<MessageFile, "kind" | "part" | "comment"> {
  const bytes = Buffer.from(message.text, "utf8");
  return {
    filename: `message-${message.id}.txt`,
    title: `Customer message, ${plural(Array.from(message.text).length, "character")}`,
    bytes,
    // Slack takes snippets of up to 1 MB (files.getUploadURLExternal: snippet_too_large); a
    // longer text goes as a plain text file, which Slack still previews.
    snippetType: bytes.length <= MAX_SNIPPET_BYTES ? "text" : undefined,
  };
}

/** The posts of a message's parts, numbered; `withFile`: the file step comes after the first. */
function posts(message: Message, parts: Part[], withFile = false): MessagePost[] {
  const total = parts.length + (withFile ? 1 : 0);
  const number = (i: number) => (withFile && i > 0 ? i + 1 : i);
  return parts.map((p, i) => {
    const n = number(i);
    const blocks = [...p.blocks];
    if (total > 1)
      blocks.push({
        type: "context",
        elements: [
          {
            type: "mrkdwn",
            text:
              withFile && i === 0
                ? `_Part 1 of ${total}: the start of a long message, in full in the file below_`
                : `_Part ${n + 1} of ${total}${n + 1 < total ? ", continued in the next reply" : ""}_`,
          },
        ],
      });
    const marker = total > 1 ? ` (${n + 1}/${total})` : "";
    const fallback = p.text
      ? fitEscaped(p.text, FALLBACK_TEXT)
      : p.attachments
        ? `:paperclip: ${plural(p.attachments, "attachment")}`
        : "(empty message)";
    return {
      kind: "post",
      part: n,
      text: `${fallback}${marker}`,
      blocks,
      metadata: {
        event_type: MESSAGE_METADATA_TYPE,
        event_payload: { message_id: message.id, part: n, parts: total },
      },
    };
  });
}

/**
 * An attachment whose URL is longer than any Slack element holds: its name, then the URL as plain
 * text in pieces (context blocks, each piece at most 3,000 as Slack counts it), to be joined.
 */
function writtenOut(a: Attachment, place: (block: KnownBlock) => void, current: () => Part) {
  const chars = Array.from(a.url);
  place({
    type: "section",
    text: {
      type: "mrkdwn",
      text: `:paperclip: ${fitEscaped(a.name, NAME_ROOM)}${mimeNote(a)}: its link is too long for Slack to hold as a link, so it is written out below in pieces; join them, without spaces, to open it.`,
    },
  });
  for (let start = 0; start < chars.length; ) {
    const empty: ContextBlock = {
      type: "context",
      elements: [{ type: "plain_text", text: "", emoji: false }],
    };
    const p = current();
    let room = SIZE_BUDGET - p.size - blockSize(empty);
    if (room < MIN_TEXT_ROOM || p.blocks.length + 1 > BLOCK_BUDGET) room = SIZE_BUDGET - blockSize(empty);
    const end = takeText(chars, start, { text: SLACK_LIMITS.contextText, size: room });
    const piece: PlainTextElement = {
      type: "plain_text",
      text: chars.slice(start, end).join(""),
      emoji: false,
    };
    place({ type: "context", elements: [piece] });
    start = end;
  }
}
