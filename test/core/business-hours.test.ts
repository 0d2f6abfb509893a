// Business-time arithmetic (src/core/business-hours.ts, src/core/zoned-time.ts): weekends,
// holidays, lunch breaks and daylight-saving changes in two time zones. 2026-12-01 is a Tuesday;
// Europe/Berlin changes on 2026-03-29 (02:00 → 03:00) and 2026-10-25 (03:00 → 02:00),
// America/New_York on 2026-03-08 (02:00 → 03:00) and 2026-11-01 (02:00 → 01:00).
import { describe, expect, it } from "vitest";
import {
  addBusinessMs,
  type BusinessHours,
  businessMs,
  closedSince,
  describeHours,
  isOpen,
  nextOpening,
  type Period,
  subtractBusinessMs,
} from "../../src/core/business-hours.ts";
import { startOfDay, zonedInstant } from "../../src/core/zoned-time.ts";

const h = (from: string, to: string): Period => {
  const m = (t: string) => Number(t.slice(0, 2)) * 60 + Number(t.slice(3));
  return { from: m(from), to: m(to) };
};
const weekdays = (...periods: Period[]) => ({
  mon: periods,
  tue: periods,
  wed: periods,
  thu: periods,
  fri: periods,
});

/** Berlin, with a lunch break; closed on Christmas Day. */
const BERLIN: BusinessHours = {
  timezone: "Europe/Berlin",
  weekly: weekdays(h("09:00", "12:00"), h("13:00", "17:00")),
  holidays: new Set(["2026-12-25"]),
};
/** New York, and Saturday mornings; closed on Thanksgiving. */
const NEW_YORK: BusinessHours = {
  timezone: "America/New_York",
  weekly: { ...weekdays(h("08:00", "18:00")), sat: [h("10:00", "14:00")] },
  holidays: new Set(["2026-11-26"]),
};
/** Open all Sunday in Berlin: the two Sundays of a change are 23 and 25 hours long. */
const BERLIN_SUNDAYS: BusinessHours = {
  timezone: "Europe/Berlin",
  weekly: { sun: [h("00:00", "24:00")] },
  holidays: new Set(),
};
const NEVER: BusinessHours = { timezone: "UTC", weekly: {}, holidays: new Set() };

const at = (iso: string) => new Date(iso);
const HOUR = 3_600_000;

describe("isOpen", () => {
  it.each([
    ["Berlin, Tuesday 10:00", BERLIN, "2026-12-01T09:00:00Z", true],
    ["Berlin, lunch 12:30", BERLIN, "2026-12-01T11:30:00Z", false],
    ["Berlin, 16:59", BERLIN, "2026-12-01T15:59:00Z", true],
    ["Berlin, 17:00 (a period ends before its last minute)", BERLIN, "2026-12-01T16:00:00Z", false],
    ["Berlin, Saturday", BERLIN, "2026-12-05T10:00:00Z", false],
    ["Berlin, Christmas Day (a Friday)", BERLIN, "2026-12-25T10:00:00Z", false],
    ["New York at the same instant as Berlin 15:00: 09:00", NEW_YORK, "2026-12-01T14:00:00Z", true],
    ["Berlin at 21:00", BERLIN, "2026-12-01T20:00:00Z", false],
    ["New York at that instant: 15:00", NEW_YORK, "2026-12-01T20:00:00Z", true],
    ["New York, Saturday 11:00", NEW_YORK, "2026-12-05T16:00:00Z", true],
    ["New York, Thanksgiving", NEW_YORK, "2026-11-26T15:00:00Z", false],
    ["no business hours: always open", null, "2026-12-05T03:00:00Z", true],
    ["a desk with no periods", NEVER, "2026-12-01T10:00:00Z", false],
  ] as const)("%s", (_name, hours, instant, open) => {
    expect(isOpen(hours, at(instant))).toBe(open);
  });
});

