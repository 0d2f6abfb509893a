// Socket Mode: Slack's end of the WebSocket links an app opens instead of exposing a Request URL.
// Modelled on https://docs.slack.dev/apis/events-api/using-socket-mode, the apps.connections.open
// reference, and the client Slack ships (node-slack-sdk packages/socket-mode: SocketModeClient.ts,
// SlackWebSocket.ts; bolt-js src/receivers/SocketModeReceiver.ts):
//
// - apps.connections.open (app-level token) hands out `ws://<emulator>/link/?ticket=…&app_id=…`;
//   a ticket opens one connection, once, within ticketTtlMs.
// - On connect the server sends `hello`; then envelopes
//   `{envelope_id, type, payload, accepts_response_payload[, retry_attempt, retry_reason]}`, each
//   to one open connection (up to 10 per app). The app acks with `{envelope_id, payload?}` within
//   ackTimeoutMs (3 s), or the delivery has failed.
// - `disconnect` messages (warning, refresh_requested, link_disabled, too_many_websockets), then
//   the close; connections are refreshed after approximate_connection_time (3600 s, 360 s with
//   `&debug_reconnects=true`). The server answers pings and pings the client.
import { createHash, randomUUID } from "node:crypto";
import type { IncomingMessage } from "node:http";
import type { Duplex } from "node:stream";
import { RequestTimeoutError } from "./http-client.ts";
import { randomHex } from "./ids.ts";
import type { Json, JsonObject } from "./types.ts";
import {
  acceptUpgrade,
  CloseCode,
  checkHandshake,
  refuseUpgrade,
  type WebSocketConnection,
} from "./websocket.ts";

export type EnvelopeType = "events_api" | "slash_commands" | "interactive";
export type DisconnectReason = "warning" | "refresh_requested" | "link_disabled" | "too_many_websockets";

/** The path of the WebSocket URL, as Slack's (`wss://wss-primary.slack.com/link/?ticket=…`). */
export const LINK_PATH = "/link/";

export interface SocketModeOptions {
  appId: string;
  /** Default false: deliveries go over HTTP until Socket Mode is turned on. */
  enabled?: boolean;
  /** How long the app has to ack an envelope. Default 3000 (Slack's). */
  ackTimeoutMs?: number;
  /** Open connections allowed per app. Default 10 (Slack's). */
  maxConnections?: number;
  /** How long a URL from apps.connections.open can be used. Default 10000. */
  ticketTtlMs?: number;
  /** How often the server pings each connection; 0 never. Default 10000. */
  pingIntervalMs?: number;
  /** After this the connection is refreshed (warning, then refresh_requested). Default 3600000. */
  connectionLifetimeMs?: number;
  /** Lifetime with `&debug_reconnects=true` in the URL. Default 360000 (Slack's). */
  debugReconnectsLifetimeMs?: number;
  /** How long before the refresh the warning comes. Default 10000 ("about 10 seconds"). */
  warningLeadMs?: number;
  /** After refresh_requested, how long the app has to close before the server does. Default 5000. */
  closeGraceMs?: number;
  /**
   * How long an event waits for a connection when none is open before its delivery counts as
   * failed (and is retried like any failed delivery). It covers a client's reconnect: Slack's own
   * retries come minutes later, the emulator's compressed ones within a second. Commands and
   * interactions never wait: a person's click with no connection fails at once. Default 10000.
   */
  reconnectWindowMs?: number;
}

export interface SocketModeConnection {
  id: string;
  state: "open" | "disconnecting" | "closed";
  openedAt: number;
  closedAt?: number;
  /** The client's close code (1005 without one, 1006 when the TCP connection just dropped). */
  closeCode?: number;
  /** disconnect messages sent on this connection, in order. */
  disconnects: DisconnectReason[];
  debugReconnects: boolean;
  envelopes: number;
  pingsReceived: number;
  pongsReceived: number;
}

export interface EnvelopeRecord {
  envelopeId: string;
  type: EnvelopeType;
  connectionId: string;
  payload: JsonObject;
  acceptsResponsePayload: boolean;
  retryAttempt?: number;
  retryReason?: string;
  sentAt: number;
  outcome: "pending" | "acked" | "timeout" | "connection_closed";
  ackedAt?: number;
  /** The ack's payload; undefined when it had none (or an empty one). */
  ackPayload?: Json;
  /** The ack carried a payload although accepts_response_payload was false: Slack ignores it. */
  ignoredPayload?: boolean;
  /** An ack that came after the envelope had failed: ignored, the delivery stays failed. */
  lateAckAt?: number;
}

