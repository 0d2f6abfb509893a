// `/desk history #42`: every change of assignee and hero, the team it waited for, closes and
// reopens, with who, when and why; and `/desk queue`.
import type { HistoryEntry } from "../store/events.ts";
import type { Actor, DeskDeps } from "./desk-deps.ts";
import { allowed, onConversation } from "./guard.ts";
import type { Answer } from "./results.ts";

/** One conversation of the queue. */
export interface QueuedConversation {
  conversation: number;
  source: string;
  /** It waits for the customer's busy hero (until their wait is over). */
  forHero: boolean;
  since: Date;
}

export type Histories =
  | { done: "history"; conversation: number; entries: HistoryEntry[] }
  | { done: "queue"; waiting: QueuedConversation[] };

/** How many conversations `/desk queue` lists. */
const QUEUE_LINES = 20;

export function createConversationHistory(deps: DeskDeps) {
  const history = (actor: Actor, input: { conversation: number }): Promise<Answer> =>
    deps.store.transaction(async (tx) => {
      const found = await onConversation(tx, deps, {
        userId: actor.userId,
        action: "history",
        conversation: input.conversation,
      });
      if (!("checked" in found)) return found;
      const { conversation } = found;
      const entries = await tx.events.history(conversation.id, conversation.customerId);
      return { done: "history", conversation: conversation.id, entries };
    });

  const queue = (actor: Actor): Promise<Answer> =>
    allowed(deps, "queue", actor.userId, async (tx) => {
      const now = deps.now?.() ?? new Date();
      const waiting = (await tx.conversations.queue(QUEUE_LINES)).map((c) => ({
        conversation: c.id,
        source: c.sourceId,
        forHero: c.heroWaitUntil !== null && c.heroWaitUntil > now,
        since: c.waitingSince ?? c.createdAt,
      }));
      return { done: "queue", waiting };
    });

  return { history, queue };
}
