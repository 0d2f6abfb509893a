// Reminders and escalation on response targets: a wait at risk (75% of its target) is told to
// the assignee, or to the source's subscribers while nobody holds it; a breached one to the
// source's escalation channel. Each step is an outbox job due at its instant (durable, so a
// restart keeps it), runs once per conversation, clock and instant, and does nothing once an
// agent answered (the clock it was set for no longer runs) or a new priority or tag moved it.
import type { SourceConfig } from "../config.ts";
import type { Conversation } from "../core/domain.ts";
import { atRiskAt, runningTarget } from "../core/response-targets.ts";
import type { Facts } from "../core/triage.ts";
import type { JobHandlers } from "../outbox/handler.ts";
import { enqueueAgentDm, enqueueCardUpdate, enqueueTargetChecks } from "../outbox/jobs.ts";
import type { Repositories, Store } from "../store/index.ts";
import { factsOf } from "./conversation-facts.ts";

/**
 * Sets the steps of the clock running on `conversation` (it just started, or a new priority or
 * tag changed its target), if its source has a target.
 */
export async function scheduleTargetChecks(
  tx: Repositories,
  source: SourceConfig,
  conversation: Conversation,
  facts: Facts,
) {
  const running = runningTarget(source, conversation, facts);
  if (!running) return;
  await enqueueTargetChecks(tx, conversation.id, running.clock.since, {
    atRisk: atRiskAt(source.businessHours ?? null, running.clock),
    due: running.due,
  });
}

export function createResponseReminders(deps: { store: Store; sources: ReadonlyMap<string, SourceConfig> }) {
  const check: JobHandlers["targets.check"] = {
    retry: () => ({ initialDelayMs: 1000, maxDelayMs: 60_000 }),
    async perform({ conversationId, since, step, at }) {
      await deps.store.transaction(async (tx) => {
        const conversation = await tx.conversations.get(conversationId);
        if (!conversation) return;
        const source = deps.sources.get(conversation.sourceId);
        const running = runningTarget(source, conversation, (await factsOf(tx, conversation)).facts);
        // Answered since, closed, or a new clock: this step was for a wait that is over.
        if (!source || !running || running.clock.since.getTime() !== since) return;
        // A new priority or tag moved the step: the one set for its new instant does it.
        const instant =
          step === "at_risk" ? atRiskAt(source.businessHours ?? null, running.clock) : running.due;
        if (at !== undefined && instant?.getTime() !== at) return;
        // The card shows the wait's state: at risk, then breached.
        await enqueueCardUpdate(tx, conversation);
        const job = {
          conversationId,
          kind: step,
          target: running.clock.kind,
          ...(running.due ? { due: running.due.getTime() } : {}),
        };
        if (step === "breached") {
          if (source.escalationChannel)
            await enqueueAgentDm(tx, { ...job, userId: source.escalationChannel });
          return;
        }
        const holder = conversation.assigneeId ? await tx.agents.get(conversation.assigneeId) : null;
        const people = holder?.active
          ? [holder.slackUserId]
          : await tx.agents.subscribers(conversation.sourceId);
        for (const userId of people) await enqueueAgentDm(tx, { ...job, userId });
      });
    },
  };
  return { handlers: { "targets.check": check } satisfies Pick<JobHandlers, "targets.check"> };
}
