// A local, in-memory Slack for HeroDesk's tests and demo.
//
// The real @slack/web-api WebClient talks to it (slackApiUrl: emulator.apiUrl), the real Bolt
// receiver accepts its signed requests, and tests read back what "Slack saw" from
// emulator.workspace (what exists), emulator.calls, .ephemerals, .responseUrlPosts (what the app
// did, record.ts) and emulator.deliveries. One emulator per test file, each on its own free port.
import { createServer, type Server } from "node:http";
import type { AddressInfo } from "node:net";
import {
  Access,
  botLeftEvent,
  memberJoinedEvent,
  readManifest,
  readShortcuts,
  type TokenState,
} from "./access.ts";
import { Driver } from "./driver.ts";
import {
  ActivityTracker,
  COMPRESSED_RETRY_DELAYS_MS,
  EventDispatcher,
  type EventFailureLimit,
} from "./events.ts";
import {
  type Budget,
  ChannelRateLimiter,
  POST_MESSAGE_LIMIT,
  type RateLimitConfig,
  type TierLimits,
  TierRateLimiter,
} from "./ratelimit.ts";
import { AppRecord } from "./record.ts";
import { createRouter, createUpgradeHandler } from "./server.ts";
import { type SocketModeOptions, SocketModeServer } from "./socket-mode.ts";
import { type Announce, RESPONSE_URL_LIMITS, ResponseUrlRegistry, TriggerRegistry } from "./surfaces.ts";
import { releaseSocketModeTarget, socketModeTarget } from "./transport.ts";
import type { ApiCall, DeliveryAttempt, EphemeralRecord, ResponseUrlPost } from "./types.ts";
import type { ApiContext } from "./web-api/index.ts";
import { Workspace } from "./workspace.ts";

