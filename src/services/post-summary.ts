// Assignment summaries: read the figures (aggregated in SQL), store them with the period they
// cover, and let the outbox post them. Stored first, so a summary is never lost to a crash, and a
// scheduled slot's row is unique, so it is never posted twice.
import type { FileConfig } from "../config.ts";
import {
  nothingToReport,
  SUMMARY_LIMITS,
  type SummaryFigures,
  type SummaryPeriod,
  summaryPeriod,
  summaryTimezone,
} from "../core/summary.ts";
import { enqueueHomeRefresh, enqueueSummaryPost } from "../outbox/jobs.ts";
import type { Repositories } from "../store/index.ts";
import type { Actor, DeskDeps } from "./desk-deps.ts";
import { allowed } from "./guard.ts";
import { type ResponseFigureDeps, readResponseFigures } from "./response-figures.ts";
import type { Answer } from "./results.ts";

export interface SummaryRequest {
  channel: string;
  /** The cron slot, for scheduled summaries. */
  slot: Date | null;
  requestedBy: string | null;
  timezone: string;
  /** The end of the period: the slot, or now. */
  until: Date;
}

/** What became of a scheduled slot. */
export type SlotOutcome = { posted: number } | { skipped: "taken" | "nothing_to_report" };

/** Every figure of a summary over `period`, in the caller's transaction. */
export async function readSummaryFigures(
  tx: Repositories,
  deps: ResponseFigureDeps,
  period: SummaryPeriod,
): Promise<SummaryFigures> {
  const figures = await tx.reports.summaryFigures(period, SUMMARY_LIMITS);
  return { ...figures, responses: await readResponseFigures(tx, deps, period, figures.agents) };
}

/**
 * Stores one summary and queues its post; null when the slot was already taken, "empty" when a
 * scheduled one would report nothing (an on-demand one is always posted).
 */
async function storeSummary(
  tx: Repositories,
  deps: ResponseFigureDeps,
  req: SummaryRequest,
): Promise<number | null | "empty"> {
  const period = summaryPeriod(await tx.summaries.lastUntil(req.channel), req.until);
  const figures = await readSummaryFigures(tx, deps, period);
  if (req.slot && nothingToReport(figures)) return "empty";
  const id = await tx.summaries.create({
    channel: req.channel,
    slot: req.slot,
    trigger: req.slot ? "schedule" : "command",
    requestedBy: req.requestedBy,
    since: period.since,
    until: period.until,
    timezone: req.timezone,
    figures,
  });
  if (id !== null) {
    await enqueueSummaryPost(tx, req.channel, {
      summaryId: id,
      ...(req.requestedBy ? { requestedBy: req.requestedBy } : {}),
    });
    // Admins' homes list the latest summaries.
    await enqueueHomeRefresh(tx, { team: true });
  }
  return id;
}

export function createPostSummary(
  deps: DeskDeps & {
    schedules: readonly { channel: string; timezone: string }[];
    /** Teams with hours of their own: their conversations' waits keep them. */
    teamHours?: FileConfig["teams"];
  },
) {
  const now = deps.now ?? (() => new Date());
  return {
    /** `/desk summary`: managers and admins; posted in the channel the command came from. */
    onDemand: (actor: Actor, input: { channel: string }): Promise<Answer> =>
      allowed(deps, "summary", actor.userId, async (tx) => {
        await storeSummary(tx, deps, {
          channel: input.channel,
          slot: null,
          requestedBy: actor.userId,
          timezone: summaryTimezone(deps.schedules, input.channel),
          until: now(),
        });
        return { done: "summary_posting", channel: input.channel };
      }),

    /** One schedule slot: stored at most once per channel, whoever asks and however often. */
    scheduled: (input: { channel: string; slot: Date; timezone: string }): Promise<SlotOutcome> =>
      deps.store.transaction(async (tx) => {
        if (await tx.summaries.slotTaken(input.channel, input.slot)) return { skipped: "taken" };
        const id = await storeSummary(tx, deps, { ...input, requestedBy: null, until: input.slot });
        if (id === "empty") return { skipped: "nothing_to_report" };
        return id === null ? { skipped: "taken" } : { posted: id };
      }),

    /** Has the channel had a summary before `slot`? (A missed slot is caught up only then.) */
    hadSummaryBefore: async (channel: string, slot: Date): Promise<boolean> => {
      const last = await deps.store.summaries.lastUntil(channel);
      return last !== null && last.getTime() < slot.getTime();
    },
  };
}

export type PostSummary = ReturnType<typeof createPostSummary>;
