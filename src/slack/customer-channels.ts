// The Slack side of sources of kind slack (SPEC §8): agents' answers posted into the customer's
// thread (the reply delivery's Slack target), the status reactions on it, the customer's name from
// users.info, copies that follow an edit or a deletion, and a message opened by an agent's emoji.
// Everything here runs from the outbox, paced, after the event that caused it was acknowledged.
//
// Nothing internal ever goes into a customer channel: only an agent's answer as the customer
// reads it (plain words, under the agent's name) and the status reactions.
import type { WebClient } from "@slack/web-api";
import type { SourceConfig } from "../config.ts";
import type { OutgoingReply, ReplyTarget } from "../connectors/reply-delivery.ts";
import type { Attachment, Message } from "../core/domain.ts";
import { fitText } from "../core/slack-fit.ts";
import { escapeSlackText } from "../core/slack-text.ts";
import { GiveUp, RetryLater } from "../outbox/errors.ts";
import { type JobHandlers, NOTHING_SENT } from "../outbox/handler.ts";
import { enqueueCardUpdate } from "../outbox/jobs.ts";
import type { CustomerChannels } from "../services/customer-channels.ts";
import type { MessageToOpen, OpenOutcome } from "../services/slack-reaction.ts";
import type { Store } from "../store/index.ts";
import { customerMessageSteps, type MessagePost } from "./blocks/customer-message.ts";
import { createSlackPoster } from "./poster.ts";
import { platformError, toOutboxError } from "./slack-errors.ts";

/** The metadata of an answer HeroDesk posted in a customer's thread: which message it is, nothing more. */
export const REPLY_METADATA_TYPE = "herodesk_reply";

const SLACK_RETRY = { initialDelayMs: 1000, maxDelayMs: 300_000 };

type CustomerChannelJobs =
  | "slack.customer_profile"
  | "slack.customer_status"
  | "slack.mirror_change"
  | "slack.open_conversation";

/** The text of an answer in a customer channel: the customer's plain words, nothing Slack would parse. */
const answerText = (text: string) => fitText(escapeSlackText(text), 40_000, { kind: "raw" });

