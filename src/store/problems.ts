// Slack troubles a person must fix, and what waits on them (see src/core/slack-failures.ts).
import type { SlackProblem } from "../core/slack-failures.ts";
import type { DbClient } from "./db.ts";

export interface OpenProblem extends SlackProblem {
  firstSeenAt: Date;
  lastSeenAt: Date;
  /** Outbox items waiting on it now: in each lane it holds up, the head and all behind it. */
  waiting: number;
}

export class ProblemRepository {
  constructor(private readonly db: DbClient) {}

  /**
   * Records that an item met `problem`. True when it was not open before (newly met, or met again
   * after it was resolved): the admins are to be told.
   */
  async report(problem: SlackProblem, at = new Date()): Promise<boolean> {
    const existing = await this.db.slackProblem.findUnique({ where: { key: problem.key } });
    const fields = {
      error: problem.error,
      channel: problem.channel ?? null,
      method: problem.method ?? null,
      detail: problem.detail ?? null,
      lastSeenAt: at,
    };
    if (!existing) {
      await this.db.slackProblem.create({ data: { key: problem.key, ...fields, firstSeenAt: at } });
      return true;
    }
    const reopened = existing.resolvedAt !== null;
    await this.db.slackProblem.update({
      where: { key: problem.key },
      data: { ...fields, ...(reopened ? { resolvedAt: null, firstSeenAt: at } : {}) },
    });
    return reopened;
  }

  /** Marks open problems resolved; returns the keys that were open. */
  async resolve(keys: readonly string[], at = new Date()): Promise<string[]> {
    if (!keys.length) return [];
    const open = await this.db.slackProblem.findMany({
      where: { key: { in: [...keys] }, resolvedAt: null },
      select: { key: true },
    });
    if (!open.length) return [];
    await this.db.slackProblem.updateMany({
      where: { key: { in: open.map((p) => p.key) } },
      data: { resolvedAt: at },
    });
    return open.map((p) => p.key);
  }

  async get(key: string): Promise<(SlackProblem & { resolvedAt: Date | null }) | null> {
    const row = await this.db.slackProblem.findUnique({ where: { key } });
    return row ? { ...toProblem(row), resolvedAt: row.resolvedAt } : null;
  }

  /** Open problems, oldest first, with how many outbox items wait on each. */
  async open(): Promise<OpenProblem[]> {
    const rows = await this.db.slackProblem.findMany({ where: { resolvedAt: null }, orderBy: { id: "asc" } });
    if (!rows.length) return [];
    // Only a lane's head meets the problem; everything queued behind it in that lane waits too.
    const heads = await this.db.outboxItem.findMany({
      where: { status: "pending", waitingOn: { in: rows.map((r) => r.key) } },
      select: { lane: true, waitingOn: true },
      distinct: ["lane"],
    });
    const counts = await this.db.outboxItem.groupBy({
      by: ["lane"],
      where: { status: "pending", lane: { in: heads.map((h) => h.lane) } },
      _count: { _all: true },
    });
    const perLane = new Map(counts.map((c) => [c.lane, c._count._all]));
    const waiting = new Map<string, number>();
    for (const h of heads)
      if (h.waitingOn) waiting.set(h.waitingOn, (waiting.get(h.waitingOn) ?? 0) + (perLane.get(h.lane) ?? 0));
    return rows.map((r) => ({
      ...toProblem(r),
      firstSeenAt: r.firstSeenAt,
      lastSeenAt: r.lastSeenAt,
      waiting: waiting.get(r.key) ?? 0,
    }));
  }

  /** Whether any problem is open (App Home asks on every admin's publish). */
  async anyOpen(): Promise<boolean> {
    return (await this.db.slackProblem.count({ where: { resolvedAt: null } })) > 0;
  }
}

function toProblem(r: {
  key: string;
  error: string;
  channel: string | null;
  method: string | null;
  detail: string | null;
}): SlackProblem {
  return {
    key: r.key,
    error: r.error,
    ...(r.channel ? { channel: r.channel } : {}),
    ...(r.method ? { method: r.method } : {}),
    ...(r.detail ? { detail: r.detail } : {}),
  };
}
