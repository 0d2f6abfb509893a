// Performs the outbox's Slack work: posts and updates conversation cards, mirrors customer
// messages into threads, posts notices. Every post carries metadata naming what it mirrors, so
// after a crash or a timeout HeroDesk looks in the thread first and never posts a message twice.
import type { KnownBlock } from "@slack/types";
import type { WebClient } from "@slack/web-api";
import type { OutboxItem } from "../core/domain.ts";
import { GiveUp, type OutboxHandler, RetryLater } from "../jobs/outbox-worker.ts";
import type { Logger } from "../logger.ts";
import { type CardJob, type DmJob, JOB, type MessageJob, type NoticeJob } from "../services/outbox/jobs.ts";
import type { Store } from "../store/index.ts";
import { CARD_METADATA_TYPE, cardBlocks, cardMetadata, cardText } from "./blocks/card.ts";
import { customerMessagePosts, MESSAGE_METADATA_TYPE } from "./blocks/customer-message.ts";
import { agentDm } from "./blocks/dm.ts";
import { NOTICE_METADATA_TYPE, noticeMetadata } from "./blocks/notice.ts";
import type { ChannelLimiter } from "./channel-limiter.ts";
import { slackErrorName, toOutboxError } from "./slack-errors.ts";

interface PostArgs {
  text: string;
  blocks?: KnownBlock[];
  thread_ts?: string;
  metadata: { event_type: string; event_payload: Record<string, string | number> };
  username?: string;
  icon_emoji?: string;
}
interface SlackMessageLike {
  ts?: string;
  metadata?: { event_type?: string; event_payload?: Record<string, unknown> };
}

export interface NotifierDeps {
  client: WebClient;
  store: Store;
  limiter: ChannelLimiter;
  sourceLabel: (sourceId: string) => string;
  logger: Logger;
  /** Heard once a customer message is in its thread (agents are told then, with a link). */
  onCustomerMessagePosted?: (messageId: number) => Promise<void>;
}

const SLACK_RETRY = { initialDelayMs: 1000, maxDelayMs: 300_000 };