export interface EmulatorOptions {
  /** Default 0: a random free port. */
  port?: number;
  /** Default "127.0.0.1". */
  host?: string;
  /** Default "xoxb-emulator-token"; any other token gets invalid_auth. */
  botToken?: string;
  /** Default "emulator-signing-secret"; every request to the app is signed with it. */
  signingSecret?: string;
  /** Where the driver and event delivery POST, e.g. "http://127.0.0.1:3000/slack/events". */
  appUrl?: string;
  /** Default "T0HERODESK". */
  teamId?: string;
  /** Default "HeroDesk Demo". */
  teamName?: string;
  /** Default "herodesk-demo". */
  teamDomain?: string;
  /** Default "U0HEROBOT". */
  botUserId?: string;
  /** Default "B0HEROBOT". */
  botId?: string;
  /** Default "A0HERODESK". */
  appId?: string;
  /** The bot's display name. Default "HeroDesk". */
  botName?: string;
  /** The legacy verification token put in payloads' `token` field. */
  verificationToken?: string;
  /**
   * chat.postMessage's limits: per channel { perSecond: 1, burst: 3 } (never more than 60 a minute)
   * and workspacePerMinute: 300 across channels. false turns both off.
   */
  rateLimit?: RateLimitConfig | false;
  /**
   * Every other method's tier limit (tiers.ts), one bucket per method. Default SLACK_TIERS (Tier 1:
   * 1/min, Tier 2: 20, Tier 3: 50, Tier 4: 100, special: 200, each a minute's worth at once and
   * never more within any 60 s); override single tiers, e.g. { tier3: { perMinute: 50, burst: 5 } };
   * false turns tier limits off.
   */
  tierLimits?: Partial<TierLimits> | false;
  /** A budget for single methods, over their tier's, e.g. { "conversations.history": { perMinute: 1, burst: 1 } }. */
  methodLimits?: Record<string, Budget>;
  /** Each Web API answer is sent this many ms after the call took effect (a slow Slack). Default 0. */
  apiLatencyMs?: number | ((method: string) => number);
  /** Default true: message events are POSTed to appUrl as Slack's Events API does. */
  deliverEvents?: boolean;
  /**
   * How long the app has to answer an event with a 2xx. Default 3000 (Slack's). Past it the retry
   * goes out while the first attempt keeps running.
   */
  ackTimeoutMs?: number;
  /**
   * Delays before retries 1..3, counted from the failed attempt. Default [0, 100, 500]: Slack's
   * "nearly immediately, 1 minute, 5 minutes" (SLACK_RETRY_DELAYS_MS) compressed 600 times.
   */
  retryDelaysMs?: readonly number[];
  /** Events API deliveries per rolling hour before the rest are dropped. Default 30000 (Slack's); false: none. */
  eventDeliveriesPerHour?: number | false;
  /**
   * When the app's event subscriptions get disabled. Default SLACK_EVENT_FAILURE_LIMIT (fewer than
   * 5% of at least 1000 deliveries in 60 minutes acknowledged); false: never.
   */
  eventFailureLimit?: EventFailureLimit | false;
  /** Each event's first attempt waits a random 0..eventJitterMs (out-of-order arrival). Default 0. */
  eventJitterMs?: number;
  /** How long a trigger_id stays usable for views.open. Default 3000 (Slack's). */
  triggerTtlMs?: number;
  /** The app manifest the grant is read from. Default manifest/manifest.json of this repository. */
  manifest?: string | URL;
  /**
   * The bot scopes granted to the app. Default the manifest's oauth_config.scopes.bot; a call
   * without the scope its method needs gets missing_scope.
   */
  scopes?: string[];
  /** Subscribed bot events. Default the manifest's settings.event_subscriptions.bot_events. */
  botEvents?: string[];
  /**
   * The app's shortcuts, as in a manifest's features.shortcuts ({name, type, callback_id,
   * description}). Default the manifest's; driver.messageShortcut only runs declared ones.
   */
  shortcuts?: unknown[];
  /**
   * How the app receives events, slash commands and interactions. "http" (default): signed POSTs
   * to appUrl. "socket": the app's Socket Mode toggle is on, so everything goes as envelopes over
   * the WebSocket connections the app opens with apps.connections.open (see README, Socket Mode),
   * never over HTTP. Switch later with emulator.socketMode.setEnabled().
   */
  delivery?: "http" | "socket";
  /** The app-level token for apps.connections.open. Default "xapp-emulator-token". */
  appToken?: string;
  /** The app-level token's scopes. Default ["connections:write"] (what Socket Mode needs). */
  appTokenScopes?: string[];
  /** Socket Mode details (connections per app, ticket lifetime, pings, refreshes). */
  socketMode?: Omit<SocketModeOptions, "appId" | "enabled" | "ackTimeoutMs">;
  /** How long a response_url works. Default 30 minutes (Slack's). */
  responseUrlTtlMs?: number;
  /** How many POSTs a response_url takes. Default 5 (Slack's). */
  responseUrlMaxUses?: number;
}

export interface IdleOptions {
  /**
   * Also wait until nothing happened (no delivery, no API call) for this many milliseconds: lets
   * an app that acks an event first and calls the API afterwards finish its work. Default 0.
   */
  settleMs?: number;
  /** Give up (reject) after this long. Default 10000. */
  timeoutMs?: number;
}

export class SlackEmulator {
  readonly apiUrl: string;
  readonly baseUrl: string;
  readonly workspace: Workspace;
  readonly driver: Driver;
  readonly botToken: string;
  readonly signingSecret: string;
  /** Granted scopes, subscribed events and the bot token's state (setTokenState). */
  readonly access: Access;
  readonly appToken: string;
  /** Socket Mode: connections, envelopes, disconnect(reason), setEnabled(on). */
  readonly socketMode: SocketModeServer;
  /** The response_urls handed out; failNext(n, status) stages an outage of them. */
  readonly responseUrls: ResponseUrlRegistry;

  private appUrl: string | undefined;
  private readonly socketTarget: string;
  private readonly server: Server;
  private readonly dispatcher: EventDispatcher;
  private readonly activity: ActivityTracker;
  private readonly announce: Announce;
  private readonly record: AppRecord;
  private stopped = false;

