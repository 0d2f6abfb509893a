// An emoji reaction (reaction_added, docs.slack.dev/reference/events/reaction_added): an agent's
// close emoji closes the conversation, their open emoji on a customer's message opens it as one
// (src/services/slack-reaction.ts). Stored before the ack; Slack is asked nothing here.
import type { App } from "@slack/bolt";
import type { SlackReactions } from "../../../services/slack-reaction.ts";

export function register(app: App, deps: { reactions: SlackReactions }) {
  app.event("reaction_added", async ({ event, body }) => {
    const item = event.item as { type?: string; channel?: string; ts?: string };
    if (item.type !== "message" || !item.channel || !item.ts) return;
    await deps.reactions.reactionAdded({
      userId: event.user,
      reaction: event.reaction,
      channel: item.channel,
      ts: item.ts,
      ...((body as { team_id?: string }).team_id ? { ownTeam: (body as { team_id: string }).team_id } : {}),
    });
  });
}
