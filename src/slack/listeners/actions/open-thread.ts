// The DM's "Open thread" link button: Slack opens the URL and still tells the app; acknowledge it.
import type { App } from "@slack/bolt";

export function register(app: App) {
  app.action("open_thread", async ({ ack }) => {
    await ack();
  });
}
