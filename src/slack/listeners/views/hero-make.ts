// The Make Hero modal was submitted: set the hero; a refusal shows in the modal itself. Setting it
// is a database transaction before the ack (the refusal is the ack's answer); nothing before the
// ack asks Slack.
import type { App } from "@slack/bolt";
import { fitText } from "../../../core/slack-fit.ts";
import { mrkdwnToPlainText } from "../../../core/slack-text.ts";
import type { DeskServices } from "../../../services/desk.ts";
import { isDone } from "../../../services/results.ts";
import { HERO_MODAL, teamOfOption } from "../../blocks/hero-modal.ts";
import { present } from "../../presenters/index.ts";

export function register(app: App, desk: DeskServices) {
  app.view(HERO_MODAL, async ({ ack, view, body, client, logger }) => {
    const values = view.state.values as Record<
      string,
      Record<string, { selected_user?: string | null; selected_option?: { value: string } | null }>
    >;
    const picked = values.hero_team?.team?.selected_option?.value;
    // A long team name's option value is cut (hero-modal.ts); find the team it starts.
    const team = picked ? (teamOfOption(picked, await desk.teamNames()) ?? picked) : undefined;
    const agent = values.hero_agent?.agent?.selected_user;
    if (!team && !agent)
      return ack({ response_action: "errors", errors: { hero_agent: "Pick an agent or a team." } });
    const outcome = await desk.makeHero(
      { userId: body.user.id },
      {
        customer: { conversation: Number(view.private_metadata) },
        hero: team ? { kind: "team", team } : { kind: "agent", userId: agent! },
      },
    );
    const text = present(outcome);
    if (!isDone(outcome))
      return ack({
        response_action: "errors",
        // Slack shows a modal's errors as plain text: no mention or mrkdwn may show raw there.
        errors: {
          [team ? "hero_team" : "hero_agent"]: fitText(
            mrkdwnToPlainText(text, (id) => (id === agent ? "the person you picked" : undefined)),
            150,
            { kind: "raw" },
          ),
        },
      });
    await ack();
    // Tell them what happened, privately (a DM from the app). Not awaited: the submission is
    // answered when this listener returns (processBeforeResponse), and Slack's Web API may take
    // longer than Slack waits for that answer.
    void client.chat
      .postMessage({ channel: body.user.id, text })
      .catch((err: unknown) => logger.warn(`hero DM failed: ${(err as Error).message}`));
  });
}
