// Link buttons (the DM's "Open thread", an attachment's "Open" when its link is too long for
// mrkdwn): Slack opens the URL and still tells the app; acknowledge it.
import type { App } from "@slack/bolt";
import { OPEN_ATTACHMENT_ACTION } from "../../blocks/customer-message.ts";

export function register(app: App) {
  for (const actionId of ["open_thread", OPEN_ATTACHMENT_ACTION])
    app.action(actionId, async ({ ack }) => {
      await ack();
    });
}
