// The assignment summary message: headline figures first, then who holds what, then what waits.
// Laid out for a ten-second read; long lists are cut (see SUMMARY_LIMITS) and say how many more.
import type { KnownBlock } from "@slack/types";
import { fitEscaped, messageBlocksSize, SLACK_LIMITS } from "../../core/slack-fit.ts";
import { count, cut, escapeSlackText, plural, slackDate } from "../../core/slack-text.ts";
import { formatDuration, type SummaryModel } from "../../core/summary.ts";
import { PRIORITY_LABEL, tagsText } from "../../core/triage.ts";
import { responseBlocks, responseTitle } from "./response-figures.ts";

export const SUMMARY_METADATA_TYPE = "herodesk_summary";

export interface SummaryMessage {
  text: string;
  blocks: KnownBlock[];
  metadata: { event_type: string; event_payload: { summary_id: number } };
}

/** A name fit for a fixed-width table cell: no backticks (they would end the code block). */
function cell(name: string, width: number): string {
  const fitted = cut(name.replace(/`/g, "'").replace(/\s+/g, " "), width);
  return escapeSlackText(fitted) + " ".repeat(Math.max(0, width - Array.from(fitted).length));
}

function agentTable(model: SummaryModel): string {
  const NAME = 22;
  const num = (n: number, w: number) => count(n).padStart(w);
  const head = `${"Agent".padEnd(NAME)} ${"Open".padStart(5)} ${"Assigned".padStart(8)} ${"Closed".padStart(6)}`;
  const lines = model.rows.map(
    (a) => `${cell(a.name, NAME)} ${num(a.open, 5)} ${num(a.new, 8)} ${num(a.closed, 6)}`,
  );
  return `\`\`\`${[head, ...lines].join("\n")}\`\`\``;
}

function heroLabel(hero: { kind: "agent" | "team"; ref: string; name: string } | null): string {
  if (!hero) return "_no hero any more_";
  return hero.kind === "agent" ? `<@${hero.ref}>` : `Team ${fitEscaped(hero.name, 100)}`;
}

export function summaryMessage(
  model: SummaryModel,
  context: {
    summaryId: number;
    trigger: "schedule" | "command";
    requestedBy: string | null;
    /** The oldest waiting conversation's thread (chat.getPermalink); null: shown without a link. */
    oldestLink?: string | null;
  },
): SummaryMessage {
  const openTotal = model.totals.open + model.queue.count + model.heroWaits.count;
  const oldest =
    model.queue.oldestWaitMs !== null ? `oldest waiting ${formatDuration(model.queue.oldestWaitMs)}` : "";
  const median =
    model.firstResponse.medianMs !== null
      ? `${formatDuration(model.firstResponse.medianMs)} (${plural(model.firstResponse.count, "conversation")})`
      : "_no first replies in this period_";
  const who =
    context.trigger === "command" && context.requestedBy
      ? `asked for by <@${context.requestedBy}>`
      : "scheduled";

  const blocks: KnownBlock[] = [
    { type: "header", text: { type: "plain_text", text: "Assignment summary", emoji: true } },
    {
      type: "context",
      elements: [
        {
          type: "mrkdwn",
          text: `${slackDate(model.since)} → ${slackDate(model.until)} · ${who} · summary ${context.summaryId}`,
        },
      ],
    },
    {
      type: "section",
      fields: [
        { type: "mrkdwn", text: `*Open now*\n${count(openTotal)}` },
        {
          type: "mrkdwn",
          text: `*Unassigned queue*\n${count(model.queue.count)}${oldest ? ` · ${oldest}` : ""}`,
        },
        { type: "mrkdwn", text: `*Assigned to agents*\n${count(model.totals.new)}` },
        { type: "mrkdwn", text: `*Closed*\n${count(model.totals.closed)}` },
        { type: "mrkdwn", text: `*Waiting for a hero*\n${count(model.heroWaits.count)}` },
        { type: "mrkdwn", text: `*Median first response*\n${median}` },
        { type: "mrkdwn", text: `*Conversations started*\n${count(model.started)}` },
        { type: "mrkdwn", text: `*Agents online*\n${count(model.totals.agentsOnline)}` },
      ],
    },
    { type: "divider" },
  ];

  if (model.rows.length) {
    const more = model.more.agents
      ? `\n…and ${plural(model.more.agents, "more agent")}: ${count(model.more.open)} open, ${count(model.more.new)} assigned, ${count(model.more.closed)} closed.`
      : "";
    blocks.push({
      type: "section",
      text: {
        type: "mrkdwn",
        text: `*By agent* (open now; assigned to them and closed in this period)\n${agentTable(model)}${more}`,
      },
    });
  } else {
    blocks.push({
      type: "section",
      text: { type: "mrkdwn", text: "*By agent*\nNo agent had any conversations." },
    });
  }

  // The response figures follow the agents' table; they take the room the rest leaves.
  const responsesAt = blocks.length;

  if (model.heroWaits.count) {
    const lines = model.heroWaits.first.map(
      (w) =>
        `• #${w.conversationId} ${escapeSlackText(cut(w.customerName, 60))} for ${heroLabel(w.hero)}, until ${slackDate(w.until, "{time}")}`,
    );
    const rest = model.heroWaits.count - model.heroWaits.first.length;
    if (rest > 0) lines.push(`…and ${count(rest)} more.`);
    blocks.push({
      type: "section",
      text: { type: "mrkdwn", text: `*Waiting for a hero*\n${lines.join("\n")}` },
    });
  }

  const { triage } = model;
  if (triage.urgent || triage.high || triage.topTags.length) {
    const open = `Open now: ${PRIORITY_LABEL.urgent} ${count(triage.urgent)} · ${PRIORITY_LABEL.high} ${count(triage.high)}`;
    const tags = triage.topTags.length
      ? `\nNew conversations by tag: ${triage.topTags.map((t) => `${tagsText([t.tag])} ${count(t.count)}`).join(" · ")}`
      : "";
    blocks.push({ type: "section", text: { type: "mrkdwn", text: `*Priority and tags*\n${open}${tags}` } });
  }

  if (model.heroes.length) {
    const lines = model.heroes.map(
      (h, i) =>
        `${i + 1}. ${heroLabel(h)}: ${plural(h.open, "open conversation")} (${plural(h.customers, "customer")})`,
    );
    blocks.push({
      type: "section",
      text: { type: "mrkdwn", text: `*Heroes with the most open conversations*\n${lines.join("\n")}` },
    });
  }

  const title: KnownBlock = {
    type: "section",
    text: {
      type: "mrkdwn",
      text: `*${responseTitle(model.responses.overall)}* (business time; answers in this period)`,
    },
  };
  blocks.splice(
    responsesAt,
    0,
    title,
    ...responseBlocks(model.responses, {
      median: false,
      // Names, not mentions: a channel's summary should not ping every agent it lists.
      person: (a) => `*${fitEscaped(a.name, 30)}*`,
      oldestLink: context.oldestLink ?? null,
      maxSize: SLACK_LIMITS.messageBlocksSize - messageBlocksSize([...blocks, title]),
    }),
  );

  const text =
    `Assignment summary: ${count(openTotal)} open, ${count(model.queue.count)} in the queue` +
    `${oldest ? ` (${oldest})` : ""}, ${count(model.totals.closed)} closed` +
    (model.firstResponse.medianMs !== null
      ? `, median first response ${formatDuration(model.firstResponse.medianMs)}`
      : "");
  return {
    text,
    blocks,
    metadata: { event_type: SUMMARY_METADATA_TYPE, event_payload: { summary_id: context.summaryId } },
  };
}

/** The chart's file name and title: unique per summary, so a retried upload is found again. */
export const summaryChartFile = (summaryId: number) => ({
  filename: `herodesk-summary-${summaryId}.png`,
  title: `Open conversations per agent (summary ${summaryId})`,
});
