// The outbox's catalogue: every kind of job, its payload (one zod schema, read by the producer's
// types and checked again when the worker picks the job up), the lane it runs in, and the
// producers' enqueue functions. Services enqueue inside their transaction; each kind's handler
// (retry policy, pacing, perform, give-up) is in its consumer's folder, and the worker's registry
// (src/outbox/handler.ts) will not compile without one for every kind here.
// Payloads hold ids only: a handler renders from the database when it runs, so it sends the
// current state, and a waiting card update covers every change made before it. A payload schema
// may gain optional fields only: rows written by an older HeroDesk must still parse.
import { z } from "zod";
import type { Conversation, Message } from "../core/domain.ts";
import type { Repositories } from "../store/index.ts";

const id = z.number().int().positive();
const conversationJob = z.object({ conversationId: id });
const summaryJob = z.object({
  summaryId: id,
  /** Set for on-demand summaries: that person is told if it cannot be posted. */
  requestedBy: z.string().optional(),
});

export const JOBS = {
  "slack.post_card": conversationJob,
  "slack.update_card": conversationJob,
  "slack.post_customer_message": z.object({ messageId: id }),
  "slack.post_notice": z.object({
    conversationId: id,
    /** Unique per notice: finds it again in the thread after a crash. */
    key: z.string(),
    text: z.string(),
  }),
  "reply.deliver": z.object({ messageId: id, sourceId: z.string() }),
  "slack.dm_agent": z.object({
    userId: z.string(),
    conversationId: id,
    /** assigned: you got it; message: a customer wrote (you hold it, or it is unassigned and you subscribe). */
    /** at_risk: a response target is 75% used; breached: past it (to an escalation channel). */
    /** reassigned: still unanswered past its target, taken from `from` and routed again. */
    kind: z.enum(["assigned", "message", "at_risk", "breached", "reassigned"]),
    /** For at_risk and breached: which response, and when it is due (ms since the epoch). */
    target: z.enum(["first", "next"]).optional(),
    due: z.number().int().optional(),
    messageId: id.optional(),
    reason: z.string().optional(),
    /** For reassigned: whom it was taken from (a Slack user id). */
    from: z.string().optional(),
  }),
  /** A bulk reassign: one DM for all the conversations moved to someone, not one each. */
  "slack.dm_agent_moved": z.object({
    userId: z.string(),
    conversationIds: z.array(id),
    fromUserId: z.string(),
  }),
  /** Route one new conversation (its id), or the whole queue (no id). */
  "routing.route": z.object({ conversationId: id.optional() }),
  "routing.hero_wait_over": conversationJob,
  "slack.post_summary": summaryJob,
  "slack.post_summary_chart": summaryJob,
  "slack.publish_home": z.object({ userId: z.string() }),
  "home.refresh_team": z.object({}),
  /** Tells an admin, by DM, that a Slack problem needs them (`opened`) or was fixed (`resolved`). */
  "slack.problem_notice": z.object({
    userId: z.string(),
    problemKey: z.string(),
    state: z.enum(["opened", "resolved"]),
  }),
  /** A response target's step: due at the at-risk instant and at the due time of the clock `since`. */
  "targets.check": z.object({
    conversationId: id,
    since: z.number().int(),
    step: z.enum(["at_risk", "breached", "reassign"]),
    /**
     * The step's instant (ms): a new priority or tag can move it, and the step set for the old
     * instant then does nothing. Absent in steps set before tags and priority existed.
     */
    at: z.number().int().optional(),
  }),
  /**
   * Auto-close's steps for a conversation waiting on the customer since the agent's answer at
   * `since`: the nudge to the customer, then the close.
   */
  "conversations.idle": z.object({
    conversationId: id,
    since: z.number().int(),
    step: z.enum(["nudge", "close"]),
  }),
  /** A Slack customer's name (and email, when Slack shows it), from users.info. */
  "slack.customer_profile": z.object({ customerId: id }),
  /** The status reactions on a Slack customer's thread, as the conversation is now. */
  "slack.customer_status": conversationJob,
  /** A message edited or deleted in Slack: its copies on the other side follow. */
  "slack.mirror_change": z.object({ messageId: id }),
  /** An agent's reaction asks to open a customer channel's message as a conversation. */
  "slack.open_conversation": z.object({
    channel: z.string(),
    ts: z.string(),
    userId: z.string(),
    /** The workspace's own team id (the event's), to tell an external author. */
    ownTeam: z.string().optional(),
  }),
  /** A DM of HeroDesk's own to a person (an admin told a channel became a customer channel). */
  "slack.dm_text": z.object({ userId: z.string(), key: z.string(), text: z.string() }),
  /** Makes sure the bot is a member of a channel it mirrors into (joins a public one). */
  "slack.ensure_member": z.object({ channel: z.string() }),
  /** A message Slack sent in a channel HeroDesk is in, as its event said (stored before the ack). */
  "slack.message_received": z.object({
    eventId: z.string().optional(),
    channel: z.string(),
    ts: z.string(),
    threadTs: z.string().optional(),
    userId: z.string(),
    userTeam: z.string().optional(),
    ownTeam: z.string().optional(),
    text: z.string(),
    attachments: z.array(z.object({ url: z.string(), name: z.string(), mimeType: z.string().optional() })),
  }),
  /** A message edited (`text`) or deleted there, at `at` (ms), as its event said. */
  "slack.message_change_received": z.object({
    channel: z.string(),
    ts: z.string(),
    text: z.string().optional(),
    at: z.number().int(),
  }),
} as const;

