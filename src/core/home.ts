// The App Home tab as data: what each person sees, decided from what the store read. Pure: the
// home service loads the figures (a few aggregate queries, src/store/reports.ts), this decides the
// sections, order, pages and how much is shown, and src/slack/blocks/home.ts renders Block Kit.
//
//   anyone who is not a HeroDesk agent: how to get added;
//   an agent: their availability, their open conversations (a page at a time), open/capacity;
//   a manager, also: the team's load, the queue, the heroes;
//   an admin, also: what needs them (Slack problems, first) and the setup (sources, teams,
//   rules, summaries).
import type { BusinessHours } from "./business-hours.ts";
import type { Availability, Role } from "./domain.ts";
import { problemAdvice, waitingLine } from "./problem-advice.ts";
import { type ResponseFigures, type ResponseView, responseView } from "./response-figures.ts";
import type { SlackProblem } from "./slack-failures.ts";
import type { AgentLoad, HeroLoad, HeroWait } from "./summary.ts";

/** How much App Home shows at once (Slack allows 100 blocks; a home should read in seconds). */
export const HOME_LIMITS = {
  /** The person's own open conversations per page. */
  pageSize: 15,
  /** Agents per page of the team's load. */
  teamPageSize: 20,
  /** Longest-waiting queued conversations listed. */
  queued: 5,
  heroes: 5,
  heroWaits: 5,
  sources: 25,
  teams: 25,
  teamMembers: 20,
  rules: 40,
  schedules: 10,
  recentSummaries: 3,
  problems: 5,
  /** Lines of today's response figures per agent (most answers first) and per source. */
  responseAgents: 10,
  responseSources: 10,
} as const;

/** An open conversation as a home list shows it (the store reads it: ReportRepository). */
export interface HomeConversation {
  conversationId: number;
  customerName: string;
  sourceId: string;
  slackChannel: string;
  threadTs: string | null;
  waitingSince: Date | null;
  createdAt: Date;
}

export interface HomeSourceConfig {
  id: string;
  name: string;
  channel: string;
  heroWaitSeconds: number;
  /** Absent: always open. */
  businessHours?: BusinessHours;
}

export interface HomeSchedule {
  channel: string;
  cron: string;
  timezone: string;
}

export interface HomeRecentSummary {
  channel: string;
  trigger: "schedule" | "command";
  since: Date;
  until: Date;
  open: number;
  new: number;
  closed: number;
  queued: number;
}

/** What the manager's part reads. */
export interface TeamFigures {
  /** Start of "today" (new and closed are counted from it) and the time zone it is in. */
  dayStart: Date;
  timezone: string;
  agents: AgentLoad[];
  queue: { count: number; oldestSince: Date | null; heroWaiting: number };
  /** The queue's longest-waiting conversations, longest first. */
  queued: HomeConversation[];
  heroes: HeroLoad[];
  heroWaits: HeroWait[];
  /** Today's response figures (src/core/response-figures.ts). */
  responses: ResponseFigures;
}

/** What the admin's part reads. */
export interface SetupFigures {
  sources: HomeSourceConfig[];
  /** Teams with their members' agent ids. */
  teams: { name: string; memberIds: number[]; businessHours?: BusinessHours }[];
  /** In routing order. */
  rules: { attribute: string; value: string; teamName: string }[];
  schedules: HomeSchedule[];
  /** Newest first. */
  recent: HomeRecentSummary[];
}

export interface HomeInput {
  userId: string;
  /** Effective role (bootstrap admins are admins); null: not a HeroDesk agent. */
  role: Role | null;
  /** The person's agent record, when they are an (active) agent. */
  me: { status: Availability; capacity: number; open: number } | null;
  now: Date;
  /** Requested pages (0 = first); clamped here. */
  page: number;
  teamPage: number;
  /** The page of the person's own open conversations, as loaded for `pageWindow(page, me.open)`. */
  mine: HomeConversation[];
  team?: TeamFigures;
  setup?: SetupFigures;
  /** Open Slack problems, oldest first (admins), with how many items wait on each. */
  problems?: (SlackProblem & { waiting: number; firstSeenAt: Date })[];
  /** Bootstrap admins, named on the home of someone who is not an agent yet. */
  admins: readonly string[];
}

export interface PageInfo {
  /** 0-based, clamped to the pages there are. */
  page: number;
  pages: number;
  /** 1-based positions of the first and last item shown (0 and 0 when there are none). */
  from: number;
  to: number;
  total: number;
  /** Items after this page. */
  more: number;
}

