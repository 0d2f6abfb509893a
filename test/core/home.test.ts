// The App Home model (src/core/home.ts): who sees what, pages, order and how much is shown.
import { describe, expect, it } from "vitest";
import type { Role } from "../../src/core/domain.ts";
import {
  buildHome,
  HOME_LIMITS,
  type HomeConversation,
  type HomeInput,
  homeSections,
  pageWindow,
  type SetupFigures,
  type TeamFigures,
} from "../../src/core/home.ts";
import { NO_RESPONSE_FIGURES } from "../../src/core/response-figures.ts";
import type { AgentLoad } from "../../src/core/summary.ts";
import { startOfDay } from "../../src/core/zoned-time.ts";

const now = new Date("2026-11-21T10:00:00Z");
const minutesAgo = (m: number) => new Date(now.getTime() - m * 60_000);

const conversation = (id: number, over: Partial<HomeConversation> = {}): HomeConversation => ({
  conversationId: id,
  customerName: `Customer ${id}`,
  sourceId: "web",
  slackChannel: "C0SUPPORT",
  threadTs: `1700000000.${String(id).padStart(6, "0")}`,
  waitingSince: minutesAgo(id),
  createdAt: minutesAgo(100 + id),
  ...over,
});

const load = (agentId: number, over: Partial<AgentLoad> = {}): AgentLoad => ({
  agentId,
  slackUserId: `U${agentId}`,
  name: `Agent ${agentId}`,
  status: "online",
  capacity: 5,
  open: 0,
  new: 0,
  closed: 0,
  ...over,
});

const team = (over: Partial<TeamFigures> = {}): TeamFigures => ({
  dayStart: new Date("2026-11-21T00:00:00Z"),
  timezone: "UTC",
  agents: [load(1, { open: 2 }), load(2, { open: 5, new: 3 })],
  queue: { count: 0, oldestSince: null, heroWaiting: 0 },
  queued: [],
  heroes: [],
  heroWaits: [],
  responses: NO_RESPONSE_FIGURES,
  ...over,
});

const setup = (over: Partial<SetupFigures> = {}): SetupFigures => ({
  sources: [{ id: "web", name: "Web chat", channel: "C0SUPPORT", heroWaitSeconds: 300 }],
  teams: [{ name: "Spanish", memberIds: [1, 2, 99] }],
  rules: [{ attribute: "language", value: "es", teamName: "Spanish" }],
  schedules: [{ channel: "C0MANAGERS", cron: "0 9 * * 1-5", timezone: "Europe/Berlin" }],
  recent: [],
  ...over,
});

const input = (over: Partial<HomeInput> = {}): HomeInput => ({
  userId: "U1",
  role: "agent",
  me: { status: "online", capacity: 5, open: 2 },
  now,
  page: 0,
  teamPage: 0,
  mine: [conversation(1), conversation(2)],
  team: team(),
  setup: setup(),
  admins: ["U0ADMIN"],
  ...over,
});

describe("buildHome: who sees which part", () => {
  // role, is an agent → [stranger, own desk, "add yourself", team, setup]
  const cases: [Role | null, boolean, [boolean, boolean, boolean, boolean, boolean]][] = [
    [null, false, [true, false, false, false, false]],
    ["agent", true, [false, true, false, false, false]],
    ["manager", true, [false, true, false, true, false]],
    ["admin", true, [false, true, false, true, true]],
    // A bootstrap admin without an agent record: the team and setup, and how to hold conversations.
    ["admin", false, [false, false, true, true, true]],
    ["manager", false, [false, false, true, true, false]],
  ];
  it.each(cases)("%s (agent record: %s)", (role, isAgent, [stranger, mine, canJoin, teamPart, setupPart]) => {
    const model = buildHome(input({ role, me: isAgent ? { status: "online", capacity: 5, open: 2 } : null }));
    expect(model.stranger !== null).toBe(stranger);
    expect(model.me !== null).toBe(mine);
    expect(model.canJoin).toBe(canJoin);
    expect(model.team !== null).toBe(teamPart);
    expect(model.setup !== null).toBe(setupPart);
    const sections = homeSections(role, isAgent);
    expect(sections).toEqual({
      mine: isAgent,
      team: role === "manager" || role === "admin",
      setup: role === "admin",
      attention: role === "admin",
    });
  });

  it("admins, and only admins, see the Slack problems that need them, with what to do and what waits", () => {
    const problems = [
      {
        key: "channel:C1:is_archived",
        error: "is_archived",
        channel: "C1",
        waiting: 3,
        firstSeenAt: new Date(0),
      },
      ...Array.from({ length: 6 }, (_, i) => ({
        key: `scope:x${i}`,
        error: "missing_scope",
        detail: `x${i}`,
        waiting: 0,
        firstSeenAt: new Date(0),
      })),
    ];
    const admin = buildHome(input({ role: "admin", me: null, problems }));
    expect(admin.attention?.problems).toHaveLength(5);
    expect(admin.attention?.more).toBe(2);
    expect(admin.attention?.problems[0]?.advice).toContain("<#C1> is archived");
    expect(admin.attention?.problems[0]?.waiting).toContain("3 items");
    expect(buildHome(input({ role: "manager", me: null, problems })).attention).toBeNull();
    expect(buildHome(input({ role: "admin", me: null, problems: [] })).attention).toBeNull();
  });

  it("someone who is not an agent hears who the admins are, and nothing about the team", () => {
    const model = buildHome(input({ role: null, me: null }));
    expect(model.stranger).toEqual({ admins: ["U0ADMIN"] });
    expect(model.team).toBeNull();
  });
});