describe("nextOpening", () => {
  it.each([
    ["open now: now", BERLIN, "2026-12-01T09:30:00Z", "2026-12-01T09:30:00.000Z"],
    ["Friday evening: Monday 09:00 Berlin", BERLIN, "2026-11-27T17:00:00Z", "2026-11-30T08:00:00.000Z"],
    ["lunch: 13:00", BERLIN, "2026-12-01T11:15:00Z", "2026-12-01T12:00:00.000Z"],
    ["Christmas Eve evening: Monday the 28th", BERLIN, "2026-12-24T18:00:00Z", "2026-12-28T08:00:00.000Z"],
    ["New York Saturday 15:00: Monday 08:00", NEW_YORK, "2026-12-05T20:00:00Z", "2026-12-07T13:00:00.000Z"],
    ["no business hours: now", null, "2026-12-05T03:00:00Z", "2026-12-05T03:00:00.000Z"],
  ] as const)("%s", (_name, hours, instant, next) => {
    expect(nextOpening(hours, at(instant))?.toISOString()).toBe(next);
  });

  it("is null for a desk that never opens", () => {
    expect(nextOpening(NEVER, at("2026-12-01T10:00:00Z"))).toBeNull();
  });
});

describe("businessMs: open time between two instants", () => {
  it.each([
    ["within one period", BERLIN, "2026-12-01T08:00:00Z", "2026-12-01T10:00:00Z", 2 * HOUR],
    ["across lunch: 11:00 to 14:00 is 2 h", BERLIN, "2026-12-01T10:00:00Z", "2026-12-01T13:00:00Z", 2 * HOUR],
    [
      "Friday 16:00 to Monday 10:00 (a weekend): 2 h",
      BERLIN,
      "2026-11-27T15:00:00Z",
      "2026-11-30T09:00:00Z",
      2 * HOUR,
    ],
    [
      "Thursday 16:30 to Monday 09:30 over Christmas Day: 1 h",
      BERLIN,
      "2026-12-24T15:30:00Z",
      "2026-12-28T08:30:00Z",
      HOUR,
    ],
    ["a whole Berlin week: 5 × 7 h", BERLIN, "2026-11-30T00:00:00Z", "2026-12-07T00:00:00Z", 35 * HOUR],
    [
      "spring-forward Sunday in Berlin: 23 h",
      BERLIN_SUNDAYS,
      "2026-03-28T23:00:00Z",
      "2026-03-29T22:00:00Z",
      23 * HOUR,
    ],
    [
      "fall-back Sunday in Berlin: 25 h",
      BERLIN_SUNDAYS,
      "2026-10-24T22:00:00Z",
      "2026-10-25T23:00:00Z",
      25 * HOUR,
    ],
    [
      "New York, Thanksgiving Wednesday 17:00 to Friday 09:00: 2 h",
      NEW_YORK,
      "2026-11-25T22:00:00Z",
      "2026-11-27T14:00:00Z",
      2 * HOUR,
    ],
    ["backwards: 0", BERLIN, "2026-12-01T10:00:00Z", "2026-12-01T09:00:00Z", 0],
    [
      "no business hours: the plain difference",
      null,
      "2026-12-05T00:00:00Z",
      "2026-12-06T00:00:00Z",
      24 * HOUR,
    ],
    ["never open: 0", NEVER, "2026-12-01T00:00:00Z", "2026-12-08T00:00:00Z", 0],
  ] as const)("%s", (_name, hours, from, to, ms) => {
    expect(businessMs(hours, at(from), at(to))).toBe(ms);
  });
});