export interface ConversationLine {
  number: number;
  customerName: string;
  sourceId: string;
  channel: string;
  threadTs: string | null;
  waitingSince: Date | null;
  /** How long the customer has been waiting for an answer, at `now`; null when nobody waits. */
  waitMs: number | null;
}

export interface AgentLine extends AgentLoad {
  /** At capacity: gets nothing new until a conversation closes or moves. */
  full: boolean;
}

export interface HomeModel {
  userId: string;
  now: Date;
  role: Role | null;
  /** Not a HeroDesk agent: the home says how to get added. */
  stranger: { admins: readonly string[] } | null;
  /** Admins: Slack problems only a person can fix, with what to do (src/core/problem-advice.ts). */
  attention: { problems: { advice: string; waiting: string; since: Date }[]; more: number } | null;
  /** The person's own desk; null for a manager or admin who holds no agent record. */
  me: {
    status: Availability;
    capacity: number;
    open: number;
    full: boolean;
    page: PageInfo;
    conversations: ConversationLine[];
  } | null;
  /** A manager or admin without an agent record: they can add themselves to hold conversations. */
  canJoin: boolean;
  team: {
    dayStart: Date;
    timezone: string;
    totals: {
      agents: number;
      online: number;
      away: number;
      offline: number;
      full: number;
      open: number;
      new: number;
      closed: number;
    };
    rows: AgentLine[];
    page: PageInfo;
    queue: {
      count: number;
      oldestWaitMs: number | null;
      heroWaiting: number;
      longest: ConversationLine[];
      more: number;
    };
    heroes: HeroLoad[];
    heroWaits: { count: number; first: HeroWait[] };
    responses: ResponseView;
  } | null;
  setup: {
    sources: HomeSourceConfig[];
    moreSources: number;
    teams: { name: string; members: string[]; moreMembers: number; businessHours?: BusinessHours }[];
    moreTeams: number;
    rules: { position: number; attribute: string; value: string; teamName: string }[];
    moreRules: number;
    schedules: HomeSchedule[];
    recent: HomeRecentSummary[];
  } | null;
}

/** Which parts a role sees: the loader reads only those. */
export function homeSections(role: Role | null, isAgent: boolean) {
  return {
    mine: isAgent,
    team: role === "manager" || role === "admin",
    setup: role === "admin",
    attention: role === "admin",
  };
}

/** A page of `size` items out of `total`, with the requested page clamped to the ones there are. */
export function pageWindow(requested: number, total: number, size: number): PageInfo & { offset: number } {
  const pages = Math.max(1, Math.ceil(total / size));
  const page = Math.min(Math.max(0, Math.floor(Number.isFinite(requested) ? requested : 0)), pages - 1);
  const offset = page * size;
  const to = Math.min(total, offset + size);
  return {
    page,
    pages,
    from: to > offset ? offset + 1 : 0,
    to,
    total,
    more: Math.max(0, total - to),
    offset,
  };
}

const isFull = (capacity: number, open: number) => capacity > 0 && open >= capacity;

function line(c: HomeConversation, now: Date): ConversationLine {
  return {
    number: c.conversationId,
    customerName: c.customerName,
    sourceId: c.sourceId,
    channel: c.slackChannel,
    threadTs: c.threadTs,
    waitingSince: c.waitingSince,
    waitMs: c.waitingSince ? Math.max(0, now.getTime() - c.waitingSince.getTime()) : null,
  };
}

const STATUS_ORDER: Record<Availability, number> = { online: 0, away: 1, offline: 2 };

/**
 * Busiest first: open, then new, then closed today; among equals the online before the away and
 * the offline, then by name (stable for equal figures).
 */
function byLoad(a: AgentLoad, b: AgentLoad): number {
  return (
    b.open - a.open ||
    b.new - a.new ||
    b.closed - a.closed ||
    STATUS_ORDER[a.status] - STATUS_ORDER[b.status] ||
    a.name.localeCompare(b.name) ||
    a.agentId - b.agentId
  );
}

