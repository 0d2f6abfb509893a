// Response figures, pure: the nearest-rank percentile and the median, what an answer records (its
// wait in business time, its target, met or breached), the waits past due, and the figures per
// source and per agent as a summary or a home shows them.
import { describe, expect, it } from "vitest";
import type { BusinessHours } from "../../src/core/business-hours.ts";
import {
  type AnsweredWait,
  median,
  metTarget,
  type OpenWait,
  overdueWaits,
  pastDueSince,
  percentile,
  responseFigures,
  responseView,
  stoppedClock,
} from "../../src/core/response-figures.ts";
import {
  type SourceTargets,
  shortestTarget,
  type TargetSettings,
  targetNow,
} from "../../src/core/response-targets.ts";
import { conversationFacts, type Priority } from "../../src/core/triage.ts";
import { zonedInstant } from "../../src/core/zoned-time.ts";
import { inBrief } from "../helpers/response-figures.ts";

const MIN = 60_000;

describe("percentile (nearest rank)", () => {
  it.each([
    ["no values", [], 90, null],
    ["one value", [7], 90, 7],
    ["ten values: p90 is the 9th", [10, 1, 9, 2, 8, 3, 7, 4, 6, 5], 90, 9],
    ["eleven values: p90 is the 10th (ceil 9.9)", [1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11], 90, 10],
    ["four values: p90 is the 4th (ceil 3.6)", [2, 4, 10, 60], 90, 60],
    ["four values: p50 is the 2nd", [2, 4, 10, 60], 50, 4],
    ["p100 is the largest", [3, 1, 2], 100, 3],
    ["p0 is the smallest", [3, 1, 2], 0, 1],
    ["ties", [5, 5, 5, 1], 90, 5],
  ] as const)("%s", (_name, values, p, expected) => {
    expect(percentile(values, p)).toBe(expected);
  });

  it("leaves its input as it was", () => {
    const values = [3, 1, 2];
    percentile(values, 90);
    expect(values).toEqual([3, 1, 2]);
  });
});

describe("median", () => {
  it.each([
    ["no values", [], null],
    ["odd count: the middle one", [10, 2, 4], 4],
    ["even count: the mean of the middle two", [2, 4, 10, 60], 7],
    ["one value", [9], 9],
  ] as const)("%s", (_name, values, expected) => {
    expect(median(values)).toBe(expected);
  });
});

describe("metTarget: the wait in business time is no longer than the target", () => {
  it.each([
    ["under", 29 * MIN, 30 * MIN, true],
    ["exactly on it", 30 * MIN, 30 * MIN, true],
    ["a second over", 30 * MIN + 1000, 30 * MIN, false],
    ["no target: neither met nor counted", 5 * MIN, null, false],
  ] as const)("%s", (_name, businessMs, targetMs, met) => {
    expect(metTarget({ businessMs, targetMs })).toBe(met);
  });
});

describe("shortestTarget", () => {
  const t = (over: Partial<SourceTargets>): SourceTargets => ({ overrides: [], ...over });
  it.each([
    ["none", undefined, null],
    ["no target set", t({}), null],
    ["first only", t({ firstResponse: 30 * MIN }), 30 * MIN],
    ["next is shorter", t({ firstResponse: 30 * MIN, nextResponse: 10 * MIN }), 10 * MIN],
    [
      "an override is shorter",
      t({
        firstResponse: 30 * MIN,
        overrides: [{ attribute: "plan", value: "vip", firstResponse: 5 * MIN }],
      }),
      5 * MIN,
    ],
  ] as const)("%s", (_name, targets, expected) => {
    expect(shortestTarget(targets)).toBe(expected);
  });
});

// Berlin, Monday to Friday 09:00–17:00: a Friday 16:30 message answered Monday 09:20 waited 50 min.
const HOURS: BusinessHours = {
  timezone: "Europe/Berlin",
  weekly: Object.fromEntries(
    (["mon", "tue", "wed", "thu", "fri"] as const).map((d) => [d, [{ from: 9 * 60, to: 17 * 60 }]]),
  ),
  holidays: new Set(["2026-12-25"]),
};
const berlin = (day: number, hh: number, mm = 0) =>
  zonedInstant({ year: 2026, month: 11, day }, hh * 60 + mm, "Europe/Berlin");
