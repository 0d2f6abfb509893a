// Wall-clock time in an IANA time zone, from the platform's own tz data (Intl): a local date and
// time as an instant and back, across daylight-saving changes. Pure.

/** A calendar date in some time zone. */
export interface LocalDate {
  year: number;
  month: number;
  day: number;
}

const formatters = new Map<string, Intl.DateTimeFormat>();
function formatter(timeZone: string): Intl.DateTimeFormat {
  let f = formatters.get(timeZone);
  if (!f) {
    f = new Intl.DateTimeFormat("en-US", {
      timeZone,
      hourCycle: "h23",
      year: "numeric",
      month: "numeric",
      day: "numeric",
      hour: "numeric",
      minute: "numeric",
      second: "numeric",
    });
    formatters.set(timeZone, f);
  }
  return f;
}

/** The wall clock in `timeZone` at `at`. */
export function zonedParts(at: Date, timeZone: string) {
  const parts = formatter(timeZone).formatToParts(at);
  const get = (type: string) => Number(parts.find((p) => p.type === type)?.value ?? 0);
  return {
    year: get("year"),
    month: get("month"),
    day: get("day"),
    hour: get("hour"),
    minute: get("minute"),
    second: get("second"),
  };
}

/** How far `timeZone` is ahead of UTC at `at`. */
export function offsetMs(at: Date, timeZone: string): number {
  const p = zonedParts(at, timeZone);
  const asUtc = Date.UTC(p.year, p.month - 1, p.day, p.hour, p.minute, p.second);
  return asUtc - Math.floor(at.getTime() / 1000) * 1000;
}

/**
 * The instant `minutes` after midnight of `date` in `timeZone`. A wall time that a spring-forward
 * skips (02:30 on the night clocks jump from 02:00 to 03:00) is taken as the same time after the
 * jump; one that an autumn change repeats, as its first occurrence.
 */
export function zonedInstant(date: LocalDate, minutes: number, timeZone: string): Date {
  const wall = Date.UTC(date.year, date.month - 1, date.day) + minutes * 60_000;
  // The offsets a day either side: the two that apply around a change, or one and the same.
  const day = 86_400_000;
  const candidates = [offsetMs(new Date(wall - day), timeZone), offsetMs(new Date(wall + day), timeZone)].map(
    (offset) => wall - offset,
  );
  const valid = candidates.filter((t) => t + offsetMs(new Date(t), timeZone) === wall);
  return new Date(valid.length ? Math.min(...valid) : Math.max(...candidates));
}

/** Midnight of `at`'s day in `timeZone`, as an instant. */
export function startOfDay(at: Date, timeZone: string): Date {
  return zonedInstant(localDate(at, timeZone), 0, timeZone);
}

/** The date `at` falls on in `timeZone`. */
export function localDate(at: Date, timeZone: string): LocalDate {
  const { year, month, day } = zonedParts(at, timeZone);
  return { year, month, day };
}

/** The next calendar day (or `days` later). */
export function addDays(date: LocalDate, days = 1): LocalDate {
  const d = new Date(Date.UTC(date.year, date.month - 1, date.day + days));
  return { year: d.getUTCFullYear(), month: d.getUTCMonth() + 1, day: d.getUTCDate() };
}

/** 0 = Sunday … 6 = Saturday. */
export function weekday(date: LocalDate): number {
  return new Date(Date.UTC(date.year, date.month - 1, date.day)).getUTCDay();
}

/** `2026-12-24`. */
export function isoDate(date: LocalDate): string {
  const pad = (n: number) => String(n).padStart(2, "0");
  return `${date.year}-${pad(date.month)}-${pad(date.day)}`;
}
