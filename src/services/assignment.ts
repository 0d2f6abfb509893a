// Moving a conversation to an agent (or back to the queue): the one place that does it, so every
// change is atomic, audited, shown on the card and announced to the new assignee.
import type { Agent, AssignmentReason, Conversation } from "../core/domain.ts";
import { enqueueAgentDm, enqueueCardUpdate, enqueueQueueCheck } from "../outbox/jobs.ts";
import type { Repositories } from "../store/index.ts";

export interface Move {
  reason: AssignmentReason;
  /** Slack user id of whoever did it; none for routing. */
  actorId?: string;
  /** Only if it is still held by this agent (null: unassigned); defaults to its holder as loaded. */
  expectedFrom?: number | null;
  at?: Date;
  /** false: the caller tells the new assignee itself (a bulk move sends one DM for all). */
  notify?: boolean;
  /** The rule that routed it ("language = es"), for the history. */
  detail?: string;
}

/** Returns the updated conversation, or null when someone else changed it first. */
export async function moveAssignee(
  tx: Repositories,
  conversation: Conversation,
  to: Pick<Agent, "id" | "slackUserId"> | null,
  move: Move,
): Promise<Conversation | null> {
  const at = move.at ?? new Date();
  const from = move.expectedFrom === undefined ? conversation.assigneeId : move.expectedFrom;
  const updated = await tx.conversations.setAssigneeIf(conversation.id, from, to?.id ?? null, at);
  if (!updated) return null;
  await tx.events.record({
    kind: "assignee",
    conversationId: conversation.id,
    fromAgentId: from,
    toAgentId: to?.id ?? null,
    actorSlackId: move.actorId ?? null,
    reason: move.reason,
    ...(move.detail ? { detail: move.detail } : {}),
    at,
  });
  // The card update refreshes the new and previous holders' App Homes and the team's.
  await enqueueCardUpdate(tx, updated, from);
  if (to && to.slackUserId !== move.actorId && move.notify !== false)
    await enqueueAgentDm(tx, {
      userId: to.slackUserId,
      conversationId: conversation.id,
      kind: "assigned",
      reason: move.reason,
    });
  // The previous holder has room again (or the conversation is back in the queue).
  if (from !== null || !to) await enqueueQueueCheck(tx);
  return updated;
}
