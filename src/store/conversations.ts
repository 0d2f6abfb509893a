import { type AssignmentChange, assignmentChange } from "../core/assignment.ts";
import type { CardHero, CardModel } from "../core/card.ts";
import { heroSubject } from "../core/dedicated-hero.ts";
import type { Conversation, ConversationStatus } from "../core/domain.ts";
import { DEFAULT_PRIORITY, priorityOf, QUEUE_ORDER } from "../core/triage.ts";
import { AccountRepository } from "./accounts.ts";
import type { DbClient } from "./db.ts";
import { type Conversation as ConversationRow, Prisma } from "./generated/client.ts";

export function toConversation(row: ConversationRow): Conversation {
  return {
    id: row.id,
    sourceId: row.sourceId,
    externalId: row.externalId,
    customerId: row.customerId,
    slackChannel: row.slackChannel,
    status: row.status as ConversationStatus,
    heroWaitUntil: row.heroWaitUntil,
    assigneeId: row.assigneeId,
    assignedAt: row.assignedAt,
    unassignedFromId: row.unassignedFromId,
    firstResponseAt: row.firstResponseAt,
    firstResponseMs: row.firstResponseMs,
    waitingSince: row.waitingSince,
    answeredAt: row.answeredAt,
    closedAt: row.closedAt,
    closeReason: row.closeReason === "auto" ? "auto" : null,
    createdAt: row.createdAt,
    priority: priorityOf(row.priority) ?? DEFAULT_PRIORITY,
    accountId: row.accountId,
  };
}

export type ConversationChanges = Partial<
  Pick<
    Conversation,
    | "status"
    | "waitingSince"
    | "firstResponseAt"
    | "firstResponseMs"
    | "closedAt"
    | "closeReason"
    | "answeredAt"
    | "heroWaitUntil"
    | "assigneeId"
    | "priority"
  >
>;

/** The columns a conversation's writers set, in a fixed order (one statement text per set of them). */
const WRITABLE = [
  "status",
  "assigneeId",
  "assignedAt",
  "unassignedFromId",
  "waitingSince",
  "firstResponseAt",
  "firstResponseMs",
  "closedAt",
  "closeReason",
  "answeredAt",
  "heroWaitUntil",
  "priority",
] as const;
type Writable = Partial<Pick<Conversation, (typeof WRITABLE)[number]>>;

/** `"col" = value, …, "updatedAt" = at` for the columns present in `values`. */
function setColumns(values: Writable, at: Date): Prisma.Sql {
  const sets = WRITABLE.filter((c) => c in values).map(
    (c) => Prisma.sql`${Prisma.raw(`"${c}"`)} = ${values[c] ?? null}`,
  );
  sets.push(Prisma.sql`"updatedAt" = ${at}`);
  return Prisma.join(sets);
}

export class ConversationRepository {
  constructor(private readonly db: DbClient) {}

  // Lookups on the inbound API's hot path are plain, portable SQL (see bench/).
  async get(id: number): Promise<Conversation | null> {
    const [row] = await this.db.$queryRaw<ConversationRow[]>`SELECT * FROM "Conversation" WHERE "id" = ${id}`;
    return row ? toConversation(row) : null;
  }

  async findByExternalId(sourceId: string, externalId: string): Promise<Conversation | null> {
    const [row] = await this.db.$queryRaw<ConversationRow[]>`
      SELECT * FROM "Conversation" WHERE "sourceId" = ${sourceId} AND "externalId" = ${externalId}`;
    return row ? toConversation(row) : null;
  }

  /** The customer's newest open conversation on a source, which a message without conversationId goes on. */
  async findOpenForCustomer(customerId: number, sourceId: string): Promise<Conversation | null> {
    const [row] = await this.db.$queryRaw<ConversationRow[]>`
      SELECT * FROM "Conversation"
      WHERE "customerId" = ${customerId} AND "sourceId" = ${sourceId} AND "status" = 'open'
      ORDER BY "id" DESC LIMIT 1`;
    return row ? toConversation(row) : null;
  }

  /** The customer's conversation on a source that auto-close closed since `since`, newest first. */
  async findAutoClosedSince(customerId: number, sourceId: string, since: Date): Promise<Conversation | null> {
    const [row] = await this.db.$queryRaw<ConversationRow[]>`
      SELECT * FROM "Conversation"
      WHERE "customerId" = ${customerId} AND "sourceId" = ${sourceId} AND "status" = 'closed'
        AND "closeReason" = 'auto' AND "closedAt" >= ${since}
      ORDER BY "id" DESC LIMIT 1`;
    return row ? toConversation(row) : null;
  }

  async create(data: {
    sourceId: string;
    externalId: string;
    customerId: number;
    slackChannel: string;
    at: Date;
    accountId?: number | null;
  }): Promise<Conversation> {
    const row = await this.db.conversation.create({
      data: {
        sourceId: data.sourceId,
        externalId: data.externalId,
        customerId: data.customerId,
        slackChannel: data.slackChannel,
        accountId: data.accountId ?? null,
        waitingSince: data.at,
        createdAt: data.at,
      },
    });
    return toConversation(row);
  }

