// Routing: every new conversation, and the queue whenever capacity frees or someone comes online
// (SPEC section 4). Runs as outbox work in one lane, so decisions are durable, happen in order and
// never race for the same free slot; the inbound API only enqueues it.
import type { SourceConfig } from "../config.ts";
import type { Conversation } from "../core/domain.ts";
import { route } from "../core/routing.ts";
import type { JobHandlers } from "../outbox/handler.ts";
import { enqueueCardUpdate, enqueueHeroWaitOver } from "../outbox/jobs.ts";
import type { Repositories, Store } from "../store/index.ts";
import { moveAssignee } from "./assignment.ts";
import { withFacts } from "./conversation-facts.ts";

const ROUTING_RETRY = { initialDelayMs: 200, maxDelayMs: 30_000 };
/** How many queued conversations one pass looks at (urgent and high first, then the oldest). */
const QUEUE_PASS = 500;

export function createRouting(deps: {
  store: Store;
  sources: ReadonlyMap<string, SourceConfig>;
  now?: () => Date;
}) {
  const now = deps.now ?? (() => new Date());

  /**
   * Routes `only` (a new conversation) or the whole queue; returns how many were assigned.
   * `fromQueue`: `only` is one put back in the queue (unassign), recorded as assigned from it.
   */
  async function routeQueue(tx: Repositories, only?: number, fromQueue = false): Promise<number> {
    const queue = only
      ? [await tx.conversations.get(only)].filter(isQueued)
      : await tx.conversations.queue(QUEUE_PASS);
    if (!queue.length) return 0;
    const roster = await tx.agents.onlineRoster();
    const { agents, teams, rules } = roster;
    // The roster's agents are routing's: each assignment below counts on them as it is made.
    const routingAgents = new Map(agents.map((a) => [a.id, a]));
    let assigned = 0;
    for (const { conversation, customer, facts } of await withFacts(tx, queue)) {
      const at = now();
      const decision = route({
        agents: routingAgents,
        teams,
        rules,
        facts,
        hero: customer.hero,
        now: at,
        heroWaitSeconds: deps.sources.get(conversation.sourceId)?.heroWaitSeconds ?? 300,
        heroWaitUntil: conversation.heroWaitUntil,
        // Unassigned on purpose: not straight back to the agent it was taken from.
        notTo: conversation.unassignedFromId,
      });
      if (decision.kind === "assign") {
        const chosen = routingAgents.get(decision.agentId)!;
        // A queued conversation that finally found someone was assigned by the queue.
        const reason = (only && !fromQueue) || decision.reason === "hero" ? decision.reason : "queue";
        const moved = await moveAssignee(tx, conversation, chosen, {
          reason,
          expectedFrom: null,
          at,
          ...(decision.rule ? { detail: ruleText(decision.rule) } : {}),
        });
        if (moved) {
          chosen.openCount++;
          chosen.lastAssignedAt = at;
          assigned++;
        }
      } else if (decision.kind === "queue" && decision.rule && only && !fromQueue) {
        // A new conversation that waits for the team its rule names: the history says which.
        await tx.events.record({
          kind: "queue",
          conversationId: conversation.id,
          toTeamId: decision.teamId ?? null,
          reason: "rule",
          detail: ruleText(decision.rule),
          at,
        });
      } else if (decision.kind === "wait_for_hero" && !conversation.heroWaitUntil) {
        const waiting = await tx.conversations.update(conversation.id, { heroWaitUntil: decision.until }, at);
        await enqueueHeroWaitOver(tx, conversation.id, decision.until);
        await enqueueCardUpdate(tx, waiting);
      }
    }
    // Each assignment is counted in the roster as it was saved: the next routing may start from it.
    await tx.agents.keepRoster(roster);
    return assigned;
  }

  const routeHandler: JobHandlers["routing.route"] = {
    retry: () => ROUTING_RETRY,
    async perform({ conversationId }) {
      await deps.store.transaction((tx) => routeQueue(tx, conversationId));
    },
  };

  const heroWaitOverHandler: JobHandlers["routing.hero_wait_over"] = {
    retry: () => ROUTING_RETRY,
    async perform({ conversationId }) {
      await deps.store.transaction(async (tx) => {
        const conversation = await tx.conversations.get(conversationId);
        if (!isQueued(conversation)) return;
        await routeQueue(tx, conversationId);
        const after = await tx.conversations.get(conversationId);
        // Nobody took it: the card no longer says it waits for the hero.
        if (after && !after.assigneeId) await enqueueCardUpdate(tx, after);
      });
    },
  };

  const handlers: Pick<JobHandlers, "routing.route" | "routing.hero_wait_over"> = {
    "routing.route": routeHandler,
    "routing.hero_wait_over": heroWaitOverHandler,
  };
  return { routeQueue, handlers };
}

/** "language = es", as the history shows a rule. */
export const ruleText = (r: { attribute: string; value: string }) => `${r.attribute} = ${r.value}`;

function isQueued(c: Conversation | null | undefined): c is Conversation {
  return Boolean(c && c.status === "open" && c.assigneeId === null);
}
