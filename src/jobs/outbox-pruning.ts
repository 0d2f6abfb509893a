// Finished outbox items are kept for a while (to look into what HeroDesk sent) and then deleted:
// they were 5 rows per inbound message and over half of the database's growth. Deleted in small
// batches with a pause between, so the writer (inbound messages, the outbox itself) never waits
// long behind one big DELETE.
import type { Logger } from "../logger.ts";
import type { Store } from "../store/index.ts";

export const PRUNING = { everyMs: 10 * 60_000, batch: 500, pauseMs: 50 } as const;
/**
 * How long a Slack event id is kept to drop Slack's retries of it: Slack retries a failed delivery
 * up to three times, nearly at once, after 1 minute and after 5 (docs.slack.dev/apis/events-api,
 * "Retries"; the emulator's SLACK_RETRY_DELAYS_MS). A day is ample.
 */
export const SLACK_EVENT_KEEP_MS = 86_400_000;

export class OutboxPruning {
  private timer: NodeJS.Timeout | undefined;
  private running: Promise<number> | undefined;
  private stopped = false;

  constructor(
    private readonly deps: {
      store: Store;
      logger: Logger;
      /** How long a finished item is kept. */
      keepMs: number;
      everyMs?: number;
    },
  ) {}

  start(): void {
    const every = this.deps.everyMs ?? PRUNING.everyMs;
    // unref: a pending sweep never keeps the process alive.
    const schedule = () => {
      this.timer = setTimeout(() => void this.pruneNow().finally(() => this.stopped || schedule()), every);
      this.timer.unref();
    };
    schedule();
  }

  /** One sweep: every finished item older than the retention, batch by batch. Returns the count. */
  pruneNow(): Promise<number> {
    this.running ??= this.sweep().finally(() => {
      this.running = undefined;
    });
    return this.running;
  }

  private async sweep(): Promise<number> {
    const before = new Date(Date.now() - this.deps.keepMs);
    let total = 0;
    try {
      for (;;) {
        const n = await this.deps.store.outbox.pruneDone(before, PRUNING.batch);
        total += n;
        if (n < PRUNING.batch || this.stopped) break;
        await new Promise((r) => setTimeout(r, PRUNING.pauseMs));
      }
      if (total) this.deps.logger.debug("pruned finished outbox items", { count: total });
      // And the replay guard's signed requests, once their timestamp is too old to be accepted,
      // and the ids of Slack events a day old (Slack's retries of one end within minutes).
      await this.deps.store.slack.pruneRequests(Date.now());
      await this.deps.store.slack.pruneEvents(new Date(Date.now() - SLACK_EVENT_KEEP_MS));
    } catch (err) {
      this.deps.logger.error("pruning finished outbox items failed; tried again later", { error: err });
    }
    return total;
  }

  async stop(): Promise<void> {
    this.stopped = true;
    if (this.timer) clearTimeout(this.timer);
    await this.running;
  }
}
