// Reads a period's response figures (issue 12, part 6) for summaries and App Home: the answers
// recorded in the period, the waits past due now, and the oldest wait, under each conversation's
// targets and business hours; src/core/response-figures.ts counts them.
import type { FileConfig, SourceConfig } from "../config.ts";
import {
  type OpenWait,
  overdueWaits,
  pastDueSince,
  type ResponseFigures,
  responseFigures,
} from "../core/response-figures.ts";
import { shortestTarget, targetNow } from "../core/response-targets.ts";
import type { SummaryPeriod } from "../core/summary.ts";
import { conversationFacts } from "../core/triage.ts";
import type { Repositories } from "../store/index.ts";
import type { WaitingRow } from "../store/reports.ts";
import { sourceSettingsOnly, type TargetSettingsOf } from "./target-settings.ts";

export interface ResponseFigureDeps {
  sources: ReadonlyMap<string, SourceConfig>;
  targetSettings?: TargetSettingsOf;
  /** Teams with hours of their own (config `teams`): a conversation may keep its team's hours. */
  teamHours?: FileConfig["teams"];
}

/**
 * Rules and teams listed once for many settings look-ups: each look-up lists both, and a backlog
 * of waits would list them once per wait.
 */
function listedOnce(tx: Repositories): Pick<Repositories, "rules" | "teams"> {
  const rules = tx.rules.list();
  const teams = tx.teams.list();
  return {
    rules: Object.assign(Object.create(tx.rules), { list: () => rules }),
    teams: Object.assign(Object.create(tx.teams), { list: () => teams }),
  };
}

/** Waiting conversations with their facts (attributes, tags, priority) and the settings they keep. */
async function withSettings<T extends WaitingRow>(
  tx: Repositories,
  deps: ResponseFigureDeps,
  rows: readonly T[],
): Promise<(T & OpenWait)[]> {
  if (!rows.length) return [];
  const settingsOf = deps.targetSettings ?? sourceSettingsOnly(deps.sources);
  const lists = deps.teamHours?.length ? listedOnce(tx) : tx;
  const tags = await tx.conversations.tagsOf(rows.map((r) => r.conversationId));
  const found: (T & OpenWait)[] = [];
  for (const row of rows) {
    const facts = conversationFacts(row.attributes, {
      tags: tags.get(row.conversationId) ?? [],
      priority: row.priority,
    });
    found.push({ ...row, facts, settings: await settingsOf(lists, row.sourceId, { hero: row.hero, facts }) });
  }
  return found;
}

/** `known`: agents the caller has read already (their names are not read again). */
export async function readResponseFigures(
  tx: Repositories,
  deps: ResponseFigureDeps,
  period: SummaryPeriod,
  known: readonly { agentId: number; name: string; slackUserId: string }[] = [],
): Promise<ResponseFigures> {
  const at = period.until;
  const { sources } = deps;
  const answered = await tx.reports.answeredWaits(period);
  // A source keeps one target per kind in one set of hours unless overrides (on the customer's
  // attributes, tags, priority) or teams' own hours say otherwise: its waits past due are counted
  // by the store against each target's latest start. The others' waits are read one by one (only
  // those older than the shortest target can be past one).
  const targeted = [...sources.values()].filter((s) => shortestTarget(s.targets) !== null);
  const oneByOne = targeted.filter((s) => s.targets!.overrides.length || deps.teamHours?.length);
  const counted = targeted.filter((s) => !oneByOne.includes(s));
  const shortest = Math.min(...oneByOne.map((s) => shortestTarget(s.targets)!));
  const waits = oneByOne.length
    ? await tx.reports.openWaits(
        oneByOne.map((s) => s.id),
        new Date(at.getTime() - shortest),
      )
    : [];
  const overdue = [
    ...overdueWaits(await withSettings(tx, deps, waits), at),
    ...(await tx.reports.overdueCounts(counted.map((s) => ({ sourceId: s.id, ...pastDueSince(s, at) })))),
  ];

  const row = await tx.reports.oldestWaiting();
  const [oldest] = row ? await withSettings(tx, deps, [row]) : [];
  const target = oldest ? targetNow(oldest.settings, { status: "open", ...oldest }, oldest.facts, at) : null;

  const names = new Map(known.map((a) => [a.agentId, { name: a.name, slackUserId: a.slackUserId }]));
  const unknown = new Set([...answered.map((a) => a.agentId), ...overdue.map((w) => w.assigneeId)]);
  for (const id of [null, ...names.keys()]) unknown.delete(id);
  for (const [id, who] of await tx.reports.agentNames([...unknown] as number[])) names.set(id, who);
  return responseFigures({
    answered,
    overdue,
    hasTargets: (id) => shortestTarget(sources.get(id)?.targets) !== null,
    agent: (id) => names.get(id),
    oldestWaiting: oldest
      ? {
          conversationId: oldest.conversationId,
          customerName: oldest.customerName,
          sourceId: oldest.sourceId,
          channel: oldest.channel,
          threadTs: oldest.threadTs,
          waitingSince: oldest.waitingSince,
          assigneeSlackId: oldest.assigneeSlackId,
          target: target && { kind: target.kind, state: target.state },
        }
      : null,
  });
}
