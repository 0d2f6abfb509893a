// What HeroDesk knows about its own Slack messages: which thread mirrors which conversation,
// which post carries which part of which customer message, and which Slack events were handled.

import type { SlackThread } from "../core/domain.ts";
import { nextSlot, type SharedRate } from "../core/shared-rate.ts";
import { type DbClient, isUniqueViolation } from "./db.ts";

export class SlackRepository {
  constructor(private readonly db: DbClient) {}

  async threadForConversation(conversationId: number): Promise<SlackThread | null> {
    return this.db.slackThread.findUnique({
      where: { conversationId },
      select: { conversationId: true, channel: true, ts: true, cardHash: true },
    });
  }

  async threadAt(channel: string, ts: string): Promise<SlackThread | null> {
    return this.db.slackThread.findUnique({
      where: { channel_ts: { channel, ts } },
      select: { conversationId: true, channel: true, ts: true, cardHash: true },
    });
  }

  async saveThread(thread: SlackThread): Promise<void> {
    await this.db.slackThread.create({ data: thread });
  }

  /** What the card that was just sent shows (see cardHash in src/slack/notifier.ts). */
  async setCardHash(conversationId: number, cardHash: string): Promise<void> {
    await this.db.slackThread.update({ where: { conversationId }, data: { cardHash } });
  }

  /** Parts of a message already posted, as part number → ts. */
  async postedParts(messageId: number): Promise<Map<number, string>> {
    const rows = await this.db.slackPost.findMany({ where: { messageId }, select: { part: true, ts: true } });
    return new Map(rows.map((r) => [r.part, r.ts]));
  }

  /** Every copy HeroDesk posted of a message (its parts), in part order. */
  async postsOf(messageId: number): Promise<{ part: number; channel: string; ts: string }[]> {
    return this.db.slackPost.findMany({
      where: { messageId },
      orderBy: { part: "asc" },
      select: { part: true, channel: true, ts: true },
    });
  }

  async savePost(post: { messageId: number; part: number; channel: string; ts: string }): Promise<void> {
    await this.db.slackPost.create({ data: post });
  }

  /**
   * Takes a signed request (its key) until `expiresAtMs`: true the first time, false when any
   * replica took it already. One statement, insert-once on the primary key: ON CONFLICT leaves
   * the transaction usable on PostgreSQL, where a failed insert would abort it.
   */
  async takeRequest(key: string, expiresAtMs: number): Promise<boolean> {
    const inserted = await this.db.$executeRaw`
      INSERT INTO "SlackRequest" ("key", "expiresAt") VALUES (${key}, ${BigInt(expiresAtMs)})
      ON CONFLICT ("key") DO NOTHING`;
    return inserted === 1;
  }

  /** The request was not answered 2xx: it may come again (Slack's own retry of a failure). */
  async releaseRequest(key: string): Promise<void> {
    await this.db.slackRequest.deleteMany({ where: { key } });
  }

  /** Forgets requests whose timestamp Bolt refuses anyway by now; returns how many. */
  async pruneRequests(nowMs: number): Promise<number> {
    return (await this.db.slackRequest.deleteMany({ where: { expiresAt: { lte: BigInt(nowMs) } } })).count;
  }

  /**
   * Reserves one call's slot in a shared rate budget, atomic across replicas: a generic cell rate
   * (one call every `intervalMs`, up to `burst` at once) and, with `minute`, at most `calls` in
   * any `ms`, as one process's sliding minute keeps. Returns how long to wait for the slot (0:
   * now), or null without reserving when that would exceed `maxWaitMs`.
   */
  async reserveSlot(
    key: string,
    budget: SharedRate,
    maxWaitMs: number,
    now = Date.now(),
  ): Promise<number | null> {
    // The upsert takes the row's lock (PostgreSQL holds it to the commit; SQLite has one writer):
    // what is read here is what the update below replaces.
    const [row] = await this.db.$queryRaw<{ freeAt: bigint | number; recent: string }[]>`
      INSERT INTO "SlackPace" ("key", "freeAt", "recent") VALUES (${key}, ${BigInt(now)}, '')
      ON CONFLICT ("key") DO UPDATE SET "key" = excluded."key"
      RETURNING "freeAt", "recent"`;
    const recent = row!.recent ? row!.recent.split(",").map(Number) : [];
    const slot = nextSlot(budget, { freeAt: Number(row!.freeAt), recent }, now);
    if (slot.at - now > maxWaitMs) return null;
    await this.db.$executeRaw`
      UPDATE "SlackPace" SET "freeAt" = ${BigInt(slot.freeAt)}, "recent" = ${slot.recent.join(",")}
      WHERE "key" = ${key}`;
    return Math.max(0, slot.at - now);
  }

  /** True the first time an event id is seen; false for Slack's retries and redeliveries. */
  async markEventSeen(eventId: string, at = new Date()): Promise<boolean> {
    // Look first: a failed insert would abort the whole transaction on PostgreSQL.
    if (await this.db.slackEvent.findUnique({ where: { eventId } })) return false;
    try {
      await this.db.slackEvent.create({ data: { eventId, receivedAt: at } });
      return true;
    } catch (err) {
      if (isUniqueViolation(err)) return false;
      throw err;
    }
  }

  /** Forgets event ids seen before `before` (Slack no longer retries them); returns how many. */
  async pruneEvents(before: Date): Promise<number> {
    return (await this.db.slackEvent.deleteMany({ where: { receivedAt: { lt: before } } })).count;
  }
}
