import type { Attachment, DeliveryStatus, Message, MessageDirection } from "../core/domain.ts";
import type { DbClient } from "./db.ts";
import type { Message as MessageRow } from "./generated/client.ts";

export function toMessage(row: MessageRow): Message {
  return {
    id: row.id,
    conversationId: row.conversationId,
    sourceId: row.sourceId,
    externalId: row.externalId,
    direction: row.direction as MessageDirection,
    authorName: row.authorName,
    authorSlackId: row.authorSlackId,
    text: row.text,
    textFormat: row.textFormat === "slack" ? "slack" : null,
    slackTs: row.slackTs,
    attachments: JSON.parse(row.attachments) as Attachment[],
    sentAt: row.sentAt,
    createdAt: row.createdAt,
    deliveryStatus: row.deliveryStatus as DeliveryStatus | null,
    deliveryError: row.deliveryError,
    editedAt: row.editedAt,
    deletedAt: row.deletedAt,
  };
}

export interface NewMessage {
  conversationId: number;
  sourceId: string;
  externalId: string;
  direction: MessageDirection;
  authorName: string;
  authorSlackId?: string;
  text: string;
  textFormat?: "slack";
  slackTs?: string;
  attachments?: Attachment[];
  sentAt: Date;
  deliveryStatus?: DeliveryStatus;
}

export class MessageRepository {
  constructor(private readonly db: DbClient) {}

  // The inbound API's hot path uses plain, portable SQL: Prisma's query compiler costs more than
  // the query itself there (see bench/).
  async findByExternalId(sourceId: string, externalId: string): Promise<Message | null> {
    const [row] = await this.db.$queryRaw<MessageRow[]>`
      SELECT * FROM "Message" WHERE "sourceId" = ${sourceId} AND "externalId" = ${externalId}`;
    return row ? toMessage(row) : null;
  }

  /** Whether an earlier reply in the conversation could not be sent (its source has no replyUrl). */
  async anyUndeliverableBefore(conversationId: number, messageId: number): Promise<boolean> {
    const rows = await this.db.$queryRaw<unknown[]>`
      SELECT 1 FROM "Message" WHERE "conversationId" = ${conversationId} AND "id" < ${messageId}
        AND "deliveryStatus" = 'undeliverable' LIMIT 1`;
    return rows.length > 0;
  }

  /** A message written in Slack, by its key (`slack-<channel>-<ts>`), on any of these sources. */
  async findByExternalIdIn(sourceIds: readonly string[], externalId: string): Promise<Message | null> {
    const row = await this.db.message.findFirst({ where: { sourceId: { in: [...sourceIds] }, externalId } });
    return row ? toMessage(row) : null;
  }

  /** Its author edited it in Slack (text as Slack sent it) or deleted it there. */
  async setChanged(id: number, change: { text: string; at: Date } | { deletedAt: Date }): Promise<Message> {
    const row = await this.db.message.update({
      where: { id },
      data: "text" in change ? { text: change.text, editedAt: change.at } : { deletedAt: change.deletedAt },
    });
    return toMessage(row);
  }

  /** A Slack customer's name became known: the messages stored under their id show it too. */
  async renameAuthor(conversationIds: readonly number[], from: string, to: string): Promise<void> {
    await this.db.message.updateMany({
      where: { conversationId: { in: [...conversationIds] }, direction: "inbound", authorName: from },
      data: { authorName: to },
    });
  }

  async get(id: number): Promise<Message | null> {
    const row = await this.db.message.findUnique({ where: { id } });
    return row ? toMessage(row) : null;
  }

  async create(m: NewMessage, at = new Date()): Promise<Message> {
    const [row] = await this.db.$queryRaw<MessageRow[]>`
      INSERT INTO "Message" ("conversationId", "sourceId", "externalId", "direction", "authorName",
        "authorSlackId", "text", "textFormat", "slackTs", "attachments", "sentAt", "createdAt",
        "deliveryStatus")
      VALUES (${m.conversationId}, ${m.sourceId}, ${m.externalId}, ${m.direction}, ${m.authorName},
        ${m.authorSlackId ?? null}, ${m.text}, ${m.textFormat ?? null}, ${m.slackTs ?? null},
        ${JSON.stringify(m.attachments ?? [])}, ${m.sentAt}, ${at}, ${m.deliveryStatus ?? null})
      RETURNING *`;
    return toMessage(row!);
  }

  /** `authorName`: the name the customer was shown (delivery resolves it from Slack). */
  async setDelivery(
    id: number,
    status: DeliveryStatus,
    error: string | null = null,
    authorName?: string,
  ): Promise<void> {
    await this.db.message.update({
      where: { id },
      data: {
        deliveryStatus: status,
        deliveryError: error,
        deliveredAt: status === "delivered" ? new Date() : null,
        ...(authorName ? { authorName } : {}),
      },
    });
  }

  /** The conversation's agent replies still waiting to reach the customer (a handful at most). */
  async pendingReplies(conversationId: number): Promise<Message[]> {
    const rows = await this.db.message.findMany({
      where: { conversationId, direction: "outbound", deliveryStatus: "pending" },
      orderBy: { id: "asc" },
    });
    return rows.map(toMessage);
  }

  async firstOf(conversationId: number): Promise<Message | null> {
    const row = await this.db.message.findFirst({ where: { conversationId }, orderBy: { id: "asc" } });
    return row ? toMessage(row) : null;
  }

  async isFirstOf(conversationId: number, messageId: number): Promise<boolean> {
    return (await this.firstOf(conversationId))?.id === messageId;
  }
}
