// The conversation card's content as data: what a support agent needs at a glance.
import type { ConversationStatus } from "./domain.ts";

export interface CardModel {
  number: number;
  customerName: string;
  customerExternalId: string;
  customerEmail: string | null;
  customerAttributes: Record<string, string>;
  sourceLabel: string;
  status: ConversationStatus;
  assignee: { slackUserId: string; name: string } | null;
  hero: { kind: "agent"; slackUserId: string; name: string } | { kind: "team"; name: string } | null;
  waitingSince: Date | null;
  /** Set while the conversation waits for its busy hero. */
  heroWaitUntil: Date | null;
  createdAt: Date;
}

export function cardSummaryLine(card: CardModel): string {
  const who = card.assignee ? `assigned to ${card.assignee.name}` : "unassigned";
  return `#${card.number} ${card.customerName} (${card.sourceLabel}): ${card.status}, ${who}`;
}
