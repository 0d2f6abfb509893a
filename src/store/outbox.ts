// The durable outbox. Writes to Slack and reply deliveries are rows here first, enqueued in the
// same transaction as the change that causes them, so a crash can neither lose nor invent one.
// Items of one lane (a Slack channel, a conversation's reply stream) run strictly in id order.

import type { OutboxItem } from "../core/domain.ts";
import type { DbClient } from "./db.ts";
import { type OutboxItem as OutboxRow, Prisma } from "./generated/client.ts";

function toItem(row: OutboxRow): OutboxItem {
  return {
    id: row.id,
    lane: row.lane,
    kind: row.kind,
    payload: JSON.parse(row.payload),
    attempts: row.attempts,
    uncertain: row.startedAt !== null,
    nextAttemptAt: row.nextAttemptAt,
    lastError: row.lastError,
    createdAt: row.createdAt,
    waitingOn: row.waitingOn,
  };
}

/** An item identical to this one that waits in the lane and has not started (what covers it). */
const twinOf = (lane: string, kind: string, payload: unknown) => Prisma.sql`
  "status" = 'pending' AND "lane" = ${lane} AND "kind" = ${kind} AND "payload" = ${JSON.stringify(payload)}
    AND "startedAt" IS NULL`;

export class OutboxRepository {
  /** `noteLane` hears each lane written to (the store announces them once committed). */
  constructor(
    private readonly db: DbClient,
    private readonly noteLane?: (lane: string) => void,
  ) {}

  async enqueue(lane: string, kind: string, payload: unknown, at = new Date()): Promise<number> {
    // Plain SQL: this runs once or twice per inbound message (see bench/).
    const [row] = await this.db.$queryRaw<{ id: number }[]>`
      INSERT INTO "OutboxItem" ("lane", "kind", "payload", "nextAttemptAt", "createdAt")
      VALUES (${lane}, ${kind}, ${JSON.stringify(payload)}, ${at}, ${new Date()})
      RETURNING "id"`;
    this.noteLane?.(lane);
    return row!.id;
  }

  /**
   * Enqueues unless an identical item is already waiting and has not started: a card update renders
   * the card as it is when sent, so one waiting update covers every change before it.
   *
   * `due` (optional) is when the new item may run: a moment ahead lets a burst of changes share
   * one item (a debounce). With `due`, a waiting item that is due later and was never tried is
   * brought forward to it, so an urgent request is not held back by an earlier, lazier one.
   */
  async enqueueOnce(lane: string, kind: string, payload: unknown, due?: Date): Promise<number | null> {
    const id = await this.enqueueUnlessWaiting(lane, kind, payload, due ?? new Date());
    if (id !== null) return id;
    const waiting = await this.waitingTwin(lane, kind, payload);
    // It started in between: this change still needs an item of its own.
    if (!waiting) return this.enqueue(lane, kind, payload, due ?? new Date());
    if (due && waiting.attempts === 0 && due.getTime() < waiting.nextAttemptAt.getTime())
      await this.reschedule(waiting.id, lane, due);
    return null;
  }

  /**
   * Enqueues to run once things have been quiet for `quietMs`: a waiting identical item (never
   * tried yet) is pushed back to `quietMs` from now, but never past `maxMs` after it was first
   * enqueued, so a burst of changes gives one item, and a steady stream still goes out.
   */
  async enqueueSettled(
    lane: string,
    kind: string,
    payload: unknown,
    settle: { quietMs: number; maxMs: number },
  ): Promise<number | null> {
    const now = Date.now();
    const id = await this.enqueueUnlessWaiting(lane, kind, payload, new Date(now + settle.quietMs));
    if (id !== null) return id;
    const waiting = await this.waitingTwin(lane, kind, payload);
    if (!waiting) return this.enqueue(lane, kind, payload, new Date(now + settle.quietMs));
    if (waiting.attempts === 0)
      await this.reschedule(
        waiting.id,
        lane,
        new Date(Math.min(waiting.createdAt.getTime() + settle.maxMs, now + settle.quietMs)),
      );
    return null;
  }

  /**
   * Enqueues unless an identical item waits in the lane and has not started (then null): one
   * statement, as card updates and App Home refreshes mostly find none (see bench/routing.ts).
   */
  private async enqueueUnlessWaiting(
    lane: string,
    kind: string,
    payload: unknown,
    at: Date,
  ): Promise<number | null> {
    const [row] = await this.db.$queryRaw<{ id: number }[]>`
      INSERT INTO "OutboxItem" ("lane", "kind", "payload", "nextAttemptAt", "createdAt")
      SELECT ${lane}, ${kind}, ${JSON.stringify(payload)}, ${at}, ${new Date()}
      WHERE NOT EXISTS (SELECT 1 FROM "OutboxItem" WHERE ${twinOf(lane, kind, payload)})
      RETURNING "id"`;
    if (!row) return null;
    this.noteLane?.(lane);
    return row.id;
  }

