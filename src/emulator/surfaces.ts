// Interaction plumbing shared by the driver, the Web API and the HTTP server:
// - trigger_ids: issued with every slash command and interaction, valid for 3 seconds and usable
//   once by views.open / views.push (Slack: "expired_trigger_id", and "exchanged_trigger_id" for
//   one "already exchanged in a previous call"; views.open reference);
// - response_urls: issued with every slash command and block action, usable "up to 5 times within
//   30 minutes" (https://docs.slack.dev/interactivity/handling-user-interaction#message_responses);
//   what the app POSTs there is recorded and shown like Slack shows it (ephemeral by default, in the
//   channel with response_type "in_channel", replacing or deleting the source message when asked).
import { formatIssues, validateMessage } from "./blockkit.ts";
import { messageChangedEvent, messageDeletedEvent, messageEvent } from "./events.ts";
import { newTriggerId, randomHex, randomId } from "./ids.ts";
import type { AppRecord } from "./record.ts";
import type { JsonObject } from "./types.ts";
import type { Workspace } from "./workspace.ts";

export type Announce = (channel: string, event: JsonObject) => void;

export class TriggerRegistry {
  private readonly triggers = new Map<string, { issuedAt: number; used: boolean; userId: string }>();

  constructor(
    private readonly ttlMs = 3000,
    private readonly now: () => number = Date.now,
  ) {}

  issue(userId: string): string {
    const id = newTriggerId();
    this.triggers.set(id, { issuedAt: this.now(), used: false, userId });
    return id;
  }

  /** Checks a trigger without using it up. */
  check(id: string): { ok: true; userId: string } | { ok: false; error: string } {
    const t = this.triggers.get(id);
    if (!t) return { ok: false, error: "invalid_trigger_id" };
    if (t.used) return { ok: false, error: "exchanged_trigger_id" };
    if (this.now() - t.issuedAt > this.ttlMs) return { ok: false, error: "expired_trigger_id" };
    return { ok: true, userId: t.userId };
  }

  consume(id: string): void {
    const t = this.triggers.get(id);
    if (t) t.used = true;
  }
}

export interface ResponseOrigin {
  kind: "command" | "block_actions" | "message_action";
  channel: string;
  userId: string;
  /** The message holding the clicked element (block actions on messages). */
  messageTs?: string;
  threadTs?: string;
}

export interface ResponseUrlLimits {
  /** How long a response_url works after it was issued. Slack: 30 minutes. */
  ttlMs: number;
  /** How many POSTs it takes. Slack: 5. */
  maxUses: number;
}

export const RESPONSE_URL_LIMITS: ResponseUrlLimits = { ttlMs: 30 * 60_000, maxUses: 5 };

export type ResponseUrlUse = { ok: true; origin: ResponseOrigin } | { ok: false; error: string };

export class ResponseUrlRegistry {
  private readonly urls = new Map<string, { origin: ResponseOrigin; issuedAt: number; uses: number }>();

  constructor(
    private readonly baseUrl: () => string,
    private readonly limits: ResponseUrlLimits = RESPONSE_URL_LIMITS,
    private readonly now: () => number = Date.now,
  ) {}

  issue(origin: ResponseOrigin): string {
    const id = `${randomId("", 11)}/${randomHex(24)}`;
    this.urls.set(id, { origin, issuedAt: this.now(), uses: 0 });
    return this.urlFor(id);
  }

  urlFor(id: string): string {
    return `${this.baseUrl()}/response/${id}`;
  }

  get(id: string): ResponseOrigin | undefined {
    return this.urls.get(id)?.origin;
  }

  private outage = { left: 0, status: 503 };

  /**
   * The next `count` POSTs to any response_url answer HTTP `status` and take no effect, nor a use
   * (a Slack outage or a network blip between; tests of what an app does when its answer fails).
   */
  failNext(count: number, status = 503): void {
    this.outage = { left: count, status };
  }

