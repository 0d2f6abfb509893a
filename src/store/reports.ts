// Report queries for summaries and App Home. Each figure is one aggregate query over indexed
// columns, never a query per agent or per conversation (bench/summary.ts measures them at 200,000
// conversations). Portable SQL: CTEs, GROUP BY, CASE, LIMIT/OFFSET; no date arithmetic.

import { heroSubject } from "../core/dedicated-hero.ts";
import type { Hero } from "../core/domain.ts";
import type { HomeConversation } from "../core/home.ts";
import type { AnsweredWait, OldestWait, OpenWait, OverdueWaits } from "../core/response-figures.ts";
import type {
  AgentLoad,
  HeroLoad,
  HeroWait,
  SummaryFigures,
  SummaryPeriod,
  TriageFigures,
} from "../core/summary.ts";
import { DEFAULT_PRIORITY, type Priority, priorityOf } from "../core/triage.ts";
import { heroOf } from "./customers.ts";
import type { DbClient } from "./db.ts";
import { Prisma } from "./generated/client.ts";

/** Raw aggregates come back as bigint (counts) or text (dates of MIN/MAX): plain types here. */
const num = (v: unknown): number => (v === null || v === undefined ? 0 : Number(v));
const date = (v: unknown): Date | null => (v === null || v === undefined ? null : new Date(v as string));

/** An open conversation as a list shows it (App Home, queue). */
export type OpenConversationRow = HomeConversation;

/** What a list of open conversations reads: the conversation, its customer and its thread. */
const OPEN_LIST = Prisma.sql`
  SELECT c."id", cu."name" AS "customerName", c."sourceId", c."slackChannel", t."ts",
    c."waitingSince", c."createdAt"
  FROM "Conversation" c
  JOIN "Customer" cu ON cu."id" = c."customerId"
  LEFT JOIN "SlackThread" t ON t."conversationId" = c."id"`;

export class ReportRepository {
  constructor(private readonly db: DbClient) {}

  /**
   * Every active agent (and anyone inactive who still had figures in the period): open now, new
   * (conversations assigned to them) and closed within the period.
   */
  async agentLoads(period: SummaryPeriod): Promise<AgentLoad[]> {
    const { since, until } = period;
    const rows = await this.db.$queryRaw<Record<string, unknown>[]>`
      WITH "opened" AS (
        SELECT "assigneeId" AS "agentId", COUNT(*) AS "n" FROM "Conversation"
        WHERE "status" = 'open' AND "assigneeId" IS NOT NULL GROUP BY "assigneeId"
      ), "fresh" AS (
        SELECT "toAgentId" AS "agentId", COUNT(DISTINCT "conversationId") AS "n" FROM "AssignmentEvent"
        WHERE "kind" = 'assignee' AND "createdAt" >= ${since} AND "createdAt" < ${until}
          AND "toAgentId" IS NOT NULL
        GROUP BY "toAgentId"
      ), "done" AS (
        -- closedAt is set exactly while a conversation is closed (reopening clears it), and this
        -- way the planner walks the closedAt index over the period, not every closed conversation.
        SELECT "assigneeId" AS "agentId", COUNT(*) AS "n" FROM "Conversation"
        WHERE "closedAt" >= ${since} AND "closedAt" < ${until} AND "assigneeId" IS NOT NULL
        GROUP BY "assigneeId"
      )
      SELECT a."id", a."slackUserId", a."name", a."status", a."capacity",
        COALESCE(o."n", 0) AS "open", COALESCE(f."n", 0) AS "new", COALESCE(d."n", 0) AS "closed"
      FROM "Agent" a
      LEFT JOIN "opened" o ON o."agentId" = a."id"
      LEFT JOIN "fresh" f ON f."agentId" = a."id"
      LEFT JOIN "done" d ON d."agentId" = a."id"
      WHERE a."active" = true OR o."n" > 0 OR f."n" > 0 OR d."n" > 0
      ORDER BY a."id"`;
    return rows.map((r) => ({
      agentId: num(r.id),
      slackUserId: String(r.slackUserId),
      name: String(r.name),
      status: r.status as AgentLoad["status"],
      capacity: num(r.capacity),
      open: num(r.open),
      new: num(r.new),
      closed: num(r.closed),
    }));
  }