export function createCustomerChannelsSlack(deps: {
  client: WebClient;
  store: Store;
  sources: ReadonlyMap<string, SourceConfig>;
  channels: CustomerChannels;
  /** What the customer reads of an agent's message (src/connectors/reply-delivery.ts). */
  renderReply: (m: Message) => Promise<{ text: string; authorName: string }>;
  /** "Open as conversation" of a message an agent's emoji named. */
  openAsConversation: (byUserId: string, m: MessageToOpen) => Promise<OpenOutcome>;
}): { target: ReplyTarget; handlers: Pick<JobHandlers, CustomerChannelJobs> } {
  const { client, store } = deps;
  const { post, findPosted, isMeta } = createSlackPoster({ client });
  const call = async <T>(fn: () => Promise<T>): Promise<T> => {
    try {
      return await fn();
    } catch (err) {
      throw toOutboxError(err);
    }
  };

  /**
   * Slack ignores chat:write.customize's username in an externally shared channel (the other
   * organisation sees the app's name): there the answer starts with the agent's name instead.
   * Asked once per channel and process (conversations.info).
   */
  const shared = new Map<string, Promise<boolean>>();
  const isExtShared = (channel: string) => {
    let known = shared.get(channel);
    if (!known) {
      known = call(() => client.conversations.info({ channel })).then((r) =>
        Boolean(r.channel?.is_ext_shared),
      );
      known.catch(() => shared.delete(channel));
      shared.set(channel, known);
    }
    return known;
  };
  const answerIn = async (channel: string, authorName: string, text: string) =>
    (await isExtShared(channel)) ? `*${answerText(authorName)}*: ${answerText(text)}` : answerText(text);

  async function customerThreadOrGiveUp(conversationId: number) {
    const thread = await store.customerSlack.threadOf(conversationId);
    if (!thread) throw new GiveUp(`conversation #${conversationId} has no customer thread`);
    return thread;
  }

  /** An agent's answer, in the customer's thread under the agent's name; found again after a lost answer. */
  const target: ReplyTarget = {
    async send({ message, conversation, payload, authorName }: OutgoingReply, { uncertain }) {
      const thread = await customerThreadOrGiveUp(conversation.id);
      const metadata = { event_type: REPLY_METADATA_TYPE, event_payload: { message_id: message.id } };
      const ts =
        (uncertain
          ? await findPosted(thread.channel, { threadTs: thread.ts }, (m) =>
              isMeta(m, REPLY_METADATA_TYPE, "message_id", message.id),
            )
          : null) ??
        (await post(thread.channel, {
          thread_ts: thread.ts,
          // HeroDesk's own replies (out of hours, the nudge) speak as the app: no internal source name.
          text: payload.agent
            ? await answerIn(thread.channel, authorName, payload.text)
            : answerText(payload.text),
          metadata,
          // Under the agent's name where Slack allows it (chat:write.customize).
          ...(payload.agent ? { username: fitText(authorName, 80, { kind: "raw" }) } : {}),
        }));
      await store.slack.savePost({ messageId: message.id, part: 0, channel: thread.channel, ts });
    },
  };

  const customerProfile: JobHandlers["slack.customer_profile"] = {
    // It holds the card back in its lane: a few quick tries, then the card goes with the id.
    retry: () => ({ initialDelayMs: 500, maxDelayMs: 2000, maxAttempts: 3 }),
    async perform({ customerId }) {
      const customer = await store.customers.get(customerId);
      if (customer.name !== customer.externalId) return NOTHING_SENT;
      let user:
        | {
            real_name?: string;
            name?: string;
            profile?: { display_name?: string; real_name?: string; email?: string };
          }
        | undefined;
      try {
        user = (await client.users.info({ user: customer.externalId })).user;
      } catch (err) {
        const e = toOutboxError(err);
        // Slack's pace is no failure; anything else leaves the name as it is (the id).
        if (e instanceof RetryLater) throw e;
        throw new GiveUp(`users.info for ${customer.externalId}: ${e.message}`);
      }
      const name =
        user?.profile?.display_name || user?.profile?.real_name || user?.real_name || user?.name || undefined;
      const email = user?.profile?.email || undefined;
      if (!name && !email) return;
      await store.transaction(async (tx) => {
        const upserted = await tx.customers.upsert(
          {
            sourceId: customer.sourceId,
            externalId: customer.externalId,
            name: name ?? email,
            fallbackName: customer.name,
            ...(email ? { email } : {}),
          },
          { linkByEmail: false },
        );
        if ("refused" in upserted) return;
        const open = await tx.conversations.openOfCustomer(customerId);
        await tx.messages.renameAuthor(
          open.map((c) => c.id),
          customer.externalId,
          upserted.customer.name,
        );
        for (const c of open) await enqueueCardUpdate(tx, c);
      });
    },
  };

  const customerStatus: JobHandlers["slack.customer_status"] = {
    retry: () => SLACK_RETRY,
    async perform({ conversationId }) {
      const thread = await store.customerSlack.threadOf(conversationId);
      const conversation = await store.conversations.get(conversationId);
      if (!thread || !conversation) return NOTHING_SENT;
      const source = deps.channels.slackSource(conversation.sourceId);
      if (!source) return NOTHING_SENT;
      // What the customer needs to know: someone is on it, or it is closed. Nothing more.
      const wanted =
        conversation.status === "closed"
          ? source.statusEmoji.closed
          : conversation.assigneeId
            ? source.statusEmoji.working
            : null;
      if (wanted === thread.statusShown) return NOTHING_SENT;
      const at = { channel: thread.channel, timestamp: thread.ts };
      if (thread.statusShown)
        await ignoring(["no_reaction", "message_not_found"], () =>
          client.reactions.remove({ ...at, name: thread.statusShown! }),
        );
      if (wanted) await ignoring(["already_reacted"], () => client.reactions.add({ ...at, name: wanted }));
      await store.customerSlack.setStatusShown(conversationId, wanted);
    },
  };

  /** A call whose answer among `fine` means it is already as wanted. */
  async function ignoring(fine: readonly string[], fn: () => Promise<unknown>) {
    try {
      await fn();
    } catch (err) {
      const code = platformError(err);
      if (code && fine.includes(code)) return;
      throw toOutboxError(err);
    }
  }

  const mirrorChange: JobHandlers["slack.mirror_change"] = {
    retry: () => SLACK_RETRY,
    async perform({ messageId }) {
      const message = await store.messages.get(messageId);
      if (!message) throw new GiveUp(`message ${messageId} not found`);
      const posts = await store.slack.postsOf(messageId);
      // Not posted (yet): whatever posts it later shows it as it is now.
      if (!posts.length) return NOTHING_SENT;
      const thread = await store.customerSlack.threadOf(message.conversationId);
      for (const copy of posts) {
        if (copy.ts.startsWith("file:")) continue;
        if (thread && copy.channel === thread.channel) {
          // The answer in the customer's thread: deleted there too, or shown as edited.
          if (message.deletedAt)
            await ignoring(["message_not_found"], () =>
              client.chat.delete({ channel: copy.channel, ts: copy.ts }),
            );
          else {
            const { text, authorName } = await deps.renderReply(message);
            const shown = await answerIn(copy.channel, authorName, text);
            await call(() => client.chat.update({ channel: copy.channel, ts: copy.ts, text: shown }));
          }
          continue;
        }
        // The copy in the triage thread: as it is now, marked, and nothing lost (a deletion keeps
        // what it said, for the agents).
        const step = customerMessageSteps(message).find(
          (s): s is MessagePost => s.kind === "post" && s.part === copy.part,
        );
        const marker = message.deletedAt
          ? ":wastebasket: _Deleted in Slack by its author. It said:_"
          : ":pencil2: _Edited in Slack by its author._";
        const blocks = [
          { type: "context" as const, elements: [{ type: "mrkdwn" as const, text: marker }] },
          ...(step?.blocks ?? []),
        ];
        await call(() =>
          client.chat.update({
            channel: copy.channel,
            ts: copy.ts,
            text: step?.text ?? marker,
            blocks,
            metadata: step?.metadata ?? {
              event_type: "herodesk_message",
              event_payload: { message_id: messageId },
            },
          }),
        );
      }
    },
  };

  const openConversation: JobHandlers["slack.open_conversation"] = {
    retry: () => ({ ...SLACK_RETRY, maxAttempts: 5 }),
    async perform({ channel, ts, userId, ownTeam }) {
      const found = await call(() =>
        client.conversations.history({ channel, latest: ts, oldest: ts, inclusive: true, limit: 1 }),
      );
      let message = found.messages?.find((m) => m.ts === ts);
      if (!message) {
        // A reply in a thread is not in the channel's history: it is in its thread.
        const replies = await call(() =>
          client.conversations.replies({ channel, ts, limit: 1, inclusive: true }),
        );
        message = replies.messages?.find((m) => m.ts === ts);
      }
      if (!message?.user) throw new GiveUp(`no message ${ts} in ${channel}`);
      await deps.openAsConversation(userId, {
        channel,
        ts,
        ...(message.thread_ts ? { threadTs: message.thread_ts } : {}),
        authorId: message.user,
        ...(authorTeam(message) ? { authorTeam: authorTeam(message)! } : {}),
        ...(ownTeam ? { ownTeam } : {}),
        text: message.text ?? "",
        attachments: filesAsAttachments(message.files),
      });
    },
  };

  return {
    target,
    handlers: {
      "slack.customer_profile": customerProfile,
      "slack.customer_status": customerStatus,
      "slack.mirror_change": mirrorChange,
      "slack.open_conversation": openConversation,
    },
  };
}

/** Files shared in Slack, as links the agents can open (their permalinks need a Slack login). */
export function filesAsAttachments(
  files:
    | { name?: string; title?: string; permalink?: string; url_private?: string; mimetype?: string }[]
    | undefined,
): Attachment[] {
  return (files ?? []).flatMap((f) => {
    const url = f.permalink ?? f.url_private;
    return url
      ? [{ url, name: f.name ?? f.title ?? "file", ...(f.mimetype ? { mimeType: f.mimetype } : {}) }]
      : [];
  });
}

/** The author's organisation as history shows it (user_team; team on older messages). */
const authorTeam = (m: { team?: string }) => (m as { user_team?: string }).user_team ?? m.team;
