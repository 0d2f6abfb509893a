// Starts the whole stack for a test: the Slack emulator, a reply endpoint, and HeroDesk itself on
// a fresh SQLite file, wired the way a real deployment is: signed HTTP both ways, or with
// `delivery: "socket"` Slack's requests over Socket Mode (an app-level token, no signing secret).
import { type AppConfig, loadConfig, parseFileConfig } from "../../src/config.ts";
import { sign } from "../../src/core/signature.ts";
import { type EmulatorOptions, SlackEmulator } from "../../src/emulator/index.ts";
import { type HeroDesk, startHeroDesk } from "../../src/herodesk.ts";
import { createLogger, type Logger } from "../../src/logger.ts";
import { type Db, openDatabase } from "../../src/store/db.ts";
import { freshDatabaseUrl } from "./db.ts";
import { startReplyServer } from "./reply-server.ts";
import { waitFor } from "./wait.ts";

export const SOURCE_SECRET = "web-secret-0123456789";
export const CHANNEL = "C0SUPPORT";
export const AGENT = "U0AGENT1";

export interface StackOptions {
  emulator?: EmulatorOptions;
  /** Extra fields for the config file, merged over the defaults. */
  file?: Record<string, unknown>;
  /** More settings of the "web" source (its replyUrl is the test's reply server). */
  web?: Record<string, unknown>;
  databaseUrl?: string;
  replyRetry?: Record<string, number>;
  /** Lets a test put something (a flaky proxy) between HeroDesk and the emulator. */
  slackApiUrl?: (emulatorApiUrl: string) => string;
  /** More sources after "web" and "mail" (a source of kind slack, say). */
  sources?: Record<string, unknown>[];
  /** The "mail" source's hero wait (the "web" one waits the default 300 s). */
  mailHeroWaitSeconds?: number;
  /** A clock for summaries (the test moves it); with it, no cron timers run, slots run on catchUp. */
  now?: () => Date;
  /**
   * Leniency, by name: these methods get this many calls a minute instead of Slack's tier, in the
   * emulator and in HeroDesk's own pacing alike (for test files that do more than a real team).
   */
  raiseLimits?: Record<string, number>;
  /**
   * Leniency, by name: posts in one channel go this fast, in the emulator and in HeroDesk's own
   * pacing alike. Default Slack's: 1 a second, bursts of 3, at most 60 a minute.
   */
  postsPerChannel?: { perSecond: number; burst: number };
  /**
   * How Slack reaches HeroDesk. "http" (default): signed POSTs to /slack/events. "socket": the
   * app's Socket Mode is on; HeroDesk gets SLACK_APP_TOKEN and no signing secret. A test that
   * reconnects (restart, refresh) names an apps.connections.open budget (Tier 1: 1 a minute).
   */
  delivery?: "http" | "socket";
  /** HeroDesk's logger (default: errors to stderr). */
  logger?: Logger;
  /** How soon work waiting on a person's fix tries again (startHeroDesk's `personRetry`). */
  personRetry?: { initialDelayMs: number; maxDelayMs: number };
  /** How often HeroDesk prunes finished outbox items (startHeroDesk's `pruneEveryMs`). */
  pruneEveryMs?: number;
  /** Shapes the workspace (channels, members) before HeroDesk starts. */
  beforeStart?: (emulator: SlackEmulator) => void;
}

