// Claim (assign to me): atomic, so of 20 simultaneous clicks exactly one wins and the others hear
// who has it. Also used by the first responder rule.
import type { Repositories } from "../store/index.ts";
import { moveAssignee } from "./assignment.ts";
import type { Actor, DeskDeps } from "./desk-deps.ts";
import { onConversation } from "./guard.ts";
import type { Answer } from "./results.ts";

export function createClaimConversation(deps: DeskDeps) {
  return (actor: Actor, input: { conversation: number }) =>
    deps.store.transaction(async (tx): Promise<Answer> => {
      const found = await onConversation(tx, deps, {
        userId: actor.userId,
        action: "claim",
        conversation: input.conversation,
      });
      if (!("checked" in found)) return found;
      const { conversation } = found;
      const me = found.actor.agent;
      if (!me) return { refused: "not_yet_an_agent_to_hold" };
      if (conversation.status !== "open") return { refused: "closed", conversation: conversation.id };
      if (conversation.assigneeId === me.id) return { done: "already_yours", conversation: conversation.id };
      const claimed = await moveAssignee(tx, conversation, me, {
        reason: "claimed",
        actorId: actor.userId,
        expectedFrom: null,
      });
      if (!claimed) return alreadyClaimed(tx, conversation.id);
      return { done: "claimed", conversation: conversation.id };
    });
}

/** Someone was quicker: who holds it now. */
async function alreadyClaimed(tx: Repositories, conversationId: number): Promise<Answer> {
  const now = await tx.conversations.get(conversationId);
  const holder = now?.assigneeId ? await tx.agents.get(now.assigneeId) : null;
  if (!holder) return { refused: "changed_meanwhile", conversation: conversationId };
  return { refused: "already_claimed", conversation: conversationId, by: holder.slackUserId };
}