  /**
   * Open, unassigned conversations: the queue (nobody is waiting for a hero) and those waiting for
   * their busy hero until a time after `at`.
   */
  async queue(at: Date): Promise<{ count: number; oldestSince: Date | null; heroWaiting: number }> {
    const [row] = await this.db.$queryRaw<Record<string, unknown>[]>`
      SELECT
        SUM(CASE WHEN "heroWaitUntil" IS NULL OR "heroWaitUntil" <= ${at} THEN 1 ELSE 0 END) AS "queued",
        MIN(CASE WHEN "heroWaitUntil" IS NULL OR "heroWaitUntil" <= ${at}
                 THEN COALESCE("waitingSince", "createdAt") END) AS "oldest",
        SUM(CASE WHEN "heroWaitUntil" > ${at} THEN 1 ELSE 0 END) AS "heroWaiting"
      FROM "Conversation" WHERE "status" = 'open' AND "assigneeId" IS NULL`;
    return { count: num(row?.queued), oldestSince: date(row?.oldest), heroWaiting: num(row?.heroWaiting) };
  }

  /** The conversations waiting for their hero, soonest-ending first. */
  async heroWaits(at: Date, limit: number): Promise<HeroWait[]> {
    const rows = await this.db.$queryRaw<Record<string, unknown>[]>`
      SELECT c."id", cu."name" AS "customerName", c."heroWaitUntil",
        a."slackUserId" AS "heroUser", a."name" AS "heroAgentName", t."name" AS "heroTeamName"
      FROM "Conversation" c
      JOIN "Customer" cu ON cu."id" = c."customerId" ${HERO_JOINS}
      LEFT JOIN "Agent" a ON a."id" = ${HERO_AGENT}
      LEFT JOIN "Team" t ON t."id" = ${HERO_TEAM}
      WHERE c."status" = 'open' AND c."assigneeId" IS NULL AND c."heroWaitUntil" > ${at}
      ORDER BY c."heroWaitUntil", c."id" LIMIT ${limit}`;
    return rows.map((r) => ({
      conversationId: num(r.id),
      customerName: String(r.customerName),
      hero: r.heroUser
        ? { kind: "agent" as const, ref: String(r.heroUser), name: String(r.heroAgentName) }
        : r.heroTeamName
          ? { kind: "team" as const, ref: String(r.heroTeamName), name: String(r.heroTeamName) }
          : null,
      until: date(r.heroWaitUntil)!,
    }));
  }

  /**
   * Heroes (agents and teams) by the open conversations of the customers they look after (their
   * own, or by their channel or account).
   */
  async heroLoads(limit: number): Promise<HeroLoad[]> {
    const rows = await this.db.$queryRaw<Record<string, unknown>[]>`
      WITH "hero" AS (
        SELECT ${HERO_AGENT} AS "agentId", ${HERO_TEAM} AS "teamId", cu."id" AS "customerId"
        FROM "Conversation" c JOIN "Customer" cu ON cu."id" = c."customerId" ${HERO_JOINS}
        WHERE c."status" = 'open'
      ), "load" AS (
        SELECT "agentId", "teamId", COUNT(*) AS "open", COUNT(DISTINCT "customerId") AS "customers"
        FROM "hero" WHERE "agentId" IS NOT NULL OR "teamId" IS NOT NULL
        GROUP BY "agentId", "teamId"
      )
      SELECT l."open", l."customers", a."slackUserId", a."name" AS "agentName", t."name" AS "teamName"
      FROM "load" l
      LEFT JOIN "Agent" a ON a."id" = l."agentId"
      LEFT JOIN "Team" t ON t."id" = l."teamId"
      ORDER BY l."open" DESC, COALESCE(a."name", t."name") LIMIT ${limit}`;
    return rows.map((r) =>
      r.slackUserId
        ? {
            kind: "agent" as const,
            ref: String(r.slackUserId),
            name: String(r.agentName),
            open: num(r.open),
            customers: num(r.customers),
          }
        : {
            kind: "team" as const,
            ref: String(r.teamName),
            name: String(r.teamName),
            open: num(r.open),
            customers: num(r.customers),
          },
    );
  }

