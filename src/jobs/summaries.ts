// Scheduled summaries: one node-cron task per configured schedule. Each slot is claimed in the
// store (unique per channel and slot), so a restart inside a slot's minute, or a second replica,
// never posts it twice; at start-up, a slot missed while the app was down is posted if it is less
// than 15 minutes late and skipped (with a log line) otherwise, for a channel that had summaries
// before it (a new install has no missed slots). A slot with nothing to report is not posted.
import cron, { type ScheduledTask } from "node-cron";
import type { SummaryConfig } from "../config.ts";
import { catchUpDecision, floorToMinute, latestSlot } from "../core/schedule.ts";
import type { Logger } from "../logger.ts";
import type { PostSummary } from "../services/post-summary.ts";

export interface SummarySchedulerDeps {
  schedules: readonly SummaryConfig[];
  postSummary: PostSummary;
  logger: Logger;
  now?: () => Date;
  /** Off in tests that drive slots by hand with a fixed clock. */
  timers?: boolean;
}

export class SummaryScheduler {
  private readonly tasks: { schedule: SummaryConfig; task: ScheduledTask }[] = [];
  private readonly now: () => Date;

  constructor(private readonly deps: SummarySchedulerDeps) {
    this.now = deps.now ?? (() => new Date());
  }

  async start(): Promise<void> {
    for (const [i, schedule] of this.deps.schedules.entries()) {
      const task = cron.createTask(schedule.cron, (ctx) => this.post(schedule, floorToMinute(ctx.date), 0), {
        timezone: schedule.timezone,
        name: `summary-${i}-${schedule.channel}`,
        noOverlap: true,
      });
      this.tasks.push({ schedule, task });
      if (this.deps.timers !== false) await task.start();
    }
    await this.catchUp();
  }

  /** Posts each schedule's last slot if it is recent enough and not posted yet. */
  async catchUp(now = this.now()): Promise<void> {
    for (const { schedule, task } of this.tasks) {
      const decision = catchUpDecision(
        latestSlot((minute) => task.match(minute), now),
        now,
      );
      // A slot from before this channel ever had a summary (a new install, a schedule just
      // added) was not missed: HeroDesk was not serving it yet.
      if (
        decision.kind !== "none" &&
        !(await this.deps.postSummary.hadSummaryBefore(schedule.channel, decision.slot))
      )
        continue;
      if (decision.kind === "post") await this.post(schedule, decision.slot, decision.lateMs);
      else if (decision.kind === "skip")
        this.deps.logger.info("summary slot missed while down; too late to post", {
          channel: schedule.channel,
          slot: decision.slot.toISOString(),
          lateMinutes: Math.round(decision.lateMs / 60_000),
        });
    }
  }

  private async post(schedule: SummaryConfig, slot: Date, lateMs: number): Promise<void> {
    try {
      const outcome = await this.deps.postSummary.scheduled({
        channel: schedule.channel,
        slot,
        timezone: schedule.timezone,
      });
      if ("posted" in outcome)
        this.deps.logger.info("summary queued", {
          channel: schedule.channel,
          slot: slot.toISOString(),
          lateMs,
        });
      else if (outcome.skipped === "nothing_to_report")
        this.deps.logger.info("summary slot with nothing to report; not posted", {
          channel: schedule.channel,
          slot: slot.toISOString(),
        });
    } catch (err) {
      this.deps.logger.error("summary failed", { channel: schedule.channel, error: err });
    }
  }

  async stop(): Promise<void> {
    for (const { task } of this.tasks.splice(0)) await task.destroy();
  }
}
