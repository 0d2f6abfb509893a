// An agent writes in a conversation's thread: the reply goes to the customer.
// Slack's event is acknowledged when this listener returns (processBeforeResponse), and Slack
// retries it after 3 s without one: so the listener stores what the event says, in one
// transaction, and calls no Web API method. People's names are looked up when the reply is
// delivered (src/connectors/reply-delivery.ts).
import type { App } from "@slack/bolt";
import type { Attachment } from "../../../core/domain.ts";
import type { RecordAgentReply } from "../../../services/record-agent-reply.ts";

interface ThreadMessageEvent {
  subtype?: string;
  bot_id?: string;
  user?: string;
  text?: string;
  ts: string;
  thread_ts?: string;
  channel: string;
  files?: { name?: string; title?: string; permalink?: string; url_private?: string; mimetype?: string }[];
}

// Edits, deletions, joins and the like are not replies; file shares and broadcasts are.
const REPLY_SUBTYPES = new Set([undefined, "file_share", "thread_broadcast"]);

export function register(app: App, deps: { recordAgentReply: RecordAgentReply }) {
  app.event("message", async ({ event, body }) => {
    const msg = event as unknown as ThreadMessageEvent;
    // HeroDesk's own posts come back as events. Bolt's ignoreSelf drops them already; bot_id also
    // drops other bots, whose messages are not an agent talking to the customer.
    if (msg.bot_id || !msg.user) return;
    // Slackbot (reminders, say) is not flagged as a bot, and is nobody talking to the customer.
    if (msg.user === "USLACKBOT") return;
    if (!REPLY_SUBTYPES.has(msg.subtype)) return;
    if (!msg.thread_ts || msg.thread_ts === msg.ts) return;

    const attachments: Attachment[] = (msg.files ?? []).flatMap((f) => {
      const url = f.permalink ?? f.url_private;
      return url
        ? [{ url, name: f.name ?? f.title ?? "file", ...(f.mimetype ? { mimeType: f.mimetype } : {}) }]
        : [];
    });
    await deps.recordAgentReply({
      eventId: (body as { event_id?: string }).event_id,
      channel: msg.channel,
      threadTs: msg.thread_ts,
      ts: msg.ts,
      userId: msg.user,
      text: msg.text ?? "",
      attachments,
    });
  });
}