export function createSlackNotifier(deps: NotifierDeps): Record<string, OutboxHandler> {
  const { client, store, limiter } = deps;

  async function post(channel: string, args: PostArgs, signal: AbortSignal): Promise<string> {
    for (let joined = false; ; joined = true) {
      await limiter.acquire(channel, signal);
      try {
        const res = await client.chat.postMessage({
          channel,
          unfurl_links: false,
          unfurl_media: false,
          ...args,
        });
        return res.ts!;
      } catch (err) {
        // A public channel the bot was never invited to: join it, then post.
        if (!joined && slackErrorName(err) === "not_in_channel") {
          await client.conversations.join({ channel }).catch((e) => {
            throw toOutboxError(e);
          });
          continue;
        }
        throw toOutboxError(err, (ms) => limiter.pause(channel, ms));
      }
    }
  }

  /** Looks for an earlier post of ours, by its metadata, in a thread or the channel's recent history. */
  async function findPosted(
    channel: string,
    where: { threadTs: string } | { oldest: Date },
    matches: (m: SlackMessageLike) => boolean,
  ): Promise<string | null> {
    let cursor: string | undefined;
    try {
      do {
        const page =
          "threadTs" in where
            ? await client.conversations.replies({
                channel,
                ts: where.threadTs,
                include_all_metadata: true,
                limit: 200,
                cursor,
              })
            : await client.conversations.history({
                channel,
                oldest: String(Math.floor(where.oldest.getTime() / 1000) - 60),
                include_all_metadata: true,
                limit: 200,
                cursor,
              });
        const hit = (page.messages as SlackMessageLike[] | undefined)?.find(matches);
        if (hit?.ts) return hit.ts;
        cursor = page.response_metadata?.next_cursor || undefined;
      } while (cursor);
    } catch (err) {
      throw toOutboxError(err);
    }
    return null;
  }

  const isMeta = (m: SlackMessageLike, type: string, key: string, value: unknown) =>
    m.metadata?.event_type === type && m.metadata.event_payload?.[key] === value;

  async function threadOrGiveUp(conversationId: number) {
    const thread = await store.slack.threadForConversation(conversationId);
    // The card is ahead in the same lane; it can only be missing if it was given up on.
    if (!thread) throw new GiveUp(`conversation #${conversationId} has no Slack card`);
    return thread;
  }

  const postCard: OutboxHandler = {
    retryPolicy: () => SLACK_RETRY,
    async run(item: OutboxItem, signal: AbortSignal) {
      const { conversationId } = item.payload as CardJob;
      if (await store.slack.threadForConversation(conversationId)) return;
      const conversation = await store.conversations.get(conversationId);
      const card = await store.conversations.loadCard(conversationId, deps.sourceLabel);
      if (!conversation || !card) throw new GiveUp(`conversation #${conversationId} not found`);
      const channel = conversation.slackChannel;
      let ts = item.uncertain
        ? await findPosted(channel, { oldest: conversation.createdAt }, (m) =>
            isMeta(m, CARD_METADATA_TYPE, "conversation_id", conversationId),
          )
        : null;
      ts ??= await post(
        channel,
        { text: cardText(card), blocks: cardBlocks(card), metadata: cardMetadata(card) },
        signal,
      );
      await store.slack.saveThread({ conversationId, channel, ts });
    },
  };

  const updateCard: OutboxHandler = {
    retryPolicy: () => SLACK_RETRY,
    // chat.update is not limited per channel, so it takes no slot and needs no signal.
    async run(item: OutboxItem) {
      const { conversationId } = item.payload as CardJob;
      const thread = await threadOrGiveUp(conversationId);
      const card = await store.conversations.loadCard(conversationId, deps.sourceLabel);
      if (!card) throw new GiveUp(`conversation #${conversationId} not found`);
      try {
        await client.chat.update({
          channel: thread.channel,
          ts: thread.ts,
          text: cardText(card),
          blocks: cardBlocks(card),
          metadata: cardMetadata(card),
        });
      } catch (err) {
        throw toOutboxError(err);
      }
    },
  };

  const postCustomerMessage: OutboxHandler = {
    retryPolicy: () => SLACK_RETRY,
    async run(item: OutboxItem, signal: AbortSignal) {
      const { messageId } = item.payload as MessageJob;
      const message = await store.messages.get(messageId);
      if (!message) throw new GiveUp(`message ${messageId} not found`);
      const thread = await threadOrGiveUp(message.conversationId);
      const posted = await store.slack.postedParts(messageId);
      for (const part of customerMessagePosts(message)) {
        if (posted.has(part.part)) continue;
        let ts = item.uncertain
          ? await findPosted(
              thread.channel,
              { threadTs: thread.ts },
              (m) =>
                isMeta(m, MESSAGE_METADATA_TYPE, "message_id", messageId) &&
                m.metadata?.event_payload?.part === part.part,
            )
          : null;
        ts ??= await post(
          thread.channel,
          {
            thread_ts: thread.ts,
            text: part.text,
            blocks: part.blocks,
            metadata: part.metadata,
            // Shown under the customer's name (needs chat:write.customize).
            username: message.authorName.slice(0, 80),
            icon_emoji: ":bust_in_silhouette:",
          },
          signal,
        );
        await store.slack.savePost({ messageId, part: part.part, channel: thread.channel, ts });
      }
      await deps.onCustomerMessagePosted?.(messageId);
    },
  };

  const dmAgent: OutboxHandler = {
    retryPolicy: () => SLACK_RETRY,
    async run(item: OutboxItem, signal: AbortSignal) {
      const job = item.payload as DmJob;
      const thread = await store.slack.threadForConversation(job.conversationId);
      // The card is posted in another lane; the DM links to it, so it waits for it.
      if (!thread) throw new RetryLater("card not posted yet", { delayMs: 500, countsAsAttempt: false });
      const card = await store.conversations.loadCard(job.conversationId, deps.sourceLabel);
      if (!card) throw new GiveUp(`conversation #${job.conversationId} not found`);
      const message = job.messageId
        ? await store.messages.get(job.messageId)
        : await store.messages.firstOf(job.conversationId);
      let permalink: string | null = null;
      try {
        permalink =
          (await client.chat.getPermalink({ channel: thread.channel, message_ts: thread.ts })).permalink ??
          null;
      } catch {
        permalink = null; // the DM is still worth sending without its link
      }
      const dm = agentDm({
        kind: job.kind,
        card,
        permalink,
        messageText: message?.text ?? null,
        reason: job.reason,
      });
      const key = `${job.kind}-${job.conversationId}-${job.messageId ?? item.id}`;
      const seen = item.uncertain ? await findDm(job.userId, key) : false;
      if (!seen)
        await post(job.userId, { text: dm.text, blocks: dm.blocks, metadata: noticeMetadata(key) }, signal);
    },
  };

  /** After an uncertain attempt: is the DM already in the user's DM channel? */
  async function findDm(userId: string, key: string): Promise<boolean> {
    try {
      const dm = await client.conversations.open({ users: userId });
      const channel = dm.channel?.id;
      if (!channel) return false;
      return (
        (await findPosted(channel, { oldest: new Date(Date.now() - 86_400_000) }, (m) =>
          isMeta(m, NOTICE_METADATA_TYPE, "key", key),
        )) !== null
      );
    } catch (err) {
      throw toOutboxError(err);
    }
  }

  const postNotice: OutboxHandler = {
    retryPolicy: () => SLACK_RETRY,
    async run(item: OutboxItem, signal: AbortSignal) {
      const { conversationId, key, text } = item.payload as NoticeJob;
      const thread = await threadOrGiveUp(conversationId);
      const seen = item.uncertain
        ? await findPosted(thread.channel, { threadTs: thread.ts }, (m) =>
            isMeta(m, NOTICE_METADATA_TYPE, "key", key),
          )
        : null;
      if (!seen)
        await post(thread.channel, { thread_ts: thread.ts, text, metadata: noticeMetadata(key) }, signal);
    },
  };

  return {
    [JOB.postCard]: postCard,
    [JOB.updateCard]: updateCard,
    [JOB.postCustomerMessage]: postCustomerMessage,
    [JOB.postNotice]: postNotice,
    [JOB.dmAgent]: dmAgent,
  };
}
