// Posts stored summaries: the message, then a PNG bar chart of open conversations per agent through
// Slack's external upload flow (poster.ts shareFile).
// Both are found again after an uncertain attempt (the message by its metadata, the chart by its
// file name), so a retry never posts either twice.
import type { WebClient } from "@slack/web-api";
import { buildBarChart, chartAltText } from "../core/chart.ts";
import { buildSummary } from "../core/summary.ts";
import type { Logger } from "../logger.ts";
import { GiveUp, NeedsPerson } from "../outbox/errors.ts";
import type { JobHandlers } from "../outbox/handler.ts";
import type { Payload } from "../outbox/jobs.ts";
import type { Store } from "../store/index.ts";
import type { StoredSummary } from "../store/summaries.ts";
import { SUMMARY_METADATA_TYPE, summaryChartFile, summaryMessage } from "./blocks/summary.ts";
import { renderBarChartPng } from "./chart-png.ts";
import { createSlackPoster } from "./poster.ts";
import { slackErrorName } from "./slack-errors.ts";

export interface SummaryPosterDeps {
  client: WebClient;
  store: Store;
  logger: Logger;
}

const SLACK_RETRY = { initialDelayMs: 1000, maxDelayMs: 300_000 };
/** Someone is waiting for an on-demand summary: tell them soon if it cannot be posted. */
const ON_DEMAND_RETRY = { initialDelayMs: 1000, maxDelayMs: 15_000, maxAttempts: 5 };

type SummaryJob = Payload<"slack.post_summary">;

export function createSummaryPoster(
  deps: SummaryPosterDeps,
): Pick<JobHandlers, "slack.post_summary" | "slack.post_summary_chart"> {
  const { client, store } = deps;
  const { post, shareFile, findPosted, findFile, isMeta, permalinkOf } = createSlackPoster({ client });

  async function load({ summaryId }: SummaryJob): Promise<StoredSummary> {
    const summary = await store.summaries.get(summaryId);
    if (!summary) throw new GiveUp(`summary ${summaryId} not found`);
    return summary;
  }
  const modelOf = (s: StoredSummary) => buildSummary(s.figures, { since: s.since, until: s.until });

  /** On-demand summaries give up after a few tries; the person who asked hears why, in a DM. */
  const retry = (job: SummaryJob) => (job.requestedBy ? ON_DEMAND_RETRY : SLACK_RETRY);
  /**
   * A scheduled summary waits for a person to fix its channel like any post; an on-demand one
   * is answered instead (its asker can fix it and ask again), rather than kept for later.
   */
  const onDemand = async (job: SummaryJob, work: () => Promise<void>) => {
    try {
      await work();
    } catch (err) {
      if (job.requestedBy && err instanceof NeedsPerson) throw new GiveUp(err.message);
      throw err;
    }
  };

  async function tellRequester(summary: StoredSummary, error: string) {
    if (!summary.requestedBy) return;
    const reason = error.replace(/^slack: /, "");
    await post(summary.requestedBy, {
      text:
        `I could not post the assignment summary in <#${summary.channel}> (${reason}). ` +
        "Invite me there with `/invite @HeroDesk`, or run `/desk summary` in a channel I am in.",
      metadata: { event_type: SUMMARY_METADATA_TYPE, event_payload: { summary_id: summary.id } },
    }).catch((err) => deps.logger.warn("could not tell the requester", { error: slackErrorName(err) }));
  }

  const postSummary: JobHandlers["slack.post_summary"] = {
    retry,
    perform: (job, { uncertain }) =>
      onDemand(job, async () => {
        const summary = await load(job);
        const matches = (m: Parameters<typeof isMeta>[0]) =>
          isMeta(m, SUMMARY_METADATA_TYPE, "summary_id", summary.id);
        if (uncertain && (await findPosted(summary.channel, { oldest: summary.createdAt }, matches))) return;
        const model = modelOf(summary);
        const oldest = model.responses.oldestWaiting;
        const message = summaryMessage(model, {
          summaryId: summary.id,
          trigger: summary.trigger,
          requestedBy: summary.requestedBy,
          oldestLink: oldest?.threadTs
            ? await permalinkOf({ channel: oldest.channel, ts: oldest.threadTs })
            : null,
        });
        await post(summary.channel, message);
      }),
    async onGiveUp(job, error) {
      const summary = await store.summaries.get(job.summaryId);
      if (summary) await tellRequester(summary, error);
    },
  };

  const postSummaryChart: JobHandlers["slack.post_summary_chart"] = {
    retry,
    perform: (job, { uncertain, signal }) =>
      onDemand(job, async () => {
        const summary = await load(job);
        const model = modelOf(summary);
        // No open conversations: the summary already says so; an empty chart adds nothing.
        if (!model.chart.length) return;
        const file = summaryChartFile(summary.id);
        if (uncertain && (await findFile(summary.channel, { oldest: summary.createdAt }, file.filename)))
          return;
        const chart = buildBarChart({ title: "Open conversations per agent", bars: model.chart });
        const png = await renderBarChartPng(chart);
        await shareFile(summary.channel, { ...file, bytes: png, altText: chartAltText(chart) }, signal);
      }),
  };

  return { "slack.post_summary": postSummary, "slack.post_summary_chart": postSummaryChart };
}