export interface RefusedConnect {
  at: number;
  status: number;
  reason: string;
  url: string;
}

export interface EnvelopeRequest {
  type: EnvelopeType;
  payload: JsonObject;
  acceptsResponsePayload: boolean;
  retryAttempt?: number;
  retryReason?: string;
}

export interface Ack {
  envelopeId: string;
  /** The ack's payload; undefined when absent or `{}`. */
  payload?: Json;
  elapsedMs: number;
}

/** No open connection took the envelope (or Socket Mode is off): the delivery failed. */
export class NoSocketModeConnectionError extends Error {
  constructor(message: string) {
    super(message);
    this.name = "NoSocketModeConnectionError";
  }
}

/** The connection closed before it acked the envelope. */
export class ConnectionClosedBeforeAckError extends Error {
  constructor(envelopeId: string) {
    super(`the Socket Mode connection closed before envelope ${envelopeId} was acked`);
    this.name = "ConnectionClosedBeforeAckError";
  }
}

interface Pending {
  record: EnvelopeRecord;
  resolve: (ack: Ack) => void;
  reject: (err: Error) => void;
  timer: NodeJS.Timeout;
}

interface Live {
  info: SocketModeConnection;
  ws: WebSocketConnection;
  timers: NodeJS.Timeout[];
  pending: Map<string, Pending>;
}

export class SocketModeServer {
  /** Every connection opened, in order (closed ones included). */
  private readonly live: Live[] = [];
  private readonly tickets = new Map<string, { issuedAt: number; used: boolean }>();
  private readonly pending = new Map<string, Pending>();
  private readonly waiters = new Set<() => void>();
  private roundRobin = 0;
  private stopped = false;
  readonly envelopes: EnvelopeRecord[] = [];
  readonly refused: RefusedConnect[] = [];
  /** Messages from the app that were not an ack Slack could read (not JSON, no envelope_id). */
  readonly strayMessages: { connectionId: string; text: string; at: number }[] = [];
  private on: boolean;
  readonly ackTimeoutMs: number;
  private readonly o: Required<Omit<SocketModeOptions, "enabled" | "appId">>;
  /** Slack's URL carries a 64-hex identifier of the app, not its ID (seen in bolt-js#2496 logs). */
  readonly appIdParam: string;

  constructor(private readonly options: SocketModeOptions) {
    this.on = options.enabled ?? false;
    this.o = {
      ackTimeoutMs: options.ackTimeoutMs ?? 3000,
      maxConnections: options.maxConnections ?? 10,
      ticketTtlMs: options.ticketTtlMs ?? 10_000,
      pingIntervalMs: options.pingIntervalMs ?? 10_000,
      connectionLifetimeMs: options.connectionLifetimeMs ?? 3_600_000,
      debugReconnectsLifetimeMs: options.debugReconnectsLifetimeMs ?? 360_000,
      warningLeadMs: options.warningLeadMs ?? 10_000,
      closeGraceMs: options.closeGraceMs ?? 5000,
      reconnectWindowMs: options.reconnectWindowMs ?? 10_000,
    };
    this.ackTimeoutMs = this.o.ackTimeoutMs;
    this.appIdParam = createHash("sha256").update(options.appId).digest("hex");
  }

  /** The app's Socket Mode toggle: while on, every delivery goes over the connections. */
  get enabled(): boolean {
    return this.on;
  }

  /** Copies of every connection opened so far, oldest first. */
  get connections(): SocketModeConnection[] {
    return this.live.map((l) => ({ ...l.info, disconnects: [...l.info.disconnects] }));
  }

  /** Connections that take envelopes now. */
  get openConnections(): SocketModeConnection[] {
    return this.connections.filter((c) => c.state === "open");
  }

  /** apps.connections.open: a fresh one-time URL. */
  issueUrl(baseUrl: string): string {
    const now = Date.now();
    for (const [t, v] of this.tickets) {
      if (v.used || now - v.issuedAt > this.o.ticketTtlMs) this.tickets.delete(t);
    }
    const ticket = randomUUID();
    this.tickets.set(ticket, { issuedAt: now, used: false });
    const ws = baseUrl.replace(/^http/, "ws");
    return `${ws}${LINK_PATH}?ticket=${ticket}&app_id=${this.appIdParam}`;
  }