  private constructor(init: {
    server: Server;
    baseUrl: string;
    workspace: Workspace;
    driver: Driver;
    record: AppRecord;
    dispatcher: EventDispatcher;
    activity: ActivityTracker;
    appUrl: string | undefined;
    botToken: string;
    signingSecret: string;
    access: Access;
    announce: Announce;
    appToken: string;
    socketMode: SocketModeServer;
    socketTarget: string;
    responseUrls: ResponseUrlRegistry;
  }) {
    this.server = init.server;
    this.baseUrl = init.baseUrl;
    this.apiUrl = `${init.baseUrl}/api/`;
    this.workspace = init.workspace;
    this.driver = init.driver;
    this.record = init.record;
    this.dispatcher = init.dispatcher;
    this.activity = init.activity;
    this.appUrl = init.appUrl;
    this.botToken = init.botToken;
    this.signingSecret = init.signingSecret;
    this.access = init.access;
    this.announce = init.announce;
    this.appToken = init.appToken;
    this.socketMode = init.socketMode;
    this.socketTarget = init.socketTarget;
    this.responseUrls = init.responseUrls;
  }

  static async start(options: EmulatorOptions = {}): Promise<SlackEmulator> {
    const botToken = options.botToken ?? "xoxb-emulator-token";
    const appToken = options.appToken ?? "xapp-emulator-token";
    const signingSecret = options.signingSecret ?? "emulator-signing-secret";
    const workspace = new Workspace({
      teamId: options.teamId ?? "T0HERODESK",
      teamName: options.teamName ?? "HeroDesk Demo",
      teamDomain: options.teamDomain ?? "herodesk-demo",
      botUserId: options.botUserId ?? "U0HEROBOT",
      botId: options.botId ?? "B0HEROBOT",
      appId: options.appId ?? "A0HERODESK",
      botName: options.botName ?? "HeroDesk",
    });
    const envelope = {
      teamId: workspace.team.id,
      appId: workspace.bot.appId,
      botUserId: workspace.bot.userId,
      verificationToken: options.verificationToken ?? "emulator-verification-token",
    };
    const manifest =
      options.scopes && options.botEvents && options.shortcuts
        ? undefined
        : readManifest(options.manifest ?? undefined);
    const shortcuts = options.shortcuts ? readShortcuts(options.shortcuts) : (manifest?.shortcuts ?? []);
    const access = new Access({
      scopes: options.scopes ?? manifest?.botScopes ?? [],
      botEvents: options.botEvents ?? manifest?.botEvents ?? [],
    });
    const deliverEvents = options.deliverEvents ?? true;
    const record = new AppRecord();
    const activity = new ActivityTracker();
    let emulator: SlackEmulator | undefined;
    let baseUrl = "";
    const ackTimeoutMs = options.ackTimeoutMs ?? 3000;
    const socketMode = new SocketModeServer({
      ...options.socketMode,
      appId: workspace.bot.appId,
      enabled: options.delivery === "socket",
      ackTimeoutMs,
    });
    const socketTarget = socketModeTarget(socketMode);
    // Where the driver and the dispatcher send: the Socket Mode link while the toggle is on.
    const getAppUrl = () => (socketMode.enabled ? socketTarget : (emulator?.appUrl ?? options.appUrl));
    const dispatcher = new EventDispatcher({
      signingSecret,
      envelope,
      getAppUrl,
      ackTimeoutMs,
      retryDelaysMs: options.retryDelaysMs ?? COMPRESSED_RETRY_DELAYS_MS,
      activity,
      deliveriesPerHour: options.eventDeliveriesPerHour ?? 30_000,
      ...(options.eventFailureLimit !== undefined ? { failureLimit: options.eventFailureLimit } : {}),
      ...(options.eventJitterMs ? { jitterMs: options.eventJitterMs } : {}),
    });
    // Slack sends only subscribed events whose scope was granted, message events only from
    // conversations the app's bot is in (access.ts).
    const announce: Announce = (channel, event) => {
      const info = workspace.channel(channel);
      if (!deliverEvents || !info) return;
      if (!access.delivers(event, info, workspace.isMember(channel, workspace.bot.userId))) return;
      dispatcher.enqueue(event, { isExtSharedChannel: info.is_ext_shared });
    };
    const triggers = new TriggerRegistry(options.triggerTtlMs ?? 3000);
    const responseUrls = new ResponseUrlRegistry(() => baseUrl, {
      ttlMs: options.responseUrlTtlMs ?? RESPONSE_URL_LIMITS.ttlMs,
      maxUses: options.responseUrlMaxUses ?? RESPONSE_URL_LIMITS.maxUses,
    });
    const api: ApiContext = {
      ws: workspace,
      record,
      access,
      limiter: new ChannelRateLimiter(options.rateLimit ?? POST_MESSAGE_LIMIT),
      triggers,
      announce,
      baseUrl: () => baseUrl,
      socketMode,
      appTokenScopes: options.appTokenScopes ?? ["connections:write"],
    };
    const router = createRouter({
      ws: workspace,
      api,
      botToken,
      record,
      responseUrls,
      announce,
      activity,
      tiers: new TierRateLimiter(options.tierLimits ?? {}, options.methodLimits),
      latency: latencyOf(options.apiLatencyMs),
      appToken,
    });
    const server = createServer(router);
    server.on("upgrade", createUpgradeHandler({ socketMode }));
    const host = options.host ?? "127.0.0.1";
    await new Promise<void>((resolve, reject) => {
      server.once("error", reject);
      server.listen(options.port ?? 0, host, () => {
        server.off("error", reject);
        resolve();
      });
    });
    const { port } = server.address() as AddressInfo;
    baseUrl = `http://${host.includes(":") ? `[${host}]` : host}:${port}`;
    const driver = new Driver({
      ws: workspace,
      record,
      signingSecret,
      envelope,
      getAppUrl,
      triggers,
      responseUrls,
      announce,
      ackDeadlineMs: ackTimeoutMs,
      shortcuts,
      baseUrl: () => baseUrl,
    });
    emulator = new SlackEmulator({
      server,
      baseUrl,
      workspace,
      driver,
      record,
      dispatcher,
      activity,
      appUrl: options.appUrl,
      botToken,
      signingSecret,
      access,
      announce,
      appToken,
      socketMode,
      socketTarget,
      responseUrls,
    });
    return emulator;
  }