  /** Conversations started in the period. */
  async started(period: SummaryPeriod): Promise<number> {
    const [row] = await this.db.$queryRaw<{ n: unknown }[]>`
      SELECT COUNT(*) AS "n" FROM "Conversation"
      WHERE "createdAt" >= ${period.since} AND "createdAt" < ${period.until}`;
    return num(row?.n);
  }

  /** Open conversations per priority, and the tags most new conversations of the period have. */
  async triage(period: SummaryPeriod, limit: number): Promise<TriageFigures> {
    const priorities = await this.db.$queryRaw<{ priority: string; n: unknown }[]>`
      SELECT "priority", COUNT(*) AS "n" FROM "Conversation" WHERE "status" = 'open' GROUP BY "priority"`;
    const tags = await this.db.$queryRaw<{ tag: string; n: unknown }[]>`
      SELECT t."tag", COUNT(*) AS "n" FROM "Conversation" c
      JOIN "ConversationTag" t ON t."conversationId" = c."id"
      WHERE c."createdAt" >= ${period.since} AND c."createdAt" < ${period.until}
      GROUP BY t."tag" ORDER BY COUNT(*) DESC, t."tag" LIMIT ${limit}`;
    return {
      openByPriority: Object.fromEntries(priorities.map((r) => [r.priority, num(r.n)])),
      topTags: tags.map((r) => ({ tag: r.tag, count: num(r.n) })),
    };
  }

  /**
   * What a summary shows of the team's load, read in one transaction so the figures agree with
   * each other (its response figures need the sources' targets: services/response-figures.ts).
   */
  async summaryFigures(
    period: SummaryPeriod,
    limits: { heroes: number; heroWaits: number; tags: number },
  ): Promise<Omit<SummaryFigures, "responses">> {
    const queue = await this.queue(period.until);
    return {
      agents: await this.agentLoads(period),
      queue: { count: queue.count, oldestSince: queue.oldestSince },
      heroWaits: {
        count: queue.heroWaiting,
        first: queue.heroWaiting ? await this.heroWaits(period.until, limits.heroWaits) : [],
      },
      heroes: await this.heroLoads(limits.heroes),
      started: await this.started(period),
      triage: await this.triage(period, limits.tags),
    };
  }

  /** The answers that stopped a response clock in the period (ResponseRecord). */
  async answeredWaits(period: SummaryPeriod): Promise<AnsweredWait[]> {
    const rows = await this.db.$queryRaw<Record<string, unknown>[]>`
      SELECT "kind", "sourceId", "agentId", "businessMs", "targetMs" FROM "ResponseRecord"
      WHERE "answeredAt" >= ${period.since} AND "answeredAt" < ${period.until}
      ORDER BY "answeredAt", "id"`;
    return rows.map((r) => ({
      kind: r.kind === "next" ? "next" : "first",
      sourceId: String(r.sourceId),
      agentId: r.agentId === null ? null : num(r.agentId),
      businessMs: num(r.businessMs),
      targetMs: r.targetMs === null ? null : num(r.targetMs),
    }));
  }

