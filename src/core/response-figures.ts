// Response figures for managers: how the answers of a period kept to their targets, and how long
// customers waited for a first answer, in business time; overall, per source and per agent. Pure:
// the store reads the period's answers (ResponseRecord) and the waits still open, this counts.

import type { BusinessHours } from "./business-hours.ts";
import { businessMs, subtractBusinessMs } from "./business-hours.ts";
import type { Conversation } from "./domain.ts";
import { responseClock, type TargetSettings, type TargetState } from "./response-targets.ts";
import type { Facts } from "./triage.ts";

/** An answer that stopped a response clock, as it is recorded. */
export interface AnsweredWait {
  kind: "first" | "next";
  sourceId: string;
  /** The answering agent; null: someone HeroDesk does not know. */
  agentId: number | null;
  /** How long the customer waited, in the source's business time. */
  businessMs: number;
  /** The target that applied, in ms of business time; null: none. */
  targetMs: number | null;
}

/** What an agent's answer records, when it stops a clock (the customer was waiting). */
export interface StoppedClock extends AnsweredWait {
  waitingSince: Date;
  answeredAt: Date;
}

/**
 * The clock an agent's answer at `at` stops, or null when nobody was waiting: which response it
 * was, the business-time wait under the conversation's hours (its source's, or its serving team's)
 * and the target that ran (if any; an override matches the conversation's facts).
 */
export function stoppedClock(
  settings: TargetSettings | undefined,
  conversation: Pick<Conversation, "status" | "firstResponseAt" | "waitingSince" | "sourceId">,
  facts: Facts,
  answer: { agentId: number | null; at: Date },
): StoppedClock | null {
  const since = conversation.waitingSince;
  if (!since) return null;
  return {
    kind: conversation.firstResponseAt ? "next" : "first",
    sourceId: conversation.sourceId,
    agentId: answer.agentId,
    businessMs: businessMs(settings?.businessHours ?? null, since, answer.at),
    targetMs: responseClock(conversation, facts, settings?.targets)?.targetMs ?? null,
    waitingSince: since,
    answeredAt: answer.at,
  };
}

/** An answer kept its target when the wait, in business time, was no longer than the target. */
export const metTarget = (a: Pick<AnsweredWait, "businessMs" | "targetMs">): boolean =>
  a.targetMs !== null && a.businessMs <= a.targetMs;

/**
 * The nearest-rank percentile: the smallest value with at least p % of the values at or below it
 * (p90 of ten values is the ninth smallest). Null for no values.
 */
export function percentile(values: readonly number[], p: number): number | null {
  if (!values.length) return null;
  const sorted = [...values].sort((a, b) => a - b);
  const rank = Math.min(sorted.length, Math.max(1, Math.ceil((p / 100) * sorted.length)));
  return sorted[rank - 1]!;
}

/** The middle value, or the mean of the middle two for an even count. Null for no values. */
export function median(values: readonly number[]): number | null {
  if (!values.length) return null;
  const sorted = [...values].sort((a, b) => a - b);
  const mid = sorted.length >> 1;
  return sorted.length % 2 ? sorted[mid]! : (sorted[mid - 1]! + sorted[mid]!) / 2;
}

/** An open conversation whose customer waits for an answer, with what decides its target. */
export interface OpenWait {
  conversationId: number;
  sourceId: string;
  assigneeId: number | null;
  firstResponseAt: Date | null;
  waitingSince: Date;
  /** What overrides match (customer attributes, tags, priority). */
  facts: Facts;
  /** Its source's targets in the hours it keeps (the source's, or its serving team's). */
  settings: TargetSettings | undefined;
}

/** Waits still unanswered past their due time (breached, still waiting), of a source and holder. */
export interface OverdueWaits {
  sourceId: string;
  assigneeId: number | null;
  count: number;
}

/**
 * The latest instant a wait may have begun and be past a target of `targetMs` at `at`: the wait
 * has had that much business time by then. The same breached as the card's (targetState), found
 * without counting each wait's business time. Null: no wait is past due (the desk was not open).
 */
const latestStart = (settings: TargetSettings | undefined, at: Date, targetMs: number | undefined) =>
  targetMs ? subtractBusinessMs(settings?.businessHours ?? null, at, targetMs) : null;

