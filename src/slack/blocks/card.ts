// The conversation card: the root message of a conversation's thread, updated in place.
import type { KnownBlock } from "@slack/types";
import { CARD_FIT, type CardModel, cardCutsCustomer, cardSummaryLine } from "../../core/card.ts";
import { fitEscaped, fitText, SLACK_LIMITS } from "../../core/slack-fit.ts";
import { slackDate } from "../../core/slack-text.ts";
import { PRIORITY_LABEL, tagsText } from "../../core/triage.ts";

export const CARD_METADATA_TYPE = "herodesk_card";

const STATUS_LABEL = { open: ":large_green_circle: Open", closed: ":white_check_mark: Closed" } as const;

/** A wait past 75% of its target, or past it: the card is updated at both instants. */
const TARGET_STATE = { at_risk: ":warning: at risk", breached: ":red_circle: breached" } as const;

export function cardBlocks(card: CardModel): KnownBlock[] {
  // Every value is cut as Slack counts it (CARD_FIT): the card is one message, whatever the
  // customer sent; what it cuts of the customer is in full in a thread notice.
  const customer = fitEscaped(card.customerName, CARD_FIT.name);
  const email = card.customerEmail ? `\n${fitEscaped(card.customerEmail, CARD_FIT.email)}` : "";
  const waitingForHero = card.heroWaitUntil && card.heroWaitUntil.getTime() > Date.now();
  const assignee = card.assignee
    ? `<@${card.assignee.slackUserId}>`
    : waitingForHero
      ? `_Waiting for the hero until ${slackDate(card.heroWaitUntil!, "{time}")}_`
      : "_Unassigned (in the queue)_";
  const via = card.hero?.via;
  const heroOf = !via
    ? ""
    : "account" in via
      ? ` (account ${fitEscaped(via.account, CARD_FIT.team)})`
      : ` (channel <#${via.channel}>)`;
  const hero = !card.hero
    ? "_None_"
    : `${card.hero.kind === "agent" ? `<@${card.hero.slackUserId}>` : `Team ${fitEscaped(card.hero.name, CARD_FIT.team)}`}${heroOf}`;
  const t = card.target;
  const state = t && t.state !== "on_track" ? ` · ${TARGET_STATE[t.state]}` : "";
  const due = t
    ? `\n${t.kind === "first" ? "First" : "Next"} response ${t.due ? `due ${slackDate(t.due)}` : "due when the desk opens"}${state}`
    : "";
  const waiting = card.waitingSince ? `Since ${slackDate(card.waitingSince)}${due}` : "Nobody waiting";
  const entries = Object.entries(card.customerAttributes);
  const attributes = entries
    .slice(0, CARD_FIT.attributes)
    .map(
      ([k, v]) =>
        `${fitEscaped(k, CARD_FIT.attributeKey)}: ${fitEscaped(String(v), CARD_FIT.attributeValue)}`,
    );
  if (entries.length > CARD_FIT.attributes)
    attributes.push(`…and ${entries.length - CARD_FIT.attributes} more`);

  const blocks: KnownBlock[] = [
    {
      type: "header",
      // plain_text: sent as it is (Slack parses nothing there), measured as Slack counts it.
      text: {
        type: "plain_text",
        text: fitText(`#${card.number} · ${card.customerName}`, SLACK_LIMITS.headerText),
        emoji: false,
      },
    },
    {
      type: "section",
      fields: [
        { type: "mrkdwn", text: `*Customer*\n${customer}${email}` },
        { type: "mrkdwn", text: `*Source*\n${fitEscaped(card.sourceLabel, CARD_FIT.source)}` },
        { type: "mrkdwn", text: `*Status*\n${STATUS_LABEL[card.status]}` },
        { type: "mrkdwn", text: `*Assignee*\n${assignee}` },
        { type: "mrkdwn", text: `*Hero*\n${hero}` },
        { type: "mrkdwn", text: `*Waiting*\n${waiting}` },
        // Triage, when there is some: the priority unless normal, and the tags (at most 20 of 32).
        ...(card.priority !== "normal"
          ? [{ type: "mrkdwn" as const, text: `*Priority*\n${PRIORITY_LABEL[card.priority]}` }]
          : []),
        ...(card.tags.length ? [{ type: "mrkdwn" as const, text: `*Tags*\n${tagsText(card.tags)}` }] : []),
      ],
    },
  ];
  if (card.waitingSince) blocks.push(liveWait(card.waitingSince));
  const context = [
    `Customer ID \`${fitEscaped(card.customerExternalId, CARD_FIT.externalId)}\``,
    `opened ${slackDate(card.createdAt)}`,
  ];
  if (attributes.length) context.push(attributes.join(" · "));
  if (cardCutsCustomer(customerOf(card))) context.push("_details in full in the thread_");
  blocks.push({ type: "context", elements: [{ type: "mrkdwn", text: context.join(" · ") }] });
  blocks.push(...cardActions(card));
  return blocks;
}

/**
 * How long the customer has waited, counting up in every reader's Slack without an update: the
 * rich text date element's `{ago}` token ("12 minutes ago"), documented with the element in
 * Slack's own types (@slack/types RichTextDate.format) and docs.slack.dev/reference/block-kit/
 * block-elements/date-element. mrkdwn's `<!date>` documents no such token, hence a rich_text block.
 */
function liveWait(since: Date): KnownBlock {
  return {
    type: "rich_text",
    elements: [
      {
        type: "rich_text_section",
        elements: [
          { type: "emoji", name: "hourglass_flowing_sand" },
          { type: "text", text: " Waiting for an answer since " },
          {
            type: "date",
            timestamp: Math.floor(since.getTime() / 1000),
            format: "{ago}",
            fallback: since.toISOString().replace(".000Z", "Z"),
          },
        ],
      },
    ],
  };
}

const customerOf = (card: CardModel) => ({
  name: card.customerName,
  externalId: card.customerExternalId,
  email: card.customerEmail,
  attributes: card.customerAttributes,
});

/** The notification text: the summary line, escaped, at most 1,000 as Slack counts it. */
export function cardText(card: CardModel): string {
  return fitEscaped(cardSummaryLine(card), 1000);
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
      // Reassign to Hero where there is a hero, Remove Hero where the customer has their own (an
      // account's or channel's hero is removed with /desk); a click from an older copy of the card
      // is still answered: the server checks every click.
      elements: [
        ...(card.hero && open ? [button("Reassign to Hero", CARD_ACTIONS.reassignHero, value)] : []),
        button("Make Hero", CARD_ACTIONS.makeHero, value),
        ...(card.hero && !card.hero.via
          ? [button("Remove Hero", CARD_ACTIONS.removeHero, value, "danger")]
          : []),
      ],
    },
  ];
}
