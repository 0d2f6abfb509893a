// Drains the durable outbox. Each lane (one Slack channel, one conversation's replies) runs one
// item at a time in id order, so order holds within a thread; lanes run side by side, so a channel
// that Slack rate-limits, or a reply endpoint that is down, never stalls the others.
import { setMaxListeners } from "node:events";
import { backoffDelay } from "../core/backoff.ts";
import type { OutboxItem } from "../core/domain.ts";
import { problemAdvice } from "../core/problem-advice.ts";
import { isWorkspaceWide, type SlackProblem } from "../core/slack-failures.ts";
import type { Logger } from "../logger.ts";
import type { Repositories, Store } from "../store/index.ts";
import { GiveUp, NeedsPerson, PACE_PREFIX, RetryLater } from "./errors.ts";
import { type JobHandler, type JobHandlers, NOTHING_SENT } from "./handler.ts";
import { isJobKind, type JobKind, PAYLOAD_SCHEMAS, type Payload } from "./jobs.ts";

const MIN_GAP_MS = 10;

/** What happens, inside the same transaction, when a problem is first met and when it is fixed. */
export interface ProblemHooks {
  opened(tx: Repositories, problem: SlackProblem): Promise<void>;
  resolved(tx: Repositories, keys: string[]): Promise<void>;
}

/**
 * How often an item waiting on a person tries again: soon at first (a quick fix goes out at
 * once), then every few minutes. Never given up on: nothing is lost while the person is away.
 */
export const PERSON_RETRY = { initialDelayMs: 5_000, maxDelayMs: 300_000 };

export interface OutboxWorkerOptions {
  store: Store;
  handlers: JobHandlers;
  logger: Logger;
  problems?: ProblemHooks;
  /** Overrides PERSON_RETRY (tests). */
  personRetry?: { initialDelayMs: number; maxDelayMs: number };
  /** Idle poll interval; enqueuers call kick() so new work never waits for it. */
  pollMs?: number;
  maxConcurrentLanes?: number;
}

export class OutboxWorker {
  private readonly busyLanes = new Set<string>();
  private readonly inFlight = new Set<Promise<void>>();
  private running = false;
  private stopping = new AbortController();
  private wake: (() => void) | null = null;
  private loopDone: Promise<void> | null = null;
  private kicked = false;
  /** Lanes with news since the last look; the rest are looked at by the periodic full scan. */
  private readonly dirtyLanes = new Set<string>();
  private fullScanWanted = true;
  private lastFullScan = 0;
  private fullScanEveryMs = 1000;
  /** When the next pending item falls due, as far as the last scan and lookups know. */
  private nextDueAt = Number.POSITIVE_INFINITY;
  /** A timer's scan waits at least this long after the last one (10 times what it took). */
  private dueScanGapMs = 0;
  private readonly pollMs: number;
  private readonly maxLanes: number;

  constructor(private readonly options: OutboxWorkerOptions) {
    this.pollMs = options.pollMs ?? 1000;
    this.maxLanes = options.maxConcurrentLanes ?? 64;
  }

  start(): void {
    if (this.running) return;
    this.running = true;
    this.stopping = new AbortController();
    setMaxListeners(0, this.stopping.signal); // one listener per lane waiting for a rate-limit slot
    this.loopDone = this.loop();
  }

  /**
   * New work was committed in these lanes (all lanes when none are named): look at them soon
   * rather than at the next poll.
   */
  kick(lanes?: string[]): void {
    if (lanes) for (const lane of lanes) this.dirtyLanes.add(lane);
    else this.fullScanWanted = true;
    this.kicked = true;
    this.wake?.();
  }

  /**
   * Stops taking items and waits for the ones under way, at most `graceMs`; pending items stay for
   * the next start, or for another HeroDesk on the same PostgreSQL. An item still under way when
   * the grace ends keeps its start mark: whoever runs it next knows it may have gone (uncertain),
   * as after a crash, and its lane's lease ends when the store closes.
   */
  async stop(graceMs = 10_000): Promise<void> {
    this.running = false;
    this.stopping.abort();
    this.wake?.();
    await this.loopDone;
    let timer: NodeJS.Timeout | undefined;
    await Promise.race([
      Promise.allSettled([...this.inFlight]),
      new Promise<void>((resolve) => {
        timer = setTimeout(resolve, graceMs);
      }),
    ]);
    clearTimeout(timer);
  }

  private async loop(): Promise<void> {
    while (this.running) {
      let waitMs = this.pollMs;
      this.kicked = false;
      const started = performance.now();
      try {
        waitMs = await this.dispatchDue();
      } catch (err) {
        this.options.logger.error("outbox poll failed", { error: err });
      }
      if (!this.running) break;
      // Under a burst of inbound messages every request kicks; looking once per gap (at least
      // twice as long as a look takes) keeps the lookups from eating the CPU the API needs.
      const gap = Math.max(MIN_GAP_MS, 2 * (performance.now() - started));
      if (this.kicked) waitMs = 0;
      await new Promise<void>((resolve) => {
        const sleepStart = performance.now();
        let timer = setTimeout(resolve, Math.max(gap, Math.min(waitMs, this.pollMs)));
        this.wake = () => {
          clearTimeout(timer);
          if (!this.running) return resolve(); // stopping does not wait
          // A kick: look again once the gap has passed.
          timer = setTimeout(resolve, Math.max(0, gap - (performance.now() - sleepStart)));
        };
      });
      this.wake = null;
    }
  }

