// What a job's consumer declares, and the registry the worker runs from: one handler per kind of
// src/outbox/jobs.ts, or HeroDesk does not compile.
import type { JobKind, Payload } from "./jobs.ts";

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
  /** Aborts when the worker stops: waits (rate limits) end early, the item stays queued. */
  signal: AbortSignal;
}

export interface JobHandler<P> {
  /** Backoff for ordinary failures. */
  retry(payload: P): RetryPolicy;
  perform(payload: P, attempt: Attempt): Promise<void>;
  /** Called once when the job is given up on, to tell people (e.g. mark it in the thread). */
  onGiveUp?(payload: P, error: string): Promise<void>;
}

export type JobHandlers = { [K in JobKind]: JobHandler<Payload<K>> };
