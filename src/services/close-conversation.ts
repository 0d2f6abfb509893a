// Close and reopen: a closed conversation frees its assignee's capacity for the queue.

import { enqueueCardUpdate, enqueueQueueCheck } from "../outbox/jobs.ts";
import { authorize, conversationOrRefusal, type DeskDeps, done, type Outcome } from "./context.ts";

export function createCloseConversation(deps: DeskDeps) {
  const setStatus =
    (status: "open" | "closed") =>
    (input: { userId: string; conversationId: number }): Promise<Outcome> =>
      deps.store.transaction(async (tx) => {
        const found = await conversationOrRefusal(tx, input.conversationId, { deps, userId: input.userId });
        if (!found.ok) return found.outcome;
        const { conversation } = found;
        // Only agents get this far (see conversationOrRefusal): "already open" is news to any of them.
        if (conversation.status === status) return done(`#${conversation.id} is already ${status}.`);
        const auth = await authorize(
          tx,
          deps,
          input.userId,
          status === "closed" ? "close" : "reopen",
          conversation,
        );
        if (!auth.ok) return auth.outcome;
        const at = deps.now?.() ?? new Date();
        const updated = await tx.conversations.update(
          conversation.id,
          status === "closed" ? { status, closedAt: at, waitingSince: null } : { status, closedAt: null },
          at,
        );
        await tx.events.record({
          kind: "status",
          conversationId: conversation.id,
          actorSlackId: input.userId,
          reason: status === "closed" ? "closed" : "reopened",
          at,
        });
        await enqueueCardUpdate(tx, updated);
        // Closing frees capacity; a reopened conversation without an assignee joins the queue.
        if (status === "closed" ? conversation.assigneeId : !updated.assigneeId) await enqueueQueueCheck(tx);
        return done(`#${conversation.id} is ${status === "closed" ? "closed" : "open again"}.`);
      });
  return { close: setStatus("closed"), reopen: setStatus("open") };
}