describe("pageWindow", () => {
  // requested page, total, size → page, pages, from, to, more, offset
  const cases: [number, number, number, [number, number, number, number, number, number]][] = [
    [0, 0, 15, [0, 1, 0, 0, 0, 0]],
    [0, 1, 15, [0, 1, 1, 1, 0, 0]],
    [0, 15, 15, [0, 1, 1, 15, 0, 0]],
    [0, 16, 15, [0, 2, 1, 15, 1, 0]],
    [1, 16, 15, [1, 2, 16, 16, 0, 15]],
    [0, 500, 15, [0, 34, 1, 15, 485, 0]],
    [1, 500, 15, [1, 34, 16, 30, 470, 15]],
    [33, 500, 15, [33, 34, 496, 500, 0, 495]],
    // Past the end (conversations closed since the page was turned): the last page.
    [40, 500, 15, [33, 34, 496, 500, 0, 495]],
    [3, 10, 15, [0, 1, 1, 10, 0, 0]],
    // Nonsense pages: the first.
    [-2, 500, 15, [0, 34, 1, 15, 485, 0]],
    [Number.NaN, 500, 15, [0, 34, 1, 15, 485, 0]],
    [1.7, 500, 15, [1, 34, 16, 30, 470, 15]],
  ];
  it.each(cases)("page %s of %s by %s", (requested, total, size, [page, pages, from, to, more, offset]) => {
    expect(pageWindow(requested, total, size)).toEqual({ page, pages, from, to, total, more, offset });
  });
});

describe("buildHome: the agent's own desk", () => {
  const cases: [string, Partial<HomeInput>, Record<string, unknown>][] = [
    [
      "open and capacity, not full",
      { me: { status: "online", capacity: 5, open: 2 } },
      { open: 2, capacity: 5, full: false, status: "online" },
    ],
    [
      "at capacity is full",
      { me: { status: "away", capacity: 2, open: 2 } },
      { open: 2, capacity: 2, full: true, status: "away" },
    ],
    [
      "over capacity (a manager assigned more) is full",
      { me: { status: "online", capacity: 2, open: 3 } },
      { full: true },
    ],
    ["no limit is never full", { me: { status: "online", capacity: 0, open: 900 } }, { full: false }],
  ];
  it.each(cases)("%s", (_name, over, expected) => {
    expect(buildHome(input(over)).me).toMatchObject(expected);
  });

  it("a page of conversations with their waiting time, and the rest counted", () => {
    const mine = Array.from({ length: HOME_LIMITS.pageSize }, (_, i) => conversation(16 + i));
    const model = buildHome(input({ me: { status: "online", capacity: 0, open: 500 }, page: 1, mine }));
    expect(model.me!.page).toEqual({ page: 1, pages: 34, from: 16, to: 30, total: 500, more: 470 });
    expect(model.me!.conversations).toHaveLength(15);
    expect(model.me!.conversations[0]).toEqual({
      number: 16,
      customerName: "Customer 16",
      sourceId: "web",
      channel: "C0SUPPORT",
      threadTs: "1700000000.000016",
      waitingSince: minutesAgo(16),
      waitMs: 16 * 60_000,
    });
  });

  it("an answered conversation has no waiting time; a card not posted yet has no thread", () => {
    const model = buildHome(
      input({ mine: [conversation(1, { waitingSince: null }), conversation(2, { threadTs: null })] }),
    );
    expect(model.me!.conversations.map((c) => [c.waitMs, c.threadTs])).toEqual([
      [null, "1700000000.000001"],
      [2 * 60_000, null],
    ]);
  });

  it("never shows more than a page, whatever it is given", () => {
    const mine = Array.from({ length: 40 }, (_, i) => conversation(i + 1));
    expect(buildHome(input({ mine })).me!.conversations).toHaveLength(HOME_LIMITS.pageSize);
  });
});

