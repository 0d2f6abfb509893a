// HeroDesk's Web API client: @slack/web-api's WebClient with every call paced within Slack's
// limits (src/slack/pacing.ts), and every failure labelled with the method and channel it was
// for, so that what a person must fix can name where (src/slack/slack-errors.ts).
import { ErrorCode, WebClient, type WebClientOptions } from "@slack/web-api";
import { type SharedSlots, SlackPacer } from "./pacing.ts";
import { noAnswerReason } from "./startup-check.ts";

/** A call that would wait longer than the client's maxWaitMs for its rate-limit slot. */
export class PacedError extends Error {
  constructor(
    readonly method: string,
    readonly waitMs: number,
  ) {
    super(`${method} paced: next slot in ${waitMs} ms`);
    this.name = "PacedError";
  }
}

export interface SlackCallContext {
  slackMethod?: string;
  slackChannel?: string;
}

export interface PacedClientOptions extends WebClientOptions {
  pacer: SlackPacer;
  /**
   * Several replicas share one Slack app: each call also reserves its slot in the shared budgets
   * (the database), after this process's own pacer allowed it. Undefined: one process (SQLite).
   */
  shared?: SharedSlots;
  /**
   * The longest a call waits in line for its slot; past it the call fails with PacedError, so
   * outbox work steps aside (its lane tries again when the slot is due) instead of holding a
   * worker while it waits. Default 1000 ms.
   */
  maxWaitMs?: number;
}

export class PacedWebClient extends WebClient {
  private readonly pacer: SlackPacer;
  private readonly shared: SharedSlots | undefined;
  private readonly maxWaitMs: number;
  /**
   * The bot token's scopes as Slack's last answer listed them (its `x-oauth-scopes` header, which
   * WebClient reads into response_metadata.scopes); undefined until an answer carried them.
   * Tells HeroDesk of a scope Slack ignores silently when missing (chat:write.customize).
   */
  grantedScopes: ReadonlySet<string> | undefined;
  /**
   * Whether Slack answered the latest call at all (any answer, even an error, is Slack working);
   * false with the reason after a network failure, a timeout or an HTTP 5xx. For /healthz.
   */
  lastAnswer: { answered: true } | { answered: false; reason: string } | undefined;

  constructor(token: string, { pacer, shared, maxWaitMs = 1000, ...options }: PacedClientOptions) {
    // Pacing and 429s are handled here per method and channel: WebClient's own queue would pause
    // every call on any 429.
    super(token, {
      ...options,
      rejectRateLimitedCalls: true,
      retryConfig: options.retryConfig ?? { retries: 0 },
    });
    this.pacer = pacer;
    this.shared = shared;
    this.maxWaitMs = maxWaitMs;
  }

  override async apiCall(method: string, options: Record<string, unknown> = {}) {
    const channel = SlackPacer.postingChannel(method, options);
    const target = channelArgument(options);
    for (;;) {
      const wait = this.pacer.take(method, channel);
      if (wait <= 0) break;
      if (wait > this.maxWaitMs)
        throw label(new PacedError(method, this.pacer.deferral(method, channel, wait)), method, target);
      await new Promise((resolve) => setTimeout(resolve, wait));
    }
    if (this.shared) {
      const asked = Date.now();
      const slot = await this.shared.reserve(this.pacer.sharedBudgets(method, channel), this.maxWaitMs);
      // Turned away: back when the shared slot is due (the other replicas may take it first).
      if (!slot.reserved)
        throw label(
          new PacedError(method, this.pacer.deferral(method, channel, slot.waitMs)),
          method,
          target,
        );
      // The slot counts from when it was asked for: the time the reservation took is part of the wait.
      const wait = slot.waitMs - (Date.now() - asked);
      if (wait > 0) await new Promise((resolve) => setTimeout(resolve, wait));
    }
    try {
      const result = await super.apiCall(method, options);
      const scopes = result.response_metadata?.scopes;
      if (scopes) this.grantedScopes = new Set(scopes);
      this.lastAnswer = { answered: true };
      return result;
    } catch (err) {
      this.lastAnswer = answerOf(err, method);
      const retryAfter = (err as { retryAfter?: number }).retryAfter;
      if (typeof retryAfter === "number") this.pacer.pause(method, channel, Math.max(1, retryAfter) * 1000);
      throw label(err, method, target);
    }
  }
}

/** Did Slack answer the failed call (a platform error or a 429 is an answer)? */
function answerOf(err: unknown, method: string): PacedWebClient["lastAnswer"] {
  const e = err as { code?: string; statusCode?: number };
  if (e.code === ErrorCode.RequestError)
    return { answered: false, reason: `${method}: no answer (${noAnswerReason(err)})` };
  if (e.code === ErrorCode.HTTPError && (e.statusCode ?? 0) >= 500)
    return { answered: false, reason: `${method}: HTTP ${e.statusCode}` };
  return { answered: true };
}

/** The conversation (or, for a DM, the person) a call is about. */
function channelArgument(options: Record<string, unknown>): string | undefined {
  const c = options.channel ?? options.channel_id;
  return typeof c === "string" && c ? c : undefined;
}

function label(err: unknown, method: string, channel: string | undefined): unknown {
  if (typeof err === "object" && err !== null) {
    const e = err as SlackCallContext;
    e.slackMethod ??= method;
    if (channel) e.slackChannel ??= channel;
  }
  return err;
}
