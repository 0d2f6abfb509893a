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
   * Reserves one call's slot in every shared rate budget it counts against (a method's, a
   * channel's posts; each a cell rate with a burst and, with `minute`, a sliding minute, as one
   * process keeps them): the latest of their next slots, taken in each, or nothing in any when
   * that is more than `maxWaitMs` away, so a call turned away spends no budget. Returns the wait
   * for that slot and whether it was reserved (a call turned away then knows when to come back).
   * Each row is locked (in key order, so replicas never deadlock) before it is read: PostgreSQL
   * holds the locks to the commit, and SQLite has one writer.
   */
  async reserveSlots(
    budgets: readonly (SharedRate & { key: string })[],
    maxWaitMs: number,
    now = Date.now(),
  ): Promise<{ waitMs: number; reserved: boolean }> {
    const sorted = [...budgets].sort((a, b) => (a.key < b.key ? -1 : a.key > b.key ? 1 : 0));
    const states: { freeAt: number; recent: number[] }[] = [];
    for (const budget of sorted) {
      const [row] = await this.db.$queryRaw<{ freeAt: bigint | number; recent: string }[]>`
        INSERT INTO "SlackPace" ("key", "freeAt", "recent") VALUES (${budget.key}, ${BigInt(now)}, '')
        ON CONFLICT ("key") DO UPDATE SET "key" = excluded."key"
        RETURNING "freeAt", "recent"`;
      states.push({
        freeAt: Number(row!.freeAt),
        recent: row!.recent ? row!.recent.split(",").map(Number) : [],
      });
    }
    const at = Math.max(now, ...sorted.map((b, i) => nextSlot(b, states[i]!, now).at));
    if (at - now > maxWaitMs) return { waitMs: at - now, reserved: false };
    for (const [i, budget] of sorted.entries()) {
      const slot = nextSlot(budget, states[i]!, now, at);
      await this.db.$executeRaw`
        UPDATE "SlackPace" SET "freeAt" = ${BigInt(slot.freeAt)}, "recent" = ${slot.recent.join(",")}
        WHERE "key" = ${budget.key}`;
    }
    return { waitMs: at - now, reserved: true };
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
