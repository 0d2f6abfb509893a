// Starts the Slack emulator and HeroDesk on a fresh database, wired as a deployment is: HeroDesk
// talks to the emulator over HTTP with the real WebClient, the emulator sends its events back.
import { type AppConfig, loadConfig, parseFileConfig } from "../../src/config.ts";
import { type EmulatorOptions, SlackEmulator } from "../../src/emulator/index.ts";
import { type HeroDesk, startHeroDesk } from "../../src/herodesk.ts";
import { createLogger } from "../../src/logger.ts";

export const AGENT = "U0BENCHAGENT";

export interface BenchSource {
  id: string;
  secret: string;
  channel: string;
}

export interface BenchStack {
  emulator: SlackEmulator;
  app: HeroDesk;
  config: AppConfig;
  databaseUrl: string;
  stop(): Promise<void>;
}

/** The bench agent, and each source's channel with the agent in it. */
export function benchWorkspace(emulator: SlackEmulator, sources: BenchSource[]): void {
  emulator.workspace.addUser({
    id: AGENT,
    name: "bench",
    realName: "Bench Agent",
    email: "bench@example.com",
  });
  const channels = [...new Set(sources.map((s) => s.channel))];
  channels.forEach((id, i) => {
    emulator.workspace.addChannel({ id, name: `bench-${i}`, members: [AGENT] });
  });
}

/** The config file for these sources (admins, sources; src/config.ts's defaults otherwise). */
export function benchFileConfig(sources: BenchSource[]) {
  return {
    admins: ["U0ADMIN"],
    sources: sources.map((s) => ({ id: s.id, secret: s.secret, slackChannel: s.channel })),
  };
}

export async function startBenchStack(options: {
  databaseUrl: string;
  sources: BenchSource[];
  emulator?: EmulatorOptions;
  /** The config file's `slack` section; undefined keeps src/config.ts's defaults. */
  slack?: { postsPerSecondPerChannel: number; burstPerChannel: number };
  /** startHeroDesk's pacing override, per method a minute (a benchmark's named leniency). */
  slackPerMinute?: Record<string, number>;
}): Promise<BenchStack> {
  const emulator = await SlackEmulator.start(options.emulator ?? {});
  benchWorkspace(emulator, options.sources);
  const fileConfig = parseFileConfig({
    ...benchFileConfig(options.sources),
    ...(options.slack ? { slack: options.slack } : {}),
  });
  const config = loadConfig(
    {
      DATABASE_URL: options.databaseUrl,
      SLACK_BOT_TOKEN: emulator.botToken,
      SLACK_SIGNING_SECRET: emulator.signingSecret,
      SLACK_API_URL: emulator.apiUrl,
      PORT: "0",
      LOG_LEVEL: "error",
    },
    { fileConfig },
  );
  let app: HeroDesk;
  try {
    app = await startHeroDesk(config, {
      logger: createLogger("error"),
      ...(options.slackPerMinute ? { slackPerMinute: options.slackPerMinute } : {}),
    });
  } catch (err) {
    await emulator.stop();
    throw err;
  }
  emulator.setAppUrl(`${app.url}/slack/events`);
  let stopped = false;
  return {
    emulator,
    app,
    config,
    databaseUrl: options.databaseUrl,
    async stop() {
      if (stopped) return;
      stopped = true;
      await app.stop();
      await emulator.stop();
    },
  };
}