export type JobKind = keyof typeof JOBS;
export type Payload<K extends JobKind> = z.output<(typeof JOBS)[K]>;
/** The same table, typed so that a kind indexes its own schema (the worker parses through it). */
export const PAYLOAD_SCHEMAS: { readonly [K in JobKind]: z.ZodType<Payload<K>> } = JOBS;

export function isJobKind(kind: string): kind is JobKind {
  return Object.hasOwn(JOBS, kind);
}

/**
 * Enqueues a job. `once`: unless an identical one is waiting (it covers this one). `settle`: once,
 * and when changes have stopped for a moment (see OutboxRepository.enqueueSettled).
 */
function enqueue<K extends JobKind>(
  tx: Repositories,
  lane: string,
  kind: K,
  payload: Payload<K>,
  options: { at?: Date; once?: boolean; settle?: { quietMs: number; maxMs: number } } = {},
) {
  if (options.settle) return tx.outbox.enqueueSettled(lane, kind, payload, options.settle);
  return options.once
    ? tx.outbox.enqueueOnce(lane, kind, payload, options.at)
    : tx.outbox.enqueue(lane, kind, payload, options.at);
}

/** Routing decisions run one at a time, in order, so two never pick the same free slot. */
export const ROUTING_LANE = "routing";

/** One lane per Slack channel: Slack's rate limit and a thread's order are both per channel. */
export const slackLane = (channel: string) => `slack:${channel}`;
/**
 * One lane per card for its updates: an update waiting for chat.update's budget (Tier 3, shared by
 * every card) or for changes to settle never holds back the channel's posts.
 */
export const cardLane = (conversationId: number) => `card:${conversationId}`;

/**
 * A card update goes out once its conversation has been quiet for a moment (a claim, an assign and
 * a reply in quick succession are one update), and at the latest 2 s after the first change.
 */
export const CARD_UPDATE_SETTLE = { quietMs: 500, maxMs: 2000 };

/** One lane per conversation: replies reach the customer in the order agents wrote them (their ts). */
export const replyLane = (conversationId: number) => `reply:${conversationId}`;

// Whatever a card shows (status, assignee, hero, waiting) App Home shows too, in the assignee's
// list and the team's load and queue: a card posted or updated refreshes those homes as well.
export async function enqueueCardPost(tx: Repositories, c: Conversation) {
  const id = await enqueue(tx, slackLane(c.slackChannel), "slack.post_card", { conversationId: c.id });
  await enqueueHomeRefresh(tx, { agents: [c.assigneeId], team: true });
  return id;
}

