// App Home: what each person sees on HeroDesk's Home tab, and the controls on it. The home is
// published through the outbox (src/slack/notifier.ts renders it from the database when the
// publish runs): when someone opens the tab, clicks on it, and when what it shows changes (see
// enqueueHomeRefresh in src/outbox/jobs.ts).
import type { FileConfig } from "../config.ts";
import {
  buildHome,
  HOME_LIMITS,
  type HomeInput,
  type HomeModel,
  type HomeRecentSummary,
  homeSections,
  pageWindow,
} from "../core/home.ts";
import { effectiveRole } from "../core/permissions.ts";
import { summaryTimezone } from "../core/summary.ts";
import { startOfDay } from "../core/zoned-time.ts";
import type { JobHandlers } from "../outbox/handler.ts";
import { enqueueHomePublish, HOME_REFRESH } from "../outbox/jobs.ts";
import type { Repositories } from "../store/index.ts";
import type { StoredSummary } from "../store/summaries.ts";
import type { DeskDeps } from "./desk-deps.ts";
import { allowed } from "./guard.ts";
import { readResponseFigures } from "./response-figures.ts";
import type { Answer } from "./results.ts";

export interface HomeDeps extends DeskDeps {
  /** Scheduled summaries from the config file (the admin's setup shows them). */
  summaries: FileConfig["summaries"];
  /** Teams with business hours of their own (the admin's setup shows them). */
  teamHours?: FileConfig["teams"];
}

/** Pages are small numbers; anything else is treated as the first page. */
const pageNumber = (page: number) => (Number.isInteger(page) && page >= 0 && page < 1_000_000 ? page : 0);

export function createHomeServices(deps: HomeDeps) {
  const now = () => deps.now?.() ?? new Date();
  // "Today" for the team's new and closed figures: the managers' time zone, as their summaries use.
  const timezone = summaryTimezone(deps.summaries);
  const sources = [...deps.sources.values()].map((s) => ({
    id: s.id,
    name: s.name ?? s.id,
    channel: s.slackChannel,
    heroWaitSeconds: s.heroWaitSeconds,
    ...(s.businessHours ? { businessHours: s.businessHours } : {}),
  }));

  /** Reads what the person's home shows (only the parts their role sees) and decides it. */
  async function load(tx: Repositories, userId: string, at: Date): Promise<HomeModel> {
    const found = await tx.agents.bySlackId(userId);
    const agent = found?.active ? found : null;
    const role = effectiveRole(agent?.role ?? null, userId, deps.admins);
    const tab = await tx.homeTabs.get(userId);
    const input: HomeInput = {
      userId,
      role,
      me: agent ? { status: agent.status, capacity: agent.capacity, open: agent.openCount } : null,
      now: at,
      page: tab?.page ?? 0,
      teamPage: tab?.teamPage ?? 0,
      mine: [],
      admins: deps.admins,
    };
    if (role === null) return buildHome(input);
    const sections = homeSections(role, Boolean(agent));
    if (agent && agent.openCount > 0) {
      const { offset } = pageWindow(input.page, agent.openCount, HOME_LIMITS.pageSize);
      input.mine = await tx.reports.openConversationsOf(agent.id, HOME_LIMITS.pageSize, offset);
    }
    if (sections.team) {
      const dayStart = startOfDay(at, timezone);
      const queue = await tx.reports.queue(at);
      const agents = await tx.reports.agentLoads({ since: dayStart, until: at });
      input.team = {
        dayStart,
        timezone,
        agents,
        queue,
        queued: queue.count ? await tx.reports.queuedConversations(at, HOME_LIMITS.queued) : [],
        heroes: await tx.reports.heroLoads(HOME_LIMITS.heroes),
        heroWaits: queue.heroWaiting ? await tx.reports.heroWaits(at, HOME_LIMITS.heroWaits) : [],
        responses: await readResponseFigures(tx, deps, { since: dayStart, until: at }, agents),
      };
    }
    if (sections.attention) input.problems = await tx.problems.open();
    if (sections.setup) {
      const teams = await tx.teams.list();
      input.setup = {
        sources,
        teams: teams.map((t) => {
          const hours = deps.teamHours?.find((h) => h.name.toLowerCase() === t.name.toLowerCase());
          return {
            name: t.name,
            memberIds: t.memberIds,
            ...(hours ? { businessHours: hours.businessHours } : {}),
          };
        }),
        rules: (await tx.rules.list()).map((r) => ({
          attribute: r.attribute,
          value: r.value,
          teamName: r.teamName,
        })),
        schedules: deps.summaries.map((s) => ({ channel: s.channel, cron: s.cron, timezone: s.timezone })),
        recent: (await tx.summaries.recent(HOME_LIMITS.recentSummaries)).map(recentSummary),
      };
    }
    return buildHome(input);
  }

  /** Publishes the person's home now (a click or an open should show at once). */
  const publishNow = (userId: string) =>
    deps.store.transaction(async (tx) => {
      await enqueueHomePublish(tx, userId);
    });

  /** Fans a team change out to every manager's and admin's home opened lately. */
  const refreshTeamHomes: JobHandlers["home.refresh_team"] = {
    retry: () => ({ initialDelayMs: 500, maxDelayMs: 30_000 }),
    async perform() {
      await deps.store.transaction(async (tx) => {
        const since = new Date(Date.now() - HOME_REFRESH.liveMs);
        for (const userId of await tx.homeTabs.teamWatchers(since, deps.admins))
          await enqueueHomePublish(tx, userId);
      });
    },
  };

  return {
    /** Everything the person's home shows, read in one transaction so the figures agree. */
    load: (userId: string): Promise<HomeModel> => deps.store.transaction((tx) => load(tx, userId, now())),
    /** Same, inside a transaction of the caller's (benchmarks). */
    loadIn: load,
    /** The person opened the Home tab: remember it (their home is kept current from now on) and publish. */
    opened: (userId: string) =>
      deps.store.transaction(async (tx) => {
        await tx.homeTabs.opened(userId, now());
        await enqueueHomePublish(tx, userId);
      }),
    publishNow,
    /** Prev/Next on the person's own open conversations. */
    turnPage: (userId: string, page: number): Promise<Answer> =>
      deps.store.transaction(async (tx) => {
        await tx.homeTabs.setPage(userId, { page: pageNumber(page) }, now());
        await enqueueHomePublish(tx, userId);
        return { done: "page", page: pageNumber(page), team: false };
      }),
    /** Prev/Next on the team's load: managers and admins only. */
    turnTeamPage: (userId: string, page: number): Promise<Answer> =>
      allowed(deps, "team_load", userId, async (tx) => {
        await tx.homeTabs.setPage(userId, { teamPage: pageNumber(page) }, now());
        await enqueueHomePublish(tx, userId);
        return { done: "page", page: pageNumber(page), team: true };
      }),
    handlers: { "home.refresh_team": refreshTeamHomes } satisfies Pick<JobHandlers, "home.refresh_team">,
  };
}

export type HomeServices = ReturnType<typeof createHomeServices>;

/** A posted summary as the admin's setup lists it: its totals. */
function recentSummary(s: StoredSummary): HomeRecentSummary {
  const agents = s.figures.agents ?? [];
  const sum = (key: "open" | "new" | "closed") => agents.reduce((n, a) => n + (a[key] ?? 0), 0);
  return {
    channel: s.channel,
    trigger: s.trigger,
    since: s.since,
    until: s.until,
    open: sum("open"),
    new: sum("new"),
    closed: sum("closed"),
    queued: s.figures.queue?.count ?? 0,
  };
}