const FRI = 20;
const MON = 23;
const settings: TargetSettings = {
  businessHours: HOURS,
  targets: {
    firstResponse: 60 * MIN,
    nextResponse: 4 * 60 * MIN,
    overrides: [
      { attribute: "plan", value: "enterprise", firstResponse: 15 * MIN },
      { attribute: "priority", value: "urgent", firstResponse: 5 * MIN },
    ],
  },
};
/** A team's own hours: every day 07:00–19:00 (config teams[].businessHours). */
const EARLY: BusinessHours = {
  timezone: "Europe/Berlin",
  weekly: Object.fromEntries(
    (["mon", "tue", "wed", "thu", "fri", "sat", "sun"] as const).map((d) => [
      d,
      [{ from: 7 * 60, to: 19 * 60 }],
    ]),
  ),
  holidays: new Set(),
};

describe("stoppedClock: what an agent's answer records", () => {
  const conv = (over: { firstResponseAt?: Date | null; waitingSince?: Date | null } = {}) => ({
    status: "open" as const,
    sourceId: "web",
    firstResponseAt: null,
    waitingSince: berlin(FRI, 16, 30),
    ...over,
  });
  const answer = { agentId: 7, at: berlin(MON, 9, 20) };

  it.each([
    [
      "a first response over the weekend: 30 min on Friday, 20 on Monday",
      settings,
      conv(),
      {},
      { kind: "first", businessMs: 50 * MIN, targetMs: 60 * MIN },
    ],
    [
      "the customer's override: a 15 min target",
      settings,
      conv(),
      { plan: "Enterprise" },
      { kind: "first", businessMs: 50 * MIN, targetMs: 15 * MIN },
    ],
    [
      "a next response (answered before): the next target",
      settings,
      conv({ firstResponseAt: berlin(FRI, 10) }),
      { plan: "enterprise" },
      { kind: "next", businessMs: 50 * MIN, targetMs: 240 * MIN },
    ],
    [
      "no targets: the time alone",
      { businessHours: HOURS },
      conv(),
      {},
      { kind: "first", businessMs: 50 * MIN, targetMs: null },
    ],
    [
      "no business hours: plain time",
      { targets: settings.targets! },
      conv(),
      {},
      { kind: "first", businessMs: (2 * 24 * 60 + 16 * 60 + 50) * MIN, targetMs: 60 * MIN },
    ],
    [
      "no next target: the next response is timed, not judged",
      { businessHours: HOURS, targets: { firstResponse: 60 * MIN, overrides: [] } },
      conv({ firstResponseAt: berlin(FRI, 10) }),
      {},
      { kind: "next", businessMs: 50 * MIN, targetMs: null },
    ],
  ] as const)("%s", (_name, s, c, attributes, expected) => {
    expect(stoppedClock(s, c, conversationFacts(attributes), answer)).toEqual({
      ...expected,
      sourceId: "web",
      agentId: 7,
      waitingSince: c.waitingSince,
      answeredAt: answer.at,
    });
  });

  it("nobody waiting: nothing to record", () => {
    expect(stoppedClock(settings, conv({ waitingSince: null }), conversationFacts({}), answer)).toBeNull();
  });
});

describe("overdueWaits: unanswered past the due time, in business time", () => {
  const wait = (
    id: number,
    since: Date,
    {
      attributes = {},
      priority,
      ...over
    }: Partial<OpenWait> & {
      attributes?: Record<string, string>;
      priority?: Priority;
    } = {},
  ): OpenWait => ({
    conversationId: id,
    sourceId: "web",
    assigneeId: null,
    firstResponseAt: null,
    waitingSince: since,
    facts: conversationFacts(attributes, { tags: [], priority: priority ?? "normal" }),
    settings: (over.sourceId ?? "web") === "web" ? settings : undefined,
    ...over,
  });
  const at = berlin(MON, 9, 20);
  it.each([
    ["Friday 16:30, 50 of 60 business minutes by Monday 09:20: not yet", wait(1, berlin(FRI, 16, 30)), false],
    ["Friday 16:00: 80 business minutes, past due", wait(2, berlin(FRI, 16)), true],
    [
      "an enterprise customer since Friday 16:50: 30 minutes, past its 15",
      wait(3, berlin(FRI, 16, 50), { attributes: { plan: "enterprise" } }),
      true,
    ],
    [
      "a next response since Friday 10:00: 7 h 20 min of business time, past its 4 h",
      wait(4, berlin(FRI, 10), { firstResponseAt: berlin(FRI, 9, 30) }),
      true,
    ],
    [
      "an urgent one since 09:00 (a 5 min override on priority): past due",
      wait(6, berlin(MON, 9), { priority: "urgent" }),
      true,
    ],
    [
      "kept in its team's hours (from 07:00 on Monday): 140 minutes, past due",
      wait(7, berlin(MON, 7), { settings: { ...settings, businessHours: EARLY } }),
      true,
    ],
    ["a source without targets: never past due", wait(5, berlin(FRI, 9), { sourceId: "mail" }), false],
  ] as const)("%s", (_name, w, overdue) => {
    expect(overdueWaits([w], at)).toEqual(
      overdue ? [{ sourceId: w.sourceId, assigneeId: w.assigneeId, count: 1 }] : [],
    );
  });
});