  /** node:http 'upgrade' for LINK_PATH. */
  handleUpgrade(req: IncomingMessage, socket: Duplex, head: Buffer) {
    const url = new URL(req.url ?? "/", "http://emulator.local");
    const refuse = (status: number, reason: string) => {
      this.refused.push({ at: Date.now(), status, reason, url: req.url ?? "" });
      refuseUpgrade(socket, { status, reason });
    };
    if (this.stopped) return refuse(503, "the emulator is stopping");
    const handshake = checkHandshake(req);
    if ("status" in handshake) return refuse(handshake.status, handshake.reason);
    // Chosen where Slack is silent: a URL is one-time and short-lived; anything else is 401.
    const ticket = url.searchParams.get("ticket") ?? "";
    const issued = this.tickets.get(ticket);
    if (url.searchParams.get("app_id") !== this.appIdParam) {
      return refuse(401, "app_id does not match the ticket");
    }
    if (!issued) return refuse(401, "unknown ticket");
    if (issued.used) return refuse(401, "ticket already used");
    if (Date.now() - issued.issuedAt > this.o.ticketTtlMs) return refuse(401, "ticket expired");
    issued.used = true;
    const ws = acceptUpgrade(socket, head, handshake.key);
    const info: SocketModeConnection = {
      id: `sm-${randomHex(8)}`,
      state: "open",
      openedAt: Date.now(),
      disconnects: [],
      debugReconnects: url.searchParams.get("debug_reconnects") === "true",
      envelopes: 0,
      pingsReceived: 0,
      pongsReceived: 0,
    };
    const live: Live = { info, ws, timers: [], pending: new Map() };
    this.live.push(live);
    ws.on("message", (text) => this.receive(live, text));
    ws.on("ping", () => info.pingsReceived++);
    ws.on("pong", () => info.pongsReceived++);
    ws.on("close", (code) => this.closed(live, code));
    if (this.count() > this.o.maxConnections) {
      // Slack's answer to an 11th connection (node-slack-sdk#1762 handles it as a disconnect reason).
      this.sendDisconnect(live, "too_many_websockets");
      live.info.state = "disconnecting";
      ws.close(CloseCode.policyViolation, "too many websockets");
      return;
    }
    const lifetime = info.debugReconnects ? this.o.debugReconnectsLifetimeMs : this.o.connectionLifetimeMs;
    this.sendJson(live, {
      type: "hello",
      num_connections: this.count(),
      debug_info: {
        host: "applink-emulator",
        started: new Date().toISOString().replace("T", " ").replace("Z", ""),
        build_number: 1,
        approximate_connection_time: Math.round(lifetime / 1000),
      },
      connection_info: { app_id: this.options.appId },
    });
    if (this.o.pingIntervalMs > 0) {
      let n = 0;
      const ping = setInterval(() => ws.ping(`ping-${++n}`), this.o.pingIntervalMs);
      live.timers.push(ping);
    }
    const warnAt = Math.max(0, lifetime - this.o.warningLeadMs);
    live.timers.push(setTimeout(() => this.disconnectOne(live, "warning"), warnAt));
    live.timers.push(setTimeout(() => this.disconnectOne(live, "refresh_requested"), lifetime));
    for (const t of live.timers) t.unref?.();
    this.notify();
  }

  /**
   * Sends `{type: "disconnect", reason}` to one connection (by id) or to every open one, as Slack
   * does before it recycles a connection (refresh_requested), about 10 s before that (warning), or
   * when Socket Mode is turned off (link_disabled, which also turns it off here). Returns the ids.
   */
  disconnect(reason: DisconnectReason, options: { connectionId?: string } = {}): string[] {
    const targets = this.live.filter(
      (l) =>
        l.info.state !== "closed" &&
        (options.connectionId === undefined || l.info.id === options.connectionId),
    );
    if (options.connectionId !== undefined && targets.length === 0) {
      throw new Error(`no open Socket Mode connection ${options.connectionId}`);
    }
    if (reason === "link_disabled" && options.connectionId === undefined) this.on = false;
    for (const l of targets) this.disconnectOne(l, reason);
    return targets.map((l) => l.info.id);
  }

