// The DM an agent gets: a conversation assigned to them, or a customer's new message.
import type { KnownBlock } from "@slack/types";
import type { CardModel } from "../../core/card.ts";
import { escapeSlackText, plural, preview } from "../../core/slack-text.ts";

const WHY: Record<string, string> = {
  routed: "routed to you",
  rule: "routed to you by a rule",
  hero: "you are the customer's Dedicated Hero",
  queue: "from the queue",
  manual: "assigned to you",
  bulk: "moved to you",
  claimed: "claimed",
};

export function agentDm(input: {
  kind: "assigned" | "message";
  card: CardModel;
  permalink: string | null;
  messageText: string | null;
  reason?: string;
}): { text: string; blocks: KnownBlock[] } {
  const { card } = input;
  const who = `${escapeSlackText(card.customerName)} via ${escapeSlackText(card.sourceLabel)}`;
  const head =
    input.kind === "assigned"
      ? `:inbox_tray: *Conversation #${card.number} is yours* (${WHY[input.reason ?? "routed"] ?? "assigned to you"})`
      : `:speech_balloon: *New message in #${card.number}*${card.assignee ? "" : " (unassigned)"}`;
  const quote = input.messageText ? `\n>${preview(input.messageText, 280)}` : "";
  const blocks: KnownBlock[] = [
    { type: "section", text: { type: "mrkdwn", text: `${head}\n${who}${quote}` } },
  ];
  if (input.permalink)
    blocks.push({
      type: "actions",
      elements: [
        {
          type: "button",
          text: { type: "plain_text", text: "Open thread" },
          url: input.permalink,
          action_id: "open_thread",
        },
      ],
    });
  return {
    text: `${input.kind === "assigned" ? "You have" : "New message in"} #${card.number} from ${who}`,
    blocks,
  };
}

/** How many conversations a bulk move's DM lists, each with its link; the rest are counted. */
export const MOVED_DM_LIST = 15;

/** One DM for a bulk reassign: every conversation moved to the agent, with links to the threads. */
export function movedDm(input: {
  fromUserId: string;
  /** The first MOVED_DM_LIST conversations. */
  items: { card: CardModel; permalink: string | null }[];
  total: number;
}): { text: string; blocks: KnownBlock[] } {
  const head = `${plural(input.total, "conversation")} moved to you from <@${input.fromUserId}>`;
  const lines = input.items.map(({ card, permalink }) => {
    const number = permalink ? `<${permalink}|#${card.number}>` : `#${card.number}`;
    return `• ${number} ${escapeSlackText(card.customerName)} via ${escapeSlackText(card.sourceLabel)}`;
  });
  const rest = input.total - input.items.length;
  if (rest > 0) lines.push(`…and ${plural(rest, "more", "more")}: your App Home lists them all.`);
  return {
    text: head,
    blocks: [
      { type: "section", text: { type: "mrkdwn", text: `:inbox_tray: *${head}*\n${lines.join("\n")}` } },
    ],
  };
}
