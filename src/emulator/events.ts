// Events API: builds the `event_callback` envelopes Slack POSTs to an app and delivers them the way
// https://docs.slack.dev/apis/events-api/ describes:
// - every event is sent at once, concurrently with the others: no event waits for another's answer,
//   none is held back behind its channel (Slack promises no order);
// - an attempt fails when the app does not answer 2xx within 3 seconds (http_timeout), answers
//   something else (http_error) or cannot be reached (connection_failed). Slack then retries, up to
//   3 times, with the same event_id and `X-Slack-Retry-Num` / `X-Slack-Retry-Reason`: "nearly
//   immediately", after 1 minute, after 5 minutes. A timed-out attempt is neither awaited nor
//   aborted: the retry goes out at 3 s while the first attempt is still running, and its late
//   answer changes nothing. The schedule can be compressed (retryDelaysMs); the 3 s deadline is
//   Slack's unless ackTimeoutMs says otherwise;
// - an app that answers with `X-Slack-No-Retry: 1` gets no retry for that event;
// - more than 30,000 deliveries in an hour from the workspace are dropped (rate-limits page), and
//   an app that acknowledges fewer than 5% of at least 1,000 deliveries in 60 minutes has its event
//   subscriptions disabled (https://docs.slack.dev/reference/events/app_rate_limited); either sends
//   the app one `app_rate_limited` payload.

import { type AppResponse, RequestTimeoutError } from "./http-client.ts";
import { randomId } from "./ids.ts";
import { signedHeaders } from "./signing.ts";
import { sendToApp } from "./transport.ts";
import type { DeliveryAttempt, JsonObject, SlackMessage } from "./types.ts";
import { clone, type Workspace } from "./workspace.ts";

export interface EnvelopeContext {
  teamId: string;
  appId: string;
  botUserId: string;
  verificationToken: string;
}

export function newEventId(): string {
  return randomId("Ev", 10);
}

/**
 * The `event_callback` envelope around an event (fields as in slack-samples/events).
 * `isExtSharedChannel`: the event happened in a Slack Connect channel (envelope field
 * `is_ext_shared_channel`, docs.slack.dev/apis/events-api "callback field"); the envelope's
 * team_id, context_team_id and authorizations stay the installing workspace's.
 */
export function eventEnvelope(
  ctx: EnvelopeContext,
  event: JsonObject,
  eventId: string = newEventId(),
  eventTime: number = Math.floor(Date.now() / 1000),
  isExtSharedChannel = false,
): JsonObject {
  return {
    token: ctx.verificationToken,
    team_id: ctx.teamId,
    context_team_id: ctx.teamId,
    context_enterprise_id: null,
    api_app_id: ctx.appId,
    event,
    type: "event_callback",
    event_id: eventId,
    event_time: eventTime,
    authorizations: [
      {
        enterprise_id: null,
        team_id: ctx.teamId,
        user_id: ctx.botUserId,
        is_bot: true,
        is_enterprise_install: false,
      },
    ],
    is_ext_shared_channel: isExtSharedChannel,
    event_context: Buffer.from(JSON.stringify({ team: ctx.teamId, app: ctx.appId, event: eventId })).toString(
      "base64url",
    ),
  };
}

// ------------------------------------------------------------------------------------------------
// Event bodies

/** `message` event for a newly posted message (message.channels / .groups / .im / .mpim). */
export function messageEvent(ws: Workspace, channel: string, message: SlackMessage): JsonObject {
  const event = clone(message) as unknown as JsonObject;
  event.channel = channel;
  event.event_ts = message.ts;
  event.channel_type = ws.channelType(channel);
  return event;
}

export function messageChangedEvent(
  ws: Workspace,
  channel: string,
  message: SlackMessage,
  previous: SlackMessage,
): JsonObject {
  const ts = message.edited?.ts ?? ws.nextTs();
  return {
    type: "message",
    subtype: "message_changed",
    message: clone(message) as unknown as JsonObject,
    previous_message: clone(previous) as unknown as JsonObject,
    channel,
    hidden: true,
    ts,
    event_ts: ts,
    channel_type: ws.channelType(channel),
  };
}

