// Response figures in Block Kit, for the summary message and the manager's App Home alike: met and
// breached answers, first-response times in business time, the oldest wait with its link, and a
// line per source and per agent. Sources without targets show only their times.
import type { KnownBlock, SectionBlock } from "@slack/types";
import {
  moreAgents,
  type OldestWait,
  type ResponseStats,
  type ResponseView,
} from "../../core/response-figures.ts";
import { cutMrkdwn, fitEscaped, messageBlocksSize, packLines, SLACK_LIMITS } from "../../core/slack-fit.ts";
import { count, cut, escapeSlackText, linkLabel, plural } from "../../core/slack-text.ts";
import { formatDuration } from "../../core/summary.ts";

const time = (ms: number | null) => (ms === null ? "–" : formatDuration(ms));
const metBreached = (c: { met: number; breached: number }) =>
  `${count(c.met)} met · ${count(c.breached)} breached`;

/** "Response targets" where any source sets one, else "Response times". */
export const responseTitle = (overall: ResponseStats) =>
  overall.targeted ? "Response targets" : "Response times";

/** The period's figures as section fields; `median` too where nothing else shows it. */
export function responseFields(overall: ResponseStats, options: { median: boolean }): string[] {
  const f = overall.firstResponse;
  const fields = [
    ...(options.median
      ? [
          `*Median first response*\n${f.count ? `${time(f.medianMs)} (${plural(f.count, "answer")})` : "_none yet_"}`,
        ]
      : []),
    `*p90 first response*\n${f.count ? time(f.p90Ms) : "_none yet_"}`,
  ];
  if (overall.targeted)
    fields.push(
      `*First responses*\n${metBreached(overall.first)}`,
      `*Next responses*\n${metBreached(overall.next)}`,
      `*Past due, still waiting*\n${count(overall.overdue)}`,
    );
  return fields;
}

/** One source's or agent's line: answers, first-response times, and targets where they apply. */
export function responseLine(label: string, s: ResponseStats): string {
  const f = s.firstResponse;
  const parts = [`• ${label}`, plural(s.answered, "answer")];
  if (f.count) parts.push(`median ${time(f.medianMs)}`, `p90 ${time(f.p90Ms)}`);
  if (s.targeted) {
    parts.push(
      `${count(s.first.met + s.next.met)} met`,
      `${count(s.first.breached + s.next.breached)} breached`,
    );
    if (s.overdue) parts.push(`${count(s.overdue)} past due`);
  } else parts.push("no targets");
  return parts.join(" · ");
}

const STATE: Record<NonNullable<OldestWait["target"]>["state"], string> = {
  on_track: "on track",
  at_risk: ":warning: at risk",
  breached: ":red_circle: breached",
};

/** The oldest wait: the conversation (linked to its thread), the customer, how long, who holds it. */
export function oldestWaitingLine(o: OldestWait & { waitMs: number }, link: string | null): string {
  const label = `#${o.conversationId} ${cut(o.customerName, 40)}`;
  const title = link ? `<${link}|${linkLabel(label)}>` : escapeSlackText(label);
  const holder = o.assigneeSlackId ? `held by <@${o.assigneeSlackId}>` : "in the queue";
  const target = o.target ? ` · ${o.target.kind} response ${STATE[o.target.state]}` : "";
  return `*Oldest waiting* ${title} · ${fitEscaped(o.sourceId, 30)} · waiting ${formatDuration(o.waitMs)} · ${holder}${target}`;
}

const section = (text: string): SectionBlock => ({
  type: "section",
  text: { type: "mrkdwn", text: cutMrkdwn(text, SLACK_LIMITS.sectionText) },
});

/**
 * The figures' blocks below the caller's title: fields, the oldest wait, then a line per source
 * and per agent (the busiest; the rest summed). `person` names an agent as the surface prefers.
 * `maxSize`: what the blocks may add to a message's cumulative size; agents' lines, then
 * sources', are summed up instead until they fit.
 */
export function responseBlocks(
  view: ResponseView,
  options: {
    median: boolean;
    person: (a: { name: string; slackUserId: string }) => string;
    oldestLink: string | null;
    maxSize?: number;
  },
): KnownBlock[] {
  const head: KnownBlock[] = [
    {
      type: "section",
      fields: responseFields(view.overall, options).map((text) => ({ type: "mrkdwn" as const, text })),
    },
  ];
  if (view.oldestWaiting) head.push(section(oldestWaitingLine(view.oldestWaiting, options.oldestLink)));
  const lists = (agents: number, sources: number): KnownBlock[] => {
    const blocks: KnownBlock[] = [];
    if (view.sources.length) {
      const lines = view.sources
        .slice(0, sources)
        .map((s) => responseLine(`*${fitEscaped(s.sourceId, 30)}*`, s));
      const rest = view.sources.length - sources + view.moreSources;
      if (rest) lines.push(`_… and ${plural(rest, "more source")}_`);
      blocks.push(...packLines(lines, { title: "*By source*", maxTexts: 1 }).map(section));
    }
    if (view.agents.length) {
      const lines = view.agents.slice(0, agents).map((a) => responseLine(options.person(a), a));
      const m = moreAgents(view.agents.slice(agents), view.more);
      if (m.agents)
        lines.push(
          `_… and ${plural(m.agents, "more agent")}: ${plural(m.answered, "answer")} · ${count(m.met)} met · ${count(m.breached)} breached · ${count(m.overdue)} past due_`,
        );
      blocks.push(...packLines(lines, { title: "*By agent*, most answers first", maxTexts: 1 }).map(section));
    }
    return blocks;
  };
  const max = (options.maxSize ?? Number.POSITIVE_INFINITY) - messageBlocksSize(head);
  let agents = view.agents.length;
  let sources = view.sources.length;
  let blocks = lists(agents, sources);
  while (messageBlocksSize(blocks) > max && agents + sources > 0) {
    if (agents) agents--;
    else sources--;
    blocks = lists(agents, sources);
  }
  return [...head, ...blocks];
}
