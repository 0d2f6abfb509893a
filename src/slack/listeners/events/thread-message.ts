// Messages in the channels HeroDesk is in. An agent's reply in a conversation's thread goes to the
// customer; in a customer channel (a source of kind slack) a customer's message is theirs, and
// an edit or a deletion there, or of an agent's answer, reaches its copy on the other side.
// Slack's event is acknowledged when this listener returns (processBeforeResponse), and Slack
// retries it after 3 s without one: so the listener only stores what the event says, in the
// channel's inbox (src/services/slack-inbox.ts), and calls no Web API method. The outbox takes it
// from there; people's names are looked up later, too.
import type { App } from "@slack/bolt";
import { tsToDate } from "../../../services/record-agent-reply.ts";
import type { SlackInbox } from "../../../services/slack-inbox.ts";
import { filesAsAttachments } from "../../customer-channels.ts";

interface SlackFile {
  name?: string;
  title?: string;
  permalink?: string;
  url_private?: string;
  mimetype?: string;
}
interface ThreadMessageEvent {
  subtype?: string;
  bot_id?: string;
  user?: string;
  user_team?: string;
  text?: string;
  ts: string;
  thread_ts?: string;
  channel: string;
  files?: SlackFile[];
  /**
   * When Slack says it happened, the same in a retry (@slack/types events/message.ts:
   * MessageChangedEvent and MessageDeletedEvent carry `event_ts`).
   */
  event_ts?: string;
  /** message_changed: the message as it is now. */
  message?: { ts?: string; text?: string; user?: string; bot_id?: string; subtype?: string };
  /** message_deleted. */
  deleted_ts?: string;
  previous_message?: { user?: string; bot_id?: string };
}

// Edits, deletions, joins and the like are not replies; file shares and broadcasts are.
const REPLY_SUBTYPES = new Set([undefined, "file_share", "thread_broadcast"]);

export function register(app: App, deps: { slackInbox: SlackInbox }) {
  app.event("message", async ({ event, body }) => {
    const msg = event as unknown as ThreadMessageEvent;
    const envelope = body as { event_id?: string; team_id?: string };
    if (msg.subtype === "message_changed" || msg.subtype === "message_deleted") {
      const changed = msg.subtype === "message_changed";
      const ts = changed ? msg.message?.ts : msg.deleted_ts;
      // HeroDesk's own updates (cards, copies) come back as edits too; bots' are nobody's words.
      const by = changed ? msg.message : msg.previous_message;
      if (!ts || !by || by.bot_id || !by.user || by.user === "USLACKBOT") return;
      // An unfurl or a thread's reply count changes the message too, not its text.
      if (changed && msg.message?.text === undefined) return;
      await deps.slackInbox.change({
        channel: msg.channel,
        ts,
        ...(changed ? { text: msg.message!.text! } : {}),
        at: msg.event_ts ? tsToDate(msg.event_ts) : new Date(),
      });
      return;
    }
    // HeroDesk's own posts come back as events. Bolt's ignoreSelf drops them already; bot_id also
    // drops other bots, whose messages are not an agent talking to the customer.
    if (msg.bot_id || !msg.user) return;
    // Slackbot (reminders, say) is not flagged as a bot, and is nobody talking to the customer.
    if (msg.user === "USLACKBOT") return;
    if (!REPLY_SUBTYPES.has(msg.subtype)) return;
    const threadTs = msg.thread_ts && msg.thread_ts !== msg.ts ? msg.thread_ts : undefined;
    await deps.slackInbox.message({
      ...(envelope.event_id ? { eventId: envelope.event_id } : {}),
      channel: msg.channel,
      ts: msg.ts,
      ...(threadTs ? { threadTs } : {}),
      userId: msg.user,
      ...(msg.user_team ? { userTeam: msg.user_team } : {}),
      ...(envelope.team_id ? { ownTeam: envelope.team_id } : {}),
      text: msg.text ?? "",
      attachments: filesAsAttachments(msg.files),
    });
  });
}