describe("addBusinessMs: when a target falls due", () => {
  it.each([
    ["30 min at 10:00: 10:30", BERLIN, "2026-12-01T09:00:00Z", 0.5 * HOUR, "2026-12-01T09:30:00.000Z"],
    ["2 h at 11:00 jumps lunch: 14:00", BERLIN, "2026-12-01T10:00:00Z", 2 * HOUR, "2026-12-01T13:00:00.000Z"],
    [
      "an exact period's end stays there: 12:00",
      BERLIN,
      "2026-12-01T10:00:00Z",
      HOUR,
      "2026-12-01T11:00:00.000Z",
    ],
    [
      "asked on Saturday: from Monday's opening",
      BERLIN,
      "2026-12-05T10:00:00Z",
      HOUR,
      "2026-12-07T09:00:00.000Z",
    ],
    [
      "1 h from Christmas Eve 16:30: Monday 09:30",
      BERLIN,
      "2026-12-24T15:30:00Z",
      HOUR,
      "2026-12-28T08:30:00.000Z",
    ],
    // New York ends daylight saving on Sunday 1 November: Monday opens at 08:00 EST (13:00Z).
    [
      "3 h from Saturday 13:00 EDT: Monday 10:00 EST",
      NEW_YORK,
      "2026-10-31T17:00:00Z",
      3 * HOUR,
      "2026-11-02T15:00:00.000Z",
    ],
    // And starts it on Sunday 8 March: Monday opens at 08:00 EDT (12:00Z).
    [
      "1 h from Saturday 13:30 EST: Monday 08:30 EDT",
      NEW_YORK,
      "2026-03-07T18:30:00Z",
      HOUR,
      "2026-03-09T12:30:00.000Z",
    ],
    ["no business hours: plain time", null, "2026-12-05T00:00:00Z", HOUR, "2026-12-05T01:00:00.000Z"],
  ] as const)("%s", (_name, hours, from, ms, due) => {
    expect(addBusinessMs(hours, at(from), ms)?.toISOString()).toBe(due);
  });

  it("is null for a desk that never opens", () => {
    expect(addBusinessMs(NEVER, at("2026-12-01T00:00:00Z"), HOUR)).toBeNull();
  });

  it("is the inverse of businessMs", () => {
    const from = at("2026-10-30T20:00:00Z");
    for (const ms of [1, HOUR, 7 * HOUR, 30 * HOUR]) {
      const due = addBusinessMs(NEW_YORK, from, ms)!;
      expect(businessMs(NEW_YORK, from, due)).toBe(ms);
    }
  });
});

describe("subtractBusinessMs: since when a wait has had its target by now", () => {
  it.each([
    ["30 min back from 10:00: 09:30", BERLIN, "2026-12-01T09:00:00Z", 0.5 * HOUR, "2026-12-01T08:30:00.000Z"],
    [
      "2 h back from 14:00 jumps lunch: 11:00",
      BERLIN,
      "2026-12-01T13:00:00Z",
      2 * HOUR,
      "2026-12-01T10:00:00.000Z",
    ],
    [
      "asked at night: from the evening's close, 16:00",
      BERLIN,
      "2026-12-01T21:00:00Z",
      HOUR,
      "2026-12-01T15:00:00.000Z",
    ],
    [
      "1 h back from Monday 09:30 over the weekend: Friday 16:30",
      BERLIN,
      "2026-12-07T08:30:00Z",
      HOUR,
      "2026-12-04T15:30:00.000Z",
    ],
    [
      "1 h back from Monday 28 December 09:30 over Christmas: Thursday 24th 16:30",
      BERLIN,
      "2026-12-28T08:30:00Z",
      HOUR,
      "2026-12-24T15:30:00.000Z",
    ],
    [
      "3 h back from Monday 10:00 EST over the change: Saturday 13:00 EDT",
      NEW_YORK,
      "2026-11-02T15:00:00Z",
      3 * HOUR,
      "2026-10-31T17:00:00.000Z",
    ],
    ["no business hours: plain time", null, "2026-12-05T01:00:00Z", HOUR, "2026-12-05T00:00:00.000Z"],
  ] as const)("%s", (_name, hours, to, ms, since) => {
    expect(subtractBusinessMs(hours, at(to), ms)?.toISOString()).toBe(since);
  });

  it("is null for a desk that was never open", () => {
    expect(subtractBusinessMs(NEVER, at("2026-12-01T00:00:00Z"), HOUR)).toBeNull();
  });

  it("a wait from then has had exactly the time, one a moment later less", () => {
    const to = at("2026-11-02T15:00:00Z");
    for (const ms of [1, HOUR, 7 * HOUR, 30 * HOUR]) {
      const since = subtractBusinessMs(NEW_YORK, to, ms)!;
      expect(businessMs(NEW_YORK, since, to)).toBe(ms);
      expect(businessMs(NEW_YORK, new Date(since.getTime() + 1), to)).toBe(ms - 1);
    }
  });
});

