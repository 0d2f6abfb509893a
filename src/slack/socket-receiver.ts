// HeroDesk's Socket Mode receiver: Bolt's Receiver interface on the SocketModeClient Slack ships.
//
// Why not Bolt's SocketModeReceiver as it is:
// - It acknowledges an Events API envelope before any listener runs (bolt-js src/App.ts,
//   processEvent: "Events API requests are acknowledged right away"; SocketModeResponseAck sends the
//   ack at once; processBeforeResponse exists only for HTTP). An event could be acknowledged and
//   then lost in a crash. Here an event's envelope is acknowledged only once app.processEvent has
//   finished, that is once the listener stored what it must; when it failed, not at all, so Slack
//   sends the event again after its 3 s (https://docs.slack.dev/apis/events-api/using-socket-mode,
//   "Acknowledge events"), and the retry is deduplicated by event id (the store marks an event seen
//   in the transaction that stores it). Commands and interactions are acknowledged when their
//   listener calls ack(), with its payload: that is Slack's answer to the person (a usage text, a
//   modal's response_action).
// - SocketModeClient's own reconnect leaves a failed start() unobserved (slackapi/node-slack-sdk
//   issue 2656, still so in 3.1.0): an unhandled rejection, which ends a Node process. Here
//   reconnects are HeroDesk's: every attempt is awaited and retried with backoff, and stop() leaves
//   no connection behind.
//
// The client is the one Bolt's SocketModeReceiver builds, with apps.connections.open going to
// `slackApiUrl` (Bolt hands installerOptions.clientOptions to it); Bolt's envelope handler is
// removed from it, and @slack/socket-mode stays Bolt's dependency rather than HeroDesk's.
import {
  type App,
  type Logger as BoltLogger,
  type Receiver,
  type ReceiverEvent,
  SocketModeReceiver,
} from "@slack/bolt";
import type { Logger } from "../logger.ts";

type SocketModeClient = SocketModeReceiver["client"];

/** What SocketModeClient hands its `slack_event` listeners (socket-mode src/SocketModeClient.ts). */
interface Envelope {
  ack: (response?: unknown) => Promise<void>;
  envelope_id: string;
  /** events_api, slash_commands or interactive */
  type: string;
  body: Record<string, unknown>;
  retry_num?: number;
  retry_reason?: string;
}

export interface SocketReceiverOptions {
  appToken: string;
  /** Where apps.connections.open goes: SLACK_API_URL, like every other Web API call. */
  slackApiUrl?: string;
  /** For the SocketModeClient and its WebClient. */
  boltLogger: BoltLogger;
  logger: Logger;
  /** Told of every envelope as it arrives, before Bolt reads it (src/slack/ack-first.ts). */
  onArrival?: () => void;
}

/** Waits between failed connection attempts, doubling; apps.connections.open is Tier 1. */
const BACKOFF = { initialMs: 1_000, maxMs: 60_000 };

export class SocketReceiver implements Receiver {
  readonly client: SocketModeClient;
  private app: App | undefined;
  private stopping = true;
  /** The connection attempt (with its retries) under way, if any. */
  private connecting: Promise<void> | undefined;
  private wake: (() => void) | undefined;

  constructor(private readonly options: SocketReceiverOptions) {
    this.client = new SocketModeReceiver({
      appToken: options.appToken,
      logger: options.boltLogger,
      autoReconnectEnabled: false,
      installerOptions: { clientOptions: options.slackApiUrl ? { slackApiUrl: options.slackApiUrl } : {} },
    }).client;
    this.client.removeAllListeners("slack_event");
    this.client.on("slack_event", (envelope: Envelope) => {
      this.handle(envelope).catch((err: unknown) =>
        options.logger.error("Socket Mode envelope not handled", {
          envelopeId: envelope.envelope_id,
          error: err,
        }),
      );
    });
    // The link closed (Slack's refresh_requested, a lost connection): connect again, unless
    // stopping or an attempt is under way (its own failure is handled there).
    this.client.on("disconnected", () => {
      if (this.stopping || this.connecting) return;
      options.logger.info("Socket Mode link closed; connecting again");
      this.connect(false).catch(() => {}); // never rejects when not failing fast
    });
  }

