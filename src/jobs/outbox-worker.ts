// Drains the durable outbox. Each lane (one Slack channel, one conversation's replies) runs one
// item at a time in id order, so order holds within a thread; lanes run side by side, so a channel
// that Slack rate-limits, or a reply endpoint that is down, never stalls the others.
import { setMaxListeners } from "node:events";
import { backoffDelay } from "../core/backoff.ts";
import type { OutboxItem } from "../core/domain.ts";
import type { Logger } from "../logger.ts";
import type { Store } from "../store/index.ts";

/** Try again later; `uncertain` when the target may have acted (timeout, connection lost). */
export class RetryLater extends Error {
  constructor(
    message: string,
    readonly options: { delayMs?: number; uncertain?: boolean; countsAsAttempt?: boolean } = {},
  ) {
    super(message);
    this.name = "RetryLater";
  }
}

/** Will never succeed (a payload Slack rejects as invalid, an endpoint that refuses it): stop now. */
export class GiveUp extends Error {
  constructor(message: string) {
    super(message);
    this.name = "GiveUp";
  }
}

export interface OutboxHandler {
  /** `signal` aborts when the worker stops: waits (rate limits) end early, the item stays queued. */
  run(item: OutboxItem, signal: AbortSignal): Promise<void>;
  /** Backoff for ordinary failures; `maxAttempts` undefined means retry until it works. */
  retryPolicy(item: OutboxItem): { initialDelayMs: number; maxDelayMs: number; maxAttempts?: number };
  /** Called once when the item is given up on, to tell people (e.g. mark it in the thread). */
  onGiveUp?(item: OutboxItem, error: string): Promise<void>;
}

export interface OutboxWorkerOptions {
  store: Store;
  handlers: Record<string, OutboxHandler>;
  logger: Logger;
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

  /** New work was committed: look now rather than at the next poll. */
  kick(): void {
    this.kicked = true;
    this.wake?.();
  }

  /** Stops taking items and waits for the ones under way; pending items stay for the next start. */
  async stop(): Promise<void> {
    this.running = false;
    this.stopping.abort();
    this.wake?.();
    await this.loopDone;
    await Promise.allSettled([...this.inFlight]);
  }

  private async loop(): Promise<void> {
    while (this.running) {
      let waitMs = this.pollMs;
      this.kicked = false;
      try {
        waitMs = await this.dispatchDue();
      } catch (err) {
        this.options.logger.error("outbox poll failed", { error: err });
      }
      if (!this.running) break;
      if (this.kicked) continue;
      await new Promise<void>((resolve) => {
        const timer = setTimeout(resolve, Math.max(5, Math.min(waitMs, this.pollMs)));
        this.wake = () => {
          clearTimeout(timer);
          resolve();
        };
      });
      this.wake = null;
    }
  }

  /** Starts every due lane head; returns how long until the next one is due. */
  private async dispatchDue(): Promise<number> {
    const heads = await this.options.store.outbox.laneHeads(1000);
    const now = Date.now();
    let nextDue = this.pollMs;
    for (const item of heads) {
      if (this.busyLanes.has(item.lane)) continue;
      const due = item.nextAttemptAt.getTime() - now;
      if (due > 0) {
        nextDue = Math.min(nextDue, due);
        continue;
      }
      if (this.busyLanes.size >= this.maxLanes) break;
      this.busyLanes.add(item.lane);
      const p = this.process(item).finally(() => {
        this.busyLanes.delete(item.lane);
        this.inFlight.delete(p);
        this.kick();
      });
      this.inFlight.add(p);
    }
    return nextDue;
  }

  private async process(item: OutboxItem): Promise<void> {
    const { store, handlers, logger } = this.options;
    const handler = handlers[item.kind];
    if (!handler) {
      await store.outbox.markFailed(item.id, `no handler for ${item.kind}`);
      logger.error("outbox item has no handler", { id: item.id, kind: item.kind });
      return;
    }
    await store.outbox.markStarted(item.id);
    const attempt = item.attempts + 1;
    try {
      await handler.run(item, this.stopping.signal);
      await store.outbox.markDone(item.id);
    } catch (err) {
      if (this.stopping.signal.aborted && (err as Error)?.name === "AbortError") {
        // Stopped while waiting for a slot: nothing was sent, so the item is simply still due.
        await store.outbox.markRetry(item.id, new Date(), "stopped while waiting", false);
        return;
      }
      const message = err instanceof Error ? err.message : String(err);
      const policy = handler.retryPolicy(item);
      if (err instanceof RetryLater) {
        const counts = err.options.countsAsAttempt ?? true;
        if (counts && policy.maxAttempts !== undefined && attempt >= policy.maxAttempts) {
          await this.giveUp(handler, item, `${message} (after ${attempt} attempts)`);
          return;
        }
        const delay = err.options.delayMs ?? backoffDelay(policy, attempt);
        await store.outbox.markRetry(
          item.id,
          new Date(Date.now() + delay),
          message,
          err.options.uncertain ?? false,
        );
        logger.debug("outbox item will retry", {
          id: item.id,
          kind: item.kind,
          lane: item.lane,
          delayMs: delay,
          error: message,
        });
        return;
      }
      if (err instanceof GiveUp) {
        await this.giveUp(handler, item, message);
        return;
      }
      // An unexpected error (a bug, the database): retry with backoff, and say so loudly.
      logger.error("outbox item failed unexpectedly", { id: item.id, kind: item.kind, error: err });
      const delay = backoffDelay(policy, attempt);
      await store.outbox.markRetry(item.id, new Date(Date.now() + delay), message, true);
    }
  }

  private async giveUp(handler: OutboxHandler, item: OutboxItem, error: string): Promise<void> {
    this.options.logger.warn("outbox item given up", {
      id: item.id,
      kind: item.kind,
      lane: item.lane,
      error,
    });
    await this.options.store.outbox.markFailed(item.id, error);
    try {
      await handler.onGiveUp?.(item, error);
    } catch (err) {
      this.options.logger.error("outbox give-up hook failed", { id: item.id, error: err });
    }
  }
}