  /**
   * Open conversations of these sources whose customer has waited since `before` or earlier: the
   * only ones that can be past a target (business time never runs faster than the clock).
   */
  async openWaits(sourceIds: readonly string[], before: Date): Promise<WaitingRow[]> {
    if (!sourceIds.length) return [];
    const rows = await this.db.$queryRaw<Record<string, unknown>[]>`
      SELECT ${WAITING_COLUMNS}
      FROM "Conversation" c JOIN "Customer" cu ON cu."id" = c."customerId" ${HERO_JOINS}
      WHERE c."status" = 'open' AND c."waitingSince" IS NOT NULL AND c."waitingSince" <= ${before}
        AND c."sourceId" IN (${Prisma.join(sourceIds)})`;
    return rows.map(toWaitingRow);
  }

  /**
   * Waits past due, counted per source and holder without reading them: for each source, first
   * and next waits that began at or before its instants (core pastDueSince).
   */
  async overdueCounts(
    rules: readonly { sourceId: string; first: Date | null; next: Date | null }[],
  ): Promise<OverdueWaits[]> {
    const conditions = rules.flatMap((r) => [
      ...(r.first
        ? [
            Prisma.sql`("sourceId" = ${r.sourceId} AND "firstResponseAt" IS NULL AND "waitingSince" <= ${r.first})`,
          ]
        : []),
      ...(r.next
        ? [
            Prisma.sql`("sourceId" = ${r.sourceId} AND "firstResponseAt" IS NOT NULL AND "waitingSince" <= ${r.next})`,
          ]
        : []),
    ]);
    if (!conditions.length) return [];
    // The latest of the instants bounds the walk along the (status, waitingSince) index.
    const latest = new Date(
      Math.max(...rules.flatMap((r) => [r.first, r.next]).map((d) => d?.getTime() ?? 0)),
    );
    const rows = await this.db.$queryRaw<Record<string, unknown>[]>`
      SELECT "sourceId", "assigneeId", COUNT(*) AS "n" FROM "Conversation"
      WHERE "status" = 'open' AND "waitingSince" <= ${latest} AND (${Prisma.join(conditions, " OR ")})
      GROUP BY "sourceId", "assigneeId"`;
    return rows.map((r) => ({
      sourceId: String(r.sourceId),
      assigneeId: r.assigneeId === null ? null : num(r.assigneeId),
      count: num(r.n),
    }));
  }

  /** The open conversation whose customer has waited longest for an answer, assigned or not. */
  async oldestWaiting(): Promise<(Omit<OldestWait, "target"> & WaitingRow) | null> {
    const [r] = await this.db.$queryRaw<Record<string, unknown>[]>`
      SELECT ${WAITING_COLUMNS}, c."slackChannel", cu."name" AS "customerName", t."ts",
        a."slackUserId" AS "assignee"
      FROM "Conversation" c
      JOIN "Customer" cu ON cu."id" = c."customerId" ${HERO_JOINS}
      LEFT JOIN "SlackThread" t ON t."conversationId" = c."id"
      LEFT JOIN "Agent" a ON a."id" = c."assigneeId"
      WHERE c."status" = 'open' AND c."waitingSince" IS NOT NULL
      ORDER BY c."waitingSince", c."id" LIMIT 1`;
    if (!r) return null;
    return {
      ...toWaitingRow(r),
      customerName: String(r.customerName),
      channel: String(r.slackChannel),
      threadTs: r.ts ? String(r.ts) : null,
      assigneeSlackId: r.assignee ? String(r.assignee) : null,
    };
  }

  /** Names and Slack ids of these agents, removed ones included. */
  async agentNames(ids: readonly number[]): Promise<Map<number, { name: string; slackUserId: string }>> {
    if (!ids.length) return new Map();
    const rows = await this.db.$queryRaw<Record<string, unknown>[]>`
      SELECT "id", "name", "slackUserId" FROM "Agent" WHERE "id" IN (${Prisma.join(ids)})`;
    return new Map(
      rows.map((r) => [num(r.id), { name: String(r.name), slackUserId: String(r.slackUserId) }]),
    );
  }

