// Close and reopen: a closed conversation frees its assignee's capacity for the queue.
import { enqueueCardUpdate, enqueueQueueCheck } from "../outbox/jobs.ts";
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
        const updated = await tx.conversations.update(
          conversation.id,
          status === "closed" ? { status, closedAt: at, waitingSince: null } : { status, closedAt: null },
          at,
        );
        await tx.events.record({
          kind: "status",
          conversationId: conversation.id,
          actorSlackId: actor.userId,
          reason: status === "closed" ? "closed" : "reopened",
          at,
        });
        await enqueueCardUpdate(tx, updated);
        // Closing frees capacity; a reopened conversation without an assignee joins the queue.
        if (status === "closed" ? conversation.assigneeId : !updated.assigneeId) await enqueueQueueCheck(tx);
        return { done: "status_set", conversation: conversation.id, status };
      });
  return { close: setStatus("closed"), reopen: setStatus("open") };
}
