// Sources of kind slack (SPEC §8): which customer thread holds which conversation, what status
// HeroDesk shows there, and the channels a source takes because HeroDesk was invited to them.
import type { DbClient } from "./db.ts";

export interface CustomerThread {
  conversationId: number;
  channel: string;
  /** The thread's first message: replies go under it, the status reactions on it. */
  ts: string;
  statusShown: string | null;
}

export class CustomerSlackRepository {
  constructor(private readonly db: DbClient) {}

  async threadOf(conversationId: number): Promise<CustomerThread | null> {
    // Plain SQL: every card update asks, and routing makes one for every conversation it routes.
    const [row] = await this.db.$queryRaw<CustomerThread[]>`
      SELECT "conversationId", "channel", "ts", "statusShown" FROM "CustomerThread"
      WHERE "conversationId" = ${conversationId}`;
    return row ? { ...row, conversationId: Number(row.conversationId) } : null;
  }

  /** The thread's conversation now: the newest (an older one closed past its reopen window). */
  async conversationAt(channel: string, ts: string): Promise<number | null> {
    const row = await this.db.customerThread.findFirst({
      where: { channel, ts },
      orderBy: { conversationId: "desc" },
      select: { conversationId: true },
    });
    return row?.conversationId ?? null;
  }

  async saveThread(thread: { conversationId: number; channel: string; ts: string }): Promise<void> {
    await this.db.customerThread.create({ data: thread });
  }

  async setStatusShown(conversationId: number, statusShown: string | null): Promise<void> {
    await this.db.customerThread.update({ where: { conversationId }, data: { statusShown } });
  }

  /** The invited source that takes this channel, while it does. */
  async invitedSourceOf(channel: string): Promise<string | null> {
    const row = await this.db.customerChannel.findUnique({ where: { channel } });
    return row && !row.removedAt ? row.sourceId : null;
  }

  /** True when the channel was not the source's before. */
  async addChannel(channel: string, sourceId: string, addedBy: string | null): Promise<boolean> {
    const before = await this.db.customerChannel.findUnique({ where: { channel } });
    if (before && !before.removedAt && before.sourceId === sourceId) return false;
    await this.db.customerChannel.upsert({
      where: { channel },
      create: { channel, sourceId, addedBy },
      update: { sourceId, addedBy, addedAt: new Date(), removedAt: null },
    });
    return true;
  }

  /** True when the channel was a customer channel until now. */
  async removeChannel(channel: string): Promise<boolean> {
    const { count } = await this.db.customerChannel.updateMany({
      where: { channel, removedAt: null },
      data: { removedAt: new Date() },
    });
    return count > 0;
  }

  async invitedChannels(sourceId: string): Promise<string[]> {
    const rows = await this.db.customerChannel.findMany({
      where: { sourceId, removedAt: null },
      orderBy: { addedAt: "asc" },
      select: { channel: true },
    });
    return rows.map((r) => r.channel);
  }
}
