// The DM an agent gets: a conversation assigned to them, or a customer's new message.
import type { KnownBlock } from "@slack/types";
import { CARD_FIT, type CardModel } from "../../core/card.ts";
import { fitEscaped, packLines } from "../../core/slack-fit.ts";
import { plural, preview, slackDate } from "../../core/slack-text.ts";

const WHY: Record<string, string> = {
  routed: "routed to you",
  rule: "routed to you by a rule",
  hero: "you are the customer's Dedicated Hero",
  queue: "from the queue",
  manual: "assigned to you",
  bulk: "moved to you",
  claimed: "claimed",
};

/** A response target's reminder (at risk) or escalation (breached): which response, when due. */
function targetHead(input: {
  kind: "at_risk" | "breached" | "reassigned";
  from?: string;
  card: CardModel;
  permalink: string | null;
  target?: string;
  due?: Date;
}) {
  const { card } = input;
  // The number links to the thread too: the button is not shown everywhere (notifications).
  const number = input.permalink ? `<${input.permalink}|#${card.number}>` : `#${card.number}`;
  const what = input.target === "next" ? "next response" : "first response";
  const due = input.due ? slackDate(input.due, "{time}") : "soon";
  const holder = card.assignee ? `held by <@${card.assignee.slackUserId}>` : "unassigned";
  if (input.kind === "reassigned")
    return `:arrows_counterclockwise: *${number} was taken back*: its ${what} was due ${due} and nobody answered, so it was taken from ${input.from ? `<@${input.from}>` : "its assignee"} and routed again · now ${card.assignee ? `with <@${card.assignee.slackUserId}>` : "in the queue"}`;
  return input.kind === "at_risk"
    ? `:warning: *${number} needs an answer soon*: its ${what} is due ${due}${card.assignee ? "" : " (unassigned)"}`
    : `:red_circle: *${number} is past its target*: its ${what} was due ${due} · ${holder}`;
}

export function agentDm(input: {
  kind: "assigned" | "message" | "at_risk" | "breached" | "reassigned";
  card: CardModel;
  permalink: string | null;
  messageText: string | null;
  reason?: string;
  from?: string;
  target?: string;
  due?: Date;
}): { text: string; blocks: KnownBlock[] } {
  const { card } = input;
  const who = `${fitEscaped(card.customerName, CARD_FIT.name)} via ${fitEscaped(card.sourceLabel, CARD_FIT.source)}`;
  const head =
    input.kind === "assigned"
      ? `:inbox_tray: *Conversation #${card.number} is yours* (${WHY[input.reason ?? "routed"] ?? "assigned to you"})`
      : input.kind === "message"
        ? `:speech_balloon: *New message in #${card.number}*${card.assignee ? "" : " (unassigned)"}`
        : targetHead({ ...input, kind: input.kind });
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
    text:
      input.kind === "at_risk"
        ? `#${card.number} from ${who} needs an answer soon`
        : input.kind === "breached"
          ? `#${card.number} from ${who} is past its response target`
          : input.kind === "reassigned"
            ? `#${card.number} from ${who} was taken back and routed again: unanswered past its target`
            : `${input.kind === "assigned" ? "You have" : "New message in"} #${card.number} from ${who}`,
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
    return `• ${number} ${fitEscaped(card.customerName, 150)} via ${fitEscaped(card.sourceLabel, 100)}`;
  });
  const rest = input.total - input.items.length;
  if (rest > 0) lines.push(`…and ${plural(rest, "more", "more")}: your App Home lists them all.`);
  // Long names take several sections (3,000 each); 15 lines of at most ~360 stay far within the
  // message's cumulative size.
  const texts = packLines(lines, { title: `:inbox_tray: *${head}*`, maxTexts: 5 });
  return {
    text: head,
    blocks: texts.map((text) => ({ type: "section", text: { type: "mrkdwn", text } })),
  };
}
