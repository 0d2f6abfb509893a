// The kinds of outbox work and the lanes they run in. Services enqueue inside their transaction;
// the worker hands each kind to its handler (src/slack/notifier.ts, src/connectors/reply-delivery.ts).
// Payloads hold ids only: a handler renders from the database when it runs, so it sends the
// current state, and a waiting card update covers every change made before it.
import type { Conversation, Message } from "../../core/domain.ts";
import type { Repositories } from "../../store/index.ts";

export const JOB = {
  postCard: "slack.post_card",
  updateCard: "slack.update_card",
  postCustomerMessage: "slack.post_customer_message",
  postNotice: "slack.post_notice",
  deliverReply: "reply.deliver",
} as const;

export interface CardJob {
  conversationId: number;
}
export interface MessageJob {
  messageId: number;
}
export interface DeliveryJob {
  messageId: number;
  sourceId: string;
}
export interface NoticeJob {
  conversationId: number;
  /** Unique per notice: finds it again in the thread after a crash. */
  key: string;
  text: string;
}

/** One lane per Slack channel: Slack's rate limit and a thread's order are both per channel. */
export const slackLane = (channel: string) => `slack:${channel}`;
/** One lane per conversation: replies reach the customer in the order agents wrote them. */
export const replyLane = (conversationId: number) => `reply:${conversationId}`;

export function enqueueCardPost(tx: Repositories, c: Conversation) {
  return tx.outbox.enqueue(slackLane(c.slackChannel), JOB.postCard, {
    conversationId: c.id,
  } satisfies CardJob);
}

export function enqueueCardUpdate(tx: Repositories, c: Conversation) {
  return tx.outbox.enqueueOnce(slackLane(c.slackChannel), JOB.updateCard, {
    conversationId: c.id,
  } satisfies CardJob);
}

export function enqueueCustomerMessagePost(tx: Repositories, c: Conversation, m: Message) {
  return tx.outbox.enqueue(slackLane(c.slackChannel), JOB.postCustomerMessage, {
    messageId: m.id,
  } satisfies MessageJob);
}

export function enqueueNotice(tx: Repositories, c: Conversation, key: string, text: string) {
  return tx.outbox.enqueue(slackLane(c.slackChannel), JOB.postNotice, {
    conversationId: c.id,
    key,
    text,
  } satisfies NoticeJob);
}

export function enqueueReplyDelivery(tx: Repositories, m: Message) {
  return tx.outbox.enqueue(replyLane(m.conversationId), JOB.deliverReply, {
    messageId: m.id,
    sourceId: m.sourceId,
  } satisfies DeliveryJob);
}
