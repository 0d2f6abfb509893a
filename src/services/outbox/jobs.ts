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
  dmAgentMoved: "slack.dm_agent_moved",
  route: "routing.route",
  heroWaitOver: "routing.hero_wait_over",
  postSummary: "slack.post_summary",
  postSummaryChart: "slack.post_summary_chart",
  publishHome: "slack.publish_home",
  refreshTeamHomes: "home.refresh_team",
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
/** A bulk reassign: one DM for all the conversations moved to someone, not one each. */
export interface MovedDmJob {
  userId: string;
  conversationIds: number[];
  fromUserId: string;
}
/** Route one new conversation (its id), or the whole queue (no id). */
export interface RouteJob {
  conversationId?: number;
}

export interface SummaryJob {
  summaryId: number;
  /** Set for on-demand summaries: that person is told if it cannot be posted. */
  requestedBy?: string;
}

/** Routing decisions run one at a time, in order, so two never pick the same free slot. */
export const ROUTING_LANE = "routing";

/** One lane per Slack channel: Slack's rate limit and a thread's order are both per channel. */
export const slackLane = (channel: string) => `slack:${channel}`;
/** One lane per conversation: replies reach the customer in the order agents wrote them. */
export const replyLane = (conversationId: number) => `reply:${conversationId}`;

// Whatever a card shows (status, assignee, hero, waiting) App Home shows too, in the assignee's
// list and the team's load and queue: a card posted or updated refreshes those homes as well.
export async function enqueueCardPost(tx: Repositories, c: Conversation) {
  const id = await tx.outbox.enqueue(slackLane(c.slackChannel), JOB.postCard, {
    conversationId: c.id,
  } satisfies CardJob);
  await enqueueHomeRefresh(tx, { agents: [c.assigneeId], team: true });
  return id;
}

/** `previousAssigneeId`: after a change of assignee, the previous holder's home changed too. */
export async function enqueueCardUpdate(
  tx: Repositories,
  c: Conversation,
  previousAssigneeId?: number | null,
) {
  const id = await tx.outbox.enqueueOnce(slackLane(c.slackChannel), JOB.updateCard, {
    conversationId: c.id,
  } satisfies CardJob);
  await enqueueHomeRefresh(tx, { agents: [c.assigneeId, previousAssigneeId], team: true });
  return id;
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

export function enqueueMovedDm(tx: Repositories, job: MovedDmJob) {
  return tx.outbox.enqueue(slackLane(job.userId), JOB.dmAgentMoved, job satisfies MovedDmJob);
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

/** The summary, then its chart: one lane (the channel's), so the chart always comes second. */
export async function enqueueSummaryPost(tx: Repositories, channel: string, job: SummaryJob) {
  await tx.outbox.enqueue(slackLane(channel), JOB.postSummary, job);
  await tx.outbox.enqueue(slackLane(channel), JOB.postSummaryChart, job);
}

export interface HomeJob {
  userId: string;
}

/**
 * App Home refreshes. A change republishes the homes of the people it concerns who opened theirs
 * within `liveMs` (anyone else's is built fresh when they open it): after `debounceMs`, so a burst
 * of changes gives one publish; the team's managers and admins after `teamDebounceMs`, through
 * one fan-out job however many of them there are.
 */
export const HOME_REFRESH = { debounceMs: 1500, teamDebounceMs: 3000, liveMs: 12 * 60 * 60 * 1000 };

/** One lane per person: their publishes run in order, one at a time, and never block others. */
export const homeLane = (userId: string) => `home:${userId}`;
/** The fan-out to every manager's and admin's home. */
export const TEAM_HOMES_LANE = "home-team";

/** Publishes the person's App Home at `due` (now by default); one waiting publish covers all. */
export function enqueueHomePublish(tx: Repositories, userId: string, due = new Date()) {
  return tx.outbox.enqueueOnce(homeLane(userId), JOB.publishHome, { userId } satisfies HomeJob, due);
}

/**
 * What App Home shows changed: these agents' own desks (agent ids, or Slack user ids), and with
 * `team` the team's load, queue, heroes or setup that managers and admins see.
 */
export async function enqueueHomeRefresh(
  tx: Repositories,
  change: { agents?: readonly (number | null | undefined)[]; users?: readonly string[]; team?: boolean },
) {
  const now = Date.now();
  const live = new Date(now - HOME_REFRESH.liveMs);
  const agentIds = [...new Set((change.agents ?? []).filter((id): id is number => typeof id === "number"))];
  const userIds = [...new Set(change.users ?? [])];
  if (!agentIds.length && !userIds.length && !change.team) return;
  // Nobody has a home open: nothing to refresh, in one indexed look (this runs on every card change).
  if (!(await tx.homeTabs.anyOpenedSince(live))) return;
  if (agentIds.length || userIds.length) {
    const due = new Date(now + HOME_REFRESH.debounceMs);
    for (const userId of await tx.homeTabs.openedBy({ agentIds, userIds }, live))
      await enqueueHomePublish(tx, userId, due);
  }
  // The fan-out looks for the managers and admins among them.
  if (change.team)
    await tx.outbox.enqueueOnce(
      TEAM_HOMES_LANE,
      JOB.refreshTeamHomes,
      {},
      new Date(now + HOME_REFRESH.teamDebounceMs),
    );
}
