// Report queries for summaries and App Home. Each figure is one aggregate query over indexed
// columns, never a query per agent or per conversation (bench/summary.ts measures them at 200,000
// conversations). Portable SQL: CTEs, GROUP BY, CASE, LIMIT/OFFSET; no date arithmetic.

import type { HomeConversation } from "../core/home.ts";
import type {
  AgentLoad,
  HeroLoad,
  HeroWait,
  SummaryFigures,
  SummaryPeriod,
  TriageFigures,
} from "../core/summary.ts";
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
      JOIN "Customer" cu ON cu."id" = c."customerId"
      LEFT JOIN "Agent" a ON a."id" = cu."heroAgentId"
      LEFT JOIN "Team" t ON t."id" = cu."heroTeamId"
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

  /** Median time to the first agent reply, over conversations first answered in the period. */
  async firstResponse(period: SummaryPeriod): Promise<{ count: number; medianMs: number | null }> {
    const { since, until } = period;
    const [counted] = await this.db.$queryRaw<{ n: unknown }[]>`
      SELECT COUNT(*) AS "n" FROM "Conversation"
      WHERE "firstResponseAt" >= ${since} AND "firstResponseAt" < ${until} AND "firstResponseMs" IS NOT NULL`;
    const count = num(counted?.n);
    if (!count) return { count, medianMs: null };
    // The middle one (odd count) or the middle two (even count), found by the database's sort.
    const middle = await this.db.$queryRaw<{ ms: unknown }[]>`
      SELECT "firstResponseMs" AS "ms" FROM "Conversation"
      WHERE "firstResponseAt" >= ${since} AND "firstResponseAt" < ${until} AND "firstResponseMs" IS NOT NULL
      ORDER BY "firstResponseMs" LIMIT ${2 - (count % 2)} OFFSET ${Math.floor((count - 1) / 2)}`;
    const values = middle.map((m) => num(m.ms));
    return { count, medianMs: values.reduce((a, b) => a + b, 0) / values.length };
  }

  /** Heroes (agents and teams) by the open conversations of the customers they look after. */
  async heroLoads(limit: number): Promise<HeroLoad[]> {
    const rows = await this.db.$queryRaw<Record<string, unknown>[]>`
      WITH "load" AS (
        SELECT cu."heroAgentId" AS "agentId", cu."heroTeamId" AS "teamId",
          COUNT(*) AS "open", COUNT(DISTINCT cu."id") AS "customers"
        FROM "Conversation" c JOIN "Customer" cu ON cu."id" = c."customerId"
        WHERE c."status" = 'open' AND (cu."heroAgentId" IS NOT NULL OR cu."heroTeamId" IS NOT NULL)
        GROUP BY cu."heroAgentId", cu."heroTeamId"
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

  /** Everything a summary shows, read in one transaction so the figures agree with each other. */
  async summaryFigures(
    period: SummaryPeriod,
    limits: { heroes: number; heroWaits: number; tags: number },
  ): Promise<SummaryFigures> {
    const queue = await this.queue(period.until);
    return {
      agents: await this.agentLoads(period),
      queue: { count: queue.count, oldestSince: queue.oldestSince },
      heroWaits: {
        count: queue.heroWaiting,
        first: queue.heroWaiting ? await this.heroWaits(period.until, limits.heroWaits) : [],
      },
      firstResponse: await this.firstResponse(period),
      heroes: await this.heroLoads(limits.heroes),
      started: await this.started(period),
      triage: await this.triage(period, limits.tags),
    };
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
