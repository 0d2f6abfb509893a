// What every /desk and button use case shares: who is acting, with what role, and the outcome
// shown to them (ephemeral text that says what happened or why not).
import type { SourceConfig } from "../config.ts";
import type { Agent, Conversation } from "../core/domain.ts";
import { type Action, can, effectiveRole, NOT_AN_AGENT } from "../core/permissions.ts";
import type { Repositories, Store } from "../store/index.ts";

export interface DeskDeps {
  store: Store;
  sources: ReadonlyMap<string, SourceConfig>;
  /** Bootstrap admins from the config file: always admins. */
  admins: readonly string[];
  managersCanSetHeroes: boolean;
  now?: () => Date;
  /**
   * Routes a conversation now, inside the caller's transaction (src/services/route-conversation.ts),
   * so that an answer can say where it went. Without it, routing runs after the commit.
   */
  routeNow?: (tx: Repositories, conversationId: number) => Promise<number>;
  /** The capacity `agent add` gives when none is named (config `defaultCapacity`; 0 = no limit). */
  defaultCapacity?: number;
}

export type Outcome = { ok: boolean; text: string };
export const done = (text: string): Outcome => ({ ok: true, text });
export const refused = (text: string): Outcome => ({ ok: false, text });
/** For a bootstrap admin who acts for themselves (status, subscriptions) without an agent record. */
export const ADD_YOURSELF_FIRST = refused("Add yourself as an agent first: `/desk agent add @you admin`.");

export interface ActingAgent {
  userId: string;
  agent: Agent | null;
}

/** The person's HeroDesk agent record (if active) and role; bootstrap admins are always admins. */
async function roleOf(tx: Repositories, deps: DeskDeps, userId: string) {
  const found = await tx.agents.bySlackId(userId);
  const agent = found?.active ? found : null;
  return { agent, role: effectiveRole(agent?.role ?? null, userId, deps.admins) };
}

/**
 * Checks on the server that `userId` may do `action` (on `conversation`), before anything moves.
 * Returns the acting agent, or the refusal to show them.
 */
export async function authorize(
  tx: Repositories,
  deps: DeskDeps,
  userId: string,
  action: Action,
  conversation?: Conversation,
): Promise<{ ok: true; actor: ActingAgent } | { ok: false; outcome: Outcome }> {
  const { agent, role } = await roleOf(tx, deps, userId);
  let assigneeUserId: string | null = null;
  if (conversation?.assigneeId)
    assigneeUserId = (await tx.agents.get(conversation.assigneeId))?.slackUserId ?? null;
  const verdict = can({ userId, role }, action, {
    assigneeUserId,
    managersCanSetHeroes: deps.managersCanSetHeroes,
  });
  if (!verdict.allowed) return { ok: false, outcome: refused(role ? verdict.reason : NOT_AN_AGENT) };
  return { ok: true, actor: { userId, agent } };
}

/**
 * `#42` → the conversation, or a refusal that says it does not exist. Someone who is not an agent
 * hears that first, so nobody outside the team can probe which conversations exist.
 */
export async function conversationOrRefusal(
  tx: Repositories,
  number: number,
  asker?: { deps: DeskDeps; userId: string },
): Promise<{ ok: true; conversation: Conversation } | { ok: false; outcome: Outcome }> {
  if (asker && !(await roleOf(tx, asker.deps, asker.userId)).role)
    return { ok: false, outcome: refused(NOT_AN_AGENT) };
  const conversation = await tx.conversations.get(number);
  return conversation
    ? { ok: true, conversation }
    : { ok: false, outcome: refused(`There is no conversation #${number}.`) };
}

export const mention = (userId: string) => `<@${userId}>`;
