// The message shortcut "Open as conversation" (callback_id open_as_conversation): an agent turns a
// customer channel's message into a conversation. Slack sends the message in the payload, so it is
// stored before the acknowledgement; the answer goes to response_url after it.
import type { App, MessageShortcut } from "@slack/bolt";
import type { SlackReactions } from "../../../services/slack-reaction.ts";
import { filesAsAttachments } from "../../customer-channels.ts";

export const OPEN_AS_CONVERSATION = "open_as_conversation";

export function register(app: App, deps: { reactions: SlackReactions }) {
  app.shortcut<MessageShortcut>(
    { type: "message_action", callback_id: OPEN_AS_CONVERSATION },
    async ({ shortcut, ack, respond }) => {
      const m = shortcut.message as MessageShortcut["message"] & {
        user?: string;
        user_team?: string;
        thread_ts?: string;
        files?: Parameters<typeof filesAsAttachments>[0];
      };
      const outcome = m.user
        ? await deps.reactions.openAsConversation(shortcut.user.id, {
            channel: shortcut.channel.id,
            ts: m.ts,
            ...(m.thread_ts ? { threadTs: m.thread_ts } : {}),
            authorId: m.user,
            ...(m.user_team ? { authorTeam: m.user_team } : {}),
            ownTeam: shortcut.team?.id ?? "",
            text: m.text ?? "",
            attachments: filesAsAttachments(m.files),
          })
        : null;
      await ack();
      const text = !outcome
        ? "This message has no author HeroDesk can answer (a bot's or an app's)."
        : "opened" in outcome
          ? outcome.opened.ok
            ? `Opened as conversation #${outcome.opened.conversationNumber}; its card is in the triage channel.`
            : `Could not open it: ${outcome.opened.error}`
          : outcome.refused === "not_an_agent"
            ? "Only HeroDesk agents can open conversations (an admin adds you with `/desk agent add`)."
            : outcome.refused === "not_a_customer_channel"
              ? "This channel is not a customer channel of HeroDesk (see `customerChannels` in the config, or `/desk channel add`)."
              : `This message is already conversation #${outcome.conversation}.`;
      await respond({ response_type: "ephemeral", replace_original: false, text }).catch(() => undefined);
    },
  );
}
