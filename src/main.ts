// Entry point of `npm start`: config, then everything else (see herodesk.ts). A bad setting stops
// start-up with one line per problem.
import { ConfigError, loadConfig, readDotEnv } from "./config.ts";
import { startHeroDesk } from "./herodesk.ts";
import { logUnhandledRejections } from "./process-guard.ts";

async function main() {
  logUnhandledRejections();
  let config: ReturnType<typeof loadConfig>;
  try {
    readDotEnv();
    config = loadConfig();
  } catch (err) {
    if (err instanceof ConfigError) {
      for (const line of err.lines) process.stderr.write(`herodesk: config error: ${line}\n`);
      process.exit(1);
    }
    throw err;
  }
  const app = await startHeroDesk(config);
  const shutdown = async (signal: string) => {
    process.stderr.write(`herodesk: ${signal}, shutting down\n`);
    await app.stop();
    process.exit(0);
  };
  process.once("SIGINT", () => void shutdown("SIGINT"));
  process.once("SIGTERM", () => void shutdown("SIGTERM"));
}

main().catch((err) => {
  process.stderr.write(`herodesk: failed to start: ${err instanceof Error ? err.message : String(err)}\n`);
  process.exit(1);
});
