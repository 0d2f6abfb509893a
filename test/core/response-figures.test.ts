// Response figures, pure: the nearest-rank percentile and the median, and what an answer records
// (its wait in business time, its target, met or breached).
import { describe, expect, it } from "vitest";
import type { BusinessHours } from "../../src/core/business-hours.ts";
import { median, metTarget, percentile, stoppedClock } from "../../src/core/response-figures.ts";
import type { TargetSettings } from "../../src/core/response-targets.ts";
import { zonedInstant } from "../../src/core/zoned-time.ts";

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
    overrides: [{ attribute: "plan", value: "enterprise", firstResponse: 15 * MIN }],
  },
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
    expect(stoppedClock(s, c, attributes, answer)).toEqual({
      ...expected,
      sourceId: "web",
      agentId: 7,
      waitingSince: c.waitingSince,
      answeredAt: answer.at,
    });
  });

  it("nobody waiting: nothing to record", () => {
    expect(stoppedClock(settings, conv({ waitingSince: null }), {}, answer)).toBeNull();
  });
});