  /**
   * Starts every due lane head; returns how long until the next look. A full scan asks the
   * database for the lanes whose head is due, and when the next item falls due: it runs when that
   * time comes (a timer, a retry), and once per poll interval for work from elsewhere; in between
   * only the lanes with news are looked at. Waiting timers cost nothing until they are due.
   */
  private async dispatchDue(): Promise<number> {
    const { outbox } = this.options.store;
    const full = this.fullScanWanted || Date.now() >= this.nextFullScanAt();
    const lanes = [...this.dirtyLanes].filter((l) => !this.busyLanes.has(l));
    this.dirtyLanes.clear();
    this.fullScanWanted = false;
    let heads: OutboxItem[];
    if (full) {
      // Timed inside its transaction: the wait behind other transactions is not its cost (counted,
      // it spaced scans out while reminders came due, and so made them later still).
      let took = 0;
      const scan = await this.options.store.transaction(async (tx) => {
        const started = performance.now();
        const found = await tx.outbox.dueLaneHeads(new Date(), 1000);
        took = performance.now() - started;
        return found;
      });
      heads = scan.heads;
      this.nextDueAt = scan.nextDueAt?.getTime() ?? Number.POSITIVE_INFINITY;
      this.lastFullScan = Date.now();
      // Under a long due backlog a scan costs more: scan less often (a few per cent of the time);
      // lanes with news are looked at directly meanwhile.
      this.fullScanEveryMs = Math.max(this.pollMs, 50 * took);
      this.dueScanGapMs = 10 * took;
    } else {
      heads = (await Promise.all(lanes.map((l) => outbox.laneHead(l)))).filter(
        (h): h is OutboxItem => h !== null,
      );
    }
    const now = Date.now();
    for (const item of heads) {
      if (this.busyLanes.has(item.lane)) continue;
      const dueAt = item.nextAttemptAt.getTime();
      if (dueAt > now) {
        // Not polled meanwhile: the scan at its due time finds it.
        this.nextDueAt = Math.min(this.nextDueAt, dueAt);
        continue;
      }
      if (this.busyLanes.size >= this.maxLanes) {
        this.fullScanWanted = true; // the rest wait for a free slot
        break;
      }
      this.busyLanes.add(item.lane);
      const p = this.leased(item)
        .then((ran) => {
          if (ran) this.kick([item.lane]); // the lane's next item may be waiting
        })
        .finally(() => {
          this.busyLanes.delete(item.lane);
          this.inFlight.delete(p);
        });
      this.inFlight.add(p);
    }
    return Math.max(0, this.nextFullScanAt() - Date.now());
  }

  /** The periodic scan, or the one at the next due time (not sooner than its gap allows). */
  private nextFullScanAt(): number {
    const forTimer = Math.max(this.nextDueAt, this.lastFullScan + this.dueScanGapMs);
    return Math.min(this.lastFullScan + this.fullScanEveryMs, forTimer);
  }

  /**
   * Runs the lane's head while holding the lane's lease (several HeroDesk processes may share the
   * outbox: src/store/lane-leases.ts). False: another process holds the lane; the periodic scan
   * looks again (a kick here would spin while it works).
   */
  private async leased(seen: OutboxItem): Promise<boolean> {
    const { store } = this.options;
    const release = await store.leaseLane(seen.lane);
    if (!release) return false;
    try {
      // What the scan saw may be done by now (by the process that held the lease): the head again.
      const item = await store.outbox.laneHead(seen.lane);
      if (!item || item.nextAttemptAt.getTime() > Date.now() || this.stopping.signal.aborted) {
        if (item) this.nextDueAt = Math.min(this.nextDueAt, item.nextAttemptAt.getTime());
        return false;
      }
      await this.process(item);
      return true;
    } finally {
      await release();
    }
  }

  private async process(item: OutboxItem): Promise<void> {
    const { store, logger } = this.options;
    if (!isJobKind(item.kind)) {
      // Written by a newer HeroDesk, or a kind since retired: nothing here can run it.
      await store.outbox.markFailed(item.id, `no handler for ${item.kind}`);
      logger.error("outbox item has no handler", { id: item.id, kind: item.kind });
      return;
    }
    await this.perform(item.kind, item);
  }

