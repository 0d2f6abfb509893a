// The conversation card: the root message of a conversation's thread, updated in place.
import type { KnownBlock } from "@slack/types";
import { type CardModel, cardSummaryLine } from "../../core/card.ts";
import { cut, escapeSlackText, slackDate } from "../../core/slack-text.ts";

export const CARD_METADATA_TYPE = "herodesk_card";

const STATUS_LABEL = { open: ":large_green_circle: Open", closed: ":white_check_mark: Closed" } as const;

export function cardBlocks(card: CardModel): KnownBlock[] {
  const customer = escapeSlackText(cut(card.customerName, 200));
  const email = card.customerEmail ? `\n${escapeSlackText(cut(card.customerEmail, 200))}` : "";
  const waitingForHero = card.heroWaitUntil && card.heroWaitUntil.getTime() > Date.now();
  const assignee = card.assignee
    ? `<@${card.assignee.slackUserId}>`
    : waitingForHero
      ? `_Waiting for the hero until ${slackDate(card.heroWaitUntil!, "{time}")}_`
      : "_Unassigned (in the queue)_";
  const hero = !card.hero
    ? "_None_"
    : card.hero.kind === "agent"
      ? `<@${card.hero.slackUserId}>`
      : `Team ${escapeSlackText(card.hero.name)}`;
  const waiting = card.waitingSince ? `Since ${slackDate(card.waitingSince)}` : "Nobody waiting";
  const attributes = Object.entries(card.customerAttributes)
    .slice(0, 8)
    .map(([k, v]) => `${escapeSlackText(cut(k, 40))}: ${escapeSlackText(cut(String(v), 80))}`)
    .join(" · ");

  const blocks: KnownBlock[] = [
    {
      type: "header",
      text: { type: "plain_text", text: cut(`#${card.number} · ${card.customerName}`, 150), emoji: false },
    },
    {
      type: "section",
      fields: [
        { type: "mrkdwn", text: `*Customer*\n${customer}${email}` },
        { type: "mrkdwn", text: `*Source*\n${escapeSlackText(card.sourceLabel)}` },
        { type: "mrkdwn", text: `*Status*\n${STATUS_LABEL[card.status]}` },
        { type: "mrkdwn", text: `*Assignee*\n${assignee}` },
        { type: "mrkdwn", text: `*Hero*\n${hero}` },
        { type: "mrkdwn", text: `*Waiting*\n${waiting}` },
      ],
    },
  ];
  const context = [
    `Customer ID \`${escapeSlackText(cut(card.customerExternalId, 100))}\``,
    `opened ${slackDate(card.createdAt)}`,
  ];
  if (attributes) context.push(attributes);
  blocks.push({ type: "context", elements: [{ type: "mrkdwn", text: context.join(" · ") }] });
  blocks.push(...cardActions(card));
  return blocks;
}

export function cardText(card: CardModel): string {
  return escapeSlackText(cardSummaryLine(card));
}

export function cardMetadata(card: CardModel) {
  return { event_type: CARD_METADATA_TYPE, event_payload: { conversation_id: card.number } };
}

/** The fixed action_ids of SPEC section 3; every button carries the conversation number. */
export const CARD_ACTIONS = {
  claim: "conv_claim",
  assign: "conv_assign",
  reassignHero: "conv_reassign_hero",
  makeHero: "hero_make",
  removeHero: "hero_remove",
  close: "conv_close",
  reopen: "conv_reopen",
} as const;

function button(text: string, actionId: string, value: string, style?: "primary" | "danger") {
  return {
    type: "button" as const,
    text: { type: "plain_text" as const, text, emoji: true },
    action_id: actionId,
    value,
    ...(style ? { style } : {}),
  };
}

function cardActions(card: CardModel): KnownBlock[] {
  const value = String(card.number);
  const open = card.status === "open";
  return [
    {
      type: "actions",
      block_id: `conv_${value}`,
      elements: [
        button("Claim", CARD_ACTIONS.claim, value, open && !card.assignee ? "primary" : undefined),
        {
          type: "users_select",
          action_id: CARD_ACTIONS.assign,
          placeholder: { type: "plain_text", text: "Assign to…", emoji: true },
          ...(card.assignee ? { initial_user: card.assignee.slackUserId } : {}),
        },
        open ? button("Close", CARD_ACTIONS.close, value) : button("Reopen", CARD_ACTIONS.reopen, value),
      ],
    },
    {
      type: "actions",
      block_id: `hero_${value}`,
      elements: [
        button("Reassign to Hero", CARD_ACTIONS.reassignHero, value),
        button("Make Hero", CARD_ACTIONS.makeHero, value),
        button("Remove Hero", CARD_ACTIONS.removeHero, value, card.hero ? "danger" : undefined),
      ],
    },
  ];
}
