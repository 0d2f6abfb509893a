// Response figures for managers: how the answers of a period kept to their targets, and how long
// customers waited for a first answer, in business time; overall, per source and per agent. Pure:
// the store reads the period's answers (ResponseRecord) and the waits still open, this counts.
import { businessMs } from "./business-hours.ts";
import type { Conversation } from "./domain.ts";
import { responseClock, type TargetSettings } from "./response-targets.ts";

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
 * was, the business-time wait under the source's hours and the target that ran (if any).
 */
export function stoppedClock(
  settings: TargetSettings | undefined,
  conversation: Pick<Conversation, "status" | "firstResponseAt" | "waitingSince" | "sourceId">,
  attributes: Readonly<Record<string, string>>,
  answer: { agentId: number | null; at: Date },
): StoppedClock | null {
  const since = conversation.waitingSince;
  if (!since) return null;
  return {
    kind: conversation.firstResponseAt ? "next" : "first",
    sourceId: conversation.sourceId,
    agentId: answer.agentId,
    businessMs: businessMs(settings?.businessHours ?? null, since, answer.at),
    targetMs: responseClock(conversation, attributes, settings?.targets)?.targetMs ?? null,
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
