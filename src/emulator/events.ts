// Events API: builds the `event_callback` envelopes Slack POSTs to an app and delivers them.
//
// Delivery follows Slack's contract: JSON body, signed (v0), answered with a 2xx within the ack
// timeout (3 s on Slack) or retried up to 3 times with `x-slack-retry-num` and
// `x-slack-retry-reason` and the same event_id. An app may answer `X-Slack-No-Retry: 1` to stop
// retries. Slack spaces retries at once / 1 min / 5 min; the emulator compresses that schedule
// (retryDelaysMs) so tests stay fast.
//
// Ordering: first attempts are sent one after another per channel, in posting order; a retry does
// not hold back the channel's later events (Slack makes no ordering promise across retries).

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

/** The `event_callback` envelope around an event (fields as in slack-samples/events). */
export function eventEnvelope(
  ctx: EnvelopeContext,
  event: JsonObject,
  eventId: string = newEventId(),
  eventTime: number = Math.floor(Date.now() / 1000),
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
    is_ext_shared_channel: false,
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

export interface DispatcherOptions {
  signingSecret: string;
  envelope: EnvelopeContext;
  getAppUrl: () => string | undefined;
  ackTimeoutMs: number;
  /** Delay before retry 1, 2, 3 (its length is the number of retries). */
  retryDelaysMs: number[];
  activity: ActivityTracker;
}

type Outcome = DeliveryAttempt["outcome"];

export class EventDispatcher {
  readonly deliveries: DeliveryAttempt[] = [];
  private readonly chains = new Map<string, Promise<void>>();
  private readonly timers = new Set<NodeJS.Timeout>();
  private readonly aborter = new AbortController();
  private stopped = false;

  constructor(private readonly options: DispatcherOptions) {}

  /**
   * Queues an event for delivery behind the earlier events of the same channel (`key`) and returns
   * its event_id at once; delivery happens in the background. Without an app URL nothing is sent.
   */
  enqueue(event: JsonObject, key: string): string | undefined {
    if (this.stopped || !this.options.getAppUrl()) return undefined;
    const eventId = newEventId();
    const body = JSON.stringify(eventEnvelope(this.options.envelope, event, eventId));
    const eventType = String(event.subtype ?? event.type ?? "unknown");
    const channel = typeof event.channel === "string" ? event.channel : undefined;
    const meta = { eventId, eventType, body, ...(channel ? { channel } : {}) };
    this.options.activity.begin();
    const previous = this.chains.get(key) ?? Promise.resolve();
    // A failure inside attempt() must neither stall this channel's queue nor idle().
    const next = previous.then(() => this.attempt(meta, 1)).catch(() => this.options.activity.end());
    this.chains.set(key, next);
    void next.finally(() => {
      if (this.chains.get(key) === next) this.chains.delete(key);
    });
    return eventId;
  }

  private async attempt(
    meta: { eventId: string; eventType: string; body: string; channel?: string },
    attempt: number,
    retryReason?: DeliveryAttempt["retryReason"],
  ): Promise<void> {
    const url = this.options.getAppUrl();
    if (this.stopped || !url) {
      this.options.activity.end();
      return;
    }
    const headers: Record<string, string> = {
      "content-type": "application/json",
      ...signedHeaders(this.options.signingSecret, meta.body),
    };
    if (attempt > 1) {
      headers["x-slack-retry-num"] = String(attempt - 1);
      headers["x-slack-retry-reason"] = retryReason ?? "http_error";
    }
    let outcome: Outcome;
    let status = 0;
    let response: AppResponse | undefined;
    try {
      response = await sendToApp(url, meta.body, headers, {
        timeoutMs: this.options.ackTimeoutMs,
        signal: this.aborter.signal,
      });
      status = response.status;
      outcome = status >= 200 && status < 300 ? "ok" : "http_error";
    } catch (err) {
      outcome = err instanceof RequestTimeoutError ? "http_timeout" : "connection_failed";
    }
    if (this.stopped) {
      this.options.activity.end();
      return;
    }
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
    const noRetry = response?.headers["x-slack-no-retry"] === "1";
    const delay = this.options.retryDelaysMs[attempt - 1];
    if (outcome === "ok" || noRetry || delay === undefined) {
      this.options.activity.end();
      return;
    }
    const timer = setTimeout(() => {
      this.timers.delete(timer);
      void this.attempt(meta, attempt + 1, outcome);
    }, delay);
    this.timers.add(timer);
  }

  stop(): void {
    this.stopped = true;
    for (const t of this.timers) clearTimeout(t);
    this.timers.clear();
    this.aborter.abort();
  }
}
