// Make Hero: a modal to choose the hero (the clicker by default, another agent, or a team).
import type { App } from "@slack/bolt";
import type { DeskServices } from "../../../services/desk.ts";
import { isDone } from "../../../services/results.ts";
import { CARD_ACTIONS } from "../../blocks/card.ts";
import { heroModal } from "../../blocks/hero-modal.ts";
import { present } from "../../presenters/index.ts";
import { conversationNumber } from "./card-action.ts";

export function register(app: App, desk: DeskServices) {
  app.action(CARD_ACTIONS.makeHero, async ({ ack, body, action, client, respond, logger }) => {
    await ack();
    const n = conversationNumber(action as { value?: string });
    if (!n) return;
    // The click is answered when this listener returns (processBeforeResponse), so the modal is
    // opened after it: views.open may take longer than Slack waits for the answer. It still starts
    // at once, since the trigger_id expires 3 s after the click.
    void (async () => {
      const allowed = await desk.mayMakeHero({ userId: body.user.id });
      if (!isDone(allowed)) {
        await respond({ response_type: "ephemeral", replace_original: false, text: present(allowed) });
        return;
      }
      try {
        await client.views.open({
          trigger_id: (body as { trigger_id: string }).trigger_id,
          view: heroModal(n, body.user.id, await desk.teamNames(), await desk.customerOf(n)),
        });
      } catch {
        await respond({
          response_type: "ephemeral",
          replace_original: false,
          text: "Slack did not open the dialog; use `/desk hero make <customer> @agent` instead.",
        });
      }
    })().catch((err: unknown) => logger.error(`make hero failed: ${(err as Error).message}`));
  });
}
