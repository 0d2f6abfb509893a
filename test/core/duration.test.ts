import { describe, expect, it } from "vitest";
import { parseDuration } from "../../src/core/duration.ts";

describe('parseDuration (SPEC §7: "45s", "30m", "4h", "2d", or combined)', () => {
  it.each([
    ["45s", 45_000],
    ["30m", 1_800_000],
    ["4h", 14_400_000],
    ["2d", 172_800_000],
    ["1h30m", 5_400_000],
    ["2d4h", 187_200_000],
    ["1d2h3m4s", 93_784_000],
    [" 10M ", 600_000],
    ["0m", 0],
  ])("%s is %i ms", (text, ms) => {
    expect(parseDuration(text)).toBe(ms);
  });

  it.each(["", "30", "m", "1.5h", "30m1h", "1 h", "-5m", "1w", "h30m"])("%j is not a duration", (text) => {
    expect(parseDuration(text)).toBeNull();
  });
});
