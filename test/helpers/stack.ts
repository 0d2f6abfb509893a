// Starts the whole stack for a test: the Slack emulator, a reply endpoint, and HeroDesk itself on
// a fresh SQLite file, wired the way a real deployment is (signed HTTP both ways).
import { type AppConfig, loadConfig, parseFileConfig } from "../../src/config.ts";
import { sign } from "../../src/core/signature.ts";
import { type EmulatorOptions, SlackEmulator } from "../../src/emulator/index.ts";
import { type HeroDesk, startHeroDesk } from "../../src/herodesk.ts";
import { createLogger } from "../../src/logger.ts";
import { freshDatabaseUrl } from "./db.ts";
import { startReplyServer } from "./reply-server.ts";

export const SOURCE_SECRET = "web-secret-0123456789";
export const CHANNEL = "C0SUPPORT";
export const AGENT = "U0AGENT1";

export interface StackOptions {
  emulator?: EmulatorOptions;
  /** Extra fields for the config file, merged over the defaults. */
  file?: Record<string, unknown>;
  databaseUrl?: string;
  replyRetry?: Record<string, number>;
  /** Lets a test put something (a flaky proxy) between HeroDesk and the emulator. */
  slackApiUrl?: (emulatorApiUrl: string) => string;
}

export async function startStack(options: StackOptions = {}) {
  const emulator = await SlackEmulator.start({ rateLimit: false, ...options.emulator });
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
      },
      { id: "mail", secret: "mail-secret-0123456789", slackChannel: "C0OTHER" },
    ],
    // Tests that are not about Slack's rate limit should not wait for it.
    slack: { postsPerSecondPerChannel: 100, burstPerChannel: 100 },
    ...options.file,
  });
  const config: AppConfig = loadConfig(
    {
      DATABASE_URL: databaseUrl,
      SLACK_BOT_TOKEN: "xoxb-emulator-token",
      SLACK_SIGNING_SECRET: "emulator-signing-secret",
      SLACK_API_URL: options.slackApiUrl?.(emulator.apiUrl) ?? emulator.apiUrl,
      PORT: "0",
      LOG_LEVEL: "error",
    },
    { fileConfig },
  );
  let app: HeroDesk = await startHeroDesk(config, { logger: createLogger("error") });
  emulator.setAppUrl(`${app.url}/slack/events`);

  const stack = {
    emulator,
    reply,
    config,
    get app() {
      return app;
    },
    /** Stops HeroDesk and starts it again on the same database, as a deploy or crash would. */
    async restart() {
      await app.stop();
      app = await startHeroDesk({ ...config, port: 0 }, { logger: createLogger("error") });
      emulator.setAppUrl(`${app.url}/slack/events`);
    },
    /** POSTs a customer message, signed as the source would sign it. */
    async sendMessage(body: unknown, opts: { secret?: string; timestamp?: number; raw?: string } = {}) {
      const raw = opts.raw ?? JSON.stringify(body);
      const ts = opts.timestamp ?? Math.floor(Date.now() / 1000);
      const res = await fetch(`${app.url}/api/v1/messages`, {
        method: "POST",
        headers: {
          "content-type": "application/json",
          "x-herodesk-timestamp": String(ts),
          "x-herodesk-signature": sign(opts.secret ?? SOURCE_SECRET, ts, raw),
        },
        body: raw,
      });
      const text = await res.text();
      return { status: res.status, body: text ? JSON.parse(text) : null };
    },
    /** Waits until the outbox has nothing left to do. */
    async drained(timeoutMs = 15_000) {
      const deadline = Date.now() + timeoutMs;
      for (;;) {
        const counts = await app.store.outbox.countByStatus();
        if (!counts.pending) return counts;
        if (Date.now() > deadline) throw new Error(`outbox not drained: ${JSON.stringify(counts)}`);
        await new Promise((r) => setTimeout(r, 20));
      }
    },
    async stop() {
      await app.stop();
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