/**
 * For a source whose targets have no overrides: first and next waits that began at or before these
 * instants are past due at `at` (null: none is), so the store can count them without reading them.
 */
export function pastDueSince(
  settings: TargetSettings | undefined,
  at: Date,
): { first: Date | null; next: Date | null } {
  return {
    first: latestStart(settings, at, settings?.targets?.firstResponse),
    next: latestStart(settings, at, settings?.targets?.nextResponse),
  };
}

/**
 * The waits already past their due time at `at`, read one by one (an override or a team's hours
 * may set their target); each set of hours and target's latest start is worked out once.
 */
export function overdueWaits(waits: readonly OpenWait[], at: Date): OverdueWaits[] {
  const latest = new Map<BusinessHours | null, Map<number, number>>();
  return waits
    .filter((w) => {
      const clock = responseClock({ status: "open", ...w }, w.facts, w.settings?.targets);
      if (!clock) return false;
      const hours = w.settings?.businessHours ?? null;
      const byTarget = latest.get(hours) ?? new Map<number, number>();
      latest.set(hours, byTarget);
      let since = byTarget.get(clock.targetMs);
      if (since === undefined) {
        since = latestStart(w.settings, at, clock.targetMs)?.getTime() ?? Number.NEGATIVE_INFINITY;
        byTarget.set(clock.targetMs, since);
      }
      return w.waitingSince.getTime() <= since;
    })
    .map((w) => ({ sourceId: w.sourceId, assigneeId: w.assigneeId, count: 1 }));
}

export interface TargetCounts {
  met: number;
  breached: number;
}

/** One group's figures (everyone, a source, an agent) for a period. */
export interface ResponseStats {
  /** Answers in the period, first and next. */
  answered: number;
  /** First responses in the period: how many, and their median and p90 wait in business time. */
  firstResponse: { count: number; medianMs: number | null; p90Ms: number | null };
  /** Answers with a target, by whether they kept it. */
  first: TargetCounts;
  next: TargetCounts;
  /** Waits past due that nobody has answered yet (breached, still waiting). */
  overdue: number;
  /** Whether targets apply here: without, only the times mean anything. */
  targeted: boolean;
}

export interface AgentResponseStats extends ResponseStats {
  agentId: number;
  name: string;
  slackUserId: string;
}

export interface SourceResponseStats extends ResponseStats {
  sourceId: string;
}

/** The open conversation whose customer has waited longest for an answer, assigned or not. */
export interface OldestWait {
  conversationId: number;
  customerName: string;
  sourceId: string;
  channel: string;
  threadTs: string | null;
  waitingSince: Date;
  /** Who holds it; null: nobody (in the queue). */
  assigneeSlackId: string | null;
  /** Its running target, where one runs. */
  target: { kind: "first" | "next"; state: TargetState } | null;
}

export interface ResponseFigures {
  overall: ResponseStats;
  /** Sources with answers or overdue waits, most answers first. */
  bySource: SourceResponseStats[];
  /** Known agents with answers or overdue waits, most of both first. */
  byAgent: AgentResponseStats[];
  oldestWaiting: OldestWait | null;
}

export const NO_RESPONSE_FIGURES: ResponseFigures = {
  overall: stats([], [], false),
  bySource: [],
  byAgent: [],
  oldestWaiting: null,
};

function stats(answers: readonly AnsweredWait[], overdue: readonly OverdueWaits[], targeted: boolean) {
  const firsts = answers.filter((a) => a.kind === "first").map((a) => a.businessMs);
  const counts = (kind: AnsweredWait["kind"]): TargetCounts => {
    const withTarget = answers.filter((a) => a.kind === kind && a.targetMs !== null);
    const met = withTarget.filter(metTarget).length;
    return { met, breached: withTarget.length - met };
  };
  const first = counts("first");
  const next = counts("next");
  const pastDue = overdue.reduce((n, w) => n + w.count, 0);
  return {
    answered: answers.length,
    firstResponse: { count: firsts.length, medianMs: median(firsts), p90Ms: percentile(firsts, 90) },
    first,
    next,
    overdue: pastDue,
    // Answers that had a target, or waits past one, say targets apply even where none is set now.
    targeted: targeted || first.met + first.breached + next.met + next.breached + pastDue > 0,
  } satisfies ResponseStats;
}