  /** An identical item waiting in the lane that has not started, if any. */
  private async waitingTwin(lane: string, kind: string, payload: unknown) {
    // Plain SQL: card updates and App Home refreshes ask this on busy paths.
    const [row] = await this.db.$queryRaw<
      { id: number; nextAttemptAt: unknown; createdAt: unknown; attempts: unknown }[]
    >`
      SELECT "id", "nextAttemptAt", "createdAt", "attempts" FROM "OutboxItem"
      WHERE ${twinOf(lane, kind, payload)}
      LIMIT 1`;
    return row
      ? {
          id: row.id,
          attempts: Number(row.attempts),
          nextAttemptAt: new Date(row.nextAttemptAt as string | Date),
          createdAt: new Date(row.createdAt as string | Date),
        }
      : null;
  }

  private async reschedule(id: number, lane: string, at: Date): Promise<void> {
    await this.db.$executeRaw`
      UPDATE "OutboxItem" SET "nextAttemptAt" = ${at} WHERE "id" = ${id} AND "startedAt" IS NULL`;
    this.noteLane?.(lane);
  }

  /**
   * The first pending item of every lane, due or not, oldest lanes first. Visits every pending
   * item: for draining (bench/), not for the worker's scan (dueLaneHeads).
   */
  async laneHeads(limit: number): Promise<OutboxItem[]> {
    // One query, no list of ids: Prisma caps SQLite's bound parameters at 999.
    const rows = await this.db.$queryRaw<OutboxRow[]>`
      SELECT * FROM "OutboxItem" o
      WHERE o."status" = 'pending'
        AND NOT EXISTS (SELECT 1 FROM "OutboxItem" e
                        WHERE e."status" = 'pending' AND e."lane" = o."lane" AND e."id" < o."id")
      ORDER BY o."id" LIMIT ${limit}`;
    return rows.map(toItem);
  }

  /**
   * The worker's scan: the first pending item of each lane whose first item is due by `at`,
   * oldest first (so a lane keeps its order, and no lane waits behind newer ones), and when the
   * next pending item falls due after `at` (null: none), so the worker knows when to look again.
   * Its cost follows the items due, not the timers waiting (index on status, nextAttemptAt).
   */
  async dueLaneHeads(at: Date, limit: number): Promise<{ heads: OutboxItem[]; nextDueAt: Date | null }> {
    const rows = await this.db.$queryRaw<OutboxRow[]>`
      SELECT * FROM "OutboxItem" o
      WHERE o."status" = 'pending' AND o."nextAttemptAt" <= ${at}
        AND NOT EXISTS (SELECT 1 FROM "OutboxItem" e
                        WHERE e."status" = 'pending' AND e."lane" = o."lane" AND e."id" < o."id")
      ORDER BY o."id" LIMIT ${limit}`;
    // Any pending item, head or not: waking early is harmless, late is not.
    const [next] = await this.db.$queryRaw<{ nextAttemptAt: unknown }[]>`
      SELECT "nextAttemptAt" FROM "OutboxItem"
      WHERE "status" = 'pending' AND "nextAttemptAt" > ${at}
      ORDER BY "nextAttemptAt" LIMIT 1`;
    return {
      heads: rows.map(toItem),
      nextDueAt: next ? new Date(next.nextAttemptAt as string | Date) : null,
    };
  }

  /** The first pending item of one lane: an index seek, however long the lane's backlog. */
  async laneHead(lane: string): Promise<OutboxItem | null> {
    const [row] = await this.db.$queryRaw<OutboxRow[]>`
      SELECT * FROM "OutboxItem" WHERE "status" = 'pending' AND "lane" = ${lane} ORDER BY "id" LIMIT 1`;
    return row ? toItem(row) : null;
  }

  /**
   * The newest item of `kind` with exactly this payload in `lane` that is not done: still pending
   * (and what it waits on) or given up on. Null: none, or it is done.
   */
  async unfinished(
    lane: string,
    kind: string,
    payload: unknown,
  ): Promise<{ status: "pending" | "failed"; waitingOn: string | null } | null> {
    const [row] = await this.db.$queryRaw<{ status: "pending" | "failed"; waitingOn: string | null }[]>`
      SELECT "status", "waitingOn" FROM "OutboxItem"
      WHERE "status" IN ('pending', 'failed') AND "lane" = ${lane} AND "kind" = ${kind}
        AND "payload" = ${JSON.stringify(payload)}
      ORDER BY "id" DESC LIMIT 1`;
    return row ?? null;
  }

  /** The payloads of a lane's pending items of one kind, in lane order (a conversation's replies). */
  async pendingPayloads(lane: string, kind: string): Promise<unknown[]> {
    const rows = await this.db.$queryRaw<{ payload: string }[]>`
      SELECT "payload" FROM "OutboxItem" WHERE "status" = 'pending' AND "lane" = ${lane} AND "kind" = ${kind}
      ORDER BY "id"`;
    return rows.map((r) => JSON.parse(r.payload));
  }