  loadCard(id: number, sourceLabel: (sourceId: string) => string): Promise<CardModel | null> {
    return loadCardModel(this.db, id, sourceLabel);
  }

  /**
   * Applies changes in one statement; a change of status or assignee also writes what
   * assignmentChange says goes with it. This and setAssigneeIf are the only writers of status
   * and assignee.
   */
  async update(id: number, changes: ConversationChanges, at = new Date()): Promise<Conversation> {
    let change: AssignmentChange | undefined;
    if ("status" in changes || "assigneeId" in changes) {
      const before = await this.get(id);
      if (!before) throw new Error(`conversation ${id} not found`);
      change = assignmentChange(before, { ...before, ...changes }, at);
    }
    const [row] = await this.db.$queryRaw<ConversationRow[]>`
      UPDATE "Conversation" SET ${setColumns({ ...changes, ...change?.columns }, at)}
      WHERE "id" = ${id} RETURNING *`;
    if (!row) throw new Error(`conversation ${id} not found`);
    if (change) await this.moveOpenCounts(change, at);
    return toConversation(row);
  }

  /**
   * Compare-and-set of the assignee: succeeds only while the conversation is open and still held
   * by `expected` (null: unassigned). This is what makes a claim atomic. What goes with the move
   * (assignedAt, unassignedFromId, the hero wait, open counts) is assignmentChange's.
   */
  async setAssigneeIf(
    id: number,
    expected: number | null,
    assigneeId: number | null,
    at = new Date(),
  ): Promise<Conversation | null> {
    // Plain SQL: routing and every claim run this (see bench/routing.ts).
    const held =
      expected === null ? Prisma.sql`"assigneeId" IS NULL` : Prisma.sql`"assigneeId" = ${expected}`;
    const change = assignmentChange(
      { status: "open", assigneeId: expected },
      { status: "open", assigneeId },
      at,
    );
    const [row] = await this.db.$queryRaw<ConversationRow[]>`
      UPDATE "Conversation" SET ${setColumns({ assigneeId, ...change.columns }, at)}
      WHERE "id" = ${id} AND "status" = 'open' AND ${held}
      RETURNING *`;
    if (!row) return null;
    await this.moveOpenCounts(change, at);
    return toConversation(row);
  }

  /** The one way open counts move: by a delta, in one statement each (atomic, no recount). */
  private async moveOpenCounts(change: AssignmentChange, at: Date): Promise<void> {
    for (const c of change.openCounts)
      await this.db.$executeRaw`
        UPDATE "Agent" SET "openCount" = "openCount" + ${c.delta},
          "lastAssignedAt" = COALESCE(${c.lastAssignedAt ?? null}, "lastAssignedAt"), "updatedAt" = ${at}
        WHERE "id" = ${c.agentId}`;
  }

  /**
   * Open, unassigned conversations, urgent first, then high, then the oldest: the queue (including
   * those waiting for a hero), in the order `/desk queue` lists it and routing takes it.
   */
  async queue(limit = 500): Promise<Conversation[]> {
    const queued: Conversation[] = [];
    // A priority at a time: each read walks the (status, assigneeId, priority) index in id order
    // and stops at the limit, however long the queue (one ORDER BY over a CASE would sort it all).
    for (const priority of QUEUE_ORDER) {
      if (queued.length >= limit) break;
      const rows = await this.db.$queryRaw<ConversationRow[]>`
        SELECT * FROM "Conversation"
        WHERE "status" = 'open' AND "assigneeId" IS NULL AND "priority" = ${priority}
        ORDER BY "id" LIMIT ${limit - queued.length}`;
      queued.push(...rows.map(toConversation));
    }
    return queued;
  }

  /** The conversation's tags, in alphabetical order. */
  async tags(id: number): Promise<string[]> {
    return (await this.tagsOf([id])).get(id) ?? [];
  }

  /** The tags of several conversations in one query (a list, a routing pass); none: absent. */
  async tagsOf(ids: readonly number[]): Promise<Map<number, string[]>> {
    const tags = new Map<number, string[]>();
    if (!ids.length) return tags;
    // Plain SQL: routing asks for every conversation it routes (see bench/routing.ts).
    const rows = await this.db.$queryRaw<{ conversationId: number; tag: string }[]>`
      SELECT "conversationId", "tag" FROM "ConversationTag"
      WHERE "conversationId" IN (${Prisma.join([...ids])}) ORDER BY "conversationId", "tag"`;
    for (const r of rows) {
      const id = Number(r.conversationId);
      tags.set(id, [...(tags.get(id) ?? []), r.tag]);
    }
    return tags;
  }