export function messageDeletedEvent(ws: Workspace, channel: string, previous: SlackMessage): JsonObject {
  const ts = ws.nextTs();
  return {
    type: "message",
    subtype: "message_deleted",
    hidden: true,
    deleted_ts: previous.ts,
    channel,
    previous_message: clone(previous) as unknown as JsonObject,
    event_ts: ts,
    ts,
    channel_type: ws.channelType(channel),
  };
}

/**
 * reaction_added / reaction_removed on a message (docs.slack.dev/reference/events/reaction_added,
 * @slack/types ReactionAddedEvent): who reacted, the emoji, whose message it is (item_user; the
 * bot's user for the app's messages) and the message as item {type: "message", channel, ts}.
 */
export function reactionEvent(
  ws: Workspace,
  type: "reaction_added" | "reaction_removed",
  channel: string,
  ts: string,
  reaction: string,
  user: string,
): JsonObject {
  const message = ws.message(channel, ts);
  return {
    type,
    user,
    reaction,
    item_user: message?.user ?? "",
    item: { type: "message", channel, ts },
    event_ts: ws.nextTs(),
  };
}

/**
 * `app_home_opened` (slack-samples/events/AppHomeOpenedPayload.json): the Home tab carries the view
 * last published for the user, if any; the Messages tab carries none.
 */
export function appHomeOpenedEvent(
  ws: Workspace,
  userId: string,
  tab: "home" | "messages" = "home",
): JsonObject {
  const view = tab === "home" ? ws.homeViews.get(userId) : undefined;
  return {
    type: "app_home_opened",
    user: userId,
    channel: ws.dmChannelFor(userId),
    tab,
    event_ts: ws.nextTs(),
    ...(view ? { view: clone(view) as unknown as JsonObject } : {}),
  };
}

// ------------------------------------------------------------------------------------------------
// Activity tracking (backs emulator.idle())

export class ActivityTracker {
  private active = 0;
  private waiters: (() => void)[] = [];
  /** When work last started or finished (ms). */
  lastChangeAt = Date.now();

  begin(): void {
    this.active++;
    this.lastChangeAt = Date.now();
  }

  end(): void {
    this.active = Math.max(0, this.active - 1);
    this.lastChangeAt = Date.now();
    if (this.active === 0) {
      const waiters = this.waiters;
      this.waiters = [];
      for (const w of waiters) w();
    }
  }

  get busy(): boolean {
    return this.active > 0;
  }

  whenIdle(): Promise<void> {
    if (this.active === 0) return Promise.resolve();
    return new Promise((resolve) => this.waiters.push(resolve));
  }

  /** Releases every waiter (used on stop). */
  flush(): void {
    this.active = 0;
    this.end();
  }
}

// ------------------------------------------------------------------------------------------------
// Delivery

/** Slack's retry schedule: nearly immediately, after 1 minute, after 5 minutes. */
export const SLACK_RETRY_DELAYS_MS: readonly number[] = [0, 60_000, 300_000];
/** The default: Slack's schedule compressed 600 times, so retries still come in Slack's proportions. */
export const COMPRESSED_RETRY_DELAYS_MS: readonly number[] = [0, 100, 500];

export interface EventFailureLimit {
  /** Window the success rate is measured over. Slack: 60 minutes. */
  windowMs: number;
  /** Deliveries in the window before the rule applies. Slack: 1,000 (events per hour). */
  minDeliveries: number;
  /** Share of deliveries that must be acknowledged. Slack: 5%. */
  minSuccessRate: number;
}

export const SLACK_EVENT_FAILURE_LIMIT: EventFailureLimit = {
  windowMs: 3_600_000,
  minDeliveries: 1000,
  minSuccessRate: 0.05,
};

