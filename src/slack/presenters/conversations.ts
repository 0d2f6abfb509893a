// Answers about who holds a conversation: assign, unassign, reassign, claim, close and reopen.
import { plural } from "../../core/slack-text.ts";
import type { Conversations } from "../../services/assign-conversation.ts";
import type { HeadsUp, WhereItWent } from "../../services/results.ts";
import { type DonePresenters, mention, type RefusalPresenters } from "./types.ts";

/** What a manager should know about whom they just gave work to: away, or over capacity. */
function headsUp(h: HeadsUp): string {
  const notes: string[] = [];
  if (h.status !== "online")
    notes.push(`They are ${h.status}: it waits for them until they are back, unless you move it on.`);
  if (h.capacity > 0 && h.open > h.capacity)
    notes.push(`They are over their capacity (${h.open} open of ${h.capacity}).`);
  return notes.map((n) => ` ${n}`).join("");
}

/** "went to @bob at once (…)", or "is back in the queue: …". */
export function whereItWent(went: WhereItWent): string {
  if ("to" in went) return `went to ${mention(went.to)} at once (routing picked the next free agent).`;
  if (went.waits === "hero") return "is back in the queue, waiting for the customer's busy hero.";
  return "is back in the queue: nobody else is free right now, so it goes to the next agent who is.";
}

export const CONVERSATIONS_DONE: DonePresenters<Conversations> = {
  already_with: (a) => `#${a.conversation} is already with ${mention(a.agent)}.`,
  assigned: (a) => `#${a.conversation} is now with ${mention(a.agent)}.${headsUp(a.headsUp)}`,
  already_unassigned: (a) => `#${a.conversation} is already unassigned.`,
  unassigned: (a) => `#${a.conversation} ${whereItWent(a.went)}`,
  nothing_to_move: (a) => `${mention(a.from)} has no open conversations.`,
  moved_all: (a) =>
    `Moved ${plural(a.count, "open conversation")} from ${mention(a.from)} to ${mention(a.to)}.${headsUp(a.headsUp)}`,
  already_yours: (a) => `You already have #${a.conversation}.`,
  claimed: (a) => `You have #${a.conversation} now.`,
  status_unchanged: (a) => `#${a.conversation} is already ${a.status}.`,
  status_set: (a) => `#${a.conversation} is ${a.status === "closed" ? "closed" : "open again"}.`,
};

export const CONVERSATIONS_REFUSED: RefusalPresenters<Conversations> = {
  same_person: () => "Pick two different people.",
  not_yet_an_agent_to_hold: () =>
    "Bootstrap admins must be added as agents before they can hold conversations: `/desk agent add @you admin`.",
  already_claimed: (r) => `#${r.conversation} is already claimed by ${mention(r.by)}.`,
};
