import { describe, expect, it } from "vitest";
import { CATCH_UP_MS, catchUpDecision, floorToMinute, latestSlot } from "../../src/core/schedule.ts";

const at = (iso: string) => new Date(iso);
/** 09:00 every day (UTC), like `0 9 * * *`. */
const nineOClock = (d: Date) => d.getUTCHours() === 9 && d.getUTCMinutes() === 0;
/** Every 15 minutes, like `*\/15 * * * *`. */
const quarterly = (d: Date) => d.getUTCMinutes() % 15 === 0;

describe("latestSlot", () => {
  it.each([
    ["exactly at the slot", nineOClock, "2026-11-23T09:00:00.000Z", "2026-11-23T09:00:00.000Z"],
    ["30 s into the slot's minute", nineOClock, "2026-11-23T09:00:30.000Z", "2026-11-23T09:00:00.000Z"],
    ["just before the slot: yesterday's", nineOClock, "2026-11-23T08:59:59.999Z", "2026-11-22T09:00:00.000Z"],
    ["only the latest of many slots", quarterly, "2026-11-23T10:31:00.000Z", "2026-11-23T10:30:00.000Z"],
  ])("%s", (_name, matches, now, slot) => {
    expect(latestSlot(matches, at(now))).toEqual(at(slot));
  });

  it("looks back no further than asked", () => {
    expect(latestSlot(nineOClock, at("2026-11-23T08:00:00Z"), 60 * 60_000)).toBeNull();
  });
});

describe("catchUpDecision", () => {
  const slot = at("2026-11-23T09:00:00Z");
  it.each([
    ["on time", "2026-11-23T09:00:00Z", "post"],
    ["a restart at 09:00:30", "2026-11-23T09:00:30Z", "post"],
    ["14 min 59 s late", "2026-11-23T09:14:59Z", "post"],
    ["exactly 15 min late", "2026-11-23T09:15:00Z", "skip"],
    ["hours late", "2026-11-23T13:00:00Z", "skip"],
  ])("%s: %s", (_name, now, kind) => {
    expect(catchUpDecision(slot, at(now)).kind).toBe(kind);
  });

  it("says how late, and nothing without a slot", () => {
    expect(catchUpDecision(slot, at("2026-11-23T09:10:00Z"))).toEqual({
      kind: "post",
      slot,
      lateMs: 600_000,
    });
    expect(catchUpDecision(null, slot)).toEqual({ kind: "none" });
    expect(CATCH_UP_MS).toBe(15 * 60_000);
  });

  it("floors to the minute", () => {
    expect(floorToMinute(at("2026-11-23T09:00:59.999Z"))).toEqual(at("2026-11-23T09:00:00Z"));
  });
});
