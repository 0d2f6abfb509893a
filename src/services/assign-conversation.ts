// Managers move work: assign #42 to someone, put it back in the queue, or move all of one agent's
// open conversations to another.
import type { Agent } from "../core/domain.ts";
import { enqueueMovedDm } from "../outbox/jobs.ts";
import type { Repositories } from "../store/index.ts";
import { moveAssignee } from "./assignment.ts";
import type { Actor, DeskDeps } from "./desk-deps.ts";
import { authorize, onConversation } from "./guard.ts";
import type { Answer, HeadsUp, Refusal, WhereItWent } from "./results.ts";

export type Conversations =
  | { done: "already_with"; conversation: number; agent: string }
  | { done: "assigned"; conversation: number; agent: string; headsUp: HeadsUp }
  | { done: "already_unassigned"; conversation: number }
  | { done: "unassigned"; conversation: number; went: WhereItWent }
  | { refused: "same_person" }
  | { done: "nothing_to_move"; from: string }
  | { done: "moved_all"; count: number; from: string; to: string; headsUp: HeadsUp }
  | { refused: "not_yet_an_agent_to_hold" }
  | { done: "already_yours"; conversation: number }
  | { refused: "already_claimed"; conversation: number; by: string }
  | { done: "claimed"; conversation: number }
  | { done: "status_unchanged"; conversation: number; status: "open" | "closed" }
  | { done: "status_set"; conversation: number; status: "open" | "closed" };

/** An active agent, or the refusal that says they are not one. */
export async function agentOrRefusal(
  tx: Repositories,
  userId: string,
  fix?: Extract<Refusal, { refused: "not_an_agent" }>["fix"],
): Promise<Agent | Refusal> {
  const agent = await tx.agents.bySlackId(userId);
  if (agent?.active) return agent;
  return fix ? { refused: "not_an_agent", person: userId, fix } : { refused: "not_an_agent", person: userId };
}

const headsUp = (agent: Agent, added: number): HeadsUp => ({
  status: agent.status,
  open: agent.openCount + added,
  capacity: agent.capacity,
});

export function createAssignConversation(deps: DeskDeps) {
  const assign = (actor: Actor, input: { conversation: number; agent: string }) =>
    deps.store.transaction(async (tx): Promise<Answer> => {
      const found = await onConversation(tx, deps, {
        userId: actor.userId,
        action: "assign",
        conversation: input.conversation,
      });
      if (!("checked" in found)) return found;
      const target = await agentOrRefusal(tx, input.agent, { kind: "admin_can_add" });
      if ("refused" in target) return target;
      const { conversation } = found;
      if (conversation.status !== "open") return { refused: "closed", conversation: conversation.id };
      if (conversation.assigneeId === target.id)
        return { done: "already_with", conversation: conversation.id, agent: input.agent };
      const moved = await moveAssignee(tx, conversation, target, { reason: "manual", actorId: actor.userId });
      if (!moved) return { refused: "changed_meanwhile", conversation: conversation.id };
      return {
        done: "assigned",
        conversation: conversation.id,
        agent: input.agent,
        headsUp: headsUp(target, 1),
      };
    });

  const unassign = (actor: Actor, input: { conversation: number }) =>
    deps.store.transaction(async (tx): Promise<Answer> => {
      const found = await onConversation(tx, deps, {
        userId: actor.userId,
        action: "unassign",
        conversation: input.conversation,
        settled: (c) => (c.assigneeId ? null : { done: "already_unassigned", conversation: c.id }),
      });
      if (!("checked" in found)) return found;
      const { conversation } = found;
      // A closed conversation keeps its holder (the history and summaries say who closed it).
      if (conversation.status !== "open") return { refused: "closed", conversation: conversation.id };
      // The store remembers whom it was taken from: routing gives it to someone else who is free
      // (or it waits), never straight back to them; they can still Claim it or be assigned it.
      const moved = await moveAssignee(tx, conversation, null, { reason: "manual", actorId: actor.userId });
      if (!moved) return { refused: "changed_meanwhile", conversation: conversation.id };
      return {
        done: "unassigned",
        conversation: conversation.id,
        went: await whereItWent(tx, deps, conversation.id),
      };
    });

  const reassignAll = (actor: Actor, input: { from: string; to: string }) =>
    deps.store.transaction(async (tx): Promise<Answer> => {
      const auth = await authorize(tx, deps, actor.userId, "reassign_bulk");
      if ("refused" in auth) return auth;
      const from = await tx.agents.bySlackId(input.from);
      if (!from) return { refused: "not_an_agent", person: input.from };
      const to = await agentOrRefusal(tx, input.to, { kind: "admin_can_add" });
      if ("refused" in to) return to;
      if (from.id === to.id) return { refused: "same_person" };
      const movedIds: number[] = [];
      for (const c of await tx.conversations.openOf(from.id))
        if (
          await moveAssignee(tx, c, to, {
            reason: "bulk",
            actorId: actor.userId,
            expectedFrom: from.id,
            notify: false,
          })
        )
          movedIds.push(c.id);
      if (!movedIds.length) return { done: "nothing_to_move", from: input.from };
      if (input.to !== actor.userId)
        await enqueueMovedDm(tx, {
          userId: input.to,
          conversationIds: movedIds,
          fromUserId: input.from,
        });
      return {
        done: "moved_all",
        count: movedIds.length,
        from: input.from,
        to: input.to,
        headsUp: headsUp(to, movedIds.length),
      };
    });

  return { assign, unassign, reassignAll };
}

/**
 * Routes a conversation just put back, and says where it went: to an agent at once, or back in
 * the queue (waiting for a busy hero, or for anyone). Shared by unassign and agent remove.
 */
export async function whereItWent(
  tx: Repositories,
  deps: DeskDeps,
  conversationId: number,
): Promise<WhereItWent> {
  await deps.routeNow?.(tx, conversationId);
  const after = await tx.conversations.get(conversationId);
  const holder = after?.assigneeId ? await tx.agents.get(after.assigneeId) : null;
  if (holder) return { to: holder.slackUserId };
  return { waits: after?.heroWaitUntil ? "hero" : "anyone" };
}