  /** Adds tags (already valid, lower case); returns those it did not have. */
  async addTags(id: number, tags: readonly string[], at = new Date()): Promise<string[]> {
    const added: string[] = [];
    for (const tag of tags) {
      const [row] = await this.db.$queryRaw<{ tag: string }[]>`
        INSERT INTO "ConversationTag" ("conversationId", "tag", "createdAt") VALUES (${id}, ${tag}, ${at})
        ON CONFLICT ("conversationId", "tag") DO NOTHING RETURNING "tag"`;
      if (row) added.push(row.tag);
    }
    return added;
  }

  /** Removes tags; returns those it had. */
  async removeTags(id: number, tags: readonly string[]): Promise<string[]> {
    const removed: string[] = [];
    for (const tag of tags)
      if (
        await this.db
          .$executeRaw`DELETE FROM "ConversationTag" WHERE "conversationId" = ${id} AND "tag" = ${tag}`
      )
        removed.push(tag);
    return removed;
  }

  /** Conversations whose wait for a busy hero is over. */
  async heroWaitsOver(now: Date): Promise<Conversation[]> {
    const rows = await this.db.conversation.findMany({
      where: { status: "open", assigneeId: null, heroWaitUntil: { lte: now } },
      orderBy: { id: "asc" },
    });
    return rows.map(toConversation);
  }

  async openOfCustomer(customerId: number): Promise<Conversation[]> {
    const rows = await this.db.conversation.findMany({
      where: { status: "open", customerId },
      orderBy: { id: "asc" },
    });
    return rows.map(toConversation);
  }

  /** Open conversations of an account (theirs, or their customer's), or of a customer channel. */
  async openFor(of: { accountId: number } | { customerChannel: string }): Promise<Conversation[]> {
    const inChannel =
      "customerChannel" in of
        ? (
            await this.db.customerThread.findMany({
              where: { channel: of.customerChannel },
              select: { conversationId: true },
            })
          ).map((t) => t.conversationId)
        : [];
    const rows = await this.db.conversation.findMany({
      where:
        "accountId" in of
          ? { status: "open", OR: [{ accountId: of.accountId }, { customer: { accountId: of.accountId } }] }
          : { status: "open", id: { in: inChannel } },
      orderBy: { id: "asc" },
    });
    return rows.map(toConversation);
  }

  async openOf(agentId: number): Promise<Conversation[]> {
    const rows = await this.db.conversation.findMany({
      where: { status: "open", assigneeId: agentId },
      orderBy: { id: "asc" },
    });
    return rows.map(toConversation);
  }
}

/** A hero set on the conversation's customer channel, else on its account, as the card names it. */
async function sharedHero(
  db: DbClient,
  conversationId: number,
  accountId: number | null,
): Promise<CardHero | null> {
  const accounts = new AccountRepository(db);
  const channel = (await db.customerThread.findUnique({ where: { conversationId } }))?.channel;
  const onChannel = channel ? await accounts.heroSetting(heroSubject.channel(channel)) : null;
  const account = !onChannel && accountId !== null ? await accounts.get(accountId) : null;
  const hero = onChannel ?? account?.hero ?? null;
  if (!hero) return null;
  const via = onChannel ? { channel: channel! } : { account: account!.name };
  if (hero.kind === "agent") {
    const agent = await db.agent.findUnique({ where: { id: hero.agentId } });
    return agent ? { kind: "agent", slackUserId: agent.slackUserId, name: agent.name, via } : null;
  }
  const team = await db.team.findUnique({ where: { id: hero.teamId } });
  return team ? { kind: "team", name: team.name, via } : null;
}

/** Everything the conversation card shows: one query, and two more for a channel's or account's hero. */
export async function loadCardModel(db: DbClient, id: number, sourceLabel: (sourceId: string) => string) {
  const row = await db.conversation.findUnique({
    where: { id },
    include: {
      customer: { include: { heroAgent: true, heroTeam: true } },
      assignee: true,
      tags: { orderBy: { tag: "asc" } },
    },
  });
  if (!row) return null;
  const { customer } = row;
  const model: CardModel = {
    number: row.id,
    customerName: customer.name,
    customerExternalId: customer.externalId,
    customerEmail: customer.email,
    customerAttributes: JSON.parse(customer.attributes) as Record<string, string>,
    sourceLabel: sourceLabel(row.sourceId),
    status: row.status as CardModel["status"],
    assignee: row.assignee ? { slackUserId: row.assignee.slackUserId, name: row.assignee.name } : null,
    hero: customer.heroAgent
      ? { kind: "agent", slackUserId: customer.heroAgent.slackUserId, name: customer.heroAgent.name }
      : customer.heroTeam
        ? { kind: "team", name: customer.heroTeam.name }
        : await sharedHero(db, row.id, row.accountId ?? customer.accountId),
    waitingSince: row.waitingSince,
    sourceId: row.sourceId,
    firstResponseAt: row.firstResponseAt,
    heroWaitUntil: row.assigneeId === null && row.status === "open" ? row.heroWaitUntil : null,
    createdAt: row.createdAt,
    priority: priorityOf(row.priority) ?? DEFAULT_PRIORITY,
    tags: row.tags.map((t) => t.tag),
  };
  return model;
}