  /** One agent's open conversations, longest-waiting first, a page at a time (App Home). */
  async openConversationsOf(agentId: number, limit: number, offset = 0): Promise<OpenConversationRow[]> {
    const rows = await this.db.$queryRaw<Record<string, unknown>[]>`${OPEN_LIST}
      WHERE c."status" = 'open' AND c."assigneeId" = ${agentId}
      ORDER BY COALESCE(c."waitingSince", c."createdAt"), c."id" LIMIT ${limit} OFFSET ${offset}`;
    return rows.map(toOpenRow);
  }

  /** The queue's longest-waiting conversations (App Home for managers). */
  async queuedConversations(at: Date, limit: number): Promise<OpenConversationRow[]> {
    const rows = await this.db.$queryRaw<Record<string, unknown>[]>`${OPEN_LIST}
      WHERE c."status" = 'open' AND c."assigneeId" IS NULL
        AND (c."heroWaitUntil" IS NULL OR c."heroWaitUntil" <= ${at})
      ORDER BY COALESCE(c."waitingSince", c."createdAt"), c."id" LIMIT ${limit}`;
    return rows.map(toOpenRow);
  }
}

/** A waiting conversation's row, its customer's attributes with it (overrides pick the target). */
/** A waiting conversation as read, with what decides its target (its facts, its customer's hero). */
export interface WaitingRow extends Omit<OpenWait, "facts" | "settings"> {
  attributes: Record<string, string>;
  priority: Priority;
  hero: Hero | null;
}

/**
 * A conversation's hero, as CustomerRepository.ofConversation finds it: the customer's own, else
 * the one set on its customer channel, else its account's (with "Conversation" c and "Customer"
 * cu in the query, and HERO_JOINS after them).
 */
const HERO_JOINS = Prisma.sql`
  LEFT JOIN "CustomerThread" ct ON ct."conversationId" = c."id"
  LEFT JOIN "HeroSetting" hc ON hc."subject" = ${Prisma.raw(`'${heroSubject.channel("")}'`)} || ct."channel"
  LEFT JOIN "Account" ac ON ac."id" = COALESCE(c."accountId", cu."accountId")`;
const heroColumn = (column: "heroAgentId" | "heroTeamId") =>
  Prisma.raw(`CASE WHEN cu."heroAgentId" IS NOT NULL OR cu."heroTeamId" IS NOT NULL THEN cu."${column}"
    WHEN hc."subject" IS NOT NULL THEN hc."${column}" ELSE ac."${column}" END`);
const HERO_AGENT = heroColumn("heroAgentId");
const HERO_TEAM = heroColumn("heroTeamId");

const WAITING_COLUMNS = Prisma.sql`c."id", c."sourceId", c."assigneeId", c."firstResponseAt", c."waitingSince",
  c."priority", cu."attributes", ${HERO_AGENT} AS "heroAgentId", ${HERO_TEAM} AS "heroTeamId"`;

function toWaitingRow(r: Record<string, unknown>): WaitingRow {
  return {
    conversationId: num(r.id),
    sourceId: String(r.sourceId),
    assigneeId: r.assigneeId === null ? null : num(r.assigneeId),
    firstResponseAt: date(r.firstResponseAt),
    waitingSince: date(r.waitingSince)!,
    attributes: JSON.parse(String(r.attributes)) as Record<string, string>,
    priority: priorityOf(String(r.priority)) ?? DEFAULT_PRIORITY,
    hero: heroOf({
      heroAgentId: r.heroAgentId === null ? null : num(r.heroAgentId),
      heroTeamId: r.heroTeamId === null ? null : num(r.heroTeamId),
    }),
  };
}

function toOpenRow(r: Record<string, unknown>): OpenConversationRow {
  return {
    conversationId: num(r.id),
    customerName: String(r.customerName),
    sourceId: String(r.sourceId),
    slackChannel: String(r.slackChannel),
    threadTs: r.ts ? String(r.ts) : null,
    waitingSince: date(r.waitingSince),
    createdAt: date(r.createdAt)!,
  };
}
