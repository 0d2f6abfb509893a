// Builds and starts the whole app from a parsed config: database → store → services → Slack app
// → HTTP server → outbox worker. main.ts, the demo and the tests all start HeroDesk through here.

import type { Server } from "node:http";
import { type ApiSourceConfig, type AppConfig, isApiSource, type SourceConfig } from "./config.ts";
import { createHttpServer, listen } from "./connectors/http-server.ts";
import { createInboundApi } from "./connectors/inbound-api.ts";
import { createReplyDelivery, replyRenderer } from "./connectors/reply-delivery.ts";
import { targetNow } from "./core/response-targets.ts";
import { conversationFacts } from "./core/triage.ts";
import { OutboxPruning } from "./jobs/outbox-pruning.ts";
import { SummaryScheduler } from "./jobs/summaries.ts";
import { createLogger, type Logger } from "./logger.ts";
import { enqueueEnsureMember } from "./outbox/jobs.ts";
import { OutboxWorker } from "./outbox/worker.ts";
import { createAutoClose } from "./services/auto-close.ts";
import { createCustomerChannelMembership } from "./services/customer-channel-membership.ts";
import { createCustomerChannels } from "./services/customer-channels.ts";
import { createDeskServices } from "./services/desk.ts";
import { createHomeServices } from "./services/home.ts";
import { createNotifyAgents } from "./services/notify-agents.ts";
import { createPostSummary } from "./services/post-summary.ts";
import { createReceiveCustomerMessage } from "./services/receive-customer-message.ts";
import { createReceiveSlackMessage } from "./services/receive-slack-message.ts";
import { createRecordAgentReply } from "./services/record-agent-reply.ts";
import { createResponseReminders } from "./services/response-reminders.ts";
import { createRouting } from "./services/route-conversation.ts";
import { createSlackInbox } from "./services/slack-inbox.ts";
import { createSlackMessageChanged } from "./services/slack-message-changed.ts";
import { createProblemServices } from "./services/slack-problems.ts";
import { createSlackReactions } from "./services/slack-reaction.ts";
import { createTargetSettings } from "./services/target-settings.ts";
import { boltLogger, createSlackApp } from "./slack/app.ts";
import { threadLink } from "./slack/blocks/home.ts";
import { createCustomerChannelsSlack } from "./slack/customer-channels.ts";
import { SlackDirectory } from "./slack/directory.ts";
import { createMembership } from "./slack/membership.ts";
import { createSlackNotifier } from "./slack/notifier.ts";
import { type SharedBudget, SlackPacer } from "./slack/pacing.ts";
import { PacedWebClient } from "./slack/slack-client.ts";
import { appTokenRefused, checkSlackAtStart, type SlackAtStart } from "./slack/startup-check.ts";
import { createSummaryPoster } from "./slack/summary-poster.ts";
import { createStore, openDatabase, type Repositories, type Store } from "./store/index.ts";

/**
 * How long start-up's look at the config's channels may wait for Slack's rate-limit slots
 * (conversations.info is Tier 3, shared by replicas that start together); a channel not looked at
 * by then is left to its membership job, which asks in its lane.
 */
const START_UP_SLOT_WAIT_MS = 10_000;

export interface HeroDesk {
  port: number;
  url: string;
  store: Store;
  outbox: OutboxWorker;
  summaries: SummaryScheduler;
  pruning: OutboxPruning;
  stop(): Promise<void>;
}

