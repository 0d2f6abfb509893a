// Managers move work: assign #42 to someone, put it back in the queue, or move all of one agent's
// open conversations to another.
import type { Agent } from "../core/domain.ts";
import { plural } from "../core/slack-text.ts";
import { enqueueMovedDm } from "../outbox/jobs.ts";
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

async function agentOrRefusal(
  tx: Repositories,
  userId: string,
): Promise<{ ok: true; agent: Agent } | { ok: false; outcome: Outcome }> {
  const agent = await tx.agents.bySlackId(userId);
  if (!agent?.active)
    return {
      ok: false,
      outcome: refused(
        `${mention(userId)} is not a HeroDesk agent; an admin can add them with \`/desk agent add @them\`.`,
      ),
    };
  return { ok: true, agent };
}

/** What a manager should know about whom they just gave work to: away, or over capacity. */
function headsUp(agent: Agent, added: number): string {
  const notes: string[] = [];
  if (agent.status !== "online")
    notes.push(`They are ${agent.status}: it waits for them until they are back, unless you move it on.`);
  const open = agent.openCount + added;
  if (agent.capacity > 0 && open > agent.capacity)
    notes.push(`They are over their capacity (${open} open of ${agent.capacity}).`);
  return notes.map((n) => ` ${n}`).join("");
}

export function createAssignConversation(deps: DeskDeps) {
  const assign = (input: { userId: string; conversationId: number; agentUserId: string }): Promise<Outcome> =>
    deps.store.transaction(async (tx) => {
      // A manager's action whoever holds the conversation: an agent hears that before whether #N exists.
      const auth = await authorize(tx, deps, input.userId, "assign");
      if (!auth.ok) return auth.outcome;
      const found = await conversationOrRefusal(tx, input.conversationId, { deps, userId: input.userId });
      if (!found.ok) return found.outcome;
      const target = await agentOrRefusal(tx, input.agentUserId);
      if (!target.ok) return target.outcome;
      const { conversation } = found;
      if (conversation.status !== "open") return refused(`#${conversation.id} is closed; reopen it first.`);
      if (conversation.assigneeId === target.agent.id)
        return done(`#${conversation.id} is already with ${mention(input.agentUserId)}.`);
      const moved = await moveAssignee(tx, conversation, target.agent, {
        reason: "manual",
        actorId: input.userId,
      });
      if (!moved) return refused(`#${conversation.id} changed meanwhile; try again.`);
      return done(
        `#${conversation.id} is now with ${mention(input.agentUserId)}.${headsUp(target.agent, 1)}`,
      );
    });

  const unassign = (input: { userId: string; conversationId: number }): Promise<Outcome> =>
    deps.store.transaction(async (tx) => {
      // A manager's action whoever holds the conversation: an agent hears that before whether #N exists.
      const auth = await authorize(tx, deps, input.userId, "unassign");
      if (!auth.ok) return auth.outcome;
      const found = await conversationOrRefusal(tx, input.conversationId, { deps, userId: input.userId });
      if (!found.ok) return found.outcome;
      const { conversation } = found;
      if (!conversation.assigneeId) return done(`#${conversation.id} is already unassigned.`);
      // The store remembers whom it was taken from: routing gives it to someone else who is free
      // (or it waits), never straight back to them; they can still Claim it or be assigned it.
      const moved = await moveAssignee(tx, conversation, null, { reason: "manual", actorId: input.userId });
      if (!moved) return refused(`#${conversation.id} changed meanwhile; try again.`);
      return done(`#${conversation.id} ${await whereItWent(tx, deps, conversation.id)}`);
    });

  const reassignAll = (input: { userId: string; fromUserId: string; toUserId: string }): Promise<Outcome> =>
    deps.store.transaction(async (tx) => {
      const auth = await authorize(tx, deps, input.userId, "reassign_bulk");
      if (!auth.ok) return auth.outcome;
      const from = await tx.agents.bySlackId(input.fromUserId);
      if (!from) return refused(`${mention(input.fromUserId)} is not a HeroDesk agent.`);
      const to = await agentOrRefusal(tx, input.toUserId);
      if (!to.ok) return to.outcome;
      if (from.id === to.agent.id) return refused("Pick two different people.");
      const open = await tx.conversations.openOf(from.id);
      const movedIds: number[] = [];
      for (const c of open)
        if (
          await moveAssignee(tx, c, to.agent, {
            reason: "bulk",
            actorId: input.userId,
            expectedFrom: from.id,
            notify: false,
          })
        )
          movedIds.push(c.id);
      const moved = movedIds.length;
      if (!moved) return done(`${mention(input.fromUserId)} has no open conversations.`);
      if (input.toUserId !== input.userId)
        await enqueueMovedDm(tx, {
          userId: input.toUserId,
          conversationIds: movedIds,
          fromUserId: input.fromUserId,
        });
      return done(
        `Moved ${plural(moved, "open conversation")} from ${mention(input.fromUserId)} to ${mention(input.toUserId)}.${headsUp(to.agent, moved)}`,
      );
    });

  return { assign, unassign, reassignAll };
}

/**
 * Routes a conversation just put back, and says where it went: "went to @bob at once (routed)",
 * or "is back in the queue: …". Shared by unassign and agent remove.
 */
export async function whereItWent(tx: Repositories, deps: DeskDeps, conversationId: number): Promise<string> {
  await deps.routeNow?.(tx, conversationId);
  const after = await tx.conversations.get(conversationId);
  const holder = after?.assigneeId ? await tx.agents.get(after.assigneeId) : null;
  if (holder) return `went to ${mention(holder.slackUserId)} at once (routing picked the next free agent).`;
  if (after?.heroWaitUntil) return "is back in the queue, waiting for the customer's busy hero.";
  return "is back in the queue: nobody else is free right now, so it goes to the next agent who is.";
}
