// Who may act, and on what: the checks every /desk command and button runs before anything moves,
// in one fixed order. The order decides what someone may learn from a refusal:
//   1. someone who is not an agent hears only that (never whether #42 exists);
//   2. an action that does not depend on the conversation (managers assign) is checked next, so an
//      agent does not learn whether #42 exists from a manager's command;
//   3. the conversation is looked up;
//   4. a state any agent may see and the action would not change ("#42 is already closed" for
//      close, "already unassigned") is answered, when the use case names one (`settled`);
//   5. an action open to the conversation's assignee (close, reopen, hero reassign) is checked
//      against who holds it.
// What a use case checks after these (closed, for claim and hero reassign) comes after the
// permission: someone who may not act hears that first.
import type { Agent, Conversation } from "../core/domain.ts";
import { ACTION_ROLES, type Action, can, effectiveRole } from "../core/permissions.ts";
import type { Repositories } from "../store/index.ts";
import type { DeskDeps } from "./desk-deps.ts";
import type { Answer, Refusal } from "./results.ts";

export interface Acting {
  userId: string;
  /** Null for a bootstrap admin (config file) who has not added themselves as an agent. */
  agent: Agent | null;
}

/**
 * The person as HeroDesk knows them (check 1), and the question of check 2 or 5 for them: may they
 * do `action` when `assigneeUserId` holds the conversation? Bootstrap admins are always admins.
 */
async function actorOf(
  tx: Repositories,
  deps: DeskDeps,
  userId: string,
  action: Action,
): Promise<Refusal | { actor: Acting; permitted: (assigneeUserId: string | null) => Refusal | null }> {
  const found = await tx.agents.bySlackId(userId);
  const agent = found?.active ? found : null;
  const role = effectiveRole(agent?.role ?? null, userId, deps.admins);
  if (!role) return { refused: "not_an_agent_yet" };
  const permitted = (assigneeUserId: string | null): Refusal | null => {
    const verdict = can({ userId, role }, action, {
      assigneeUserId,
      managersCanSetHeroes: deps.managersCanSetHeroes,
    });
    return verdict.allowed ? null : { refused: "not_allowed", reason: verdict.reason };
  };
  return { actor: { userId, agent }, permitted };
}

/** Passed every check: who acts, on which conversation. */
export interface Checked {
  checked: true;
  actor: Acting;
  conversation: Conversation;
}

/** Checks 1 and 2 for an action that is not about one conversation. */
export async function authorize(
  tx: Repositories,
  deps: DeskDeps,
  userId: string,
  action: Action,
): Promise<Acting | Refusal> {
  const found = await actorOf(tx, deps, userId, action);
  if ("refused" in found) return found;
  return found.permitted(null) ?? found.actor;
}

/**
 * Checks 1 to 5 for an action on conversation #n. `settled` answers a state any agent may see
 * (check 4): "#42 is already closed".
 */
export async function onConversation(
  tx: Repositories,
  deps: DeskDeps,
  input: {
    userId: string;
    action: Action;
    conversation: number;
    settled?: (c: Conversation) => Answer | null;
  },
): Promise<Checked | Answer> {
  const found = await actorOf(tx, deps, input.userId, input.action);
  if ("refused" in found) return found;
  const byAssignee = ACTION_ROLES[input.action].assignee;
  const early = byAssignee ? null : found.permitted(null);
  if (early) return early;
  const conversation = await tx.conversations.get(input.conversation);
  if (!conversation) return { refused: "no_conversation", conversation: input.conversation };
  const settled = input.settled?.(conversation);
  if (settled) return settled;
  if (byAssignee) {
    const assignee = conversation.assigneeId ? await tx.agents.get(conversation.assigneeId) : null;
    const late = found.permitted(assignee?.slackUserId ?? null);
    if (late) return late;
  }
  return { checked: true, actor: found.actor, conversation };
}

/** Runs `fn` in a transaction once `userId` may do `action` (checks 1 and 2). */
export function allowed<A extends Answer>(
  deps: DeskDeps,
  action: Action,
  userId: string,
  fn: (tx: Repositories, actor: Acting) => Promise<A>,
): Promise<A | Refusal> {
  return deps.store.transaction(async (tx) => {
    const actor = await authorize(tx, deps, userId, action);
    return "refused" in actor ? actor : fn(tx, actor);
  });
}
