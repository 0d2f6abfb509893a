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
  dmAgent: "slack.dm_agent",
  route: "routing.route",
  heroWaitOver: "routing.hero_wait_over",
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

export interface DmJob {
  userId: string;
  conversationId: number;
  /** assigned: you got it; message: a customer wrote (you hold it, or it is unassigned and you subscribe). */
  kind: "assigned" | "message";
  messageId?: number;
  reason?: string;
}
/** Route one new conversation (its id), or the whole queue (no id). */
export interface RouteJob {
  conversationId?: number;
}

/** Routing decisions run one at a time, in order, so two never pick the same free slot. */
export const ROUTING_LANE = "routing";

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

export function enqueueAgentDm(tx: Repositories, job: DmJob) {
  // A DM goes to the user id; Slack opens (or reuses) the DM channel.
  return tx.outbox.enqueue(slackLane(job.userId), JOB.dmAgent, job satisfies DmJob);
}

export function enqueueRouting(tx: Repositories, conversationId: number) {
  return tx.outbox.enqueue(ROUTING_LANE, JOB.route, { conversationId } satisfies RouteJob);
}

/** Capacity freed or someone came online: look at the queue again (one waiting look covers all). */
export function enqueueQueueCheck(tx: Repositories) {
  return tx.outbox.enqueueOnce(ROUTING_LANE, JOB.route, {} satisfies RouteJob);
}

/** Wakes the routing when a busy hero's wait is over; its own lane, so it blocks nothing. */
export function enqueueHeroWaitOver(tx: Repositories, conversationId: number, at: Date) {
  return tx.outbox.enqueue(`hero-wait:${conversationId}`, JOB.heroWaitOver, { conversationId }, at);
}
