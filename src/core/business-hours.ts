// Business hours: weekly opening periods (several a day) in an IANA time zone, and holidays.
// Response clocks count only the time a desk is open. Pure; a null BusinessHours is always open.
import { addDays, isoDate, type LocalDate, localDate, weekday, zonedInstant } from "./zoned-time.ts";

export const WEEKDAYS = ["sun", "mon", "tue", "wed", "thu", "fri", "sat"] as const;
export type Weekday = (typeof WEEKDAYS)[number];

/** Minutes after local midnight: from < to ≤ 1440. */
export interface Period {
  from: number;
  to: number;
}

export interface BusinessHours {
  timezone: string;
  /** Each day's periods, in order and not overlapping; a day not listed is closed. */
  weekly: Readonly<Partial<Record<Weekday, readonly Period[]>>>;
  /** Closed all day, as local dates (`2026-12-25`). */
  holidays: ReadonlySet<string>;
}

/** How far ahead open time is looked for before a desk counts as never open. */
const HORIZON_DAYS = 400;

/** The open periods of one local day, as instants. */
function openOn(hours: BusinessHours, date: LocalDate): [number, number][] {
  if (hours.holidays.has(isoDate(date))) return [];
  const periods = hours.weekly[WEEKDAYS[weekday(date)]!] ?? [];
  return periods.map((p) => [
    zonedInstant(date, p.from, hours.timezone).getTime(),
    zonedInstant(date, p.to, hours.timezone).getTime(),
  ]);
}

/** Open periods that end after `from`, in order, for up to HORIZON_DAYS days. */
function* openFrom(hours: BusinessHours, from: number): Generator<[number, number]> {
  // From the day before: a period of the day before may still run (a zone far from UTC).
  let date = addDays(localDate(new Date(from), hours.timezone), -1);
  for (let i = 0; i <= HORIZON_DAYS; i++, date = addDays(date)) {
    for (const [start, end] of openOn(hours, date)) if (end > from) yield [Math.max(start, from), end];
  }
}

/** Open periods that begin before `to`, latest first and cut at `to`, for up to HORIZON_DAYS days back. */
function* openUntil(hours: BusinessHours, to: number): Generator<[number, number]> {
  let date = localDate(new Date(to), hours.timezone);
  for (let i = 0; i <= HORIZON_DAYS; i++, date = addDays(date, -1)) {
    for (const [start, end] of openOn(hours, date).reverse())
      if (start < to) yield [start, Math.min(end, to)];
  }
}

/**
 * When the desk closed, if it is closed at `at`: the end of its last open period before then (0
 * when it was never open in the last HORIZON_DAYS days); null while it is open. One closed stretch
 * (a night, a weekend) has one such instant, so "once per closed stretch" keys on it.
 */
export function closedSince(hours: BusinessHours | null, at: Date): number | null {
  if (isOpen(hours, at) || !hours) return null;
  for (const [, end] of openUntil(hours, at.getTime())) return end;
  return 0;
}

/** Whether the desk is open at `at`. */
export function isOpen(hours: BusinessHours | null, at: Date): boolean {
  if (!hours) return true;
  const t = at.getTime();
  for (const [start] of openFrom(hours, t)) return start <= t;
  return false;
}

/** When the desk next opens at or after `at` (`at` itself when open); null if never. */
export function nextOpening(hours: BusinessHours | null, at: Date): Date | null {
  if (!hours) return at;
  for (const [start] of openFrom(hours, at.getTime())) return new Date(start);
  return null;
}

/** Open time between `from` and `to`, in ms (0 when `to` is not after `from`). */
export function businessMs(hours: BusinessHours | null, from: Date, to: Date): number {
  const end = to.getTime();
  if (end <= from.getTime()) return 0;
  if (!hours) return end - from.getTime();
  let total = 0;
  for (const [start, stop] of openFrom(hours, from.getTime())) {
    if (start >= end) break;
    total += Math.min(stop, end) - start;
  }
  return total;
}

/** The instant when `ms` of open time have passed since `from`; null if the desk never opens. */
export function addBusinessMs(hours: BusinessHours | null, from: Date, ms: number): Date | null {
  if (!hours) return new Date(from.getTime() + ms);
  let left = ms;
  for (const [start, stop] of openFrom(hours, from.getTime())) {
    if (stop - start >= left) return new Date(start + left);
    left -= stop - start;
  }
  return null;
}

/**
 * The latest instant from which `ms` of open time have passed by `to`: addBusinessMs backwards. A
 * wait that began then or earlier has had `ms` of business time by `to`. Null if the desk was not
 * open that long in the last HORIZON_DAYS days.
 */
export function subtractBusinessMs(hours: BusinessHours | null, to: Date, ms: number): Date | null {
  if (!hours) return new Date(to.getTime() - ms);
  let left = ms;
  for (const [start, end] of openUntil(hours, to.getTime())) {
    if (end - start >= left) return new Date(end - left);
    left -= end - start;
  }
  return null;
}

const WEEK_ORDER: readonly Weekday[] = ["mon", "tue", "wed", "thu", "fri", "sat", "sun"];
const DAY_NAMES: Readonly<Record<Weekday, string>> = {
  mon: "Mon",
  tue: "Tue",
  wed: "Wed",
  thu: "Thu",
  fri: "Fri",
  sat: "Sat",
  sun: "Sun",
};
const clock = (minutes: number) =>
  `${String(Math.floor(minutes / 60)).padStart(2, "0")}:${String(minutes % 60).padStart(2, "0")}`;

/**
 * The hours in a line, days with the same periods run together: "Mon–Fri 09:00–12:00, 13:00–17:00;
 * Sat 10:00–14:00 (Europe/Berlin), 2 holidays". Plain text.
 */
export function describeHours(hours: BusinessHours | null): string {
  if (!hours) return "always open";
  const periods = (d: Weekday) =>
    (hours.weekly[d] ?? []).map((p) => `${clock(p.from)}–${clock(p.to)}`).join(", ");
  const runs: { first: Weekday; last: Weekday; periods: string }[] = [];
  for (const day of WEEK_ORDER) {
    const text = periods(day);
    const run = runs.at(-1);
    if (text && run?.periods === text && WEEK_ORDER.indexOf(run.last) === WEEK_ORDER.indexOf(day) - 1)
      run.last = day;
    else if (text) runs.push({ first: day, last: day, periods: text });
  }
  const days = runs
    .map((r) => `${DAY_NAMES[r.first]}${r.first === r.last ? "" : `–${DAY_NAMES[r.last]}`} ${r.periods}`)
    .join("; ");
  const n = hours.holidays.size;
  const holidays = n ? `, ${n} ${n === 1 ? "holiday" : "holidays"}` : "";
  return `${days || "never open"} (${hours.timezone})${holidays}`;
}
