// Response targets: how soon a customer who waits should hear from an agent, first and after
// each agent answer ("next response"), counted in business time. Pure.
import { addBusinessMs, type BusinessHours, businessMs } from "./business-hours.ts";
import type { Conversation, Hero, Rule } from "./domain.ts";
import { matchingRule } from "./routing.ts";
import { type Facts, factsMatch } from "./triage.ts";

/** Milliseconds of business time, each optional: no target of that kind. */
export interface Targets {
  firstResponse?: number;
  nextResponse?: number;
}

/**
 * A source's targets, and overrides for conversations whose facts match (a customer attribute,
 * `tag` or `priority`; the first wins).
 */
export interface SourceTargets extends Targets {
  overrides: readonly (Targets & { attribute: string; value: string })[];
  /** Business time past the due time after which an unanswered conversation is routed again. */
  reassignAfter?: number;
}

/** At this share of its target, a wait is at risk. */
export const AT_RISK = 0.75;

/** The clock running on a conversation: which target, since when, how long it allows. */
export interface ResponseClock {
  kind: "first" | "next";
  since: Date;
  targetMs: number;
}

export type TargetState = "on_track" | "at_risk" | "breached";

/**
 * The clock of an open conversation whose customer waits for an answer (first, before any agent
 * answered; next, after one did), under the source's targets; null when none runs.
 */
export function responseClock(
  conversation: Pick<Conversation, "status" | "firstResponseAt" | "waitingSince">,
  facts: Facts,
  targets: SourceTargets | undefined,
): ResponseClock | null {
  if (!targets || conversation.status !== "open" || !conversation.waitingSince) return null;
  const override = targets.overrides.find((o) => factsMatch(facts, o));
  const kind = conversation.firstResponseAt ? "next" : "first";
  const targetMs =
    kind === "first"
      ? (override?.firstResponse ?? targets.firstResponse)
      : (override?.nextResponse ?? targets.nextResponse);
  return targetMs ? { kind, since: conversation.waitingSince, targetMs } : null;
}

/** A source's shortest target of any kind (overrides included), in ms; null: it sets none. */
export function shortestTarget(targets: SourceTargets | undefined): number | null {
  const all = [targets, ...(targets?.overrides ?? [])].flatMap((t) => [t?.firstResponse, t?.nextResponse]);
  const set = all.filter((ms): ms is number => ms !== undefined && ms > 0);
  return set.length ? Math.min(...set) : null;
}

/** What a source says about response times: its targets, in its business hours. */
export interface TargetSettings {
  targets?: SourceTargets;
  businessHours?: BusinessHours;
}

/** The target running on a conversation, and when it falls due (null: the desk never opens). */
export function runningTarget(
  settings: TargetSettings | undefined,
  conversation: Pick<Conversation, "status" | "firstResponseAt" | "waitingSince">,
  facts: Facts,
): { clock: ResponseClock; due: Date | null } | null {
  const clock = responseClock(conversation, facts, settings?.targets);
  if (!clock) return null;
  return { clock, due: addBusinessMs(settings?.businessHours ?? null, clock.since, clock.targetMs) };
}

/** A response target as it stands at some moment: which response, when due, how it stands. */
export interface TargetNow {
  kind: "first" | "next";
  due: Date | null;
  state: TargetState;
}

/** Where a conversation's response target stands at `now`, under its source's settings. */
export function targetNow(
  settings: TargetSettings | undefined,
  conversation: Pick<Conversation, "status" | "firstResponseAt" | "waitingSince">,
  facts: Facts,
  now: Date,
): TargetNow | null {
  const running = runningTarget(settings, conversation, facts);
  if (!running) return null;
  return { kind: running.clock.kind, ...targetState(settings?.businessHours ?? null, running.clock, now) };
}

/**
 * The team that serves a customer, whose business hours (when it has its own) its conversations
 * keep: their team hero, else the team of the first rule their attributes match; null: none.
 */
export function servingTeam(
  hero: Hero | null,
  rules: readonly Pick<Rule, "attribute" | "value" | "teamId">[],
  facts: Facts,
): number | null {
  if (hero?.kind === "team") return hero.teamId;
  return matchingRule(rules, facts)?.teamId ?? null;
}

/** When a clock's wait becomes at risk (AT_RISK of its target, in business time). */
export function atRiskAt(hours: BusinessHours | null, clock: ResponseClock): Date | null {
  return addBusinessMs(hours, clock.since, AT_RISK * clock.targetMs);
}

/** When the clock's target falls due (null: the desk never opens) and how the wait stands at `now`. */
export function targetState(
  hours: BusinessHours | null,
  clock: ResponseClock,
  now: Date,
): { due: Date | null; state: TargetState } {
  const waited = businessMs(hours, clock.since, now);
  const state =
    waited >= clock.targetMs ? "breached" : waited >= AT_RISK * clock.targetMs ? "at_risk" : "on_track";
  return { due: addBusinessMs(hours, clock.since, clock.targetMs), state };
}
