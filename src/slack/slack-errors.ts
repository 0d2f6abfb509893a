// Turns a failed Slack call into the outbox's terms: wait and retry, or give up.
import { ErrorCode } from "@slack/web-api";
import { GiveUp, RetryLater } from "../outbox/errors.ts";

// Slack will refuse these every time: retrying only blocks the channel's lane.
const PERMANENT = new Set([
  "invalid_blocks",
  "invalid_blocks_format",
  "msg_too_long",
  "invalid_arguments",
  "no_text",
  "too_many_attachments",
  "invalid_metadata_format",
  "invalid_metadata_schema",
  "metadata_too_large",
  "message_not_found",
  "cant_update_message",
  "edit_window_closed",
]);

interface SlackCallError {
  code?: string;
  data?: { error?: string };
  retryAfter?: number;
  statusCode?: number;
  message?: string;
}

export function slackErrorName(err: unknown): string {
  const e = err as SlackCallError;
  return e?.data?.error ?? e?.code ?? (err instanceof Error ? err.message : String(err));
}

/** Classifies a failed call; `onRateLimited` hears the Retry-After so the channel pauses. */
export function toOutboxError(err: unknown, onRateLimited?: (ms: number) => void): Error {
  const e = err as SlackCallError;
  if (e?.code === ErrorCode.RateLimitedError) {
    const ms = Math.max(1, e.retryAfter ?? 1) * 1000;
    onRateLimited?.(ms);
    // Slack did nothing with a rate-limited call, and the wait is Slack's, not a failure of ours.
    return new RetryLater("ratelimited", { delayMs: ms, countsAsAttempt: false });
  }
  if (e?.code === ErrorCode.PlatformError) {
    const name = e.data?.error ?? "unknown_error";
    if (PERMANENT.has(name)) return new GiveUp(`slack: ${name}`);
    // channel_not_found, invalid_auth, not_in_channel after a join, ...: a person must fix
    // something; keep the item and retry with backoff so nothing is lost meanwhile.
    return new RetryLater(`slack: ${name}`);
  }
  // Network failure, timeout or HTTP 5xx: Slack may have acted, so look before posting again.
  return new RetryLater(`slack: ${slackErrorName(err)}`, { uncertain: true });
}