  /**
   * Deletes up to `limit` items that finished (done) before `before`; returns how many. Pending
   * and given-up items are kept: the first are work, the second what a person may look at.
   */
  async pruneDone(before: Date, limit: number): Promise<number> {
    return this.db.$executeRaw`
      DELETE FROM "OutboxItem" WHERE "id" IN (
        SELECT "id" FROM "OutboxItem" WHERE "status" = 'done' AND "doneAt" < ${before} LIMIT ${limit})`;
  }

  /** Recorded before the call, so that a crash mid-call leaves the item marked uncertain. */
  async markStarted(id: number, at = new Date()): Promise<void> {
    await this.db.outboxItem.update({ where: { id }, data: { startedAt: at, attempts: { increment: 1 } } });
  }

  async markDone(id: number, at = new Date()): Promise<void> {
    await this.db.outboxItem.update({
      where: { id },
      data: { status: "done", doneAt: at, startedAt: null, waitingOn: null },
    });
  }

  /**
   * `uncertain`: the target may have acted on the attempt (timeout, dropped connection).
   * `waitingOn`: the key of the problem a person must fix before it can go (null: none).
   * `counted: false`: the run was no attempt (it waited for a rate-limit slot, or the worker
   * stopped), so it does not count towards the retry policy's attempts.
   */
  async markRetry(
    id: number,
    nextAttemptAt: Date,
    error: string,
    uncertain: boolean,
    waitingOn: string | null = null,
    counted = true,
  ): Promise<void> {
    await this.db.outboxItem.update({
      where: { id },
      data: {
        nextAttemptAt,
        lastError: error.slice(0, 1000),
        waitingOn,
        ...(uncertain ? {} : { startedAt: null }),
        ...(counted ? {} : { attempts: { decrement: 1 } }),
      },
    });
  }

  /**
   * A problem was fixed: everything that waited on it is due now (each lane keeps its order).
   * `stillWaiting`: it may be fixed (a person asked to retry); the items keep waiting on it, so
   * the first to get through resolves it (and the others wake, and the admins hear).
   */
  async wake(
    problemKeys: readonly string[],
    at = new Date(),
    { stillWaiting = false }: { stillWaiting?: boolean } = {},
  ): Promise<string[]> {
    if (!problemKeys.length) return [];
    const rows = await this.db.outboxItem.findMany({
      where: { status: "pending", waitingOn: { in: [...problemKeys] } },
      select: { lane: true },
      distinct: ["lane"],
    });
    await this.db.outboxItem.updateMany({
      where: { status: "pending", waitingOn: { in: [...problemKeys] } },
      data: { nextAttemptAt: at, ...(stillWaiting ? {} : { waitingOn: null }) },
    });
    for (const r of rows) this.noteLane?.(r.lane);
    return rows.map((r) => r.lane);
  }

  /** Pending items that failed at least once and wait for a retry, by lane (for `/desk waiting`). */
  async retrying(limit: number): Promise<
    {
      lane: string;
      kind: string;
      count: number;
      lastError: string | null;
      waitingOn: string | null;
      next: Date;
    }[]
  > {
    const rows = await this.db.outboxItem.findMany({
      where: { status: "pending", lastError: { not: null } },
      orderBy: { id: "asc" },
      select: { lane: true, kind: true, lastError: true, waitingOn: true, nextAttemptAt: true },
    });
    const byLane = new Map<string, (typeof rows)[number] & { count: number }>();
    for (const r of rows) {
      const seen = byLane.get(r.lane);
      if (seen) seen.count++;
      else byLane.set(r.lane, { ...r, count: 1 });
    }
    return [...byLane.values()].slice(0, limit).map((r) => ({
      lane: r.lane,
      kind: r.kind,
      count: r.count,
      lastError: r.lastError,
      waitingOn: r.waitingOn,
      next: r.nextAttemptAt,
    }));
  }

  async markFailed(id: number, error: string, at = new Date()): Promise<void> {
    await this.db.outboxItem.update({
      where: { id },
      data: { status: "failed", lastError: error.slice(0, 1000), doneAt: at, startedAt: null },
    });
  }

  /** Makes every waiting item due now (after an operator fixed what they were waiting for). */
  async retryNow(at = new Date()): Promise<number> {
    const res = await this.db.outboxItem.updateMany({
      where: { status: "pending" },
      data: { nextAttemptAt: at },
    });
    return res.count;
  }

  /** Pending items due by `at`: work that should be happening now, not retries or timers. */
  async countDue(at = new Date()): Promise<number> {
    return this.db.outboxItem.count({ where: { status: "pending", nextAttemptAt: { lte: at } } });
  }

  /** Pending items due by `at`, or waiting only for a rate-limit slot (they go by themselves). */
  async countBusy(at = new Date()): Promise<number> {
    return this.db.outboxItem.count({
      where: {
        status: "pending",
        OR: [{ nextAttemptAt: { lte: at } }, { waitingOn: { startsWith: "pace:" } }],
      },
    });
  }

  async countByStatus(): Promise<Record<string, number>> {
    const rows = await this.db.outboxItem.groupBy({ by: ["status"], _count: { _all: true } });
    return Object.fromEntries(rows.map((r) => [r.status, r._count._all]));
  }
}
