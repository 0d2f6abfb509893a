// The conversation card's content as data: what a support agent needs at a glance.
import type { ConversationStatus } from "./domain.ts";
import type { TargetNow } from "./response-targets.ts";
import { fitText, SLACK_LIMITS, splitMrkdwn } from "./slack-fit.ts";
import { escapeSlackText } from "./slack-text.ts";
import type { Priority } from "./triage.ts";

/** The hero the card shows: the customer's own, or one set on their channel or account (`via`). */
export type CardHero = (
  | { kind: "agent"; slackUserId: string; name: string }
  | { kind: "team"; name: string }
) & {
  via?: { account: string } | { channel: string };
};

export interface CardModel {
  number: number;
  customerName: string;
  customerExternalId: string;
  customerEmail: string | null;
  customerAttributes: Record<string, string>;
  sourceLabel: string;
  status: ConversationStatus;
  assignee: { slackUserId: string; name: string } | null;
  hero: CardHero | null;
  waitingSince: Date | null;
  sourceId: string;
  firstResponseAt: Date | null;
  /** The response target running on it (set by the Slack layer from the source's targets). */
  target?: TargetNow | null;
  /** Set while the conversation waits for its busy hero. */
  heroWaitUntil: Date | null;
  createdAt: Date;
  priority: Priority;
  /** Alphabetical. */
  tags: string[];
}

export function cardSummaryLine(card: CardModel): string {
  const who = card.assignee ? `assigned to ${card.assignee.name}` : "unassigned";
  return `#${card.number} ${card.customerName} (${card.sourceLabel}): ${card.status}, ${who}`;
}

/**
 * What the card shows of the customer, as Slack counts it (src/core/slack-fit.ts): the card is one
 * message, updated in place, so longer values are cut there with "…" and shown in full in a
 * thread notice instead (customerDetailsNotices).
 */
export const CARD_FIT = {
  name: 300,
  email: 400,
  externalId: 300,
  attributes: 8,
  attributeKey: 60,
  attributeValue: 150,
  /** Source names (config: 80 characters) and team names (80) always fit whole. */
  source: 400,
  team: 400,
} as const;

export interface CustomerDetails {
  name: string;
  externalId: string;
  email: string | null;
  attributes: Record<string, string>;
}

/** True when the card cannot show all of the customer's details whole. */
export function cardCutsCustomer(c: CustomerDetails): boolean {
  const over = (text: string, max: number) => fitText(text, max) !== text;
  const attributes = Object.entries(c.attributes);
  return (
    over(c.name, CARD_FIT.name) ||
    over(c.email ?? "", CARD_FIT.email) ||
    over(c.externalId, CARD_FIT.externalId) ||
    attributes.length > CARD_FIT.attributes ||
    attributes.some(([k, v]) => over(k, CARD_FIT.attributeKey) || over(v, CARD_FIT.attributeValue))
  );
}

/**
 * The customer's details in full, as mrkdwn messages of at most 4,000 (Slack's "for best results"
 * for a message's text): posted in the thread when the card had to cut them. Joined, the messages
 * hold every character of every value.
 */
export function customerDetailsNotices(c: CustomerDetails): string[] {
  const lines = [
    "*The customer's details in full* (the card shows them cut):",
    `*Name:* ${escapeSlackText(c.name)}`,
    ...(c.email ? [`*Email:* ${escapeSlackText(c.email)}`] : []),
    `*Customer ID:* ${escapeSlackText(c.externalId)}`,
    ...Object.entries(c.attributes).map(([k, v]) => `• ${escapeSlackText(k)}: ${escapeSlackText(v)}`),
  ];
  return splitMrkdwn(lines.join("\n"), SLACK_LIMITS.readableText);
}
