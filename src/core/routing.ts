// Who gets a new conversation (SPEC section 4). Pure: the service loads the agents, teams, rules
// and the customer's hero, asks here, and saves the answer.
import type { Agent, Hero, Rule, Team } from "./domain.ts";
import { type Facts, factsMatch } from "./triage.ts";

/** An agent as routing sees them. `capacity`: maximum open conversations; 0 means unlimited. */
export type RoutingAgent = Pick<Agent, "id" | "status" | "capacity" | "openCount" | "lastAssignedAt">;

export type RoutingTeam = Pick<Team, "id" | "name" | "memberIds">;

export type RoutingRule = Pick<Rule, "attribute" | "value" | "teamId">;

export interface RoutingInput {
  /** Active agents by id (a hero or a team's members are found without a scan of everyone). */
  agents: ReadonlyMap<number, RoutingAgent>;
  teams: RoutingTeam[];
  /** In the order they apply: the first match wins. */
  rules: RoutingRule[];
  /** What rules match: the customer's attributes and the conversation's tags and priority. */
  facts: Facts;
  hero: Hero | null;
  now: Date;
  /** The source's hero timeout. */
  heroWaitSeconds: number;
  /** Set when the conversation already waits for its busy hero. */
  heroWaitUntil: Date | null;
  /**
   * An agent routing must not pick: the one a person just took this conversation from
   * (`/desk unassign`). Skipped by the hero rule (their being the hero does not hand it back: the
   * rest of a team hero, else normal routing) and by normal routing; with nobody else free, the
   * conversation waits in the queue. A Claim or a manual assign is not routing and may still pick them.
   */
  notTo?: number | null;
}

export type RoutingReason = "hero" | "rule" | "routed";

export type RoutingDecision =
  | { kind: "assign"; agentId: number; reason: RoutingReason; teamId?: number; rule?: RoutingRule }
  | { kind: "wait_for_hero"; until: Date }
  | { kind: "queue"; teamId?: number; rule?: RoutingRule };

export const hasFreeCapacity = (a: RoutingAgent) => a.capacity === 0 || a.openCount < a.capacity;
const freeCapacity = (a: RoutingAgent) =>
  a.capacity === 0 ? Number.POSITIVE_INFINITY : a.capacity - a.openCount;
const assignedAt = (a: RoutingAgent) => a.lastAssignedAt?.getTime() ?? Number.NEGATIVE_INFINITY;

/**
 * Fewest open conversations, then the one assigned longest ago, then the lowest id (stable).
 * `notTo`, when given, is never picked.
 */
export function fairest<A extends RoutingAgent>(
  candidates: Iterable<A>,
  notTo?: number | null,
): A | undefined {
  let best: A | undefined;
  let bestAt = 0;
  for (const a of candidates) {
    // The open count is compared first: at scale most agents lose on it alone.
    if (
      a.status !== "online" ||
      (best && a.openCount > best.openCount) ||
      !hasFreeCapacity(a) ||
      a.id === notTo
    )
      continue;
    const at = assignedAt(a);
    if (!best || a.openCount < best.openCount || at < bestAt || (at === bestAt && a.id < best.id)) {
      best = a;
      bestAt = at;
    }
  }
  return best;
}

/** A team hero: its online member with the most free capacity (ties as in normal routing). */
export function teamHeroPick<A extends RoutingAgent>(members: readonly A[]): A | undefined {
  let best: A | undefined;
  for (const a of members) {
    if (a.status !== "online" || !hasFreeCapacity(a)) continue;
    if (!best) {
      best = a;
      continue;
    }
    const fa = freeCapacity(a);
    const fb = freeCapacity(best);
    if (fa > fb || (fa === fb && fairest([a, best]) === a)) best = a;
  }
  return best;
}

export function route(input: RoutingInput): RoutingDecision {
  return routeToHero(input) ?? routeNormally(input);
}

/** The agents with these ids, looked up one by one (a team is small; everyone may be 20,000). */
function agentsIn<A extends RoutingAgent>(agents: ReadonlyMap<number, A>, ids: readonly number[]): A[] {
  const found: A[] = [];
  for (const id of ids) {
    const a = agents.get(id);
    if (a) found.push(a);
  }
  return found;
}

/** The agents a hero stands for, of `agents`: the agent, or the team's members. */
export function heroAgents<A extends RoutingAgent>(
  hero: Hero,
  teams: readonly RoutingTeam[],
  agents: ReadonlyMap<number, A>,
): A[] {
  const ids =
    hero.kind === "agent" ? [hero.agentId] : (teams.find((t) => t.id === hero.teamId)?.memberIds ?? []);
  return agentsIn(agents, ids);
}

/** The hero's answer, or null for normal routing. */
function routeToHero(input: RoutingInput): RoutingDecision | null {
  const { hero } = input;
  if (!hero) return null;
  // The agent it was just taken from is not the hero for it now: a team hero is its other members.
  const online = heroAgents(hero, input.teams, input.agents).filter(
    (a) => a.status === "online" && a.id !== input.notTo,
  );
  // Hero offline or away (a team: nobody online): normal routing at once.
  if (!online.length) return null;
  const pick = teamHeroPick(online);
  if (pick) return { kind: "assign", agentId: pick.id, reason: "hero" };
  // Online but at capacity: wait for capacity to free, up to the source's timeout.
  const until = input.heroWaitUntil ?? new Date(input.now.getTime() + input.heroWaitSeconds * 1000);
  if (input.now.getTime() < until.getTime()) return { kind: "wait_for_hero", until };
  return null;
}

function routeNormally(input: RoutingInput): RoutingDecision {
  const rule = matchingRule(input.rules, input.facts);
  if (rule) {
    const team = input.teams.find((t) => t.id === rule.teamId);
    const pick = fairest(agentsIn(input.agents, team?.memberIds ?? []), input.notTo);
    // A rule names the team that can serve this customer (their language, their plan): when
    // nobody there is free, the conversation waits for that team rather than going elsewhere.
    return pick
      ? { kind: "assign", agentId: pick.id, reason: "rule", teamId: rule.teamId, rule }
      : { kind: "queue", teamId: rule.teamId, rule };
  }
  const pick = fairest(input.agents.values(), input.notTo);
  return pick ? { kind: "assign", agentId: pick.id, reason: "routed" } : { kind: "queue" };
}

/** The first rule that holds (src/core/triage.ts factsMatch: "ES" matches "es", any tag). */
export function matchingRule<R extends RoutingRule>(rules: readonly R[], facts: Facts): R | undefined {
  return rules.find((r) => factsMatch(facts, r));
}
