// Who has opened HeroDesk's App Home, and the pages they look at: a change republishes only the
// homes of people who opened theirs lately; anyone else's is built fresh when they open it.
import type { DbClient } from "./db.ts";
import { Prisma } from "./generated/client.ts";

export interface HomeTabState {
  slackUserId: string;
  openedAt: Date;
  /** Page of the person's own open conversations (0 = the first). */
  page: number;
  /** Page of the team's load (managers and admins). */
  teamPage: number;
}

export class HomeTabRepository {
  constructor(private readonly db: DbClient) {}

  /** The person opened their Home tab (the pages they looked at last are kept). */
  async opened(slackUserId: string, at = new Date()): Promise<void> {
    await this.db.homeTab.upsert({
      where: { slackUserId },
      create: { slackUserId, openedAt: at },
      update: { openedAt: at },
    });
  }

  async get(slackUserId: string): Promise<HomeTabState | null> {
    const row = await this.db.homeTab.findUnique({ where: { slackUserId } });
    return row
      ? { slackUserId: row.slackUserId, openedAt: row.openedAt, page: row.page, teamPage: row.teamPage }
      : null;
  }

  /** Keeps the page a person turned to; a home that was never opened is opened now. */
  async setPage(
    slackUserId: string,
    pages: { page?: number; teamPage?: number },
    at = new Date(),
  ): Promise<void> {
    await this.db.homeTab.upsert({
      where: { slackUserId },
      create: { slackUserId, openedAt: at, ...pages },
      update: pages,
    });
  }

  /**
   * Which of these people (agent ids, or Slack user ids) opened their home since `since`, as Slack
   * user ids.
   */
  async openedBy(
    who: { agentIds: readonly number[]; userIds: readonly string[] },
    since: Date,
  ): Promise<string[]> {
    const byAgent = who.agentIds.length
      ? Prisma.sql`h."slackUserId" IN (SELECT "slackUserId" FROM "Agent" WHERE "id" IN (${Prisma.join([...who.agentIds])}))`
      : Prisma.sql`1 = 0`;
    const byUser = who.userIds.length
      ? Prisma.sql`h."slackUserId" IN (${Prisma.join([...who.userIds])})`
      : Prisma.sql`1 = 0`;
    if (!who.agentIds.length && !who.userIds.length) return [];
    const rows = await this.db.$queryRaw<{ slackUserId: string }[]>`
      SELECT h."slackUserId" FROM "HomeTab" h
      WHERE h."openedAt" >= ${since} AND (${byAgent} OR ${byUser})`;
    return rows.map((r) => r.slackUserId);
  }

  /** Whether anyone opened their home since `since` (else no home needs refreshing at all). */
  async anyOpenedSince(since: Date): Promise<boolean> {
    const [row] = await this.db.$queryRaw<unknown[]>`
      SELECT 1 AS "one" FROM "HomeTab" WHERE "openedAt" >= ${since} LIMIT 1`;
    return Boolean(row);
  }

  /**
   * Who sees the team's load and queue on their home and opened it since `since`: active managers
   * and admins, and the bootstrap admins (admins whatever the database says).
   */
  async teamWatchers(since: Date, bootstrapAdmins: readonly string[]): Promise<string[]> {
    const admins = bootstrapAdmins.length ? Prisma.join([...bootstrapAdmins]) : Prisma.sql`NULL`;
    const rows = await this.db.$queryRaw<{ slackUserId: string }[]>`
      SELECT h."slackUserId" FROM "HomeTab" h
      LEFT JOIN "Agent" a ON a."slackUserId" = h."slackUserId"
      WHERE h."openedAt" >= ${since}
        AND ((a."active" = true AND a."role" IN ('manager', 'admin')) OR h."slackUserId" IN (${admins}))
      ORDER BY h."openedAt" DESC`;
    return rows.map((r) => r.slackUserId);
  }
}
