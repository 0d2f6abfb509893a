// Which schedule slot to post, and whether it is too late. Pure: the cron matcher is passed in
// (node-cron's own, so the catch-up agrees with the timer about what a slot is).

/** A slot missed while the app was down is still posted when it is less late than this. */
export const CATCH_UP_MS = 15 * 60_000;
/** How far back start-up looks for a missed slot (to say which one it skipped). */
export const LOOKBACK_MS = 24 * 60 * 60_000;

const MINUTE = 60_000;

/** The minute `at` falls in (cron slots are whole minutes). */
export const floorToMinute = (at: Date) => new Date(Math.floor(at.getTime() / MINUTE) * MINUTE);

/** The latest minute at or before `now`, at most `lookbackMs` back, that the schedule matches. */
export function latestSlot(
  matches: (minute: Date) => boolean,
  now: Date,
  lookbackMs = LOOKBACK_MS,
): Date | null {
  const newest = floorToMinute(now).getTime();
  for (let t = newest; t >= newest - lookbackMs; t -= MINUTE) if (matches(new Date(t))) return new Date(t);
  return null;
}

export type SlotDecision =
  | { kind: "post"; slot: Date; lateMs: number }
  | { kind: "skip"; slot: Date; lateMs: number }
  | { kind: "none" };

/** At start-up: the last slot is posted if it is less than CATCH_UP_MS late, else skipped. */
export function catchUpDecision(slot: Date | null, now: Date, graceMs = CATCH_UP_MS): SlotDecision {
  if (!slot) return { kind: "none" };
  const lateMs = now.getTime() - slot.getTime();
  return lateMs < graceMs ? { kind: "post", slot, lateMs } : { kind: "skip", slot, lateMs };
}
