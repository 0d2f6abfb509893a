// `/desk history #42`: every change of assignee and hero, the team it waited for, closes and
// reopens, with who, when and why; and `/desk queue`.
import { type TargetNow, targetNow } from "../core/response-targets.ts";
import { matchingRule } from "../core/routing.ts";
import type { Triage } from "../core/triage.ts";
import type { HistoryEntry } from "../store/events.ts";
import { withFacts } from "./conversation-facts.ts";
import { type Actor, type DeskDeps, linkOf } from "./desk-deps.ts";
import { allowed, onConversation } from "./guard.ts";
import type { Answer } from "./results.ts";
import { sourceSettingsOnly } from "./target-settings.ts";

/** One conversation of the queue. */
export interface QueuedConversation {
  conversation: number;
  customer: string;
  source: string;
  /** The customer's busy hero (until their wait is over), the team a rule sends it to, or anyone. */
  waitsFor: { hero: true } | { team: string } | { anyone: true };
  since: Date;
  waitedMs: number;
  /** The response target it waits under, when the source has one. */
  target: TargetNow | null;
  triage: Triage;
  /** Its thread in Slack. */
  link: string | null;
}

export type Histories =
  | { done: "history"; conversation: number; entries: HistoryEntry[] }
  | { done: "queue"; waiting: QueuedConversation[] };

/** How many conversations `/desk queue` lists. */
const QUEUE_LINES = 20;

export function createConversationHistory(deps: DeskDeps) {
  const settingsOf = deps.targetSettings ?? sourceSettingsOnly(deps.sources);
  const history = (actor: Actor, input: { conversation: number }): Promise<Answer> =>
    deps.store.transaction(async (tx) => {
      const found = await onConversation(tx, deps, {
        userId: actor.userId,
        action: "history",
        conversation: input.conversation,
      });
      if (!("checked" in found)) return found;
      const { conversation } = found;
      const entries = await tx.events.history(conversation.id, conversation.customerId);
      return { done: "history", conversation: conversation.id, entries };
    });

  const queue = (actor: Actor): Promise<Answer> =>
    allowed(deps, "queue", actor.userId, async (tx) => {
      const now = deps.now?.() ?? new Date();
      const rules = await tx.rules.list();
      const waiting: QueuedConversation[] = [];
      // Urgent first, then high, then the oldest (the store's order).
      for (const { conversation: c, customer, tags, facts } of await withFacts(
        tx,
        await tx.conversations.queue(QUEUE_LINES),
      )) {
        const rule = matchingRule(rules, facts);
        const since = c.waitingSince ?? c.createdAt;
        waiting.push({
          conversation: c.id,
          customer: customer.name,
          source: c.sourceId,
          waitsFor:
            c.heroWaitUntil !== null && c.heroWaitUntil > now
              ? { hero: true }
              : rule
                ? { team: rule.teamName }
                : { anyone: true },
          since,
          waitedMs: now.getTime() - since.getTime(),
          target: targetNow(await settingsOf(tx, c.sourceId, { hero: customer.hero, facts }), c, facts, now),
          triage: { priority: c.priority, tags },
          link: await linkOf(tx, deps, c.id),
        });
      }
      return { done: "queue", waiting };
    });

  return { history, queue };
}