export interface DispatcherOptions {
  signingSecret: string;
  envelope: EnvelopeContext;
  getAppUrl: () => string | undefined;
  /** After this an attempt has failed (http_timeout) and its retry is due. Slack: 3000. */
  ackTimeoutMs: number;
  /** Delay before retry 1, 2, 3 (its length is the number of retries), from the failure. */
  retryDelaysMs: readonly number[];
  activity: ActivityTracker;
  /** Deliveries per rolling hour; false: unlimited. Slack: 30,000. */
  deliveriesPerHour?: number | false;
  /** When subscriptions get disabled; false: never. Default SLACK_EVENT_FAILURE_LIMIT. */
  failureLimit?: EventFailureLimit | false;
  /** Each event's first attempt waits a random 0..jitter ms (tests of out-of-order arrival). */
  jitterMs?: number;
  /** How long a timed-out attempt is kept open for its late answer before the emulator hangs up. */
  lateAnswerMs?: number;
}

type Outcome = DeliveryAttempt["outcome"];
type Meta = { eventId: string; eventType: string; body: string; channel?: string };

const HOUR = 3_600_000;

export class EventDispatcher {
  readonly deliveries: DeliveryAttempt[] = [];
  private readonly timers = new Set<NodeJS.Timeout>();
  private readonly aborter = new AbortController();
  /** When each recent attempt was made (for deliveriesPerHour). */
  private readonly sentAt: number[] = [];
  /** Recent attempts' results (for failureLimit). */
  private readonly results: { at: number; ok: boolean }[] = [];
  private disabled = false;
  private limitedMinute: number | undefined;
  private stopped = false;

  constructor(private readonly options: DispatcherOptions) {}

  /** True once Slack would have disabled the app's event subscriptions (failureLimit). */
  get subscriptionsDisabled(): boolean {
    return this.disabled;
  }

  /** What an app owner does in the app's settings after fixing the app. */
  enableSubscriptions(): void {
    this.disabled = false;
    this.results.length = 0;
  }

  /**
   * Sends an event to the app and returns its event_id at once; delivery and retries happen in the
   * background. Without an app URL, or with subscriptions disabled, nothing is sent.
   */
  enqueue(event: JsonObject, options: { isExtSharedChannel?: boolean } = {}): string | undefined {
    if (this.stopped || this.disabled || !this.options.getAppUrl()) return undefined;
    const eventId = newEventId();
    const body = JSON.stringify(
      eventEnvelope(this.options.envelope, event, eventId, undefined, options.isExtSharedChannel ?? false),
    );
    const eventType = String(event.subtype ?? event.type ?? "unknown");
    const channel = typeof event.channel === "string" ? event.channel : undefined;
    const meta: Meta = { eventId, eventType, body, ...(channel ? { channel } : {}) };
    const jitter = this.options.jitterMs ? Math.floor(Math.random() * this.options.jitterMs) : 0;
    if (jitter > 0) this.later(jitter, () => this.attempt(meta, 1));
    else this.attempt(meta, 1);
    return eventId;
  }

  /** Runs `fn` after `ms`, keeping idle() busy meanwhile. */
  private later(ms: number, fn: () => void): void {
    this.options.activity.begin();
    const timer = setTimeout(() => {
      this.timers.delete(timer);
      fn(); // begins its own activity before this one ends, so idle() never sees a gap
      this.options.activity.end();
    }, ms);
    this.timers.add(timer);
  }

  private attempt(meta: Meta, attempt: number, retryReason?: DeliveryAttempt["retryReason"]): void {
    const url = this.options.getAppUrl();
    if (this.stopped || this.disabled || !url) return;
    if (!this.admit()) return;
    const headers: Record<string, string> = {
      "content-type": "application/json",
      ...signedHeaders(this.options.signingSecret, meta.body),
    };
    if (attempt > 1) {
      headers["x-slack-retry-num"] = String(attempt - 1);
      headers["x-slack-retry-reason"] = retryReason ?? "http_error";
    }
    let decided = false;
    const decide = (outcome: Outcome, status: number, response?: AppResponse) => {
      if (decided || this.stopped) return;
      decided = true;
      clearTimeout(deadline);
      this.settle(meta, attempt, retryReason, outcome, status, response);
    };
    // Slack's deadline: past it the attempt has failed, whether or not the app answers later.
    const deadline = setTimeout(() => decide("http_timeout", 0), this.options.ackTimeoutMs);
    this.options.activity.begin();
    // Send one delivery (HTTP POST or Socket Mode envelope) and get status/headers back.
    sendToApp(url, meta.body, headers, {
      timeoutMs: Math.max(this.options.ackTimeoutMs, this.options.lateAnswerMs ?? 60_000),
      signal: this.aborter.signal,
    })
      .then((response) =>
        decide(
          response.status >= 200 && response.status < 300 ? "ok" : "http_error",
          response.status,
          response,
        ),
      )
      .catch((err: unknown) =>
        decide(err instanceof RequestTimeoutError ? "http_timeout" : "connection_failed", 0),
      )
      .finally(() => this.options.activity.end());
  }

