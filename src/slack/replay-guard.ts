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
// deduplicates them by event id instead. A request that failed is not remembered.
// Several replicas behind one balancer: a request replayed to another replica must be refused
// too, so what was taken is kept in the database (SlackRequest), taken once by its primary key
// before the request runs: of two copies arriving at once, on two replicas, one runs. (Bolt's check
// is `requestTimestampSec < fiveMinutesAgoSec` only: @slack/bolt dist/receivers/verify-request.js.)
import { createHash } from "node:crypto";
import type { IncomingHttpHeaders } from "node:http";

const WINDOW_S = 5 * 60;

/** Where taken requests are kept (the store's SlackRequest rows, shared by every replica). */
export interface RequestLedger {
  /** True the first time `key` is taken; false when it was taken already (by any replica). */
  take(key: string, expiresAtMs: number): Promise<boolean>;
  release(key: string): Promise<void>;
}

/** What to do with a request: refuse it, or let it run and say how it was answered. */
export type Admission = { refusal: string } | { refusal: null; answered(ok: boolean): void };

export class ReplayGuard {
  constructor(
    private readonly ledger: RequestLedger,
    private readonly nowMs: () => number = Date.now,
  ) {}

  async admit(headers: IncomingHttpHeaders): Promise<Admission> {
    const ts = Number(headers["x-slack-request-timestamp"]);
    if (Number.isFinite(ts) && ts - this.nowMs() / 1000 > WINDOW_S)
      return { refusal: "request timestamp is in the future" };
    const sig = headers["x-slack-signature"];
    // Unsigned or undated: Bolt refuses it; nothing to remember.
    if (!isOnce(headers) || typeof sig !== "string" || !Number.isFinite(ts)) return ADMITTED;
    // The signature is an HMAC of timestamp and body: one per request. Its hash is the key.
    const key = createHash("sha256").update(sig).digest("hex");
    if (!(await this.ledger.take(key, (ts + WINDOW_S) * 1000))) return { refusal: "request was replayed" };
    return {
      refusal: null,
      answered: (ok) => {
        if (!ok) void this.ledger.release(key).catch(() => undefined);
      },
    };
  }
}

const ADMITTED: Admission = { refusal: null, answered: () => {} };

/** Slash commands and interactions come form-encoded; Slack sends each once. */
function isOnce(headers: IncomingHttpHeaders): boolean {
  return (headers["content-type"] ?? "").toLowerCase().startsWith("application/x-www-form-urlencoded");
}
