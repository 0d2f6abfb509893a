// Close and reopen: a closed conversation frees its assignee's capacity for the queue.
import type { Conversation } from "../core/domain.ts";
import { enqueueCardUpdate, enqueueQueueCheck } from "../outbox/jobs.ts";
import type { Repositories } from "../store/index.ts";
import type { Actor, DeskDeps } from "./desk-deps.ts";
import { onConversation } from "./guard.ts";
import type { Answer } from "./results.ts";

export function createCloseConversation(deps: DeskDeps) {
  const setStatus =
    (status: "open" | "closed") =>
    (actor: Actor, input: { conversation: number }): Promise<Answer> =>
      deps.store.transaction(async (tx) => {
        const found = await onConversation(tx, deps, {
          userId: actor.userId,
          action: status === "closed" ? "close" : "reopen",
          conversation: input.conversation,
          // "Already open" is news to any agent, whoever holds it.
          settled: (c) =>
            c.status === status ? { done: "status_unchanged", conversation: c.id, status } : null,
        });
        if (!("checked" in found)) return found;
        const { conversation } = found;
        const at = deps.now?.() ?? new Date();
        await setConversationStatus(tx, conversation, status, {
          actorSlackId: actor.userId,
          reason: status === "closed" ? "closed" : "reopened",
          at,
        });
        return { done: "status_set", conversation: conversation.id, status };
      });
  return { close: setStatus("closed"), reopen: setStatus("open") };
}

/**
 * Closes or reopens, the one way every closer does (a person, auto-close): the status, the
 * history, the card, and the queue (closing frees capacity; reopened without an assignee, it
 * joins the queue).
 */
export async function setConversationStatus(
  tx: Repositories,
  conversation: Conversation,
  status: "open" | "closed",
  why: {
    actorSlackId: string | null;
    reason: "closed" | "auto_closed" | "reopened";
    detail?: string;
    at: Date;
  },
): Promise<Conversation> {
  const { at } = why;
  const updated = await tx.conversations.update(
    conversation.id,
    status === "closed"
      ? {
          status,
          closedAt: at,
          waitingSince: null,
          closeReason: why.reason === "auto_closed" ? "auto" : null,
        }
      : { status, closedAt: null, closeReason: null },
    at,
  );
  await tx.events.record({
    kind: "status",
    conversationId: conversation.id,
    actorSlackId: why.actorSlackId,
    reason: why.reason,
    detail: why.detail ?? null,
    at,
  });
  await enqueueCardUpdate(tx, updated);
  if (status === "closed" ? conversation.assigneeId : !updated.assigneeId) await enqueueQueueCheck(tx);
  return updated;
}
