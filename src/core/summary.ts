// The assignment summary as data: what a manager reads in ten seconds. The store aggregates the
// figures in SQL (src/store/reports.ts); this decides what to show, in what order, and how much
// fits in one Slack message.
import { type ResponseFigures, type ResponseView, responseView } from "./response-figures.ts";
import type { Priority } from "./triage.ts";

/** One agent's figures for the period. `open` is now; `new` and `closed` are within the period. */
export interface AgentLoad {
  agentId: number;
  slackUserId: string;
  name: string;
  status: "online" | "away" | "offline";
  capacity: number;
  open: number;
  new: number;
  closed: number;
}

export interface HeroLoad {
  kind: "agent" | "team";
  /** Slack user id for an agent hero, team name for a team. */
  ref: string;
  name: string;
  /** Open conversations of the customers this hero looks after. */
  open: number;
  customers: number;
}

export interface HeroWait {
  conversationId: number;
  customerName: string;
  hero: { kind: "agent" | "team"; ref: string; name: string } | null;
  until: Date;
}

/** Open conversations per priority now, and new conversations per tag in the period (busiest first). */
export interface TriageFigures {
  openByPriority: Partial<Record<Priority, number>>;
  topTags: { tag: string; count: number }[];
}

/** What the store reads for a summary, in a few aggregate queries. */
export interface SummaryFigures {
  agents: AgentLoad[];
  queue: { count: number; oldestSince: Date | null };
  heroWaits: { count: number; first: HeroWait[] };
  /** Response targets and times in business time (src/core/response-figures.ts). */
  responses: ResponseFigures;
  heroes: HeroLoad[];
  /** Every conversation that started in the period, assigned or not. */
  started: number;
  /** Absent in summaries stored before tags and priority existed. */
  triage?: TriageFigures;
}

/** Nothing open, queued or waiting, and nothing started, assigned or closed in the period. */
export function nothingToReport(f: SummaryFigures): boolean {
  return (
    f.started === 0 &&
    f.responses.overall.answered === 0 &&
    f.queue.count === 0 &&
    f.heroWaits.count === 0 &&
    f.agents.every((a) => a.open === 0 && a.new === 0 && a.closed === 0)
  );
}

export interface SummaryPeriod {
  since: Date;
  until: Date;
}

export interface SummaryModel extends SummaryPeriod {
  totals: { open: number; new: number; closed: number; agentsOnline: number };
  /** Agents worth a line: anyone with open, new or closed conversations; busiest first. */
  rows: AgentLoad[];
  /** Agents with figures but no line of their own (the message has limited room). */
  more: { agents: number; open: number; new: number; closed: number };
  queue: { count: number; oldestWaitMs: number | null };
  heroWaits: { count: number; first: HeroWait[] };
  /** First responses in the period, in business time. */
  firstResponse: { count: number; medianMs: number | null; p90Ms: number | null };
  responses: ResponseView;
  heroes: HeroLoad[];
  started: number;
  /** Open urgent and high conversations, and the period's top tags (new conversations each). */
  triage: { urgent: number; high: number; topTags: { tag: string; count: number }[] };
  /** Bars for the chart: open conversations per agent, busiest first. */
  chart: { label: string; value: number }[];
}

export const SUMMARY_LIMITS = {
  rows: 20,
  heroes: 5,
  heroWaits: 5,
  chartBars: 25,
  tags: 5,
  /** Lines of the response figures per agent (most answers first) and per source. */
  responseAgents: 10,
  responseSources: 10,
} as const;

/** Busiest first: open, then new, then closed, then name (stable for equal figures). */
function byLoad(a: AgentLoad, b: AgentLoad): number {
  return (
    b.open - a.open ||
    b.new - a.new ||
    b.closed - a.closed ||
    a.name.localeCompare(b.name) ||
    a.agentId - b.agentId
  );
}

export function buildSummary(figures: SummaryFigures, period: SummaryPeriod): SummaryModel {
  const active = figures.agents.filter((a) => a.open > 0 || a.new > 0 || a.closed > 0).sort(byLoad);
  const rows = active.slice(0, SUMMARY_LIMITS.rows);
  const rest = active.slice(SUMMARY_LIMITS.rows);
  const sum = (list: AgentLoad[], key: "open" | "new" | "closed") => list.reduce((n, a) => n + a[key], 0);
  return {
    ...period,
    totals: {
      open: sum(figures.agents, "open"),
      new: sum(figures.agents, "new"),
      closed: sum(figures.agents, "closed"),
      agentsOnline: figures.agents.filter((a) => a.status === "online").length,
    },
    rows,
    more: {
      agents: rest.length,
      open: sum(rest, "open"),
      new: sum(rest, "new"),
      closed: sum(rest, "closed"),
    },
    queue: {
      count: figures.queue.count,
      oldestWaitMs: figures.queue.oldestSince
        ? Math.max(0, period.until.getTime() - figures.queue.oldestSince.getTime())
        : null,
    },
    heroWaits: {
      count: figures.heroWaits.count,
      first: figures.heroWaits.first.slice(0, SUMMARY_LIMITS.heroWaits),
    },
    firstResponse: figures.responses.overall.firstResponse,
    responses: responseView(figures.responses, period.until, {
      agents: SUMMARY_LIMITS.responseAgents,
      sources: SUMMARY_LIMITS.responseSources,
    }),
    heroes: [...figures.heroes]
      .filter((h) => h.open > 0)
      .sort((a, b) => b.open - a.open || a.name.localeCompare(b.name))
      .slice(0, SUMMARY_LIMITS.heroes),
    started: figures.started,
    triage: {
      urgent: figures.triage?.openByPriority.urgent ?? 0,
      high: figures.triage?.openByPriority.high ?? 0,
      topTags: (figures.triage?.topTags ?? []).slice(0, SUMMARY_LIMITS.tags),
    },
    chart: active.filter((a) => a.open > 0).map((a) => ({ label: a.name, value: a.open })),
  };
}

/** "45 s", "12 min", "3 h 05 min", "2 d 4 h": short enough for a summary line. */
export function formatDuration(ms: number): string {
  const s = Math.max(0, Math.round(ms / 1000));
  if (s < 60) return `${s} s`;
  const min = Math.floor(s / 60);
  if (min < 60) return `${min} min`;
  const h = Math.floor(min / 60);
  if (h < 24) return `${h} h ${String(min % 60).padStart(2, "0")} min`;
  return `${Math.floor(h / 24)} d ${h % 24} h`;
}

/**
 * The period a summary covers: from the end of the channel's last summary (at most a week back,
 * so a long pause never yields a month in one message), or the last 24 hours for a first summary.
 */
export function summaryPeriod(lastUntil: Date | null, until: Date): SummaryPeriod {
  const day = 24 * 60 * 60 * 1000;
  if (!lastUntil || lastUntil.getTime() >= until.getTime())
    return { since: new Date(until.getTime() - day), until };
  return { since: new Date(Math.max(lastUntil.getTime(), until.getTime() - 7 * day)), until };
}

/**
 * The time zone a summary reads in: its channel's schedule's, else the first schedule's (the
 * managers' time zone), else UTC. Used by summaries asked for with `/desk summary` and by App
 * Home's "today".
 */
export function summaryTimezone(
  schedules: readonly { channel: string; timezone: string }[],
  channel?: string,
): string {
  return schedules.find((s) => s.channel === channel)?.timezone ?? schedules[0]?.timezone ?? "UTC";
}
