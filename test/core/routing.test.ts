// SPEC section 4, one named case per seed.
import { describe, expect, it } from "vitest";
import { type RoutingAgent, type RoutingDecision, type RoutingInput, route } from "../../src/core/routing.ts";
import { conversationFacts, type Triage } from "../../src/core/triage.ts";

const now = new Date("2026-11-21T10:00:00Z");
const ago = (min: number) => new Date(now.getTime() - min * 60_000);
const agent = (id: number, over: Partial<RoutingAgent> = {}): RoutingAgent => ({
  id,
  status: "online",
  capacity: 3,
  openCount: 0,
  lastAssignedAt: null,
  ...over,
});
/** The cases list agents (routing takes them by id), the customer's attributes and the triage. */
const base = ({
  agents = [agent(1), agent(2, { openCount: 1 }), agent(3, { openCount: 2 })],
  attributes = {},
  triage,
  ...over
}: Omit<Partial<RoutingInput>, "agents"> & {
  agents?: RoutingAgent[];
  attributes?: Record<string, string>;
  triage?: Triage;
} = {}): RoutingInput => ({
  agents: new Map(agents.map((a) => [a.id, a])),
  facts: conversationFacts(attributes, triage),
  teams: [
    { id: 10, name: "Spanish", memberIds: [2, 3] },
    { id: 20, name: "VIP", memberIds: [4, 5, 6] },
  ],
  rules: [{ attribute: "language", value: "es", teamId: 10 }],
  hero: null,
  now,
  heroWaitSeconds: 300,
  heroWaitUntil: null,
  ...over,
});
const assign = (agentId: number, reason: "hero" | "rule" | "routed", teamId?: number): RoutingDecision => ({
  kind: "assign",
  agentId,
  reason,
  ...(teamId ? { teamId, rule: RULES[teamId]! } : {}),
});
/** The rule that routes to each team in these cases (the decision names the rule that matched). */
const RULES: Record<number, { attribute: string; value: string; teamId: number }> = {
  10: { attribute: "language", value: "es", teamId: 10 },
  20: { attribute: "plan", value: "enterprise", teamId: 20 },
};