  init(app: App): void {
    this.app = app;
  }

  /** Resolves once connected (Slack's hello). A token Slack refuses fails start-up. */
  start(): Promise<void> {
    this.stopping = false;
    return this.connect(true);
  }

  async stop(): Promise<void> {
    this.stopping = true;
    this.wake?.();
    await this.client.disconnect();
    // An attempt in flight may still open a link after that (its apps.connections.open was
    // already asked): wait for it, then close what it opened.
    if (this.connecting) {
      await this.connecting.catch(() => {});
      await this.client.disconnect();
    }
  }

  /**
   * Connects, trying again with backoff on failure. `failFast` (start-up): an answer from Slack
   * refusing apps.connections.open (invalid_auth, missing_scope...) rejects instead, so a wrong
   * token is told at once; later it is retried like any failure, since the process has other work.
   */
  private connect(failFast: boolean): Promise<void> {
    if (this.connecting) return this.connecting;
    const attempt = (async () => {
      let delay = 0;
      while (!this.stopping) {
        if (delay) await this.sleep(delay);
        if (this.stopping) return;
        try {
          await this.client.start();
          return;
        } catch (err) {
          if (this.stopping) return;
          const refused = isSlackRefusal(err);
          if (failFast && refused) throw err;
          delay = Math.min(BACKOFF.maxMs, delay ? delay * 2 : BACKOFF.initialMs);
          // A refusal needs a person (a revoked or regenerated app-level token); the rest passes.
          this.options.logger[refused ? "error" : "warn"](
            "Socket Mode: could not connect to Slack; trying again",
            {
              error: err ?? "connection closed",
              retryInMs: delay,
            },
          );
        }
      }
    })();
    this.connecting = attempt.finally(() => {
      this.connecting = undefined;
    });
    return this.connecting;
  }

  private sleep(ms: number): Promise<void> {
    return new Promise((resolve) => {
      const done = () => {
        clearTimeout(timer);
        this.wake = undefined;
        resolve();
      };
      const timer = setTimeout(done, ms);
      this.wake = done;
    });
  }

  private async handle(envelope: Envelope): Promise<void> {
    this.options.onArrival?.();
    const app = this.app;
    if (!app) return; // not initialised: no ack, Slack sends it again
    const isEvent = envelope.type === "events_api";
    let acked = false;
    const event: ReceiverEvent = {
      body: envelope.body,
      retryNum: envelope.retry_num,
      retryReason: envelope.retry_reason,
      customProperties: {},
      ack: async (response?: unknown) => {
        if (acked) {
          this.options.logger.warn("ack() called twice; the second one is ignored", { type: envelope.type });
          return;
        }
        acked = true;
        // An event's ack carries nothing and waits until the listener is done (below).
        if (!isEvent) await this.acknowledge(envelope, response);
      },
    };
    try {
      await app.processEvent(event);
    } catch (err) {
      // Bolt's error handler logged the failure (src/slack/app.ts). An event stays unacknowledged,
      // so Slack sends it again; a command or an interaction that failed before its ack gets
      // Slack's error (Slack retries neither).
      this.options.logger.warn(
        isEvent ? "event failed; not acknowledged, Slack will send it again" : `${envelope.type} failed`,
        { envelopeId: envelope.envelope_id, retryNum: envelope.retry_num, error: err },
      );
      return;
    }
    // Processed (stored, or deliberately ignored): now Slack may forget it.
    if (isEvent) await this.acknowledge(envelope);
  }

  private async acknowledge(envelope: Envelope, response?: unknown): Promise<void> {
    try {
      await envelope.ack(response);
    } catch (err) {
      // The link closed meanwhile (a refresh): Slack sends an event again on the next link, where
      // it is deduplicated; a command's answer is lost with its link (Slack shows an error).
      this.options.logger.warn("could not acknowledge over Socket Mode (link closed)", {
        envelopeId: envelope.envelope_id,
        type: envelope.type,
        error: err,
      });
    }
  }
}

/** Slack answered apps.connections.open with ok:false (WebClient's platform error). */
function isSlackRefusal(err: unknown): boolean {
  return (err as { code?: string } | undefined)?.code === "slack_webapi_platform_error";
}
