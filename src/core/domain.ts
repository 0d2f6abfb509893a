// Plain domain types. The store hands these out; nothing outside src/store/ sees Prisma types.
import type { HeroVia } from "./dedicated-hero.ts";
import type { Priority } from "./triage.ts";

export type ConversationStatus = "open" | "closed";
export type MessageDirection = "inbound" | "outbound" | "note";
export type DeliveryStatus = "pending" | "delivered" | "failed" | "undeliverable";

export interface Attachment {
  url: string;
  name: string;
  mimeType?: string;
}

/**
 * A customer's Dedicated Hero: an agent or a team, by id (HeroRef below: as a person names it).
 * The store maps it to and from its columns.
 */
export type Hero = { kind: "agent"; agentId: number } | { kind: "team"; teamId: number };

export interface Customer {
  id: number;
  /** A customer id belongs to its source: `cust-42` of `web` and of `mail` are two customers. */
  sourceId: string;
  externalId: string;
  /** Linked by email to this customer (linkCustomersByEmail): they share one Dedicated Hero. */
  linkedToId: number | null;
  name: string;
  email: string | null;
  attributes: Record<string, string>;
  /**
   * Their Dedicated Hero. Read for a conversation (CustomerRepository.ofConversation): the hero
   * that conversation goes to, set on the customer, their channel or their account (`heroVia`);
   * otherwise the customer's own.
   */
  hero: Hero | null;
  /** Where `hero` was set; absent: on the customer. */
  heroVia?: HeroVia;
  /** The organisation they belong to (a Slack Connect member's team). Absent reads as null. */
  accountId?: number | null;
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
  /**
   * The agent a person last took it from (`/desk unassign`): routing does not hand it back to
   * them. Null once anyone holds it again, or it closes. The store always sets it; absent reads
   * as null (a conversation built by hand, as in tests).
   */
  unassignedFromId?: number | null;
  firstResponseAt: Date | null;
  /** How long the customer waited for the first agent reply (firstResponseAt - createdAt). */
  firstResponseMs: number | null;
  waitingSince: Date | null;
  heroWaitUntil: Date | null;
  /** The last agent answer (not a note). Absent reads as null (conversations built by hand). */
  answeredAt?: Date | null;
  closedAt: Date | null;
  /** "auto": closed by auto-close, so the customer's next message reopens it. */
  closeReason?: "auto" | null;
  createdAt: Date;
  /** `/desk priority`: normal unless someone set it. */
  priority: Priority;
  /** The account it is for (its customer's, or its customer channel's). Absent reads as null. */
  accountId?: number | null;
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
  /** "slack": `text` is Slack markup as the agent wrote it (render it before showing it outside Slack). */
  textFormat: "slack" | null;
  /** An agent's message: its Slack ts (replies reach the customer in this order). */
  slackTs: string | null;
  attachments: Attachment[];
  sentAt: Date;
  createdAt: Date;
  deliveryStatus: DeliveryStatus | null;
  deliveryError: string | null;
  /** Written in Slack and edited or deleted there since (its copies follow). */
  editedAt: Date | null;
  deletedAt: Date | null;
}

export interface SlackThread {
  conversationId: number;
  channel: string;
  ts: string;
  /** A digest of what the card last sent showed. */
  cardHash?: string | null;
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
  /** The problem (a person must fix it) this item waits on, if any. */
  waitingOn: string | null;
}

export type Role = "agent" | "manager" | "admin";
export type Availability = "online" | "away" | "offline";
export const ROLES: readonly Role[] = ["agent", "manager", "admin"];
export const AVAILABILITIES: readonly Availability[] = ["online", "away", "offline"];

/** A hero as a person names them: an agent by Slack user id, or a team by name. */
export type HeroRef = { kind: "agent"; userId: string } | { kind: "team"; team: string };

export interface Agent {
  id: number;
  slackUserId: string;
  name: string;
  role: Role;
  status: Availability;
  capacity: number;
  openCount: number;
  active: boolean;
  lastAssignedAt: Date | null;
  teamIds: number[];
}

export interface Team {
  id: number;
  name: string;
  memberIds: number[];
}

export interface Rule {
  id: number;
  position: number;
  attribute: string;
  value: string;
  teamId: number;
  teamName: string;
}

export type AssignmentReason =
  | "routed"
  | "hero"
  | "claimed"
  | "manual"
  | "bulk"
  | "rule"
  | "queue"
  /** Still unanswered past its response target: taken back and routed again. */
  | "escalated";

/**
 * assignee, hero: who holds it; queue: it waits for a team; status: closed or reopened; tags,
 * priority: its triage changed (`/desk tag`, `/desk priority`).
 */
export type EventKind = "assignee" | "hero" | "queue" | "status" | "tags" | "priority";

export interface AssignmentEvent {
  id: number;
  kind: EventKind;
  conversationId: number | null;
  customerId: number | null;
  fromAgentId: number | null;
  toAgentId: number | null;
  toTeamId: number | null;
  actorSlackId: string | null;
  reason:
    | AssignmentReason
    | "removed"
    | "closed"
    | "auto_closed"
    | "reopened"
    | "tagged"
    | "untagged"
    | "priority";
  /**
   * The rule that routed it, or that sends it to the team it waits for; the tags added or
   * removed (space-separated), or the priority set; why auto-close closed it.
   */
  detail: string | null;
  createdAt: Date;
}
