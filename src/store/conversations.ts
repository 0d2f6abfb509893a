import type { CardModel } from "../core/card.ts";
import type { Conversation, ConversationStatus } from "../core/domain.ts";
import type { DbClient } from "./db.ts";
import type { Conversation as ConversationRow } from "./generated/client.ts";

export function toConversation(row: ConversationRow): Conversation {
  return {
    id: row.id,
    sourceId: row.sourceId,
    externalId: row.externalId,
    customerId: row.customerId,
    slackChannel: row.slackChannel,
    status: row.status as ConversationStatus,
    assigneeId: row.assigneeId,
    assignedAt: row.assignedAt,
    firstResponseAt: row.firstResponseAt,
    waitingSince: row.waitingSince,
    lastMessageAt: row.lastMessageAt,
    closedAt: row.closedAt,
    createdAt: row.createdAt,
  };
}

export type ConversationChanges = Partial<
  Pick<Conversation, "status" | "waitingSince" | "lastMessageAt" | "firstResponseAt" | "closedAt">
>;

export class ConversationRepository {
  constructor(private readonly db: DbClient) {}

  async get(id: number): Promise<Conversation | null> {
    const row = await this.db.conversation.findUnique({ where: { id } });
    return row ? toConversation(row) : null;
  }

  async findByExternalId(sourceId: string, externalId: string): Promise<Conversation | null> {
    const row = await this.db.conversation.findUnique({
      where: { sourceId_externalId: { sourceId, externalId } },
    });
    return row ? toConversation(row) : null;
  }

  /** The customer's newest open conversation on a source, which a message without conversationId goes on. */
  async findOpenForCustomer(customerId: number, sourceId: string): Promise<Conversation | null> {
    const row = await this.db.conversation.findFirst({
      where: { customerId, sourceId, status: "open" },
      orderBy: { id: "desc" },
    });
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
        lastMessageAt: data.at,
        createdAt: data.at,
      },
    });
    return toConversation(row);
  }

  loadCard(id: number, sourceLabel: (sourceId: string) => string): Promise<CardModel | null> {
    return loadCardModel(this.db, id, sourceLabel);
  }

  async update(id: number, changes: ConversationChanges): Promise<Conversation> {
    return toConversation(await this.db.conversation.update({ where: { id }, data: changes }));
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
    createdAt: row.createdAt,
  };
  return model;
}