  /** The status to answer instead, while a staged outage lasts. */
  takeOutage(): number | undefined {
    if (this.outage.left <= 0) return undefined;
    this.outage.left--;
    return this.outage.status;
  }

  /**
   * Spends one use of a response_url. Slack does not document its answer past the limits: the
   * emulator refuses with `expired_url` (older than ttlMs) or `used_url` (maxUses spent), and
   * `invalid_url` for one it never issued (server.ts answers them with HTTP 404).
   */
  use(id: string): ResponseUrlUse {
    const url = this.urls.get(id);
    if (!url) return { ok: false, error: "invalid_url" };
    if (this.now() - url.issuedAt > this.limits.ttlMs) return { ok: false, error: "expired_url" };
    if (url.uses >= this.limits.maxUses) return { ok: false, error: "used_url" };
    url.uses++;
    return { ok: true, origin: url.origin };
  }
}

export type ResponseOutcome =
  | { ok: true; effect: "ephemeral" | "in_channel" | "replaced" | "deleted" | "none" }
  | { ok: false; error: string; messages?: string[] };

function isTrue(value: unknown): boolean {
  return value === true || value === "true";
}

/** Where a message response lands: the workspace, or (ephemeral) the record, announced to the app. */
export interface ResponseTarget {
  ws: Workspace;
  record: AppRecord;
  announce: Announce;
}

/**
 * Applies a message response (a response_url POST, or the body an app acks a slash command
 * with) the way Slack displays it.
 */
export function applyMessageResponse(
  target: ResponseTarget,
  origin: ResponseOrigin,
  body: JsonObject,
  source: "response_url" | "ack",
): ResponseOutcome {
  const { ws, record, announce } = target;
  const { channel } = origin;
  const original = origin.messageTs ? ws.message(channel, origin.messageTs) : undefined;
  if (isTrue(body.delete_original)) {
    if (!original) return { ok: false, error: "message_not_found" };
    const previous = ws.deleteMessage(channel, original.ts);
    announce(channel, messageDeletedEvent(ws, channel, previous));
    return { ok: true, effect: "deleted" };
  }
  const text = typeof body.text === "string" ? body.text : "";
  const blocks = Array.isArray(body.blocks) ? (body.blocks as JsonObject[]) : undefined;
  // The same content rules as chat.postMessage (blockkit.ts validateMessage), cumulative size included.
  const verdict = validateMessage(
    { text: body.text, blocks: body.blocks, attachments: body.attachments },
    { requireContent: false },
  );
  if (!verdict.ok) {
    const messages = formatIssues(verdict.issues);
    return { ok: false, error: verdict.error, ...(messages.length ? { messages } : {}) };
  }
  if (!text && !blocks?.length && body.attachments === undefined) {
    return { ok: false, error: "no_text" };
  }
  if (isTrue(body.replace_original) && original) {
    const { message, previous } = ws.updateMessage(
      channel,
      original.ts,
      { text, blocks: blocks ?? [] },
      ws.bot.userId,
    );
    announce(channel, messageChangedEvent(ws, channel, message, previous));
    return { ok: true, effect: "replaced" };
  }
  const threadTs = typeof body.thread_ts === "string" && body.thread_ts ? body.thread_ts : origin.threadTs;
  if (body.response_type === "in_channel") {
    const { message } = ws.postMessage({
      channel,
      from: { kind: "bot" },
      text,
      ...(blocks ? { blocks } : {}),
      ...(threadTs ? { threadTs } : {}),
    });
    announce(channel, messageEvent(ws, channel, message));
    return { ok: true, effect: "in_channel" };
  }
  record.ephemerals.push({
    channel,
    user: origin.userId,
    text,
    ...(blocks ? { blocks } : {}),
    ...(threadTs ? { threadTs } : {}),
    ts: ws.nextTs(),
    source,
    at: Date.now(),
  });
  return { ok: true, effect: "ephemeral" };
}