/** `previousAssigneeId`: after a change of assignee, the previous holder's home changed too. */
export async function enqueueCardUpdate(
  tx: Repositories,
  c: Conversation,
  previousAssigneeId?: number | null,
) {
  const id = await enqueue(
    tx,
    cardLane(c.id),
    "slack.update_card",
    { conversationId: c.id },
    { settle: CARD_UPDATE_SETTLE },
  );
  // What the card shows changed: a Slack customer's thread shows its part of it (status reactions).
  if (await tx.customerSlack.threadOf(c.id)) await enqueueCustomerStatus(tx, c.id);
  await enqueueHomeRefresh(tx, { agents: [c.assigneeId, previousAssigneeId], team: true });
  return id;
}

export function enqueueCustomerMessagePost(tx: Repositories, c: Conversation, m: Message) {
  return enqueue(tx, slackLane(c.slackChannel), "slack.post_customer_message", { messageId: m.id });
}

export function enqueueNotice(tx: Repositories, c: Conversation, key: string, text: string) {
  return enqueue(tx, slackLane(c.slackChannel), "slack.post_notice", { conversationId: c.id, key, text });
}

/**
 * Queues a reply's delivery in its conversation's lane, due `at` (a new reply waits out the order
 * window first: see src/connectors/reply-delivery.ts).
 */
export function enqueueReplyDelivery(tx: Repositories, m: Message, at = new Date()) {
  return enqueue(
    tx,
    replyLane(m.conversationId),
    "reply.deliver",
    { messageId: m.id, sourceId: m.sourceId },
    { at },
  );
}

/** The payloads of a lane's jobs of one kind still to run, in order, typed by the catalogue. */
export async function pendingJobs<K extends JobKind>(
  tx: Pick<Repositories, "outbox">,
  lane: string,
  kind: K,
): Promise<Payload<K>[]> {
  const payloads = await tx.outbox.pendingPayloads(lane, kind);
  return payloads.flatMap((p) => {
    const parsed = PAYLOAD_SCHEMAS[kind].safeParse(p);
    return parsed.success ? [parsed.data] : [];
  });
}

/** The replies of a conversation whose delivery is queued (their message ids). */
export async function queuedReplyDeliveries(tx: Repositories, conversationId: number): Promise<Set<number>> {
  const jobs = await pendingJobs(tx, replyLane(conversationId), "reply.deliver");
  return new Set(jobs.map((j) => j.messageId));
}

export function enqueueAgentDm(tx: Repositories, job: Payload<"slack.dm_agent">) {
  // A DM goes to the user id; Slack opens (or reuses) the DM channel.
  return enqueue(tx, slackLane(job.userId), "slack.dm_agent", job);
}

/**
 * The two steps of a response clock that started at `since`, each in a lane of its own (per
 * instant too) so that neither waits behind another clock's, or behind the same step set for an
 * instant a new priority moved. The handler does nothing once an agent answered.
 */
export async function enqueueTargetChecks(
  tx: Repositories,
  conversationId: number,
  since: Date,
  steps: { atRisk: Date | null; due: Date | null; reassign: Date | null },
) {
  for (const [step, at] of [
    ["at_risk", steps.atRisk],
    ["breached", steps.due],
    ["reassign", steps.reassign],
  ] as const)
    if (at)
      await enqueue(
        tx,
        `target:${conversationId}:${since.getTime()}:${step}:${at.getTime()}`,
        "targets.check",
        { conversationId, since: since.getTime(), step, at: at.getTime() },
        { at, once: true },
      );
}

/**
 * Auto-close's steps of one idle stretch, once each, due at their instants, in one lane of the
 * stretch's own: the nudge is enqueued first, so it always goes out before the close, even when
 * both are due together (a replica that was down) and several replicas lease lanes.
 */
export async function enqueueIdleSteps(
  tx: Repositories,
  conversationId: number,
  since: Date,
  steps: { nudge: Date | null; close: Date },
) {
  for (const [step, at] of [
    ["nudge", steps.nudge],
    ["close", steps.close],
  ] as const)
    if (at)
      await enqueue(
        tx,
        `idle:${conversationId}:${since.getTime()}`,
        "conversations.idle",
        { conversationId, since: since.getTime(), step },
        { at, once: true },
      );
}

export function enqueueMovedDm(tx: Repositories, job: Payload<"slack.dm_agent_moved">) {
  return enqueue(tx, slackLane(job.userId), "slack.dm_agent_moved", job);
}