function groupBy<T, K>(items: readonly T[], key: (item: T) => K | null): Map<K, T[]> {
  const groups = new Map<K, T[]>();
  for (const item of items) {
    const k = key(item);
    if (k === null) continue;
    const list = groups.get(k);
    if (list) list.push(item);
    else groups.set(k, [item]);
  }
  return groups;
}

/**
 * The period's figures from its answers and the waits past due now. `hasTargets` says which
 * sources set targets; `agent` names the agents (one it does not know counts only overall).
 */
export function responseFigures(input: {
  answered: readonly AnsweredWait[];
  overdue: readonly OverdueWaits[];
  hasTargets: (sourceId: string) => boolean;
  agent: (agentId: number) => { name: string; slackUserId: string } | undefined;
  oldestWaiting: OldestWait | null;
}): ResponseFigures {
  const { answered, overdue } = input;
  const answersBySource = groupBy(answered, (a) => a.sourceId);
  const overdueBySource = groupBy(overdue, (w) => w.sourceId);
  const sourceIds = [...new Set([...answersBySource.keys(), ...overdueBySource.keys()])];
  const answersByAgent = groupBy(answered, (a) => a.agentId);
  const overdueByAgent = groupBy(overdue, (w) => w.assigneeId);
  const agentIds = [...new Set([...answersByAgent.keys(), ...overdueByAgent.keys()])];
  const volume = (s: ResponseStats) => s.answered + s.overdue;

  const bySource = sourceIds
    .map((sourceId) => ({
      sourceId,
      ...stats(
        answersBySource.get(sourceId) ?? [],
        overdueBySource.get(sourceId) ?? [],
        input.hasTargets(sourceId),
      ),
    }))
    .sort((a, b) => volume(b) - volume(a) || a.sourceId.localeCompare(b.sourceId));
  const byAgent = agentIds
    .flatMap((agentId) => {
      const who = input.agent(agentId);
      if (!who) return [];
      const s = stats(answersByAgent.get(agentId) ?? [], overdueByAgent.get(agentId) ?? [], false);
      return [{ agentId, name: who.name, slackUserId: who.slackUserId, ...s }];
    })
    .sort((a, b) => volume(b) - volume(a) || a.name.localeCompare(b.name) || a.agentId - b.agentId);
  return {
    overall: stats(answered, overdue, sourceIds.some(input.hasTargets)),
    bySource,
    byAgent,
    oldestWaiting: input.oldestWaiting,
  };
}

/** The figures as a message or a home shows them: the longest lists cut, the rest summed up. */
export interface ResponseView {
  overall: ResponseStats;
  sources: SourceResponseStats[];
  moreSources: number;
  agents: AgentResponseStats[];
  /** Agents without a line of their own, summed. */
  more: MoreAgents;
  oldestWaiting: (OldestWait & { waitMs: number }) | null;
}

export interface MoreAgents {
  agents: number;
  answered: number;
  met: number;
  breached: number;
  overdue: number;
}

/** Agents left without a line, summed into one (`more`: those already summed). */
export function moreAgents(rest: readonly ResponseStats[], more?: MoreAgents): MoreAgents {
  const sum = (pick: (s: ResponseStats) => number) => rest.reduce((n, a) => n + pick(a), 0);
  return {
    agents: rest.length + (more?.agents ?? 0),
    answered: sum((s) => s.answered) + (more?.answered ?? 0),
    met: sum((s) => s.first.met + s.next.met) + (more?.met ?? 0),
    breached: sum((s) => s.first.breached + s.next.breached) + (more?.breached ?? 0),
    overdue: sum((s) => s.overdue) + (more?.overdue ?? 0),
  };
}

export function responseView(
  f: ResponseFigures,
  at: Date,
  limits: { agents: number; sources: number },
): ResponseView {
  const oldest = f.oldestWaiting;
  return {
    overall: f.overall,
    sources: f.bySource.slice(0, limits.sources),
    moreSources: Math.max(0, f.bySource.length - limits.sources),
    agents: f.byAgent.slice(0, limits.agents),
    more: moreAgents(f.byAgent.slice(limits.agents)),
    oldestWaiting: oldest
      ? { ...oldest, waitMs: Math.max(0, at.getTime() - oldest.waitingSince.getTime()) }
      : null,
  };
}