  /** The app's Socket Mode toggle. Turning it off sends link_disabled to every connection. */
  setEnabled(on: boolean): void {
    if (on) this.on = true;
    else if (this.enabled) this.disconnect("link_disabled");
  }

  /** Resolves once at least `count` connections are open (hello sent). */
  async waitForConnections(count = 1, timeoutMs = 10_000): Promise<void> {
    const deadline = Date.now() + timeoutMs;
    while (this.count() < count) {
      const left = deadline - Date.now();
      if (left <= 0) {
        throw new Error(`socketMode: fewer than ${count} open connections after ${timeoutMs} ms`);
      }
      await this.nextChange(left);
    }
  }

  /**
   * Sends one envelope to an open connection and resolves with the app's ack. Rejects with
   * RequestTimeoutError when no ack comes within the ack timeout (or options.timeoutMs if
   * shorter), NoSocketModeConnectionError when no connection is open (events first wait up to
   * reconnectWindowMs for one), ConnectionClosedBeforeAckError when the connection goes first.
   */
  async deliver(
    request: EnvelopeRequest,
    options: { timeoutMs?: number; waitForConnectionMs?: number; signal?: AbortSignal } = {},
  ): Promise<Ack> {
    if (!this.enabled) throw new NoSocketModeConnectionError("Socket Mode is turned off for the app");
    let target = this.pick();
    const waitMs =
      options.waitForConnectionMs ?? (request.type === "events_api" ? this.o.reconnectWindowMs : 0);
    if (!target && waitMs > 0) {
      const deadline = Date.now() + waitMs;
      while (!target && !this.stopped && !options.signal?.aborted) {
        const left = deadline - Date.now();
        if (left <= 0) break;
        await this.nextChange(left);
        target = this.enabled ? this.pick() : undefined;
      }
    }
    if (options.signal?.aborted) throw new Error("aborted");
    if (!target) throw new NoSocketModeConnectionError("no open Socket Mode connection");
    const live = target;
    const envelopeId = randomUUID();
    const message: JsonObject = {
      envelope_id: envelopeId,
      payload: request.payload,
      type: request.type,
      accepts_response_payload: request.acceptsResponsePayload,
    };
    if (request.type === "events_api") {
      // As in Slack's own test fixtures (python-slack-sdk tests/slack_sdk/socket_mode).
      message.retry_attempt = request.retryAttempt ?? 0;
      message.retry_reason = request.retryReason ?? "";
    }
    const record: EnvelopeRecord = {
      envelopeId,
      type: request.type,
      connectionId: live.info.id,
      payload: request.payload,
      acceptsResponsePayload: request.acceptsResponsePayload,
      ...(request.retryAttempt ? { retryAttempt: request.retryAttempt } : {}),
      ...(request.retryReason ? { retryReason: request.retryReason } : {}),
      sentAt: Date.now(),
      outcome: "pending",
    };
    this.envelopes.push(record);
    live.info.envelopes++;
    const timeoutMs = Math.min(options.timeoutMs ?? this.o.ackTimeoutMs, this.o.ackTimeoutMs);
    return new Promise<Ack>((resolve, reject) => {
      const onAbort = () => settle("connection_closed", new Error("aborted"));
      const settle = (outcome: EnvelopeRecord["outcome"], err: Error) => {
        if (record.outcome !== "pending") return;
        record.outcome = outcome;
        clearTimeout(pending.timer);
        this.pending.delete(envelopeId);
        live.pending.delete(envelopeId);
        options.signal?.removeEventListener("abort", onAbort);
        reject(err);
      };
      const pending: Pending = {
        record,
        resolve: (ack) => {
          options.signal?.removeEventListener("abort", onAbort);
          resolve(ack);
        },
        reject: (err) => settle("connection_closed", err),
        timer: setTimeout(() => settle("timeout", new RequestTimeoutError(timeoutMs)), timeoutMs),
      };
      this.pending.set(envelopeId, pending);
      live.pending.set(envelopeId, pending);
      options.signal?.addEventListener("abort", onAbort, { once: true });
      this.sendJson(live, message);
    });
  }

