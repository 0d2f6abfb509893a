// Reads a period's response figures (issue 12, part 6) for summaries and App Home: the answers
// recorded in the period, the waits past due now, and the oldest wait, under each source's targets
// and business hours; src/core/response-figures.ts counts them.
import type { SourceConfig } from "../config.ts";
import {
  overdueWaits,
  pastDueSince,
  type ResponseFigures,
  responseFigures,
} from "../core/response-figures.ts";
import { shortestTarget, targetNow } from "../core/response-targets.ts";
import type { SummaryPeriod } from "../core/summary.ts";
import type { Repositories } from "../store/index.ts";

/** `known`: agents the caller has read already (their names are not read again). */
export async function readResponseFigures(
  tx: Repositories,
  sources: ReadonlyMap<string, SourceConfig>,
  period: SummaryPeriod,
  known: readonly { agentId: number; name: string; slackUserId: string }[] = [],
): Promise<ResponseFigures> {
  const at = period.until;
  const answered = await tx.reports.answeredWaits(period);
  // Sources whose overrides pick a target by the customer's attributes have their waits read one
  // by one (only those older than the shortest target can be past one); the others are counted by
  // the store against each target's latest start.
  const targeted = [...sources.values()].filter((s) => shortestTarget(s.targets) !== null);
  const byAttributes = targeted.filter((s) => s.targets!.overrides.length);
  const plain = targeted.filter((s) => !s.targets!.overrides.length);
  const shortest = Math.min(...byAttributes.map((s) => shortestTarget(s.targets)!));
  const waits = byAttributes.length
    ? await tx.reports.openWaits(
        byAttributes.map((s) => s.id),
        new Date(at.getTime() - shortest),
      )
    : [];
  const overdue = [
    ...overdueWaits(waits, (id) => sources.get(id), at),
    ...(await tx.reports.overdueCounts(plain.map((s) => ({ sourceId: s.id, ...pastDueSince(s, at) })))),
  ];

  const oldest = await tx.reports.oldestWaiting();
  const target = oldest
    ? targetNow(sources.get(oldest.sourceId), { status: "open", ...oldest }, oldest.attributes, at)
    : null;

  const names = new Map(known.map((a) => [a.agentId, { name: a.name, slackUserId: a.slackUserId }]));
  const unknown = new Set([...answered.map((a) => a.agentId), ...overdue.map((w) => w.assigneeId)]);
  for (const id of [null, ...names.keys()]) unknown.delete(id);
  for (const [id, who] of await tx.reports.agentNames([...unknown] as number[])) names.set(id, who);
  return responseFigures({
    answered,
    overdue,
    hasTargets: (id) => shortestTarget(sources.get(id)?.targets) !== null,
    agent: (id) => names.get(id),
    oldestWaiting: oldest && {
      conversationId: oldest.conversationId,
      customerName: oldest.customerName,
      sourceId: oldest.sourceId,
      channel: oldest.channel,
      threadTs: oldest.threadTs,
      waitingSince: oldest.waitingSince,
      assigneeSlackId: oldest.assigneeSlackId,
      target: target && { kind: target.kind, state: target.state },
    },
  });
}