describe("pastDueSince: the latest start of a wait past due, per target", () => {
  it.each([
    [
      "Monday 09:20, 60 min: Friday 16:20",
      berlin(MON, 9, 20),
      60,
      240,
      berlin(FRI, 16, 20),
      berlin(FRI, 13, 20),
    ],
    ["Monday 12:00, 60 min: Monday 11:00", berlin(MON, 12), 60, 240, berlin(MON, 11), berlin(FRI, 16)],
    ["no next target: no next wait is past due", berlin(MON, 12), 60, undefined, berlin(MON, 11), null],
  ] as const)("%s", (_name, at, first, next, firstSince, nextSince) => {
    const s: TargetSettings = {
      businessHours: HOURS,
      targets: { firstResponse: first * MIN, ...(next ? { nextResponse: next * MIN } : {}), overrides: [] },
    };
    expect(pastDueSince(s, at)).toEqual({ first: firstSince, next: nextSince });
  });
});

describe("overdueWaits agrees with the card's breached state", () => {
  it("for waits begun every 7 minutes over a week, first and next, plain and enterprise", () => {
    const at = berlin(MON, 9, 20);
    const waits: OpenWait[] = [];
    for (let t = berlin(16, 0).getTime(); t < at.getTime(); t += 7 * MIN)
      for (const firstResponseAt of [null, new Date(t - MIN)])
        for (const attributes of [{}, { plan: "enterprise" }] as Record<string, string>[])
          for (const businessHours of [HOURS, EARLY])
            waits.push({
              conversationId: waits.length + 1,
              sourceId: "web",
              assigneeId: waits.length,
              firstResponseAt,
              waitingSince: new Date(t),
              facts: conversationFacts(attributes),
              settings: { ...settings, businessHours },
            });
    const breached = waits.filter(
      (w) => targetNow(w.settings, { status: "open", ...w }, w.facts, at)?.state === "breached",
    );
    expect(overdueWaits(waits, at)).toEqual(
      breached.map((w) => ({ sourceId: "web", assigneeId: w.assigneeId, count: 1 })),
    );
    expect(breached.length).toBeGreaterThan(0);
    expect(breached.length).toBeLessThan(waits.length);
    // The team's earlier hours make some waits past due that the source's hours do not.
    expect(breached.filter((w) => w.settings?.businessHours === EARLY).length).toBeGreaterThan(
      breached.filter((w) => w.settings?.businessHours === HOURS).length,
    );
  });
});

