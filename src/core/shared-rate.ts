// A rate budget shared by several HeroDesk processes through the database (issue 14): which slot
// the next call gets, from the state every replica reads and writes under one row lock.
/** A rate budget several replicas share (SlackRepository.reserveSlots keeps its state). */
export interface SharedRate {
  intervalMs: number;
  burst: number;
  minute?: { calls: number; ms: number };
}

/**
 * The next slot of a budget whose state is `freeAt` (the cell rate's theoretical arrival time) and
 * `recent` (slots already given, oldest first): no sooner than the burst allows, than the minute
 * allows, or than the last slot given (slots are handed out in order), nor than `notBefore` (a call
 * that counts against several budgets takes the latest of their slots in each). Pure: the waits
 * are exact.
 */
export function nextSlot(
  budget: SharedRate,
  state: { freeAt: number; recent: number[] },
  now: number,
  notBefore = now,
): { at: number; freeAt: number; recent: number[] } {
  const interval = Math.ceil(budget.intervalMs);
  const tolerance = (Math.max(1, budget.burst) - 1) * interval;
  const theoretical = Math.max(state.freeAt, now);
  const last = state.recent.at(-1) ?? Number.NEGATIVE_INFINITY;
  let at = Math.max(now, notBefore, theoretical - tolerance, last);
  const minute = budget.minute;
  if (minute && state.recent.length >= minute.calls)
    at = Math.max(at, state.recent[state.recent.length - minute.calls]! + minute.ms);
  const keepFrom = minute ? now - minute.ms : at;
  return {
    at,
    freeAt: Math.max(theoretical, at) + interval,
    recent: [...state.recent.filter((t) => t > keepFrom), at],
  };
}