export async function startHeroDesk(
  config: AppConfig,
  options: {
    logger?: Logger;
    host?: string;
    /**
     * A fixed clock (tests) for summaries, the desk's commands, the card's target state and
     * incoming customer messages (their time, business hours); the outbox's timers, Slack's
     * message times and request signatures keep real time.
     */
    now?: () => Date;
    /** false: no cron timers; slots run only through `summaries.catchUp` (tests). */
    summaryTimers?: boolean;
    /** How soon work waiting on a person's fix tries again (tests; default PERSON_RETRY). */
    personRetry?: { initialDelayMs: number; maxDelayMs: number };
    /**
     * Per-minute limits that replace Slack's tier for some methods (tests whose emulator is told
     * to allow as much; a real workspace keeps Slack's tiers).
     */
    slackPerMinute?: Readonly<Record<string, number>>;
    /** How often finished outbox items are pruned (tests; default every 10 minutes). */
    pruneEveryMs?: number;
  } = {},
): Promise<HeroDesk> {
  const logger = options.logger ?? createLogger(config.logLevel);
  const store = createStore(await openDatabase(config.databaseUrl, { forApp: true }), {
    onEnqueued: (lanes) => outbox.kick(lanes),
  });
  const sources: ReadonlyMap<string, SourceConfig> = new Map(config.sources.map((s) => [s.id, s]));
  const targetSettings = createTargetSettings({ sources, teams: config.teams });
  const sourceLabel = (id: string) => sources.get(id)?.name ?? id;

  // The outbox's own client: every call paced per method (and, for posts, per channel) within
  // Slack's limits; a 429 pauses only that method or channel, and the outbox retries per item.
  const pacer = new SlackPacer({
    postsPerSecondPerChannel: config.slack.postsPerSecondPerChannel,
    burstPerChannel: config.slack.burstPerChannel,
    ...(options.slackPerMinute ? { perMinute: options.slackPerMinute } : {}),
  });
  const clientOptions = (maxWaitMs: number) => ({
    pacer,
    // Replicas on one database share Slack's limits: each call also takes its slot there.
    ...(store.replicated
      ? {
          shared: {
            reserve: (budgets: readonly SharedBudget[], wait: number) =>
              store.slack.reserveSlots(budgets, wait),
          },
        }
      : {}),
    slackApiUrl: config.slack.apiUrl,
    timeout: 15_000,
    maxWaitMs,
    logger: boltLogger(logger.child("slack-api")),
  });
  const outboxClient = new PacedWebClient(config.slack.botToken, clientOptions(1000));
  // Slack must accept the token and answer like Slack before anything else starts.
  let slackAtStart: SlackAtStart;
  try {
    // Start-up may wait for its slots a while (replicas starting together share Tier 3).
    slackAtStart = await checkSlackAtStart(
      new PacedWebClient(config.slack.botToken, clientOptions(START_UP_SLOT_WAIT_MS)),
      config,
      logger.child("startup"),
    );
  } catch (err) {
    await store.close();
    throw err;
  }
  const routing = createRouting({ store, sources });
  const notifyAgents = createNotifyAgents({ store });
  const home = createHomeServices({
    store,
    sources,
    targetSettings,
    teamHours: config.teams,
    admins: config.admins,
    managersCanSetHeroes: config.managersCanSetHeroes,
    summaries: config.summaries,
  });
  const problems = createProblemServices({
    store,
    sources,
    admins: config.admins,
    managersCanSetHeroes: config.managersCanSetHeroes,
  });
  const channels = createCustomerChannels(
    sources,
    config.summaries.map((s) => s.channel),
  );
  const directory = new SlackDirectory(outboxClient);
  // Customer channels (sources of kind slack): the desk's close, and receive, are built below;
  // the outbox's handlers reach them when they run, after start-up.
  let openAsConversation: ReturnType<typeof createSlackReactions>["openAsConversation"] | undefined;
  const customerSlack = createCustomerChannelsSlack({
    client: outboxClient,
    store,
    sources,
    channels,
    renderReply: replyRenderer({ store, directory }),
    openAsConversation: (by, m) => openAsConversation!(by, m),
  });
  // Messages Slack sends are stored at once and taken by the outbox (src/services/slack-inbox.ts),
  // through receive and the rest, built below.
  const slackInbox = createSlackInbox({
    store,
    receiveSlackMessage: (m) => receiveSlackMessage(m),
    slackMessageChanged: (c) => slackMessageChanged(c),
    onGiveUp: (what, error) => logger.error(`gave up taking ${what} from Slack`, { error }),
  });
  const outbox = new OutboxWorker({
    store,
    logger: logger.child("outbox"),
    problems: problems.hooks,
    ...(options.personRetry ? { personRetry: options.personRetry } : {}),
    handlers: {
      ...createSlackNotifier({
        client: outboxClient,
        store,
        sourceLabel,
        logger: logger.child("notifier"),
        onCustomerMessagePosted: notifyAgents,
        loadHome: home.load,
        grantedScopes: () => outboxClient.grantedScopes,
        responseTarget: async (card) => {
          const facts = conversationFacts(card.customerAttributes, card);
          // Team hours depend on the customer's hero and the rules: look them up only when kept.
          const conversation = config.teams.length ? await store.conversations.get(card.number) : null;
          const hero = conversation ? (await store.customers.ofConversation(conversation)).hero : null;
          const settings = await targetSettings(store, card.sourceId, { hero, facts });
          return targetNow(settings, card, facts, options.now?.() ?? new Date());
        },
      }),
      ...createSummaryPoster({ client: outboxClient, store, logger: logger.child("summaries") }),
      ...createMembership({ client: outboxClient, store }),
      ...createReplyDelivery({ store, sources, directory, slackTarget: customerSlack.target }),
      ...customerSlack.handlers,
      ...slackInbox.handlers,
      ...routing.handlers,
      ...createResponseReminders({ store, sources, targetSettings }).handlers,
      ...createAutoClose({ store, sources, ...(options.now ? { now: options.now } : {}) }).handlers,
      ...home.handlers,
    },
  });

  const receive = createReceiveCustomerMessage({
    store,
    sources,
    linkCustomersByEmail: config.linkCustomersByEmail,
    targetSettings,
    ...(options.now ? { now: options.now } : {}),
  });
  const recordAgentReply = createRecordAgentReply({
    store,
    sources,
    targetSettings,
    replyOrderWindowMs: config.replyOrderWindowMs,
  });
  // Links to threads in /desk answers: Slack's own form (archives/<channel>/p<ts>) on the
  // workspace URL auth.test gives, asked once (again after a failure).
  let workspaceUrl: Promise<string | null> | null = null;
  const threadLinkOf = async (thread: { channel: string; ts: string }) => {
    workspaceUrl ??= outboxClient.auth.test().then(
      (r) => r.url ?? null,
      () => {
        workspaceUrl = null;
        return null;
      },
    );
    const url = await workspaceUrl;
    return url ? threadLink(url, thread.channel, thread.ts) : null;
  };
  const membership = createCustomerChannelMembership({ store, channels, admins: config.admins });
  const deskDeps = {
    customerChannels: membership,
    store,
    sources,
    admins: config.admins,
    managersCanSetHeroes: config.managersCanSetHeroes,
    routeNow: (tx: Repositories, conversationId: number) => routing.routeQueue(tx, conversationId, true),
    defaultCapacity: config.defaultCapacity,
    targetSettings,
    threadLink: threadLinkOf,
    ...(options.now ? { now: options.now } : {}),
  };
  const postSummary = createPostSummary({
    ...deskDeps,
    schedules: config.summaries,
    teamHours: config.teams,
  });
  const desk = createDeskServices({ ...deskDeps, postSummary });
  const summaries = new SummaryScheduler({
    schedules: config.summaries,
    postSummary,
    logger: logger.child("summaries"),
    ...(options.now ? { now: options.now } : {}),
    timers: options.summaryTimers ?? true,
  });
  const reactions = createSlackReactions({ store, channels, receive, close: desk.close });
  openAsConversation = reactions.openAsConversation;
  const receiveSlackMessage = createReceiveSlackMessage({ store, channels, receive, recordAgentReply });
  const slackMessageChanged = createSlackMessageChanged({ store, channels });
  const rejoin = (channel: string) =>
    store.transaction(async (tx) => {
      logger.warn("HeroDesk was removed from a source channel; joining it again", { channel });
      await enqueueEnsureMember(tx, channel);
    });
  const requests = {
    take: (key: string, expiresAtMs: number) => store.slack.takeRequest(key, expiresAtMs),
    release: (key: string) => store.slack.releaseRequest(key),
  };
  const slack = createSlackApp({
    config,
    logger,
    slackInbox,
    reactions,
    membership,
    desk,
    home,
    rejoin,
    requests,
  });
  const server: Server = createHttpServer({
    slackEvents: slack.requestListener,
    // Only inbound-API sources take messages there; a source of kind slack has no secret.
    inboundMessages: createInboundApi({
      sources: new Map(config.sources.filter(isApiSource).map((s): [string, ApiSourceConfig] => [s.id, s])),
      receive,
      logger: logger.child("inbound"),
    }),
    isDatabaseReachable: () => store.isReachable(),
    slackHealth: () => slackHealth(store, outboxClient, slackAtStart),
    logger,
  });

  const port = await listen(server, config.port, options.host);
  try {
    await slack.start();
  } catch (err) {
    await new Promise<void>((resolve) => server.close(() => resolve()));
    await store.close();
    throw appTokenRefused(err, config) ?? err;
  }
  // A member of every channel it mirrors into, so that Slack sends it the agents' replies there
  // (src/slack/membership.ts); queued behind what the lane already holds. A channel the start-up
  // check just saw HeroDesk in needs no job: asking Slack again would only spend the shared Tier 3
  // budget that each replica's start draws on, and hold the channel's first post behind it.
  const members = slackAtStart.reachable ? slackAtStart.members : new Set<string>();
  await store.transaction(async (tx) => {
    for (const channel of new Set([
      ...config.sources.map((s) => s.slackChannel),
      ...config.summaries.map((s) => s.channel),
      ...config.sources.flatMap((s) => (s.escalationChannel ? [s.escalationChannel] : [])),
      // Customer channels: Slack sends their messages only to a member.
      ...config.sources.flatMap((s) =>
        Array.isArray(s.customerChannels) ? s.customerChannels.map((c) => c.channel) : [],
      ),
    ]))
      if (!members.has(channel)) await enqueueEnsureMember(tx, channel);
    // A restart is often the fix (a new SLACK_BOT_TOKEN, a corrected config): what waits on a
    // person tries again now rather than at its backoff (up to minutes), still waiting on its
    // problem, so the first to get through resolves it and the admins hear.
    const open = await tx.problems.open();
    await tx.outbox.wake(
      open.map((p) => p.key),
      new Date(),
      { stillWaiting: true },
    );
  });
  outbox.start();
  const pruning = new OutboxPruning({
    store,
    logger: logger.child("pruning"),
    keepMs: config.outboxRetentionDays * 86_400_000,
    ...(options.pruneEveryMs ? { everyMs: options.pruneEveryMs } : {}),
  });
  pruning.start();
  await summaries.start();
  logger.info("HeroDesk is up", {
    port,
    mode: config.slack.appToken ? "socket" : "http",
    sources: config.sources.map((s) => s.id),
  });

  return {
    port,
    url: `http://${options.host ?? "127.0.0.1"}:${port}`,
    store,
    outbox,
    summaries,
    pruning,
    async stop() {
      await summaries.stop();
      await pruning.stop();
      // Requests under way get their answer (a few seconds at most); idle connections go now.
      await new Promise<void>((resolve) => {
        const force = setTimeout(() => server.closeAllConnections(), 3_000);
        server.close(() => {
          clearTimeout(force);
          resolve();
        });
        server.closeIdleConnections();
      });
      await slack.stop();
      await outbox.stop();
      await store.close();
    },
  };
}

/**
 * Slack's state for /healthz: degraded while Slack does not answer (since start-up, or at the
 * latest call) or while a problem waits for a person (`/desk waiting` has the details).
 */
async function slackHealth(
  store: Store,
  client: PacedWebClient,
  atStart: SlackAtStart,
): Promise<{ state: "ok" | "degraded"; reason?: string }> {
  const answer =
    client.lastAnswer ??
    (atStart.reachable ? { answered: true as const } : { answered: false as const, reason: atStart.reason });
  if (!answer.answered) return { state: "degraded", reason: answer.reason };
  const open = await store.problems.open();
  const first = open[0];
  if (!first) return { state: "ok" };
  const more = open.length > 1 ? ` and ${open.length - 1} more` : "";
  return {
    state: "degraded",
    reason: `waiting on a person: ${first.error}${first.channel ? ` in ${first.channel}` : ""}${first.detail ? ` (${first.detail})` : ""}${more}; /desk waiting says what to do`,
  };
}