describe("responseFigures: overall, per source, per agent", () => {
  const a = (
    kind: "first" | "next",
    agentId: number | null,
    businessMin: number,
    targetMin: number | null,
    sourceId = "web",
  ): AnsweredWait => ({
    kind,
    sourceId,
    agentId,
    businessMs: businessMin * MIN,
    targetMs: targetMin === null ? null : targetMin * MIN,
  });
  const people = new Map([
    [1, { name: "Ada", slackUserId: "U1" }],
    [2, { name: "Bob", slackUserId: "U2" }],
  ]);
  const figures = responseFigures({
    answered: [
      a("first", 1, 4, 30),
      a("first", 1, 10, 30),
      a("first", 2, 45, 30),
      a("next", 1, 20, 60),
      a("next", 2, 90, 60),
      a("first", 2, 3, null, "mail"),
      a("first", 99, 2, 30), // an agent HeroDesk cannot name: counted overall only
      a("first", null, 6, 30), // someone who is not an agent
    ],
    overdue: [
      { sourceId: "web", assigneeId: 1, count: 1 },
      { sourceId: "web", assigneeId: null, count: 1 },
    ],
    hasTargets: (id) => id === "web",
    agent: (id) => people.get(id),
    oldestWaiting: null,
  });

  it.each([
    ["answers", (f: typeof figures) => f.overall.answered, 8],
    [
      "first responses: count, median and p90",
      (f: typeof figures) => f.overall.firstResponse,
      {
        count: 6,
        medianMs: 5 * MIN, // 2 3 4 6 10 45: (4 + 6) / 2
        p90Ms: 45 * MIN, // the 6th of 6
      },
    ],
    [
      "first: met and breached (the mail answer had no target)",
      (f: typeof figures) => f.overall.first,
      {
        met: 4,
        breached: 1,
      },
    ],
    ["next: met and breached", (f: typeof figures) => f.overall.next, { met: 1, breached: 1 }],
    ["past due, still waiting", (f: typeof figures) => f.overall.overdue, 2],
    ["targets apply", (f: typeof figures) => f.overall.targeted, true],
  ])("overall %s", (_name, pick, expected) => {
    expect(pick(figures)).toEqual(expected);
  });

  it("per source, most answers first; mail has no targets and shows only its times", () => {
    expect(figures.bySource.map((s) => ({ id: s.sourceId, ...inBrief(s) }))).toMatchObject([
      { id: "web", answered: 7, median: 6 * MIN, met: 5, breached: 2, overdue: 2, targeted: true },
      { id: "mail", answered: 1, median: 3 * MIN, met: 0, breached: 0, overdue: 0, targeted: false },
    ]);
  });

  it("per agent, most answers and waits first; the overdue wait counts for who holds it", () => {
    expect(figures.byAgent.map((s) => ({ name: s.name, ...inBrief(s) }))).toMatchObject([
      { name: "Ada", answered: 3, p90: 10 * MIN, met: 3, breached: 0, overdue: 1 },
      { name: "Bob", answered: 3, p90: 45 * MIN, met: 0, breached: 2, overdue: 0 },
    ]);
  });

  it("without targets anywhere: nothing is met or breached, only times", () => {
    const f = responseFigures({
      answered: [a("first", 1, 4, null, "mail")],
      overdue: [],
      hasTargets: () => false,
      agent: (id) => people.get(id),
      oldestWaiting: null,
    });
    expect(f.overall).toMatchObject({ targeted: false, first: { met: 0, breached: 0 } });
    expect(f.byAgent[0]!.targeted).toBe(false);
  });
});

describe("responseView: as much as a message holds", () => {
  const many = responseFigures({
    answered: Array.from({ length: 25 }, (_, i) => ({
      kind: "first" as const,
      sourceId: `s${i % 12}`,
      agentId: i + 1,
      businessMs: (i + 1) * MIN,
      targetMs: 10 * MIN,
    })),
    overdue: [],
    hasTargets: () => true,
    agent: (id) => ({ name: `Agent ${String(id).padStart(2, "0")}`, slackUserId: `U${id}` }),
    oldestWaiting: {
      conversationId: 8,
      customerName: "Grace",
      sourceId: "web",
      channel: "C0SUPPORT",
      threadTs: "1.2",
      waitingSince: new Date("2026-11-23T08:00:00Z"),
      assigneeSlackId: null,
      target: null,
    },
  });
  const view = responseView(many, new Date("2026-11-23T09:30:00Z"), { agents: 10, sources: 10 });

  it("the first ten agents and sources, the rest summed up", () => {
    expect(view.agents).toHaveLength(10);
    // One answer each: equal volume, so by name.
    expect(view.agents[0]!.name).toBe("Agent 01");
    expect(view.more).toEqual({ agents: 15, answered: 15, met: 0, breached: 15, overdue: 0 });
    expect(view.sources).toHaveLength(10);
    expect(view.moreSources).toBe(2);
  });

  it("says how long the oldest has waited", () => {
    expect(view.oldestWaiting).toMatchObject({ conversationId: 8, waitMs: 90 * MIN });
  });
});
