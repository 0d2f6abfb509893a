// `npm run emulator`: a standalone Slack emulator with the demo workspace, for trying HeroDesk
// without a Slack account. Prints the settings to point HeroDesk at it and serves a transcript
// viewer at its base URL.
//   PORT          emulator port (default 4100)
//   HERODESK_URL  where HeroDesk receives Slack requests (default http://127.0.0.1:3000/slack/events)
import { SlackEmulator } from "./index.ts";
import { seedDemoWorkspace } from "./seed.ts";

async function main(): Promise<void> {
  const port = Number(process.env.PORT ?? 4100);
  if (!Number.isInteger(port) || port < 0 || port > 65535) {
    console.error(`PORT must be a port number, got "${process.env.PORT}"`);
    process.exit(1);
  }
  const appUrl = process.env.HERODESK_URL ?? "http://127.0.0.1:3000/slack/events";
  const emulator = await SlackEmulator.start({ port, appUrl });
  seedDemoWorkspace(emulator.workspace);
  const lines = [
    `Slack emulator for ${emulator.workspace.team.name} (${emulator.workspace.team.id})`,
    `  transcript viewer  ${emulator.baseUrl}/`,
    `  Web API            ${emulator.apiUrl}`,
    `  bot token          ${emulator.botToken}`,
    `  signing secret     ${emulator.signingSecret}`,
    `  events go to       ${appUrl}`,
    "",
    "Point HeroDesk at it:",
    `  SLACK_API_URL=${emulator.apiUrl} SLACK_BOT_TOKEN=${emulator.botToken} SLACK_SIGNING_SECRET=${emulator.signingSecret} npm start`,
  ];
  console.log(lines.join("\n"));
  const shutdown = () => {
    void emulator.stop().then(() => process.exit(0));
  };
  process.on("SIGINT", shutdown);
  process.on("SIGTERM", shutdown);
}

main().catch((err: unknown) => {
  console.error(err instanceof Error ? err.message : err);
  process.exit(1);
});
