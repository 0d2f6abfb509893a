// Reminders and escalation on response targets: a wait at risk (75% of its target) is told to
// the assignee, or to the source's subscribers while nobody holds it; a breached one to the
// source's escalation channel; with targets.reassignAfter, still unanswered that much later, it is
// taken from its assignee and routed again. Each step is an outbox job due at its instant (durable,
// so a restart keeps it), runs once per conversation, clock and instant, and does nothing once an
// agent answered (the clock it was set for no longer runs) or a new priority or tag moved it.
import type { SourceConfig } from "../config.ts";
import { addBusinessMs } from "../core/business-hours.ts";
import type { Conversation } from "../core/domain.ts";
import { atRiskAt, runningTarget, type TargetSettings } from "../core/response-targets.ts";
import type { Facts } from "../core/triage.ts";
import type { JobHandlers } from "../outbox/handler.ts";
import { enqueueAgentDm, enqueueCardUpdate, enqueueRouting, enqueueTargetChecks } from "../outbox/jobs.ts";
import type { Repositories, Store } from "../store/index.ts";
import { moveAssignee } from "./assignment.ts";
import { factsOf } from "./conversation-facts.ts";
import { sourceSettingsOnly, type TargetSettingsOf } from "./target-settings.ts";

/**
 * Sets the steps of the clock running on `conversation` (it just started, or a new priority or
 * tag changed its target), if its source has a target.
 */
export async function scheduleTargetChecks(
  tx: Repositories,
  settings: TargetSettings | undefined,
  conversation: Conversation,
  facts: Facts,
) {
  const running = runningTarget(settings, conversation, facts);
  if (!running) return;
  await enqueueTargetChecks(tx, conversation.id, running.clock.since, stepInstants(settings, running));
}

/** When each step of a running clock falls: at risk, due (breached), and the reassign step. */
function stepInstants(
  settings: TargetSettings | undefined,
  running: NonNullable<ReturnType<typeof runningTarget>>,
): Record<"atRisk" | "due" | "reassign", Date | null> {
  const hours = settings?.businessHours ?? null;
  const reassignAfter = settings?.targets?.reassignAfter;
  return {
    atRisk: atRiskAt(hours, running.clock),
    due: running.due,
    reassign: running.due && reassignAfter ? addBusinessMs(hours, running.due, reassignAfter) : null,
  };
}

const STEP_INSTANT = { at_risk: "atRisk", breached: "due", reassign: "reassign" } as const;

export function createResponseReminders(deps: {
  store: Store;
  sources: ReadonlyMap<string, SourceConfig>;
  targetSettings?: TargetSettingsOf;
}) {
  const settingsOf = deps.targetSettings ?? sourceSettingsOnly(deps.sources);
  const check: JobHandlers["targets.check"] = {
    retry: () => ({ initialDelayMs: 1000, maxDelayMs: 60_000 }),
    async perform({ conversationId, since, step, at }) {
      await deps.store.transaction(async (tx) => {
        const conversation = await tx.conversations.get(conversationId);
        if (!conversation) return;
        const source = deps.sources.get(conversation.sourceId);
        const { customer, facts } = await factsOf(tx, conversation);
        const settings = await settingsOf(tx, conversation.sourceId, { hero: customer.hero, facts });
        const running = runningTarget(settings, conversation, facts);
        // Answered since, closed, or a new clock: this step was for a wait that is over.
        if (!source || !running || running.clock.since.getTime() !== since) return;
        // A new priority or tag moved the step: the one set for its new instant does it.
        const instant = stepInstants(settings, running)[STEP_INSTANT[step]];
        if (at !== undefined && instant?.getTime() !== at) return;
        // The card shows the wait's state: at risk, then breached.
        await enqueueCardUpdate(tx, conversation);
        const job = {
          conversationId,
          kind: step === "reassign" ? ("reassigned" as const) : step,
          target: running.clock.kind,
          ...(running.due ? { due: running.due.getTime() } : {}),
        };
        if (step === "breached") {
          if (source.escalationChannel)
            await enqueueAgentDm(tx, { ...job, userId: source.escalationChannel });
          return;
        }
        const holder = conversation.assigneeId ? await tx.agents.get(conversation.assigneeId) : null;
        if (step === "reassign") {
          // Nobody holds it: it is in the queue already, where the breach was said.
          if (!holder) return;
          const moved = await moveAssignee(tx, conversation, null, {
            reason: "escalated",
            detail: `${running.clock.kind} response past its target`,
          });
          if (!moved) return;
          await enqueueRouting(tx, conversation.id);
          const told = { ...job, from: holder.slackUserId };
          await enqueueAgentDm(tx, { ...told, userId: holder.slackUserId });
          if (source.escalationChannel)
            await enqueueAgentDm(tx, { ...told, userId: source.escalationChannel });
          return;
        }
        const people = holder?.active
          ? [holder.slackUserId]
          : await tx.agents.subscribers(conversation.sourceId);
        for (const userId of people) await enqueueAgentDm(tx, { ...job, userId });
      });
    },
  };
  return { handlers: { "targets.check": check } satisfies Pick<JobHandlers, "targets.check"> };
}