export function buildHome(input: HomeInput): HomeModel {
  const { now } = input;
  if (input.role === null) {
    return {
      userId: input.userId,
      now,
      role: null,
      stranger: { admins: input.admins },
      attention: null,
      me: null,
      canJoin: false,
      team: null,
      setup: null,
    };
  }

  let me: HomeModel["me"] = null;
  if (input.me) {
    const { offset: _offset, ...page } = pageWindow(input.page, input.me.open, HOME_LIMITS.pageSize);
    me = {
      status: input.me.status,
      capacity: input.me.capacity,
      open: input.me.open,
      full: isFull(input.me.capacity, input.me.open),
      page,
      conversations: input.mine.slice(0, HOME_LIMITS.pageSize).map((c) => line(c, now)),
    };
  }

  const sections = homeSections(input.role, Boolean(input.me));
  const team = sections.team && input.team ? buildTeam(input.team, input.teamPage, now) : null;
  const setup = sections.setup && input.setup ? buildSetup(input.setup, input.team?.agents ?? []) : null;
  const problems = sections.attention ? (input.problems ?? []) : [];

  return {
    userId: input.userId,
    now,
    role: input.role,
    stranger: null,
    attention: problems.length
      ? {
          problems: problems.slice(0, HOME_LIMITS.problems).map((p) => ({
            advice: problemAdvice(p),
            waiting: waitingLine(p.waiting),
            since: p.firstSeenAt,
          })),
          more: Math.max(0, problems.length - HOME_LIMITS.problems),
        }
      : null,
    me,
    canJoin: !input.me,
    team,
    setup,
  };
}

function buildTeam(t: TeamFigures, requestedPage: number, now: Date): NonNullable<HomeModel["team"]> {
  const sorted = [...t.agents].sort(byLoad);
  const { offset, ...page } = pageWindow(requestedPage, sorted.length, HOME_LIMITS.teamPageSize);
  const count = (status: Availability) => t.agents.filter((a) => a.status === status).length;
  const sum = (key: "open" | "new" | "closed") => t.agents.reduce((n, a) => n + a[key], 0);
  const longest = t.queued.slice(0, HOME_LIMITS.queued).map((c) => line(c, now));
  return {
    dayStart: t.dayStart,
    timezone: t.timezone,
    totals: {
      agents: t.agents.length,
      online: count("online"),
      away: count("away"),
      offline: count("offline"),
      full: t.agents.filter((a) => isFull(a.capacity, a.open)).length,
      open: sum("open"),
      new: sum("new"),
      closed: sum("closed"),
    },
    rows: sorted
      .slice(offset, offset + HOME_LIMITS.teamPageSize)
      .map((a) => ({ ...a, full: isFull(a.capacity, a.open) })),
    page,
    queue: {
      count: t.queue.count,
      oldestWaitMs: t.queue.oldestSince ? Math.max(0, now.getTime() - t.queue.oldestSince.getTime()) : null,
      heroWaiting: t.queue.heroWaiting,
      longest,
      more: Math.max(0, t.queue.count - longest.length),
    },
    heroes: t.heroes
      .filter((h) => h.open > 0)
      .sort((a, b) => b.open - a.open || a.name.localeCompare(b.name))
      .slice(0, HOME_LIMITS.heroes),
    heroWaits: { count: t.queue.heroWaiting, first: t.heroWaits.slice(0, HOME_LIMITS.heroWaits) },
    responses: responseView(t.responses, now, {
      agents: HOME_LIMITS.responseAgents,
      sources: HOME_LIMITS.responseSources,
    }),
  };
}

function buildSetup(s: SetupFigures, agents: readonly AgentLoad[]): NonNullable<HomeModel["setup"]> {
  const userOf = new Map(agents.map((a) => [a.agentId, a.slackUserId]));
  const teams = s.teams.slice(0, HOME_LIMITS.teams).map((t) => {
    // Members who are still agents (a removed agent keeps their membership row).
    const members = t.memberIds.map((id) => userOf.get(id)).filter((u): u is string => Boolean(u));
    return {
      name: t.name,
      members: members.slice(0, HOME_LIMITS.teamMembers),
      moreMembers: Math.max(0, members.length - HOME_LIMITS.teamMembers),
      ...(t.businessHours ? { businessHours: t.businessHours } : {}),
    };
  });
  return {
    sources: s.sources.slice(0, HOME_LIMITS.sources),
    moreSources: Math.max(0, s.sources.length - HOME_LIMITS.sources),
    teams,
    moreTeams: Math.max(0, s.teams.length - HOME_LIMITS.teams),
    rules: s.rules.slice(0, HOME_LIMITS.rules).map((r, i) => ({ position: i + 1, ...r })),
    moreRules: Math.max(0, s.rules.length - HOME_LIMITS.rules),
    schedules: s.schedules.slice(0, HOME_LIMITS.schedules),
    recent: s.recent.slice(0, HOME_LIMITS.recentSummaries),
  };
}
