import type { CardModel } from "../core/card.ts";
import type { Conversation, ConversationStatus } from "../core/domain.ts";
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
    closedAt: row.closedAt,
    createdAt: row.createdAt,
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
    | "heroWaitUntil"
    | "assigneeId"
  >
>;

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

  async create(data: {
    sourceId: string;
    externalId: string;
    customerId: number;
    slackChannel: string;
    at: Date;
  }): Promise<Conversation> {
    const row = await this.db.conversation.create({
      data: {
        sourceId: data.sourceId,
        externalId: data.externalId,
        customerId: data.customerId,
        slackChannel: data.slackChannel,
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
   * Applies changes and keeps every agent's open count in step: this and setAssigneeIf are the
   * only writers of status and assignee.
   */
  async update(id: number, changes: ConversationChanges, at = new Date()): Promise<Conversation> {
    if (!("status" in changes) && !("assigneeId" in changes)) return this.updateTimes(id, changes, at);
    const before = await this.db.conversation.findUniqueOrThrow({ where: { id } });
    const data: Record<string, unknown> = { ...changes };
    if ("assigneeId" in changes && changes.assigneeId !== before.assigneeId) {
      data.assignedAt = changes.assigneeId ? at : null;
      data.heroWaitUntil = null;
      // As in setAssigneeIf: taken from someone, remember them; held by anyone, forget.
      data.unassignedFromId = changes.assigneeId ? null : before.assigneeId;
    }
    // Closed: nobody needs keeping away from it any more (reopened, it is routed afresh).
    if (changes.status === "closed") data.unassignedFromId = null;
    const after = await this.db.conversation.update({ where: { id }, data });
    await this.moveOpenCount(before, after, at);
    return toConversation(after);
  }

  /** Changes that move no agent's open count, in one statement. */
  private async updateTimes(id: number, changes: ConversationChanges, at: Date): Promise<Conversation> {
    const columns = (
      ["waitingSince", "firstResponseAt", "firstResponseMs", "closedAt", "heroWaitUntil"] as const
    ).filter((c) => c in changes);
    const sets = columns.map((c) => Prisma.sql`${Prisma.raw(`"${c}"`)} = ${changes[c] ?? null}`);
    sets.push(Prisma.sql`"updatedAt" = ${at}`);
    const [row] = await this.db.$queryRaw<ConversationRow[]>`
      UPDATE "Conversation" SET ${Prisma.join(sets)} WHERE "id" = ${id} RETURNING *`;
    return toConversation(row!);
  }

  /**
   * Compare-and-set of the assignee: succeeds only while the conversation is open and still held
   * by `expected` (null: unassigned). This is what makes a claim atomic.
   *
   * Back to the queue (`assigneeId` null) remembers whom it was taken from in `unassignedFromId`,
   * so routing does not hand it straight back; any new assignee clears it.
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
    // Held by anyone: forget; taken from someone: remember them; from the queue to the queue: as is.
    const unassignedFrom =
      assigneeId !== null
        ? Prisma.sql`NULL`
        : expected !== null
          ? Prisma.sql`${expected}`
          : Prisma.sql`"unassignedFromId"`;
    const [row] = await this.db.$queryRaw<ConversationRow[]>`
      UPDATE "Conversation"
      SET "assigneeId" = ${assigneeId}, "assignedAt" = ${assigneeId ? at : null}, "heroWaitUntil" = NULL,
        "unassignedFromId" = ${unassignedFrom}, "updatedAt" = ${at}
      WHERE "id" = ${id} AND "status" = 'open' AND ${held}
      RETURNING *`;
    if (!row) return null;
    if (expected)
      await this.db.$executeRaw`
        UPDATE "Agent" SET "openCount" = "openCount" - 1, "updatedAt" = ${at} WHERE "id" = ${expected}`;
    if (assigneeId)
      await this.db.$executeRaw`
        UPDATE "Agent" SET "openCount" = "openCount" + 1, "lastAssignedAt" = ${at}, "updatedAt" = ${at}
        WHERE "id" = ${assigneeId}`;
    return toConversation(row);
  }

  private async moveOpenCount(
    before: { status: string; assigneeId: number | null },
    after: { status: string; assigneeId: number | null },
    at: Date,
  ): Promise<void> {
    const held = (c: typeof before) => (c.status === "open" ? c.assigneeId : null);
    const from = held(before);
    const to = held(after);
    if (from === to) return;
    if (from) await this.db.agent.update({ where: { id: from }, data: { openCount: { decrement: 1 } } });
    if (to)
      await this.db.agent.update({
        where: { id: to },
        data: {
          openCount: { increment: 1 },
          ...(before.assigneeId !== after.assigneeId ? { lastAssignedAt: at } : {}),
        },
      });
  }

  /** Open, unassigned conversations, oldest first: the queue (including those waiting for a hero). */
  async queue(limit = 500): Promise<Conversation[]> {
    const rows = await this.db.conversation.findMany({
      where: { status: "open", assigneeId: null },
      orderBy: { id: "asc" },
      take: limit,
    });
    return rows.map(toConversation);
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

  async openOf(agentId: number): Promise<Conversation[]> {
    const rows = await this.db.conversation.findMany({
      where: { status: "open", assigneeId: agentId },
      orderBy: { id: "asc" },
    });
    return rows.map(toConversation);
  }
}

/** Everything the conversation card shows, in one query. */
export async function loadCardModel(db: DbClient, id: number, sourceLabel: (sourceId: string) => string) {
  const row = await db.conversation.findUnique({
    where: { id },
    include: { customer: { include: { heroAgent: true, heroTeam: true } }, assignee: true },
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
        : null,
    waitingSince: row.waitingSince,
    heroWaitUntil: row.assigneeId === null && row.status === "open" ? row.heroWaitUntil : null,
    createdAt: row.createdAt,
  };
  return model;
}