const cases: [string, RoutingInput, RoutingDecision][] = [
  ["no hero: the online agent with the fewest open conversations", base(), assign(1, "routed")],
  [
    "no hero, tie on open: the one assigned longest ago",
    base({
      agents: [
        agent(1, { lastAssignedAt: ago(1) }),
        agent(2, { lastAssignedAt: ago(30) }),
        agent(3, { lastAssignedAt: ago(5) }),
      ],
    }),
    assign(2, "routed"),
  ],
  [
    "no hero, tie on open: never assigned counts as longest ago",
    base({ agents: [agent(1, { lastAssignedAt: ago(1) }), agent(2)] }),
    assign(2, "routed"),
  ],
  [
    "no hero: fewer open wins over assigned longer ago, whatever the order they are listed in",
    base({
      agents: [
        agent(5, { openCount: 2, lastAssignedAt: ago(90) }),
        agent(4, { openCount: 1, lastAssignedAt: ago(2) }),
        agent(3, { openCount: 2 }),
        agent(2, { openCount: 1, lastAssignedAt: ago(40) }),
        agent(1, { openCount: 1, lastAssignedAt: ago(3) }),
      ],
    }),
    assign(2, "routed"),
  ],
  [
    "no hero, tie on open and on never assigned: the lowest id",
    base({ agents: [agent(9, { openCount: 1 }), agent(7, { openCount: 1 }), agent(8, { openCount: 1 })] }),
    assign(7, "routed"),
  ],
  [
    "no hero: away, offline and full agents are skipped",
    base({
      agents: [
        agent(1, { status: "away" }),
        agent(2, { status: "offline" }),
        agent(3, { openCount: 3 }),
        agent(4, { openCount: 2 }),
      ],
    }),
    assign(4, "routed"),
  ],
  [
    "no hero: capacity 0 is unlimited",
    base({ agents: [agent(1, { capacity: 0, openCount: 50 })] }),
    assign(1, "routed"),
  ],
  [
    "no hero, nobody free: the queue",
    base({ agents: [agent(1, { openCount: 3 }), agent(2, { status: "away" })] }),
    { kind: "queue" },
  ],
  ["rule: the first matching rule's team", base({ attributes: { language: "ES" } }), assign(2, "rule", 10)],
  [
    "rule: the first match wins over later ones",
    base({
      attributes: { language: "es", plan: "enterprise" },
      rules: [
        { attribute: "plan", value: "enterprise", teamId: 20 },
        { attribute: "language", value: "es", teamId: 10 },
      ],
      agents: [agent(1), agent(2), agent(4, { openCount: 2 })],
    }),
    assign(4, "rule", 20),
  ],
  [
    "rule: nobody free in the team, the conversation waits for that team",
    base({
      attributes: { language: "es" },
      agents: [agent(1), agent(2, { openCount: 3 }), agent(3, { status: "offline" })],
    }),
    { kind: "queue", teamId: 10, rule: RULES[10]! },
  ],
  ["rule: no match, all agents", base({ attributes: { language: "de" } }), assign(1, "routed")],
  [
    "rule on a tag: any of the conversation's tags matches",
    base({
      rules: [{ attribute: "tag", value: "Billing", teamId: 20 }],
      triage: { tags: ["refund", "billing"], priority: "normal" },
      agents: [agent(1), agent(5)],
    }),
    {
      kind: "assign",
      agentId: 5,
      reason: "rule",
      teamId: 20,
      rule: { attribute: "tag", value: "Billing", teamId: 20 },
    },
  ],
  [
    "rule on the priority: an urgent conversation goes to its team before a language rule",
    base({
      rules: [
        { attribute: "priority", value: "urgent", teamId: 20 },
        { attribute: "language", value: "es", teamId: 10 },
      ],
      attributes: { language: "es" },
      triage: { tags: [], priority: "urgent" },
      agents: [agent(2), agent(4)],
    }),
    {
      kind: "assign",
      agentId: 4,
      reason: "rule",
      teamId: 20,
      rule: { attribute: "priority", value: "urgent", teamId: 20 },
    },
  ],
  [
    "rule on a tag the conversation does not have: the next rule",
    base({
      rules: [
        { attribute: "tag", value: "billing", teamId: 20 },
        { attribute: "language", value: "es", teamId: 10 },
      ],
      attributes: { language: "es" },
      triage: { tags: ["shipping"], priority: "high" },
    }),
    assign(2, "rule", 10),
  ],
  [
    "hero offline: normal routing at once",
    base({ hero: { kind: "agent", agentId: 3 }, agents: [agent(1), agent(3, { status: "offline" })] }),
    assign(1, "routed"),
  ],
  [
    "hero away: normal routing at once",
    base({ hero: { kind: "agent", agentId: 3 }, agents: [agent(1), agent(3, { status: "away" })] }),
    assign(1, "routed"),
  ],
  [
    "hero online with capacity: the hero gets it",
    base({ hero: { kind: "agent", agentId: 3 } }),
    assign(3, "hero"),
  ],
  [
    "hero online with capacity beats a matching rule",
    base({ hero: { kind: "agent", agentId: 1 }, attributes: { language: "es" } }),
    assign(1, "hero"),
  ],
  [
    "hero online at capacity: wait up to the source's timeout",
    base({ hero: { kind: "agent", agentId: 3 }, agents: [agent(1), agent(3, { openCount: 3 })] }),
    { kind: "wait_for_hero", until: new Date(now.getTime() + 300_000) },
  ],
  [
    "hero at capacity, still within the wait: keep waiting",
    base({
      hero: { kind: "agent", agentId: 3 },
      agents: [agent(1), agent(3, { openCount: 3 })],
      heroWaitUntil: new Date(now.getTime() + 1000),
    }),
    { kind: "wait_for_hero", until: new Date(now.getTime() + 1000) },
  ],
  [
    "hero at capacity, capacity freed in time: the hero gets it",
    base({
      hero: { kind: "agent", agentId: 3 },
      agents: [agent(1), agent(3, { openCount: 2 })],
      heroWaitUntil: new Date(now.getTime() + 1000),
    }),
    assign(3, "hero"),
  ],
  [
    "hero at capacity, the wait is over: normal routing",
    base({
      hero: { kind: "agent", agentId: 3 },
      agents: [agent(1), agent(3, { openCount: 3 })],
      heroWaitUntil: now,
    }),
    assign(1, "routed"),
  ],
  [
    "team hero: the available member with the most free capacity",
    base({
      hero: { kind: "team", teamId: 20 },
      agents: [
        agent(1),
        agent(4, { capacity: 5, openCount: 1 }),
        agent(5, { capacity: 10, openCount: 4 }),
        agent(6, { status: "away", capacity: 0 }),
      ],
    }),
    assign(5, "hero"),
  ],
  [
    "team hero: unlimited capacity is the most free",
    base({
      hero: { kind: "team", teamId: 20 },
      agents: [agent(4, { capacity: 10 }), agent(5, { capacity: 0, openCount: 9 })],
    }),
    assign(5, "hero"),
  ],
  [
    "team hero, nobody online: normal routing at once",
    base({ hero: { kind: "team", teamId: 20 }, agents: [agent(1), agent(4, { status: "offline" })] }),
    assign(1, "routed"),
  ],
  [
    "team hero, online but all full: wait",
    base({
      hero: { kind: "team", teamId: 20 },
      agents: [agent(1), agent(4, { openCount: 3 }), agent(5, { openCount: 3 })],
    }),
    { kind: "wait_for_hero", until: new Date(now.getTime() + 300_000) },
  ],
  [
    "hero removed from HeroDesk (inactive): normal routing",
    base({ hero: { kind: "agent", agentId: 99 } }),
    assign(1, "routed"),
  ],
  [
    "unassigned from an agent: normal routing skips them, though they are the fairest",
    base({ notTo: 1 }),
    assign(2, "routed"),
  ],
  [
    "unassigned from an agent, nobody else free: the queue",
    base({ notTo: 1, agents: [agent(1), agent(2, { openCount: 3 }), agent(3, { status: "away" })] }),
    { kind: "queue" },
  ],
  [
    "unassigned from an agent: a rule's team skips them; nobody else there, the team's queue",
    base({ notTo: 2, attributes: { language: "es" }, agents: [agent(1), agent(2)] }),
    { kind: "queue", teamId: 10, rule: RULES[10]! },
  ],
  [
    "unassigned from an agent: a rule's team gives it to another member",
    base({
      notTo: 2,
      attributes: { language: "es" },
      agents: [agent(2), agent(3, { openCount: 2 })],
    }),
    assign(3, "rule", 10),
  ],
  [
    "unassigned from the hero: the hero rule does not hand it back, normal routing instead",
    base({ notTo: 1, hero: { kind: "agent", agentId: 1 }, agents: [agent(1), agent(2, { openCount: 2 })] }),
    assign(2, "routed"),
  ],
  [
    "unassigned from the hero, nobody else free: the queue, not a wait for the hero",
    base({ notTo: 1, hero: { kind: "agent", agentId: 1 }, agents: [agent(1), agent(2, { openCount: 3 })] }),
    { kind: "queue" },
  ],
  [
    "unassigned from a team hero's member: the team's other member gets it",
    base({
      notTo: 5,
      hero: { kind: "team", teamId: 20 },
      agents: [agent(1), agent(4, { capacity: 5, openCount: 1 }), agent(5, { capacity: 10 })],
    }),
    assign(4, "hero"),
  ],
  [
    "unassigned from a team hero's only online member: normal routing",
    base({
      notTo: 5,
      hero: { kind: "team", teamId: 20 },
      agents: [agent(1), agent(4, { status: "offline" }), agent(5)],
    }),
    assign(1, "routed"),
  ],
  [
    "unassigned from an agent who is not online or not in the roster: routing as usual",
    base({ notTo: 99 }),
    assign(1, "routed"),
  ],
];

describe("route", () => {
  it.each(cases)("%s", (_name, input, decision) => {
    expect(route(input)).toEqual(decision);
  });
});
