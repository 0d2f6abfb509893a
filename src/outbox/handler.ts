// What a job's consumer declares, and the registry the worker runs from: one handler per kind of
// src/outbox/jobs.ts, or HeroDesk does not compile.
import type { SlackProblem } from "../core/slack-failures.ts";
import type { JobKind, Payload } from "./jobs.ts";

/** What perform returns when it sent nothing (see JobHandler.perform). */
export const NOTHING_SENT = "nothing_sent";

export interface RetryPolicy {
  initialDelayMs: number;
  maxDelayMs: number;
  /** Undefined: retry until it works. */
  maxAttempts?: number;
}

/** The attempt a handler is running: how many came before, and whether one may have landed. */
export interface Attempt {
  /** The outbox item's id: stable across attempts (a key for finding an earlier post). */
  id: number;
  /** Attempts made before this one. */
  attempts: number;
  /** An earlier attempt may have reached its target (crash or timeout mid-call): look first. */
  uncertain: boolean;
  createdAt: Date;
  /** The problem (its key) this item waited on until now, if any: getting through proves it fixed. */
  waitingOn: string | null;
  /** Aborts when the worker stops: waits (rate limits) end early, the item stays queued. */
  signal: AbortSignal;
  /**
   * A trouble a person should fix that HeroDesk works around meanwhile (nothing waits on it): the
   * admins are told once, as for NeedsPerson. `fixed(key)` when the work shows it is gone.
   */
  tellPerson(problem: SlackProblem): Promise<void>;
  fixed(key: string): Promise<void>;
}

export interface JobHandler<P> {
  /** Backoff for ordinary failures. */
  retry(payload: P): RetryPolicy;
  /**
   * Does the work. NOTHING_SENT: it turned out there was nothing to send (a card that looks as it
   * did, a notice no longer true), so its success proves nothing about a problem it waited on.
   */
  // biome-ignore lint/suspicious/noConfusingVoidType: most handlers return nothing (void), some NOTHING_SENT
  perform(payload: P, attempt: Attempt): Promise<void | typeof NOTHING_SENT>;
  /** Called once when the job is given up on, to tell people (e.g. mark it in the thread). */
  onGiveUp?(payload: P, error: string): Promise<void>;
}

export type JobHandlers = { [K in JobKind]: JobHandler<Payload<K>> };
