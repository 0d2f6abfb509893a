// How a job tells the worker that an attempt did not succeed.
import type { SlackProblem } from "../core/slack-failures.ts";

/** `waitingOn` of work that waits only for a rate-limit slot: it goes by itself, soon. */
export const PACE_PREFIX = "pace:";

/** Try again later; `uncertain` when the target may have acted (timeout, connection lost). */
export class RetryLater extends Error {
  constructor(
    message: string,
    readonly options: {
      delayMs?: number;
      uncertain?: boolean;
      countsAsAttempt?: boolean;
      /** What it waits for, when that is known: `pace:<method>` for a rate-limit slot. */
      waitingOn?: string;
    } = {},
  ) {
    super(message);
    this.name = "RetryLater";
  }
}

/** Will never succeed (a payload Slack rejects as invalid, an endpoint that refuses it): stop now. */
export class GiveUp extends Error {
  constructor(message: string) {
    super(message);
    this.name = "GiveUp";
  }
}

/**
 * A person must fix something first (an archived channel, the bot removed, a revoked token, a
 * missing scope): the item waits on `problem` with bounded backoff, never given up on, and the
 * admins are told once.
 */
export class NeedsPerson extends Error {
  constructor(readonly problem: SlackProblem) {
    super(`slack: ${problem.error}${problem.channel ? ` (${problem.channel})` : ""}`);
    this.name = "NeedsPerson";
  }
}
