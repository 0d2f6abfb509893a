// Turns a failed Slack call into the outbox's terms (classification: src/core/slack-failures.ts):
// wait and retry, give up, or wait for a person. Fixes HeroDesk makes itself (joining a channel,
// splitting a message) happen where the call is made (src/slack/poster.ts).
import { ErrorCode } from "@slack/web-api";
import { classifySlackFailure, type FailedCall } from "../core/slack-failures.ts";
import { GiveUp, NeedsPerson, PACE_PREFIX, RetryLater } from "../outbox/errors.ts";
import { PacedError, type SlackCallContext } from "./slack-client.ts";

interface SlackCallError extends SlackCallContext {
  code?: string;
  data?: { error?: string; needed?: string };
  retryAfter?: number;
  statusCode?: number;
  message?: string;
}

export function slackErrorName(err: unknown): string {
  const e = err as SlackCallError;
  return e?.data?.error ?? e?.code ?? (err instanceof Error ? err.message : String(err));
}

/** What a failed call says, in the classifier's terms. */
export function failedCall(err: unknown): FailedCall {
  const e = err as SlackCallError;
  return {
    ...(e?.code === ErrorCode.PlatformError ? { error: e.data?.error ?? "unknown_error" } : {}),
    ...(e?.code === ErrorCode.RateLimitedError ? { retryAfterSeconds: e.retryAfter ?? 1 } : {}),
    ...(e?.slackMethod ? { method: e.slackMethod } : {}),
    ...(e?.slackChannel ? { channel: e.slackChannel } : {}),
    ...(e?.data?.needed ? { needed: e.data.needed } : {}),
  };
}

/** Slack's error code when it answered one (platform errors), else undefined. */
export function platformError(err: unknown): string | undefined {
  const e = err as SlackCallError;
  return e?.code === ErrorCode.PlatformError ? (e.data?.error ?? "unknown_error") : undefined;
}

export function toOutboxError(err: unknown): Error {
  if (err instanceof RetryLater || err instanceof GiveUp || err instanceof NeedsPerson) return err;
  // Our own pacing: nothing was sent; the lane tries again when the slot is due.
  if (err instanceof PacedError)
    return new RetryLater(err.message, {
      delayMs: err.waitMs,
      countsAsAttempt: false,
      waitingOn: `${PACE_PREFIX}${err.method}`,
    });
  const failure = classifySlackFailure(failedCall(err));
  switch (failure.kind) {
    case "rate_limited":
      // Slack did nothing with a rate-limited call, and the wait is Slack's, not a failure of ours.
      return new RetryLater("ratelimited", { delayMs: failure.retryAfterMs, countsAsAttempt: false });
    case "refused":
      return new GiveUp(`slack: ${failure.error}`);
    case "needs_person":
      return new NeedsPerson(failure.problem);
    case "not_in_channel": {
      // Reached only where joining was tried already, or cannot help (reading a channel).
      const { slackChannel: channel, slackMethod: method } = err as SlackCallError;
      return new NeedsPerson({
        key: `channel:${channel ?? "unknown"}:not_in_channel`,
        error: "not_in_channel",
        ...(channel ? { channel } : {}),
        ...(method ? { method } : {}),
      });
    }
    case "transient":
      // Network failure, timeout, HTTP 5xx or internal_error: Slack may have acted (its docs say
      // so of internal_error), so look before posting again.
      return new RetryLater(`slack: ${failedCall(err).error ?? slackErrorName(err)}`, { uncertain: true });
  }
}
