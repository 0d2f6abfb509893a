// An agent sets their own availability. Going offline keeps their open conversations (they stay
// theirs; managers can move them with `/desk reassign`); coming online takes from the queue.
import type { Availability } from "../core/domain.ts";
import { type TargetNow, targetNow } from "../core/response-targets.ts";
import type { Triage } from "../core/triage.ts";
import { enqueueHomeRefresh, enqueueQueueCheck } from "../outbox/jobs.ts";
import { withFacts } from "./conversation-facts.ts";
import { type Actor, type DeskDeps, linkOf } from "./desk-deps.ts";
import { allowed } from "./guard.ts";
import type { Answer } from "./results.ts";
import { sourceSettingsOnly } from "./target-settings.ts";

/** One of the person's open conversations, as `/desk status` lists it. */
export interface MyConversation {
  conversation: number;
  customer: string;
  source: string;
  /** How long the customer has waited for an answer; null when an agent answered last. */
  waitedMs: number | null;
  target: TargetNow | null;
  triage: Triage;
  /** Its thread in Slack. */
  link: string | null;
}

/** How many of their open conversations `/desk status` lists. */
const STATUS_LINES = 20;

export type Availabilities =
  | {
      done: "availability";
      status: Availability;
      open: number;
      capacity: number;
      /** Oldest first, at most STATUS_LINES. */
      conversations: MyConversation[];
    }
  | { done: "availability_set"; status: Availability; open: number };

/** `/desk status`: where the person stands, and how to change it. */
export function createShowAvailability(deps: DeskDeps) {
  const settingsOf = deps.targetSettings ?? sourceSettingsOnly(deps.sources);
  return (actor: Actor): Promise<Answer> =>
    allowed(deps, "status", actor.userId, async (tx, { agent: me }): Promise<Answer> => {
      if (!me) return { refused: "add_yourself_first" };
      const now = deps.now?.() ?? new Date();
      const conversations: MyConversation[] = [];
      const mine = (await tx.conversations.openOf(me.id)).slice(0, STATUS_LINES);
      for (const { conversation: c, customer, tags, facts } of await withFacts(tx, mine)) {
        conversations.push({
          conversation: c.id,
          customer: customer.name,
          source: c.sourceId,
          waitedMs: c.waitingSince ? now.getTime() - c.waitingSince.getTime() : null,
          target: targetNow(await settingsOf(tx, c.sourceId, { hero: customer.hero, facts }), c, facts, now),
          triage: { priority: c.priority, tags },
          link: await linkOf(tx, deps, c.id),
        });
      }
      return {
        done: "availability",
        status: me.status,
        open: me.openCount,
        capacity: me.capacity,
        conversations,
      };
    });
}

export function createSetAvailability(deps: DeskDeps) {
  return (actor: Actor, input: { availability: Availability }): Promise<Answer> =>
    allowed(deps, "status", actor.userId, async (tx, { agent: me }): Promise<Answer> => {
      if (!me) return { refused: "add_yourself_first" };
      if (me.status !== input.availability) {
        await tx.agents.update(me.id, { status: input.availability });
        await enqueueHomeRefresh(tx, { agents: [me.id], team: true });
      }
      if (input.availability === "online") await enqueueQueueCheck(tx);
      return { done: "availability_set", status: input.availability, open: me.openCount };
    });
}
