// What HeroDesk knows about its own Slack messages: which thread mirrors which conversation,
// which post carries which part of which customer message, and which Slack events were handled.

import type { SlackThread } from "../core/domain.ts";
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

  /** True the first time an event id is seen; false for Slack's retries and redeliveries. */
  async markEventSeen(eventId: string): Promise<boolean> {
    // Look first: a failed insert would abort the whole transaction on PostgreSQL.
    if (await this.db.slackEvent.findUnique({ where: { eventId } })) return false;
    try {
      await this.db.slackEvent.create({ data: { eventId } });
      return true;
    } catch (err) {
      if (isUniqueViolation(err)) return false;
      throw err;
    }
  }
}