  /** Every Web API call the app made, in the order they were answered. */
  get calls(): ApiCall[] {
    return this.record.calls;
  }

  /** Ephemeral messages the app showed (chat.postEphemeral, response_url, ack bodies), in order. */
  get ephemerals(): EphemeralRecord[] {
    return this.record.ephemerals;
  }

  /** Every POST the app made to a response_url. */
  get responseUrlPosts(): ResponseUrlPost[] {
    return this.record.responseUrlPosts;
  }

  /** Every Events API delivery attempt, in the order they were decided (answered or timed out). */
  get deliveries(): DeliveryAttempt[] {
    return this.dispatcher.deliveries;
  }

  /** True once too many failed deliveries made Slack disable the app's event subscriptions. */
  get eventSubscriptionsDisabled(): boolean {
    return this.dispatcher.subscriptionsDisabled;
  }

  /** Turns event subscriptions back on, as the app's owner would in its settings. */
  enableEventSubscriptions(): void {
    this.dispatcher.enableSubscriptions();
  }

  setAppUrl(url: string): void {
    this.appUrl = url;
  }

  /**
   * The bot token's state: "invalid_auth", "account_inactive" (app uninstalled) or "token_revoked"
   * make every authenticated call fail with that error; the last two also stop event delivery.
   */
  setTokenState(state: TokenState): void {
    this.access.tokenState = state;
  }

  /** Someone removes a member (default the app's bot) from a channel; the bot gets channel_left / group_left. */
  removeFromChannel(channel: string, options: { userId?: string; by?: string } = {}): void {
    const ws = this.workspace;
    const userId = options.userId ?? ws.bot.userId;
    const info = ws.channel(channel);
    if (!info) throw new Error(`unknown channel ${channel}`);
    ws.leave(info.id, userId);
    if (userId === ws.bot.userId) this.announce(info.id, botLeftEvent(info, ws.nextTs(), options.by));
  }

  /** Someone invites a user (default the app's bot) into a channel: member_joined_channel, as Slack sends it. */
  inviteToChannel(channel: string, options: { userId?: string; inviter?: string } = {}): void {
    const ws = this.workspace;
    const userId = options.userId ?? ws.bot.userId;
    const info = ws.channel(channel);
    if (!info) throw new Error(`unknown channel ${channel}`);
    if (ws.isMember(info.id, userId)) return;
    ws.join(info.id, userId);
    this.announce(info.id, memberJoinedEvent(info, userId, ws.team.id, ws.nextTs(), options.inviter));
  }