  /** Records an attempt's outcome and schedules the retry Slack would send. */
  private settle(
    meta: Meta,
    attempt: number,
    retryReason: DeliveryAttempt["retryReason"],
    outcome: Outcome,
    status: number,
    response: AppResponse | undefined,
  ): void {
    this.deliveries.push({
      eventId: meta.eventId,
      eventType: meta.eventType,
      ...(meta.channel ? { channel: meta.channel } : {}),
      attempt,
      retryNum: attempt - 1,
      ...(retryReason && attempt > 1 ? { retryReason } : {}),
      status,
      outcome,
      at: Date.now(),
    });
    this.countResult(outcome === "ok");
    if (outcome === "ok" || this.disabled) return;
    if (response?.headers["x-slack-no-retry"] === "1") return;
    const delay = this.options.retryDelaysMs[attempt - 1];
    if (delay === undefined) return;
    this.later(delay, () => this.attempt(meta, attempt + 1, outcome));
  }

  /** Deliveries per hour: past the limit an attempt is dropped and the app told once a minute. */
  private admit(): boolean {
    const limit = this.options.deliveriesPerHour ?? 30_000;
    if (limit === false) return true;
    const now = Date.now();
    while (this.sentAt.length > 0 && (this.sentAt[0] as number) <= now - HOUR) this.sentAt.shift();
    if (this.sentAt.length < limit) {
      this.sentAt.push(now);
      return true;
    }
    const minute = Math.floor(now / 60_000) * 60;
    if (this.limitedMinute !== minute) {
      this.limitedMinute = minute;
      this.tellRateLimited(minute);
    }
    return false;
  }

  /** Failure limit: too few acknowledged deliveries in the window disable the subscriptions. */
  private countResult(ok: boolean): void {
    const limit = this.options.failureLimit ?? SLACK_EVENT_FAILURE_LIMIT;
    if (limit === false || this.disabled) return;
    const now = Date.now();
    this.results.push({ at: now, ok });
    while (this.results.length > 0 && (this.results[0]?.at as number) <= now - limit.windowMs) {
      this.results.shift();
    }
    if (this.results.length < limit.minDeliveries) return;
    const acknowledged = this.results.filter((r) => r.ok).length;
    if (acknowledged / this.results.length >= limit.minSuccessRate) return;
    this.disabled = true;
    for (const t of this.timers) clearTimeout(t);
    for (let i = 0; i < this.timers.size; i++) this.options.activity.end();
    this.timers.clear();
    this.tellRateLimited(Math.floor(now / 60_000) * 60);
  }

  /** The `app_rate_limited` payload (no inner event), sent once, not retried. */
  private tellRateLimited(minute: number): void {
    const url = this.options.getAppUrl();
    if (!url || this.stopped) return;
    const body = JSON.stringify({
      token: this.options.envelope.verificationToken,
      type: "app_rate_limited",
      team_id: this.options.envelope.teamId,
      minute_rate_limited: minute,
      api_app_id: this.options.envelope.appId,
    });
    const headers = {
      "content-type": "application/json",
      ...signedHeaders(this.options.signingSecret, body),
    };
    this.options.activity.begin();
    sendToApp(url, body, headers, { timeoutMs: this.options.ackTimeoutMs, signal: this.aborter.signal })
      .catch(() => undefined)
      .finally(() => this.options.activity.end());
  }

  stop(): void {
    this.stopped = true;
    for (const t of this.timers) clearTimeout(t);
    this.timers.clear();
    this.aborter.abort();
  }
}