describe("zonedInstant: a local wall time as an instant", () => {
  const minutes = (t: string) => h(t, "24:00").from;
  it.each([
    ["Berlin in winter", "Europe/Berlin", "2026-12-01", "09:00", "2026-12-01T08:00:00.000Z"],
    ["Berlin in summer", "Europe/Berlin", "2026-07-01", "09:00", "2026-07-01T07:00:00.000Z"],
    [
      "Berlin 02:30 that spring skips: 03:30 CEST",
      "Europe/Berlin",
      "2026-03-29",
      "02:30",
      "2026-03-29T01:30:00.000Z",
    ],
    [
      "Berlin 02:30 that autumn repeats: the first",
      "Europe/Berlin",
      "2026-10-25",
      "02:30",
      "2026-10-25T00:30:00.000Z",
    ],
    [
      "New York 02:30 that spring skips: 03:30 EDT",
      "America/New_York",
      "2026-03-08",
      "02:30",
      "2026-03-08T07:30:00.000Z",
    ],
    [
      "New York 01:30 that autumn repeats: the first",
      "America/New_York",
      "2026-11-01",
      "01:30",
      "2026-11-01T05:30:00.000Z",
    ],
    [
      "midnight after a day: the next day's 00:00",
      "Europe/Berlin",
      "2026-03-29",
      "24:00",
      "2026-03-29T22:00:00.000Z",
    ],
  ] as const)("%s", (_name, zone, date, time, instant) => {
    const [year, month, day] = date.split("-").map(Number) as [number, number, number];
    expect(zonedInstant({ year, month, day }, minutes(time), zone).toISOString()).toBe(instant);
  });

  it("startOfDay on the days of a change", () => {
    expect(startOfDay(at("2026-03-29T12:00:00Z"), "Europe/Berlin").toISOString()).toBe(
      "2026-03-28T23:00:00.000Z",
    );
    expect(startOfDay(at("2026-10-25T12:00:00Z"), "Europe/Berlin").toISOString()).toBe(
      "2026-10-24T22:00:00.000Z",
    );
    expect(startOfDay(at("2026-11-01T12:00:00Z"), "America/New_York").toISOString()).toBe(
      "2026-11-01T04:00:00.000Z",
    );
  });
});

describe("describeHours: the hours in a line for App Home", () => {
  it.each([
    ["days alike run together", BERLIN, "Mon–Fri 09:00–12:00, 13:00–17:00 (Europe/Berlin), 1 holiday"],
    [
      "a different day is its own",
      NEW_YORK,
      "Mon–Fri 08:00–18:00; Sat 10:00–14:00 (America/New_York), 1 holiday",
    ],
    ["one day", BERLIN_SUNDAYS, "Sun 00:00–24:00 (Europe/Berlin)"],
    ["no periods", NEVER, "never open (UTC)"],
    ["no business hours", null, "always open"],
  ] as const)("%s", (_name, hours, line) => {
    expect(describeHours(hours)).toBe(line);
  });
});

describe("closedSince: when the closed stretch began (an out-of-hours reply goes once per stretch)", () => {
  it.each([
    ["open: null", BERLIN, "2026-12-01T09:00:00Z", null],
    ["lunch: noon", BERLIN, "2026-12-01T11:30:00Z", "2026-12-01T11:00:00.000Z"],
    ["Tuesday night: Tuesday 17:00", BERLIN, "2026-12-01T22:00:00Z", "2026-12-01T16:00:00.000Z"],
    ["early Wednesday: still Tuesday 17:00", BERLIN, "2026-12-02T06:00:00Z", "2026-12-01T16:00:00.000Z"],
    ["the weekend: Friday 17:00", BERLIN, "2026-11-29T12:00:00Z", "2026-11-27T16:00:00.000Z"],
    ["Christmas Day: Christmas Eve 17:00", BERLIN, "2026-12-25T10:00:00Z", "2026-12-24T16:00:00.000Z"],
    ["no business hours: never closed", null, "2026-12-05T03:00:00Z", null],
  ] as const)("%s", (_name, hours, instant, since) => {
    const got = closedSince(hours, at(instant));
    expect(got === null ? null : new Date(got).toISOString()).toBe(since);
  });

  it("is 0 for a desk that was never open", () => {
    expect(closedSince(NEVER, at("2026-12-01T10:00:00Z"))).toBe(0);
  });
});
