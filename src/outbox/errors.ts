// How a job tells the worker that an attempt did not succeed.

/** Try again later; `uncertain` when the target may have acted (timeout, connection lost). */
export class RetryLater extends Error {
  constructor(
    message: string,
    readonly options: { delayMs?: number; uncertain?: boolean; countsAsAttempt?: boolean } = {},
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