  /**
   * Resolves once no event delivery (including scheduled retries) and no API request is in flight;
   * with settleMs, once that has also been true for settleMs.
   */
  async idle(options: IdleOptions = {}): Promise<void> {
    const settleMs = options.settleMs ?? 0;
    const deadline = Date.now() + (options.timeoutMs ?? 10_000);
    for (;;) {
      const remaining = deadline - Date.now();
      if (remaining <= 0) throw new Error("emulator.idle(): still busy after the timeout");
      let timer: NodeJS.Timeout | undefined;
      const timeout = new Promise<"timeout">((resolve) => {
        timer = setTimeout(() => resolve("timeout"), remaining);
      });
      const result = await Promise.race([this.activity.whenIdle(), timeout]);
      if (timer) clearTimeout(timer);
      if (result === "timeout") throw new Error("emulator.idle(): still busy after the timeout");
      if (settleMs <= 0 || this.stopped) return;
      const quietFor = Date.now() - this.activity.lastChangeAt;
      if (quietFor >= settleMs && !this.activity.busy) return;
      await new Promise((resolve) => setTimeout(resolve, Math.max(5, settleMs - quietFor)));
    }
  }

  /**
   * Polls `probe` until it returns something other than undefined/false/null, e.g.
   * `await emu.waitFor(() => emu.workspace.dms("U1")[0])`. Rejects after timeoutMs (default 5000).
   */
  async waitFor<T>(
    probe: () => T | undefined | null | false,
    options: { timeoutMs?: number; intervalMs?: number } = {},
  ): Promise<T> {
    const deadline = Date.now() + (options.timeoutMs ?? 5000);
    for (;;) {
      const value = probe();
      if (value !== undefined && value !== null && value !== false) return value;
      if (Date.now() > deadline) throw new Error("emulator.waitFor(): condition not met in time");
      await new Promise((resolve) => setTimeout(resolve, options.intervalMs ?? 10));
    }
  }

  async stop(): Promise<void> {
    if (this.stopped) return;
    this.stopped = true;
    this.dispatcher.stop();
    this.socketMode.stop();
    releaseSocketModeTarget(this.socketTarget);
    this.activity.flush();
    await new Promise<void>((resolve) => {
      this.server.close(() => resolve());
      this.server.closeAllConnections();
    });
  }
}

function latencyOf(option: EmulatorOptions["apiLatencyMs"]): ((method: string) => number) | undefined {
  if (option === undefined) return undefined;
  return typeof option === "function" ? option : () => option;
}

export {
  assertValidBlocks,
  assertValidMessage,
  assertValidView,
  BlockKitError,
  type BlockKitIssue,
  blocksSize,
  formatIssues,
  LIMITS as BLOCK_KIT_LIMITS,
  type MessagePayload,
  type Surface,
  slackLength,
  type TextKind,
  type Verdict,
  validateBlocks,
  validateMessage,
  validateView,
  validateViewPayload,
} from "./blockkit.ts";
export type {
  BlockActionInput,
  DriverResponse,
  MessageShortcutInput,
  PersonMessageInput,
  ReactionInput,
  SlashCommandInput,
  ViewSubmissionInput,
  ViewValuesInput,
} from "./driver.ts";
export { Driver } from "./driver.ts";
export {
  COMPRESSED_RETRY_DELAYS_MS,
  type EventFailureLimit,
  SLACK_EVENT_FAILURE_LIMIT,
  SLACK_RETRY_DELAYS_MS,
} from "./events.ts";
export {
  type Budget,
  POST_MESSAGE_LIMIT,
  type RateLimitConfig,
  SLACK_TIERS,
  type Tier,
  type TierLimit,
  type TierLimits,
} from "./ratelimit.ts";
export { seedDemoWorkspace } from "./seed.ts";
export { signature as slackSignature, verifySignature } from "./signing.ts";
export {
  type DisconnectReason,
  type EnvelopeRecord,
  type EnvelopeType,
  NoSocketModeConnectionError,
  type SocketModeConnection,
  SocketModeServer,
} from "./socket-mode.ts";
export { RESPONSE_URL_LIMITS } from "./surfaces.ts";
export { METHOD_TIERS, type MethodRate } from "./tiers.ts";
export type * from "./types.ts";
export type { AddChannelOptions, AddUserOptions, ExternalOrg } from "./workspace.ts";
export { Workspace } from "./workspace.ts";
