import { describe, expect, it } from "vitest";
import { nextSlot, type SharedRate } from "../../src/core/shared-rate.ts";

const NOW = 1_000_000;
const ONE_A_SECOND: SharedRate = { intervalMs: 1000, burst: 3 };
const FIVE_A_MINUTE: SharedRate = { intervalMs: 1000, burst: 5, minute: { calls: 5, ms: 60_000 } };

describe("nextSlot: the slot a shared budget gives the next call", () => {
  it.each([
    ["a fresh budget: now", ONE_A_SECOND, { freeAt: 0, recent: [] }, 0],
    ["within the burst: now", ONE_A_SECOND, { freeAt: NOW + 2000, recent: [NOW] }, 0],
    ["the burst spent: one interval on", ONE_A_SECOND, { freeAt: NOW + 3000, recent: [NOW] }, 1000],
    ["never before the last slot given", ONE_A_SECOND, { freeAt: NOW, recent: [NOW + 500] }, 500],
    [
      "a minute's calls given: when the oldest is a minute old",
      FIVE_A_MINUTE,
      { freeAt: NOW + 1000, recent: [NOW - 50_000, NOW - 40_000, NOW - 30_000, NOW - 20_000, NOW - 10_000] },
      10_000,
    ],
    [
      "calls older than the minute do not count",
      FIVE_A_MINUTE,
      { freeAt: NOW, recent: [NOW - 70_000, NOW - 40_000, NOW - 30_000, NOW - 20_000, NOW - 10_000] },
      0,
    ],
  ])("%s", (_, budget, state, wait) => {
    expect(nextSlot(budget, state, NOW).at - NOW).toBe(wait);
  });

  it("keeps only the last minute's slots, and moves the cell rate on by one interval", () => {
    const next = nextSlot(FIVE_A_MINUTE, { freeAt: NOW, recent: [NOW - 70_000, NOW - 1000] }, NOW);
    expect(next).toEqual({ at: NOW, freeAt: NOW + 1000, recent: [NOW - 1000, NOW] });
  });

  it("a call that another budget holds back takes that later slot here too", () => {
    const next = nextSlot(ONE_A_SECOND, { freeAt: 0, recent: [] }, NOW, NOW + 700);
    expect(next).toEqual({ at: NOW + 700, freeAt: NOW + 1700, recent: [NOW + 700] });
  });
});
