// Claim (assign to me): atomic, so of 20 simultaneous clicks exactly one wins and the others hear
// who has it. Also used by the first responder rule.
import type { Conversation } from "../core/domain.ts";
import type { Repositories } from "../store/index.ts";
import { moveAssignee } from "./assignment.ts";
import {
  authorize,
  conversationOrRefusal,
  type DeskDeps,
  done,
  mention,
  type Outcome,
  refused,
} from "./context.ts";

export function createClaimConversation(deps: DeskDeps) {
  return (input: { userId: string; conversationId: number }): Promise<Outcome> =>
    deps.store.transaction(async (tx) => {
      const found = await conversationOrRefusal(tx, input.conversationId, { deps, userId: input.userId });
      if (!found.ok) return found.outcome;
      const { conversation } = found;
      const auth = await authorize(tx, deps, input.userId, "claim", conversation);
      if (!auth.ok) return auth.outcome;
      const me = auth.actor.agent;
      if (!me)
        return refused(
          "Bootstrap admins must be added as agents before they can hold conversations: `/desk agent add @you admin`.",
        );
      if (conversation.status !== "open") return refused(`#${conversation.id} is closed; reopen it first.`);
      if (conversation.assigneeId === me.id) return done(`You already have #${conversation.id}.`);
      const claimed = await moveAssignee(tx, conversation, me, {
        reason: "claimed",
        actorId: input.userId,
        expectedFrom: null,
      });
      if (!claimed) return alreadyClaimed(tx, conversation.id);
      return done(`You have #${conversation.id} now.`);
    });
}

export async function alreadyClaimed(tx: Repositories, conversationId: number): Promise<Outcome> {
  const now: Conversation | null = await tx.conversations.get(conversationId);
  const holder = now?.assigneeId ? await tx.agents.get(now.assigneeId) : null;
  if (!holder) return refused(`#${conversationId} changed meanwhile; try again.`);
  return refused(`#${conversationId} is already claimed by ${mention(holder.slackUserId)}.`);
}
