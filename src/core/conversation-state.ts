// How a conversation's state moves when messages arrive. Pure: the services load, ask, and save.
import type { Conversation } from "./domain.ts";

type Changes = Partial<
  Pick<
    Conversation,
    | "status"
    | "waitingSince"
    | "firstResponseAt"
    | "firstResponseMs"
    | "closedAt"
    | "closeReason"
    | "answeredAt"
  >
>;

export interface StateChange {
  changes: Changes;
  /** The card shows something different now (status, waiting), so it is updated in place. */
  cardChanged: boolean;
}

/** A customer wrote in an existing conversation. */
export function onCustomerMessage(conversation: Conversation, at: Date): StateChange {
  const changes: Changes = {};
  let cardChanged = false;
  if (conversation.status === "closed") {
    // A customer writing into a closed conversation reopens it rather than losing the message.
    changes.status = "open";
    changes.closedAt = null;
    changes.closeReason = null;
    cardChanged = true;
  }
  if (!conversation.waitingSince) {
    changes.waitingSince = at;
    cardChanged = true;
  }
  return { changes, cardChanged };
}

/** An agent answered in the thread. Internal notes answer nobody. */
export function onAgentMessage(conversation: Conversation, at: Date, isNote: boolean): StateChange {
  if (isNote) return { changes: {}, cardChanged: false };
  // Idle time before an auto-close counts from the last answer (an earlier one arriving late
  // leaves it).
  const changes: Changes = conversation.answeredAt && conversation.answeredAt >= at ? {} : { answeredAt: at };
  let cardChanged = false;
  if (conversation.waitingSince) {
    changes.waitingSince = null;
    cardChanged = true;
  }
  if (!conversation.firstResponseAt) {
    changes.firstResponseAt = at;
    changes.firstResponseMs = Math.max(0, at.getTime() - conversation.createdAt.getTime());
  }
  return { changes, cardChanged };
}

/** What an agent's thread message is, by its first word. */
export function classifyAgentText(text: string): "note" | "skip" | "reply" {
  const head = text.trimStart().toLowerCase();
  if (/^!note\b/.test(head)) return "note";
  if (/^!skip\b/.test(head)) return "skip";
  return "reply";
}

/** The text delivered to the customer: the `!skip` marker is HeroDesk's, not the customer's. */
export function customerFacingText(text: string): string {
  return text.replace(/^\s*!skip\b\s*/i, "");
}