describe("buildHome: the team", () => {
  it("totals over every agent; rows busiest first, the online before others among equals", () => {
    const agents = [
      load(1, { open: 1, status: "offline" }),
      load(2, { open: 3, new: 1 }),
      load(3, { open: 3, new: 2, capacity: 3 }),
      load(4, { open: 0, closed: 4, status: "away" }),
      load(5, { open: 1, name: "Agent 0" }),
      load(6, { open: 1, status: "away", name: "Aaron" }),
    ];
    const model = buildHome(input({ role: "manager", team: team({ agents }) }));
    expect(model.team!.rows.map((r) => r.agentId)).toEqual([3, 2, 5, 6, 1, 4]);
    expect(model.team!.rows.map((r) => r.full)).toEqual([true, false, false, false, false, false]);
    expect(model.team!.totals).toEqual({
      agents: 6,
      online: 3,
      away: 2,
      offline: 1,
      full: 1,
      open: 9,
      new: 3,
      closed: 4,
    });
  });

  // team page requested, agents → rows shown, page info
  const pages: [number, number, [number, number, number, number]][] = [
    [0, 5, [5, 1, 1, 5]],
    [0, 2000, [20, 100, 1, 20]],
    [1, 2000, [20, 100, 21, 40]],
    [99, 2000, [20, 100, 1981, 2000]],
    [500, 45, [5, 3, 41, 45]],
  ];
  it.each(pages)("team page %s of %s agents", (teamPage, count, [rows, pageCount, from, to]) => {
    const agents = Array.from({ length: count }, (_, i) => load(i + 1, { open: count - i }));
    const model = buildHome(input({ role: "admin", teamPage, team: team({ agents }) }));
    expect(model.team!.rows).toHaveLength(rows);
    expect(model.team!.page).toMatchObject({ pages: pageCount, from, to, total: count });
    expect(model.team!.rows[0]!.agentId).toBe(from);
  });

  it("the queue: its count, how long the oldest has waited, the longest few and how many more", () => {
    const queued = Array.from({ length: 8 }, (_, i) =>
      conversation(i + 1, { waitingSince: minutesAgo(90 - i) }),
    );
    const model = buildHome(
      input({
        role: "manager",
        team: team({ queue: { count: 12, oldestSince: minutesAgo(90), heroWaiting: 2 }, queued }),
      }),
    );
    expect(model.team!.queue).toMatchObject({
      count: 12,
      oldestWaitMs: 90 * 60_000,
      heroWaiting: 2,
      more: 7,
    });
    expect(model.team!.queue.longest.map((c) => c.number)).toEqual([1, 2, 3, 4, 5]);
  });

  it("an empty queue has no oldest wait", () => {
    expect(buildHome(input({ role: "manager" })).team!.queue).toEqual({
      count: 0,
      oldestWaitMs: null,
      heroWaiting: 0,
      longest: [],
      more: 0,
    });
  });

  it("heroes: those with open conversations, most first, at most five; hero waits counted", () => {
    const hero = (name: string, open: number) => ({
      kind: "agent" as const,
      ref: `U${name}`,
      name,
      open,
      customers: 1,
    });
    const heroes = [
      hero("a", 1),
      hero("b", 0),
      hero("c", 7),
      hero("d", 3),
      hero("e", 3),
      hero("f", 2),
      hero("g", 9),
    ];
    const until = new Date(now.getTime() + 60_000);
    const heroWaits = Array.from({ length: 7 }, (_, i) => ({
      conversationId: i + 1,
      customerName: `C${i}`,
      hero: null,
      until,
    }));
    const model = buildHome(
      input({
        role: "manager",
        team: team({ heroes, heroWaits, queue: { count: 0, oldestSince: null, heroWaiting: 9 } }),
      }),
    );
    expect(model.team!.heroes.map((h) => h.name)).toEqual(["g", "c", "d", "e", "f"]);
    expect(model.team!.heroWaits.count).toBe(9);
    expect(model.team!.heroWaits.first).toHaveLength(HOME_LIMITS.heroWaits);
  });
});