  /** Drops every connection (the emulator is stopping). */
  stop(): void {
    this.stopped = true;
    for (const l of this.live) {
      for (const t of l.timers) clearTimeout(t);
      if (l.info.state !== "closed") l.ws.terminate();
    }
    for (const p of [...this.pending.values()]) p.reject(new Error("the emulator stopped"));
    this.notify();
  }

  private count(): number {
    return this.live.filter((l) => l.info.state === "open").length;
  }

  /** Round robin over the open connections: Slack promises no pattern. */
  private pick(): Live | undefined {
    const open = this.live.filter((l) => l.info.state === "open");
    if (open.length === 0) return undefined;
    const chosen = open[this.roundRobin % open.length];
    this.roundRobin++;
    return chosen;
  }

  private disconnectOne(live: Live, reason: DisconnectReason): void {
    if (live.info.state === "closed") return;
    this.sendDisconnect(live, reason);
    if (reason === "warning") return; // still in use until the refresh
    live.info.state = "disconnecting";
    for (const t of live.timers) clearTimeout(t);
    if (reason === "link_disabled") {
      live.ws.close(CloseCode.normal, "link disabled");
    } else {
      // The app is expected to close and reconnect; if it does not, the server hangs up.
      const grace = setTimeout(() => live.ws.close(CloseCode.normal, reason), this.o.closeGraceMs);
      grace.unref?.();
      live.timers.push(grace);
    }
    this.notify();
  }

  private sendDisconnect(live: Live, reason: DisconnectReason): void {
    live.info.disconnects.push(reason);
    this.sendJson(live, { type: "disconnect", reason, debug_info: { host: "applink-emulator" } });
  }

  private sendJson(live: Live, message: JsonObject): void {
    if (live.ws.state !== "open") return;
    live.ws.send(JSON.stringify(message));
  }

  /** An ack `{envelope_id, payload?}` (SocketModeClient.send always adds `payload`). */
  private receive(live: Live, text: string): void {
    let parsed: unknown;
    try {
      parsed = JSON.parse(text);
    } catch {
      parsed = undefined;
    }
    const envelopeId =
      typeof parsed === "object" && parsed !== null && !Array.isArray(parsed)
        ? (parsed as { envelope_id?: unknown }).envelope_id
        : undefined;
    if (typeof envelopeId !== "string") {
      this.strayMessages.push({ connectionId: live.info.id, text, at: Date.now() });
      return;
    }
    const pending = this.pending.get(envelopeId);
    if (!pending) {
      const record = this.envelopes.find((e) => e.envelopeId === envelopeId);
      if (record) record.lateAckAt ??= Date.now();
      else this.strayMessages.push({ connectionId: live.info.id, text, at: Date.now() });
      return;
    }
    const { record } = pending;
    const raw = (parsed as { payload?: Json }).payload;
    const hasPayload =
      raw !== undefined &&
      raw !== null &&
      !(typeof raw === "object" && !Array.isArray(raw) && Object.keys(raw).length === 0);
    clearTimeout(pending.timer);
    this.pending.delete(envelopeId);
    for (const l of this.live) l.pending.delete(envelopeId);
    record.outcome = "acked";
    record.ackedAt = Date.now();
    let payload: Json | undefined;
    if (hasPayload && record.acceptsResponsePayload) {
      payload = raw;
      record.ackPayload = raw;
    } else if (hasPayload) {
      record.ignoredPayload = true;
    }
    pending.resolve({
      envelopeId,
      ...(payload !== undefined ? { payload } : {}),
      elapsedMs: record.ackedAt - record.sentAt,
    });
  }

  private closed(live: Live, code: number): void {
    live.info.state = "closed";
    live.info.closedAt = Date.now();
    live.info.closeCode = code;
    for (const t of live.timers) clearTimeout(t);
    for (const p of [...live.pending.values()])
      p.reject(new ConnectionClosedBeforeAckError(p.record.envelopeId));
    this.notify();
  }

  private notify(): void {
    const waiters = [...this.waiters];
    this.waiters.clear();
    for (const w of waiters) w();
  }

  /** Resolves at the next connection change, or after `ms`. */
  private nextChange(ms: number): Promise<void> {
    return new Promise((resolve) => {
      const done = () => {
        clearTimeout(timer);
        this.waiters.delete(done);
        resolve();
      };
      const timer = setTimeout(done, ms);
      this.waiters.add(done);
    });
  }
}