  private async perform<K extends JobKind>(kind: K, item: OutboxItem): Promise<void> {
    const { store, logger } = this.options;
    const handler: JobHandler<Payload<K>> = this.options.handlers[kind];
    const parsed = PAYLOAD_SCHEMAS[kind].safeParse(item.payload);
    if (!parsed.success) {
      await store.outbox.markFailed(item.id, `payload does not fit ${kind}: ${parsed.error.message}`);
      logger.error("outbox item has a payload its kind does not accept", { id: item.id, kind });
      return;
    }
    const payload = parsed.data;
    await store.outbox.markStarted(item.id);
    const attempt = item.attempts + 1;
    try {
      const outcome = await handler.perform(payload, {
        id: item.id,
        attempts: item.attempts,
        uncertain: item.uncertain,
        createdAt: item.createdAt,
        waitingOn: item.waitingOn,
        signal: this.stopping.signal,
        tellPerson: (problem) => this.report(problem),
        fixed: (key) => this.resolved(key),
      });
      await store.outbox.markDone(item.id);
      // Only work that reached Slack proves the problem fixed; the rest keeps waiting on it.
      if (item.waitingOn && !item.waitingOn.startsWith(PACE_PREFIX) && outcome !== NOTHING_SENT)
        await this.resolved(item.waitingOn);
    } catch (err) {
      if (this.stopping.signal.aborted && (err as Error)?.name === "AbortError") {
        // Stopped while waiting for a slot: nothing was sent, so the item is simply still due.
        await store.outbox.markRetry(
          item.id,
          new Date(),
          "stopped while waiting",
          false,
          item.waitingOn,
          false,
        );
        return;
      }
      const message = err instanceof Error ? err.message : String(err);
      const policy = handler.retry(payload);
      const giveUp = async (error: string) => {
        logger.warn("outbox item given up", { id: item.id, kind, lane: item.lane, error });
        await store.outbox.markFailed(item.id, error);
        try {
          await handler.onGiveUp?.(payload, error);
        } catch (hookErr) {
          logger.error("outbox give-up hook failed", { id: item.id, error: hookErr });
        }
      };
      if (err instanceof RetryLater) {
        const counts = err.options.countsAsAttempt ?? true;
        if (counts && policy.maxAttempts !== undefined && attempt >= policy.maxAttempts) {
          await giveUp(`${message} (after ${attempt} attempts)`);
          return;
        }
        const delay = err.options.delayMs ?? backoffDelay(policy, attempt);
        // Still waiting on a problem until it gets through (a passing failure proves no fix).
        const problem = item.waitingOn?.startsWith(PACE_PREFIX) ? null : item.waitingOn;
        await store.outbox.markRetry(
          item.id,
          new Date(Date.now() + delay),
          message,
          err.options.uncertain ?? false,
          problem ?? err.options.waitingOn ?? null,
          counts,
        );
        logger.debug("outbox item will retry", {
          id: item.id,
          kind,
          lane: item.lane,
          delayMs: delay,
          error: message,
        });
        return;
      }
      if (err instanceof GiveUp) {
        await giveUp(message);
        return;
      }
      if (err instanceof NeedsPerson) {
        await this.waitForPerson(item, err.problem, message, attempt);
        return;
      }
      // An unexpected error (a bug, the database): retry with backoff, and say so loudly.
      logger.error("outbox item failed unexpectedly", { id: item.id, kind, error: err });
      const delay = backoffDelay(policy, attempt);
      await store.outbox.markRetry(item.id, new Date(Date.now() + delay), message, true, item.waitingOn);
    }
  }

  /** The item waits on a problem a person must fix; the first to meet it has the admins told. */
  private async waitForPerson(item: OutboxItem, problem: SlackProblem, message: string, attempt: number) {
    const delay = backoffDelay(this.options.personRetry ?? PERSON_RETRY, attempt);
    await this.report(problem, (tx) =>
      tx.outbox.markRetry(item.id, new Date(Date.now() + delay), message, false, problem.key),
    );
  }

  /** Records that `problem` was met (with `also`, in the same transaction); told once when new. */
  private async report(problem: SlackProblem, also?: (tx: Repositories) => Promise<void>) {
    const { store, logger } = this.options;
    const opened = await store.transaction(async (tx) => {
      const isNew = await tx.problems.report(problem);
      await also?.(tx);
      if (isNew) await this.options.problems?.opened(tx, problem);
      return isNew;
    });
    // One line when the problem is first met, with what to do: for the token it is the only place
    // anyone can hear of it (nothing reaches Slack, the admins' DMs neither).
    if (opened)
      logger.warn(
        isWorkspaceWide(problem)
          ? "Slack refuses HeroDesk's bot token: nothing reaches Slack, nor can the admins be told there; everything waits, nothing is lost"
          : "Slack refused work that a person must unblock; it waits, nothing is lost; the admins are told in Slack",
        {
          problem: problem.key,
          error: problem.error,
          ...(problem.method ? { method: problem.method } : {}),
          todo: problemAdvice(problem).replace(/[`*]/g, ""),
        },
      );
  }

  /** An item that waited on a problem got through: the problem is fixed, its other items go now. */
  private async resolved(key: string) {
    const keys = await this.options.store.transaction(async (tx) => {
      const fixed = await tx.problems.resolve([key]);
      if (fixed.length) {
        await tx.outbox.wake(fixed);
        await this.options.problems?.resolved(tx, fixed);
      }
      return fixed;
    });
    if (keys.length)
      this.options.logger.info("Slack problem fixed; what waited on it goes out now", { keys });
  }
}