describe("buildHome: the setup", () => {
  it("team members by Slack id (removed agents left out), rules numbered in order", () => {
    const model = buildHome(
      input({
        role: "admin",
        setup: setup({
          rules: [
            { attribute: "language", value: "es", teamName: "Spanish" },
            { attribute: "plan", value: "enterprise", teamName: "VIP" },
          ],
        }),
      }),
    );
    expect(model.setup!.teams).toEqual([{ name: "Spanish", members: ["U1", "U2"], moreMembers: 0 }]);
    expect(model.setup!.rules.map((r) => `${r.position}. ${r.attribute}=${r.value}`)).toEqual([
      "1. language=es",
      "2. plan=enterprise",
    ]);
    expect(model.setup!.schedules).toEqual([
      { channel: "C0MANAGERS", cron: "0 9 * * 1-5", timezone: "Europe/Berlin" },
    ]);
  });

  // how many of each there are → shown, and "more"
  const limits: [string, keyof SetupFigures, number, number, number][] = [
    ["sources", "sources", 30, HOME_LIMITS.sources, 5],
    ["teams", "teams", 26, HOME_LIMITS.teams, 1],
    ["rules", "rules", 100, HOME_LIMITS.rules, 60],
    ["rules (few)", "rules", 3, 3, 0],
  ];
  it.each(limits)("%s: %s of them", (_name, key, count, shown, more) => {
    const items = {
      sources: (i: number) => ({ id: `s${i}`, name: `S${i}`, channel: "C0X", heroWaitSeconds: 60 }),
      teams: (i: number) => ({ name: `T${i}`, memberIds: [] }),
      rules: (i: number) => ({ attribute: "partner", value: `p${i}`, teamName: "T" }),
    } as Record<string, (i: number) => unknown>;
    const model = buildHome(
      input({
        role: "admin",
        setup: setup({ [key]: Array.from({ length: count }, (_, i) => items[key]!(i)) }),
      }),
    );
    const s = model.setup!;
    const [list, rest] = {
      sources: [s.sources, s.moreSources],
      teams: [s.teams, s.moreTeams],
      rules: [s.rules, s.moreRules],
    }[key as "sources" | "teams" | "rules"];
    expect((list as unknown[]).length).toBe(shown);
    expect(rest).toBe(more);
  });

  it("a big team lists its first members and counts the rest", () => {
    const agents = Array.from({ length: 60 }, (_, i) => load(i + 1));
    const model = buildHome(
      input({
        role: "admin",
        team: team({ agents }),
        setup: setup({ teams: [{ name: "All", memberIds: agents.map((a) => a.agentId) }] }),
      }),
    );
    expect(model.setup!.teams[0]!.members).toHaveLength(HOME_LIMITS.teamMembers);
    expect(model.setup!.teams[0]!.moreMembers).toBe(60 - HOME_LIMITS.teamMembers);
  });
});

describe("startOfDay", () => {
  const cases: [string, string, string][] = [
    ["2026-11-21T10:00:00Z", "UTC", "2026-11-21T00:00:00.000Z"],
    ["2026-11-21T10:00:00Z", "Europe/Berlin", "2026-11-20T23:00:00.000Z"],
    // Just after midnight in Berlin, still the previous day in UTC.
    ["2026-11-20T23:30:00Z", "Europe/Berlin", "2026-11-20T23:00:00.000Z"],
    ["2026-11-21T03:00:00Z", "America/New_York", "2026-11-20T05:00:00.000Z"],
    ["2026-11-21T10:00:00Z", "Asia/Kolkata", "2026-11-20T18:30:00.000Z"],
    // Daylight saving starts at 02:00 in Berlin on 29 March 2026: midnight was still UTC+1.
    ["2026-03-29T12:00:00Z", "Europe/Berlin", "2026-03-28T23:00:00.000Z"],
    // ...and ends on 25 October 2026: midnight was UTC+2.
    ["2026-10-25T12:00:00Z", "Europe/Berlin", "2026-10-24T22:00:00.000Z"],
  ];
  it.each(cases)("%s in %s starts at %s", (at, tz, start) => {
    expect(startOfDay(new Date(at), tz).toISOString()).toBe(start);
  });
});
