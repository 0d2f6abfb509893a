// The Bolt app: Bolt's real HTTP receiver, or in Socket Mode (SLACK_APP_TOKEN set) HeroDesk's own
// (socket-receiver.ts), and one listener per file. Listeners are thin: they read the request and
// call a service. Either way an event is acknowledged only once its listener has stored it.

import type { RequestListener } from "node:http";
import { App, type Authorize, type Logger as BoltLogger, HTTPReceiver, LogLevel } from "@slack/bolt";
import { ErrorCode, WebClient } from "@slack/web-api";
import type { AppConfig } from "../config.ts";
import type { Logger } from "../logger.ts";
import type { CustomerChannelMembership } from "../services/customer-channel-membership.ts";
import type { DeskServices } from "../services/desk.ts";
import type { HomeServices } from "../services/home.ts";
import type { SlackInbox } from "../services/slack-inbox.ts";
import type { SlackReactions } from "../services/slack-reaction.ts";
import { ackFirst } from "./ack-first.ts";
import { SlackDirectory } from "./directory.ts";
import * as assignAction from "./listeners/actions/assign.ts";
import * as cardButtons from "./listeners/actions/card-buttons.ts";
import * as homePageActions from "./listeners/actions/home-page.ts";
import * as homeStatusActions from "./listeners/actions/home-status.ts";
import * as homeTeamPageActions from "./listeners/actions/home-team-page.ts";
import * as makeHeroAction from "./listeners/actions/make-hero.ts";
import * as openThreadAction from "./listeners/actions/open-thread.ts";
import * as deskCommand from "./listeners/commands/desk.ts";
import * as appHomeOpened from "./listeners/events/app-home-opened.ts";
import * as channelLeft from "./listeners/events/channel-left.ts";
import * as memberJoinedChannel from "./listeners/events/member-joined-channel.ts";
import * as reactionAdded from "./listeners/events/reaction-added.ts";
import * as threadMessage from "./listeners/events/thread-message.ts";
import * as openAsConversation from "./listeners/shortcuts/open-as-conversation.ts";
import * as heroMakeView from "./listeners/views/hero-make.ts";
import { type Admission, ReplayGuard, type RequestLedger } from "./replay-guard.ts";
import { SocketReceiver } from "./socket-receiver.ts";

export interface SlackAppDeps {
  config: AppConfig;
  logger: Logger;
  /** A message in a channel HeroDesk is in: an agent's reply, or a customer's (customer channels). */
  slackInbox: SlackInbox;
  reactions: SlackReactions;
  membership: CustomerChannelMembership;
  /** HeroDesk was removed from a source channel: be a member again (or tell the admins). */
  rejoin: (channel: string) => Promise<void>;
  desk: DeskServices;
  home: HomeServices;
  /** Signed requests already taken, shared by every replica (the replay guard's memory). */
  requests: RequestLedger;
}

export interface SlackApp {
  app: App;
  /** HTTP mode: the handler for POST /slack/events. Undefined in Socket Mode. */
  requestListener?: RequestListener;
  start(): Promise<void>;
  stop(): Promise<void>;
}

export function boltLogger(logger: Logger): BoltLogger {
  const text = (msg: unknown[]) =>
    msg
      .map((m) => (m instanceof Error ? m.message : typeof m === "string" ? m : JSON.stringify(m)))
      .join(" ");
  return {
    debug: (...m) => logger.debug(text(m)),
    info: (...m) => logger.info(text(m)),
    // WebClient warns of every request that got no answer, without saying which: the caller
    // (the outbox, the start-up check) reports it with what it was doing, so it is debug here.
    warn: (...m) => (/^http request failed/.test(text(m)) ? logger.debug(text(m)) : logger.warn(text(m))),
    error: (...m) => logger.error(text(m)),
    setLevel: () => {},
    getLevel: () => logger.level as LogLevel,
    setName: () => {},
  };
}

/**
 * Bolt's authorization, with no Web API call in any request's path. Given only a token, Bolt asks
 * auth.test for the bot's ids when it is built, makes every request wait for that answer (the
 * first acks after a start-up wait as long as Slack takes), and keeps a failed answer: every
 * request fails until a restart. Here the ids are learned in the background, asked again while
 * unknown; requests never wait for them. Until they are known Bolt's ignoreSelf cannot recognise
 * the bot's own events, which costs nothing: the thread listener drops every bot's message itself.
 */
