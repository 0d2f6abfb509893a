// Response targets (src/core/response-targets.ts): which clock runs, when it falls due in
// business time, and when a wait is at risk (75%) or breached.
import { describe, expect, it } from "vitest";
import type { BusinessHours } from "../../src/core/business-hours.ts";
import {
  responseClock,
  type SourceTargets,
  servingTeam,
  targetState,
} from "../../src/core/response-targets.ts";
import { conversationFacts } from "../../src/core/triage.ts";

const t = (iso: string) => new Date(iso);
const TARGETS: SourceTargets = {
  firstResponse: 3_600_000,
  nextResponse: 14_400_000,
  overrides: [{ attribute: "plan", value: "enterprise", firstResponse: 900_000 }],
};
const NINE_TO_FIVE: BusinessHours = {
  timezone: "Europe/Berlin",
  weekly: Object.fromEntries(["mon", "tue", "wed", "thu", "fri"].map((d) => [d, [{ from: 540, to: 1020 }]])),
  holidays: new Set(),
};

describe("responseClock: which target runs", () => {
  const open = { status: "open" as const, firstResponseAt: null, waitingSince: t("2026-12-01T09:00:00Z") };
  it.each([
    [
      "no agent answer yet: the first response, 60 min",
      open,
      {},
      TARGETS,
      { kind: "first", targetMs: 3_600_000 },
    ],
    [
      "an enterprise customer (any capitals): 15 min",
      open,
      { Plan: "Enterprise" },
      TARGETS,
      { kind: "first", targetMs: 900_000 },
    ],
    [
      "answered, and the customer wrote again: the next response, 4 h (no override for it)",
      { ...open, firstResponseAt: t("2026-12-01T08:00:00Z") },
      { plan: "enterprise" },
      TARGETS,
      { kind: "next", targetMs: 14_400_000 },
    ],
    ["waiting on the customer: none", { ...open, waitingSince: null }, {}, TARGETS, null],
    ["closed: none", { ...open, status: "closed" as const }, {}, TARGETS, null],
    ["no targets: none", open, {}, undefined, null],
    [
      "no next-response target: none after an answer",
      { ...open, firstResponseAt: t("2026-12-01T08:00:00Z") },
      {},
      { firstResponse: 3_600_000, overrides: [] },
      null,
    ],
  ] as const)("%s", (_name, conversation, attributes, targets, expected) => {
    const clock = responseClock(conversation, conversationFacts(attributes), targets);
    expect(clock === null ? null : { kind: clock.kind, targetMs: clock.targetMs }).toEqual(expected);
    if (clock) expect(clock.since).toEqual(open.waitingSince);
  });

  const TRIAGED: SourceTargets = {
    firstResponse: 3_600_000,
    nextResponse: 14_400_000,
    overrides: [
      { attribute: "priority", value: "urgent", firstResponse: 300_000, nextResponse: 600_000 },
      { attribute: "tag", value: "outage", firstResponse: 600_000 },
      { attribute: "plan", value: "enterprise", firstResponse: 900_000 },
    ],
  };
  it.each([
    ["normal, no tags: the source's 60 min", [], "normal", {}, 3_600_000],
    ["urgent: 5 min, before the customer's enterprise plan", [], "urgent", { plan: "enterprise" }, 300_000],
    ["tagged outage among others: 10 min", ["billing", "outage"], "high", {}, 600_000],
    [
      "high, not overridden: the enterprise plan's 15 min",
      ["billing"],
      "high",
      { plan: "enterprise" },
      900_000,
    ],
  ] as const)("overrides on tag and priority: %s", (_name, tags, priority, attributes, targetMs) => {
    const facts = conversationFacts(attributes, { tags, priority });
    expect(responseClock(open, facts, TRIAGED)?.targetMs).toBe(targetMs);
  });
});

describe("targetState: due time in business time, on track, at risk at 75%, breached", () => {
  // Friday 16:30 Berlin (15:30Z), a 60-minute first response: 30 min on Friday, 30 on Monday.
  const clock = { kind: "first" as const, since: t("2026-12-04T15:30:00Z"), targetMs: 3_600_000 };
  it.each([
    ["Friday 16:40: on track", "2026-12-04T15:40:00Z", "on_track"],
    ["Saturday: the weekend does not count, on track", "2026-12-05T12:00:00Z", "on_track"],
    ["Monday 09:14 (44 min of open time): on track", "2026-12-07T08:14:00Z", "on_track"],
    ["Monday 09:15 (45 min): at risk", "2026-12-07T08:15:00Z", "at_risk"],
    ["Monday 09:30 (60 min): breached", "2026-12-07T08:30:00Z", "breached"],
  ] as const)("%s", (_name, now, state) => {
    expect(targetState(NINE_TO_FIVE, clock, t(now))).toEqual({ due: t("2026-12-07T08:30:00Z"), state });
  });

  it("without business hours, plain time", () => {
    expect(targetState(null, clock, t("2026-12-04T16:15:00Z"))).toEqual({
      due: t("2026-12-04T16:30:00Z"),
      state: "at_risk",
    });
  });

  it("a desk that never opens: no due time, and never late", () => {
    const never: BusinessHours = { timezone: "UTC", weekly: {}, holidays: new Set() };
    expect(targetState(never, clock, t("2026-12-20T00:00:00Z"))).toEqual({ due: null, state: "on_track" });
  });
});

describe("servingTeam: whose hours a conversation keeps", () => {
  const rules = [
    { attribute: "language", value: "es", teamId: 7 },
    { attribute: "plan", value: "enterprise", teamId: 8 },
  ];
  it.each([
    ["a team hero wins over the rules", { kind: "team" as const, teamId: 3 }, { language: "es" }, 3],
    [
      "an agent hero: the first matching rule's team",
      { kind: "agent" as const, agentId: 1 },
      { language: "ES" },
      7,
    ],
    ["no hero: the first matching rule (in order)", null, { plan: "enterprise", language: "es" }, 7],
    ["no hero, no rule matches: none", null, { language: "fr" }, null],
  ])("%s", (_name, hero, attributes, expected) => {
    expect(servingTeam(hero, rules, conversationFacts(attributes))).toBe(expected);
  });
});