export function enqueueRouting(tx: Repositories, conversationId: number) {
  return enqueue(tx, ROUTING_LANE, "routing.route", { conversationId });
}

/** Capacity freed or someone came online: look at the queue again (one waiting look covers all). */
export function enqueueQueueCheck(tx: Repositories) {
  return enqueue(tx, ROUTING_LANE, "routing.route", {}, { once: true });
}

/** Wakes the routing when a busy hero's wait is over; its own lane, so it blocks nothing. */
export function enqueueHeroWaitOver(tx: Repositories, conversationId: number, at: Date) {
  return enqueue(tx, `hero-wait:${conversationId}`, "routing.hero_wait_over", { conversationId }, { at });
}

/** The summary, then its chart: one lane (the channel's), so the chart always comes second. */
export async function enqueueSummaryPost(
  tx: Repositories,
  channel: string,
  job: Payload<"slack.post_summary">,
) {
  await enqueue(tx, slackLane(channel), "slack.post_summary", job);
  await enqueue(tx, slackLane(channel), "slack.post_summary_chart", job);
}

/** An admin hears of a Slack problem; in their DM lane, so it waits behind nothing of a channel's. */
export function enqueueProblemNotice(tx: Repositories, job: Payload<"slack.problem_notice">) {
  return enqueue(tx, slackLane(job.userId), "slack.problem_notice", job, { once: true });
}

/** Ahead of the conversation's card in its channel's lane, so the card shows the customer's name. */
export function enqueueCustomerProfile(tx: Repositories, c: Conversation, customerId: number) {
  return enqueue(tx, slackLane(c.slackChannel), "slack.customer_profile", { customerId }, { once: true });
}

/** One lane per customer thread's status; settled, so a burst of changes sets it once. */
export function enqueueCustomerStatus(tx: Repositories, conversationId: number) {
  return enqueue(
    tx,
    `customer-status:${conversationId}`,
    "slack.customer_status",
    { conversationId },
    { settle: CARD_UPDATE_SETTLE },
  );
}

/**
 * Behind the post it changes: copies in the triage thread in the channel's lane, copies in the
 * customer's thread in the conversation's reply lane (where they were delivered).
 */
export function enqueueMirrorChange(
  tx: Repositories,
  m: Message,
  where: { triageChannel: string } | "customer",
) {
  const lane = where === "customer" ? replyLane(m.conversationId) : slackLane(where.triageChannel);
  return enqueue(tx, lane, "slack.mirror_change", { messageId: m.id });
}

export function enqueueOpenConversation(tx: Repositories, job: Payload<"slack.open_conversation">) {
  return enqueue(tx, slackLane(job.channel), "slack.open_conversation", job, { once: true });
}

export function enqueueDmText(tx: Repositories, job: Payload<"slack.dm_text">) {
  return enqueue(tx, slackLane(job.userId), "slack.dm_text", job, { once: true });
}

/**
 * What Slack says happened in a channel, in that channel's inbox lane: messages and their edits
 * and deletions are taken in the order Slack sent them, each after the one before.
 */
export const inboxLane = (channel: string) => `inbox:${channel}`;

export function enqueueReceivedMessage(tx: Repositories, job: Payload<"slack.message_received">) {
  return enqueue(tx, inboxLane(job.channel), "slack.message_received", job, { once: true });
}

export function enqueueReceivedChange(tx: Repositories, job: Payload<"slack.message_change_received">) {
  return enqueue(tx, inboxLane(job.channel), "slack.message_change_received", job, { once: true });
}

/** Before anything else in the channel's lane runs: HeroDesk must be in it to hear replies. */
export function enqueueEnsureMember(tx: Repositories, channel: string) {
  return enqueue(tx, slackLane(channel), "slack.ensure_member", { channel }, { once: true });
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
  return enqueue(tx, homeLane(userId), "slack.publish_home", { userId }, { at: due, once: true });
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
    await enqueue(
      tx,
      TEAM_HOMES_LANE,
      "home.refresh_team",
      {},
      { at: new Date(now + HOME_REFRESH.teamDebounceMs), once: true },
    );
}
