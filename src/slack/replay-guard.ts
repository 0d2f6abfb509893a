// Slack signs every request with a timestamp, and Bolt refuses only old ones (more than 5 minutes;
// @slack/bolt src/receivers/verify-request.ts): a request captured on the way could be sent again
// within those 5 minutes and run again, and one dated ahead would be accepted for longer.
// "Compare the timestamp to your local time and reject it if the difference is more than five
// minutes" (docs.slack.dev/authentication/verifying-requests-from-slack): both ways, so a request
// from the future is refused too, and a signature already answered with a 2xx is refused while
// its timestamp is still good. That applies to slash commands and interactions (form-encoded):
// Slack never retries those (a command not answered within 3000 ms shows the person an error; the
// app answers later on response_url: docs.slack.dev/interactivity/implementing-slash-commands), so
// a second one is a replay. Events (JSON) are retried by Slack (docs.slack.dev/apis/events-api,
// "Graceful retries"), possibly within the same second and so with the same signature; HeroDesk
// deduplicates them by event id instead. A request that failed is not remembered. (Bolt's check
// is `requestTimestampSec < fiveMinutesAgoSec` only: @slack/bolt dist/receivers/verify-request.js.)
import type { IncomingHttpHeaders } from "node:http";

const WINDOW_S = 5 * 60;

export class ReplayGuard {
  /** Signatures answered with a 2xx, and when their timestamp stops being accepted (ms). */
  private readonly answered = new Map<string, number>();

  constructor(private readonly nowMs: () => number = Date.now) {}

  /** Why this request must be refused, or null. */
  refusal(headers: IncomingHttpHeaders): string | null {
    const ts = Number(headers["x-slack-request-timestamp"]);
    if (Number.isFinite(ts) && ts - this.nowMs() / 1000 > WINDOW_S)
      return "request timestamp is in the future";
    const sig = headers["x-slack-signature"];
    if (isOnce(headers) && typeof sig === "string" && (this.answered.get(sig) ?? 0) > this.nowMs())
      return "request was replayed";
    return null;
  }

  /** The request with these headers was answered with a 2xx. */
  answeredOk(headers: IncomingHttpHeaders): void {
    const sig = headers["x-slack-signature"];
    const ts = Number(headers["x-slack-request-timestamp"]);
    if (!isOnce(headers) || typeof sig !== "string" || !Number.isFinite(ts)) return;
    const now = this.nowMs();
    for (const [s, until] of this.answered) if (until <= now) this.answered.delete(s);
    this.answered.set(sig, (ts + WINDOW_S) * 1000);
  }
}

/** Slash commands and interactions come form-encoded; Slack sends each once. */
function isOnce(headers: IncomingHttpHeaders): boolean {
  return (headers["content-type"] ?? "").toLowerCase().startsWith("application/x-www-form-urlencoded");
}
