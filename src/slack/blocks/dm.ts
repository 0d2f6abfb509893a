// The DM an agent gets: a conversation assigned to them, or a customer's new message.
import type { KnownBlock } from "@slack/types";
import type { CardModel } from "../../core/card.ts";
import { escapeSlackText, preview } from "../../core/slack-text.ts";

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