export async function startStack(options: StackOptions = {}) {
  const delivery = options.delivery ?? "http";
  const raised = options.raiseLimits ?? {};
  const posts = options.postsPerChannel;
  const emulator = await SlackEmulator.start({
    // Slack's limits unless the test names its leniency.
    ...(posts ? { rateLimit: { perSecond: posts.perSecond, burst: posts.burst } } : {}),
    delivery,
    ...(options.raiseLimits
      ? {
          methodLimits: Object.fromEntries(
            Object.entries(raised).map(([m, perMinute]) => [m, { perMinute, burst: perMinute }]),
          ),
        }
      : {}),
    ...options.emulator,
  });
  emulator.workspace.addChannel({ id: CHANNEL, name: "support", members: [AGENT] });
  emulator.workspace.addChannel({ id: "C0OTHER", name: "other-support", members: [AGENT] });
  emulator.workspace.addUser({
    id: AGENT,
    name: "alice",
    realName: "Alice Agent",
    email: "alice@example.com",
  });
  const reply = await startReplyServer();
  const databaseUrl = options.databaseUrl ?? freshDatabaseUrl();

  const fileConfig = parseFileConfig({
    admins: ["U0ADMIN"],
    sources: [
      {
        id: "web",
        secret: SOURCE_SECRET,
        slackChannel: CHANNEL,
        replyUrl: reply.url,
        replyRetry: {
          maxAttempts: 3,
          initialDelayMs: 20,
          maxDelayMs: 200,
          timeoutMs: 2000,
          ...options.replyRetry,
        },
        ...options.web,
      },
      {
        id: "mail",
        secret: "mail-secret-0123456789",
        slackChannel: "C0OTHER",
        heroWaitSeconds: options.mailHeroWaitSeconds ?? 300,
      },
      ...(options.sources ?? []),
    ],
    ...(posts ? { slack: { postsPerSecondPerChannel: posts.perSecond, burstPerChannel: posts.burst } } : {}),
    // Nor, unless they are about the order of replies, for the reply order window.
    replyOrderWindowMs: 100,
    ...options.file,
  });
  const config: AppConfig = loadConfig(
    {
      DATABASE_URL: databaseUrl,
      SLACK_BOT_TOKEN: "xoxb-emulator-token",
      ...(delivery === "socket"
        ? { SLACK_APP_TOKEN: emulator.appToken }
        : { SLACK_SIGNING_SECRET: "emulator-signing-secret" }),
      SLACK_API_URL: options.slackApiUrl?.(emulator.apiUrl) ?? emulator.apiUrl,
      PORT: "0",
      LOG_LEVEL: "error",
    },
    { fileConfig },
  );
  /** The answer HeroDesk posts to a response_url after acknowledging. */
  const answerAt = async (url: string | undefined): Promise<string> => {
    const post = await waitFor("the answer on response_url", () =>
      emulator.responseUrlPosts.find((p) => p.url === url),
    );
    return ((post.body as { text?: string }).text ?? "") as string;
  };
  /** The card (thread root) of conversation #n. */
  const findCard = (n: number, channel = CHANNEL) => {
    const card = emulator.workspace
      .messages(channel)
      .find(
        (m) =>
          (m.metadata as { event_payload?: { conversation_id?: number } } | undefined)?.event_payload
            ?.conversation_id === n,
      );
    if (!card) throw new Error(`no card for #${n} in ${channel}`);
    return card;
  };
  emulator.workspace.addUser({ id: "U0ADMIN", name: "ada", realName: "Ada Admin" });
  emulator.workspace.join(CHANNEL, "U0ADMIN");
  options.beforeStart?.(emulator);
  const appOptions = {
    logger: options.logger ?? createLogger("error"),
    ...(options.now ? { now: options.now, summaryTimers: false } : {}),
    ...(options.raiseLimits ? { slackPerMinute: raised } : {}),
    ...(options.personRetry ? { personRetry: options.personRetry } : {}),
    ...(options.pruneEveryMs ? { pruneEveryMs: options.pruneEveryMs } : {}),
  };
  // Over Socket Mode Slack has no Request URL: nothing may reach HeroDesk over HTTP.
  const setAppUrl = (app: HeroDesk) => {
    if (delivery === "http") emulator.setAppUrl(`${app.url}/slack/events`);
  };
  let app: HeroDesk = await startHeroDesk(config, appOptions);
  setAppUrl(app);
  /** The test's own connection to HeroDesk's database (for timersDueBy), opened when first used. */
  let side: Promise<Db> | undefined;

  const stack = {
    delivery,
    emulator,
    reply,
    config,
    get app() {
      return app;
    },
    /** Stops HeroDesk and starts it again on the same database, as a deploy or crash would. */
    async restart() {
      await app.stop();
      app = await startHeroDesk({ ...config, port: 0 }, appOptions);
      setAppUrl(app);
    },
    /**
     * HeroDesk's clock (`now`) has reached `at`: every outbox timer due by then runs now, and the
     * later ones keep waiting (retryNow would run them all). The timers' own due times are real
     * time; this brings those due by `at` to the present.
     */
    async timersDueBy(at: Date) {
      side ??= openDatabase(config.databaseUrl);
      const db = await side;
      await db.outboxItem.updateMany({
        where: { status: "pending", nextAttemptAt: { lte: at } },
        data: { nextAttemptAt: new Date() },
      });
      app.outbox.kick();
    },
    /** POSTs a customer message, signed as the source would sign it. */
    async sendMessage(body: unknown, opts: { secret?: string; timestamp?: number; raw?: string } = {}) {
      const raw = opts.raw ?? JSON.stringify(body);
      const source = (body as { source?: string } | null)?.source;
      const secret = opts.secret ?? config.sources.find((s) => s.id === source)?.secret ?? SOURCE_SECRET;
      const ts = opts.timestamp ?? Math.floor(Date.now() / 1000);
      const res = await fetch(`${app.url}/api/v1/messages`, {
        method: "POST",
        headers: {
          "content-type": "application/json",
          "x-herodesk-timestamp": String(ts),
          "x-herodesk-signature": sign(secret, ts, raw),
        },
        body: raw,
      });
      const text = await res.text();
      return { status: res.status, body: text ? JSON.parse(text) : null };
    },
    /** Runs `/desk <text>` as `userId`; returns the ephemeral answer's text. */
    async desk(userId: string, text: string, channelId = CHANNEL): Promise<string> {
      const res = await emulator.driver.slashCommand({ userId, channelId, text });
      if (res.status !== 200) throw new Error(`/desk answered HTTP ${res.status}`);
      const acked = (res.body as { text?: string } | null)?.text;
      if (acked) return acked; // usage errors come back in the acknowledgement itself
      return answerAt(res.responseUrl);
    },
    card: findCard,
    /** Clicks a card button (or picks a user in the assign select) as `userId`; returns the ephemeral answer. */
    async click(
      userId: string,
      n: number,
      actionId: string,
      extra: { selectedUser?: string; channel?: string } = {},
    ): Promise<string> {
      const card = findCard(n, extra.channel);
      const res = await emulator.driver.blockAction({
        userId,
        channelId: extra.channel ?? CHANNEL,
        messageTs: card.ts,
        actionId,
        ...(extra.selectedUser ? { selectedUser: extra.selectedUser } : {}),
      });
      if (res.status !== 200) throw new Error(`click answered HTTP ${res.status}`);
      return answerAt(res.responseUrl);
    },
    /** Adds a Slack user to the workspace (and to both source channels). */
    addPerson(id: string, realName: string) {
      emulator.workspace.addUser({ id, name: realName.split(" ")[0]!.toLowerCase(), realName });
      emulator.workspace.join(CHANNEL, id);
      emulator.workspace.join("C0OTHER", id);
    },
    /** The DMs the bot sent a person. */
    dms(userId: string) {
      return emulator.workspace.dms(userId);
    },
    /** Waits until the outbox has nothing left to do now (timers set for later may wait). */
    async drained(timeoutMs = 15_000) {
      const deadline = Date.now() + timeoutMs;
      for (;;) {
        const counts = await app.store.outbox.countByStatus();
        // Retries a moment away, and work waiting for a rate-limit slot, count as work; timers
        // seconds away (hero waits) do not.
        if (!counts.pending || (await app.store.outbox.countBusy(new Date(Date.now() + 2000))) === 0)
          return counts;
        if (Date.now() > deadline) throw new Error(`outbox not drained: ${JSON.stringify(counts)}`);
        await new Promise((r) => setTimeout(r, 20));
      }
    },
    /**
     * A customer (`customer` is their id; `name` defaults to it in capitals) writes `text`; waits
     * until HeroDesk has done everything it causes and returns the conversation's number.
     */
    async customerWrites(
      customer: string,
      text: string,
      extra: Record<string, unknown> & { name?: string } = {},
    ): Promise<number> {
      const { name = customer.toUpperCase(), ...rest } = extra;
      const res = await stack.sendMessage(
        customerMessage({ customer: { id: customer, name }, text, ...rest }),
      );
      if (res.status !== 202)
        throw new Error(`customer message answered ${res.status}: ${JSON.stringify(res.body)}`);
      await stack.drained();
      return res.body.conversationNumber as number;
    },
    /** The Slack user id of whoever holds conversation #n, or null. */
    async assigneeOf(n: number): Promise<string | null> {
      const c = await app.store.conversations.get(n);
      return c?.assigneeId ? ((await app.store.agents.get(c.assigneeId))?.slackUserId ?? null) : null;
    },
    async stop() {
      await app.stop();
      if (side) await (await side).$disconnect();
      await emulator.stop();
      await reply.close();
    },
  };
  return stack;
}

export type Stack = Awaited<ReturnType<typeof startStack>>;

let counter = 0;
export function customerMessage(overrides: Record<string, unknown> = {}) {
  counter++;
  return {
    source: "web",
    messageId: `m-${Date.now()}-${counter}`,
    customer: {
      id: "cust-1",
      name: "Ada Lovelace",
      email: "ada@example.com",
      attributes: { language: "es" },
    },
    text: `Message ${counter}`,
    ...overrides,
  };
}
