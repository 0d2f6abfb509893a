// Plain domain types. The store hands these out; nothing outside src/store/ sees Prisma types.
export type ConversationStatus = "open" | "closed";
export type MessageDirection = "inbound" | "outbound" | "note";
export type DeliveryStatus = "pending" | "delivered" | "failed" | "undeliverable";

export interface Attachment {
  url: string;
  name: string;
  mimeType?: string;
}

export interface Customer {
  id: number;
  externalId: string;
  name: string;
  email: string | null;
  attributes: Record<string, string>;
  heroAgentId: number | null;
  heroTeamId: number | null;
}

export interface Conversation {
  id: number;
  sourceId: string;
  externalId: string;
  customerId: number;
  slackChannel: string;
  status: ConversationStatus;
  assigneeId: number | null;
  assignedAt: Date | null;
  firstResponseAt: Date | null;
  waitingSince: Date | null;
  lastMessageAt: Date;
  closedAt: Date | null;
  createdAt: Date;
}

export interface Message {
  id: number;
  conversationId: number;
  sourceId: string;
  externalId: string;
  direction: MessageDirection;
  authorName: string;
  authorSlackId: string | null;
  text: string;
  attachments: Attachment[];
  sentAt: Date;
  createdAt: Date;
  deliveryStatus: DeliveryStatus | null;
  deliveryError: string | null;
}

export interface SlackThread {
  conversationId: number;
  channel: string;
  ts: string;
}

export interface OutboxItem {
  id: number;
  lane: string;
  kind: string;
  payload: unknown;
  attempts: number;
  /** Set when an earlier attempt may have reached its target (crash or timeout mid-call). */
  uncertain: boolean;
  nextAttemptAt: Date;
  lastError: string | null;
  createdAt: Date;
}