function authorizeWithoutWaiting(client: WebClient, botToken: string, log: Logger): Authorize<boolean> {
  let ids: { botId?: string; botUserId?: string } = {};
  let asking = false;
  const learn = () => {
    if (asking) return;
    asking = true;
    client.auth
      .test()
      .then(
        (res) => {
          ids = {
            ...(res.bot_id ? { botId: res.bot_id } : {}),
            ...(res.user_id ? { botUserId: res.user_id } : {}),
          };
        },
        (err: unknown) =>
          // No answer at all is said once, by the start-up check and /healthz.
          log[(err as { code?: string }).code === ErrorCode.RequestError ? "debug" : "warn"](
            "Slack did not say who the bot is (auth.test); asking again on the next request",
            { error: err },
          ),
      )
      .finally(() => {
        asking = false;
      });
  };
  learn();
  return async () => {
    if (!ids.botUserId) learn();
    return { botToken, ...ids };
  };
}

export function createSlackApp(deps: SlackAppDeps): SlackApp {
  const { config } = deps;
  const logger = boltLogger(deps.logger.child("bolt"));
  const socketMode = Boolean(config.slack.appToken);
  const receiver = socketMode
    ? new SocketReceiver({
        appToken: config.slack.appToken!,
        // apps.connections.open goes where every other Web API call goes.
        slackApiUrl: config.slack.apiUrl,
        boltLogger: logger,
        logger: deps.logger.child("socket-mode"),
        onArrival: () => ackFirst.arrived(), // as the HTTP listener below does
      })
    : new HTTPReceiver({
        signingSecret: config.slack.signingSecret!,
        logger,
        // Acknowledge only after the listener has stored what it must: a crash before the ack
        // makes Slack retry, and the retry is deduplicated by event id.
        processBeforeResponse: true,
      });
  const clientOptions = { slackApiUrl: config.slack.apiUrl, logger, logLevel: LogLevel.WARN };
  const client = new WebClient(config.slack.botToken, clientOptions);
  const app = new App({
    receiver,
    authorize: authorizeWithoutWaiting(client, config.slack.botToken, deps.logger),
    logger,
    ignoreSelf: true,
    // No conversation-state middleware: HeroDesk keeps no state in Bolt, and its default store
    // builds an Error for every request that has none, a third of a millisecond of each ack
    // (src/slack/ack-first.ts says why that counts).
    convoStore: false,
    clientOptions,
  });
  const directory = new SlackDirectory(client);
  const replays = new ReplayGuard(deps.requests);
  threadMessage.register(app, deps);
  reactionAdded.register(app, deps);
  openAsConversation.register(app, deps);
  memberJoinedChannel.register(app, deps);
  deskCommand.register(app, { desk: deps.desk, directory });
  for (const action of [cardButtons, assignAction, makeHeroAction]) action.register(app, deps.desk);
  openThreadAction.register(app);
  heroMakeView.register(app, deps.desk);
  appHomeOpened.register(app, deps);
  const sourceChannels = new Set(config.sources.map((s) => s.slackChannel));
  channelLeft.register(app, { isSourceChannel: (c) => sourceChannels.has(c), rejoin: deps.rejoin });
  homeStatusActions.register(app, deps);
  homePageActions.register(app, deps);
  homeTeamPageActions.register(app, deps);

  app.error(async (err) => {
    deps.logger.error("slack listener failed", { error: err });
    // Slack retries (over HTTP the answer is a 500, over Socket Mode no ack); retries are deduplicated.
    throw err;
  });

  return {
    app,
    requestListener:
      receiver instanceof HTTPReceiver
        ? async (req, res) => {
            ackFirst.arrived(); // follow-up work waits while requests keep coming (ack-first.ts)
            let admission: Admission;
            try {
              admission = await replays.admit(req.headers);
            } catch (err) {
              // The database did not answer: Slack shows the person an error; they try again.
              deps.logger.error("could not check a Slack request for replay", { error: err });
              res.writeHead(503, { "content-type": "text/plain" }).end("try again");
              return;
            }
            if (admission.refusal !== null) {
              deps.logger.warn(`refused a Slack request: ${admission.refusal}`);
              res.writeHead(401, { "content-type": "text/plain" }).end(admission.refusal);
              return;
            }
            const { answered } = admission;
            res.once("close", () =>
              answered(res.statusCode >= 200 && res.statusCode < 300 && res.writableFinished),
            );
            return receiver.requestListener(req, res);
          }
        : undefined,
    start: async () => {
      if (socketMode) await app.start();
    },
    stop: async () => {
      if (socketMode) await app.stop();
    },
  };
}
