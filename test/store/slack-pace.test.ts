// Slack's rate budgets shared by replicas (issue 14): a slot is reserved under its budget row's
// lock, so replicas on one database never give one slot out twice. The clock is passed in: the
// waits are exact.
import { expect, it } from "vitest";
import type { Store } from "../../src/store/index.ts";
import { freshDatabaseUrl, onPostgres, storesClosedAfterEach } from "../helpers/db.ts";

const open = storesClosedAfterEach();

const ONE_A_SECOND = { intervalMs: 1000, burst: 3 };

/** The wait for the slot reserved, or null when none was (it was more than `maxWaitMs` away). */
async function reserve(
  slack: Store["slack"],
  budgets: Parameters<Store["slack"]["reserveSlots"]>[0],
  maxWaitMs: number,
  now: number,
): Promise<number | null> {
  const slot = await slack.reserveSlots(budgets, maxWaitMs, now);
  return slot.reserved ? slot.waitMs : null;
}
const T0 = 1_800_000_000_000;

it("a burst goes at once, then one slot an interval; a slot too far away is not reserved", async () => {
  const { slack } = await open(freshDatabaseUrl());
  const waits = [];
  for (let i = 0; i < 5; i++)
    waits.push(await reserve(slack, [{ key: "post:C1", ...ONE_A_SECOND }], 5000, T0));
  expect(waits).toEqual([0, 0, 0, 1000, 2000]);
  // The next is 3 s away: over a 2.5 s limit it is refused, and nothing is taken.
  expect(await reserve(slack, [{ key: "post:C1", ...ONE_A_SECOND }], 2500, T0)).toBeNull();
  expect(await reserve(slack, [{ key: "post:C1", ...ONE_A_SECOND }], 5000, T0)).toBe(3000);
  // Another channel has its own budget; time passing frees slots again.
  expect(await reserve(slack, [{ key: "post:C2", ...ONE_A_SECOND }], 0, T0)).toBe(0);
  expect(await reserve(slack, [{ key: "post:C1", ...ONE_A_SECOND }], 0, T0 + 10_000)).toBe(0);
});

it("at most a minute's calls in any minute, however large the burst; the minute slides", async () => {
  const { slack } = await open(freshDatabaseUrl());
  // Slack's workspace-wide posting figure as the pacer shares it: 285 a minute (95 % of the
  // "several hundred messages per minute" of docs.slack.dev/reference/methods/chat.postMessage,
  // read as 300), bursts of 150.
  const POSTS = { intervalMs: 60_000 / 285, burst: 150, minute: { calls: 285, ms: 60_025 } };
  const waits: number[] = [];
  for (let i = 0; i < 300; i++)
    waits.push((await reserve(slack, [{ key: "method:chat.postMessage", ...POSTS }], 120_000, T0))!);
  // The burst goes at once, then one slot an interval (211 ms) …
  expect(waits.slice(0, 150).every((w) => w === 0)).toBe(true);
  expect(waits[150]).toBe(211);
  // … until the minute holds 285: the 286th waits for the first to be a minute old.
  const inFirstMinute = waits.filter((w) => w < 60_025).length;
  expect(inFirstMinute).toBe(285);
  expect(waits[285]).toBe(60_025);
  // Every 60 s holds at most 285, wherever it starts.
  const times = waits.map((w) => T0 + w);
  for (const [i, t] of times.entries())
    expect(times.filter((u) => u >= t && u < t + 60_000).length, `from slot ${i}`).toBeLessThanOrEqual(285);
});

it("a call takes the latest slot of its budgets in each, and a call turned away takes none", async () => {
  const { slack } = await open(freshDatabaseUrl());
  const POSTS = { key: "method:chat.postMessage", intervalMs: 60_000, burst: 10 };
  const CHANNEL = { key: "post:C1", ...ONE_A_SECOND };
  const waits = [];
  for (let i = 0; i < 4; i++) waits.push(await reserve(slack, [POSTS, CHANNEL], 1500, T0));
  // The channel's burst of three, then its next second: the workspace budget is held back with it.
  expect(waits).toEqual([0, 0, 0, 1000]);
  // The channel's next slot is 2 s away: refused, told when to come back, and the workspace
  // budget spends nothing on it.
  expect(await slack.reserveSlots([POSTS, CHANNEL], 1500, T0)).toEqual({ waitMs: 2000, reserved: false });
  const workspaceOnly = [];
  for (let i = 0; i < 7; i++) workspaceOnly.push(await reserve(slack, [POSTS], 0, T0 + 1000));
  // 10 in the burst: 4 taken above, 6 more at once, then none (had the refused call spent one,
  // only 5 would go).
  expect(workspaceOnly.filter((w) => w === 0)).toHaveLength(6);
  expect(workspaceOnly.at(-1)).toBeNull();
});

it.runIf(onPostgres())("two replicas reserving at once never share a slot", async () => {
  const url = freshDatabaseUrl();
  const [a, b] = [await open(url), await open(url)];
  const waits = await Promise.all(
    Array.from({ length: 20 }, (_, i) =>
      reserve((i % 2 ? a : b).slack, [{ key: "post:C1", ...ONE_A_SECOND }], 60_000, T0),
    ),
  );
  expect(waits.sort((x, y) => x! - y!)).toEqual([
    0,
    0,
    0,
    ...Array.from({ length: 17 }, (_, i) => (i + 1) * 1000),
  ]);
});
