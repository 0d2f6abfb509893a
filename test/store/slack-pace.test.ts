// Slack's rate budgets shared by replicas (issue 14): a slot is reserved in one statement, so
// replicas on one database never give one slot out twice. The clock is passed in: the waits are exact.
import { afterEach, expect, it } from "vitest";
import { createStore, openDatabase, type Store } from "../../src/store/index.ts";
import { freshDatabaseUrl, onPostgres } from "../helpers/db.ts";

const stores: Store[] = [];
afterEach(async () => {
  for (const s of stores.splice(0)) await s.close();
});

async function open(url: string) {
  const store = createStore(await openDatabase(url));
  stores.push(store);
  return store;
}

const ONE_A_SECOND = { intervalMs: 1000, burst: 3 };
const T0 = 1_800_000_000_000;

it("a burst goes at once, then one slot an interval; a slot too far away is not reserved", async () => {
  const { slack } = await open(freshDatabaseUrl());
  const waits = [];
  for (let i = 0; i < 5; i++) waits.push(await slack.reserveSlot("post:C1", ONE_A_SECOND, 5000, T0));
  expect(waits).toEqual([0, 0, 0, 1000, 2000]);
  // The next is 3 s away: over a 2.5 s limit it is refused, and nothing is taken.
  expect(await slack.reserveSlot("post:C1", ONE_A_SECOND, 2500, T0)).toBeNull();
  expect(await slack.reserveSlot("post:C1", ONE_A_SECOND, 5000, T0)).toBe(3000);
  // Another channel has its own budget; time passing frees slots again.
  expect(await slack.reserveSlot("post:C2", ONE_A_SECOND, 0, T0)).toBe(0);
  expect(await slack.reserveSlot("post:C1", ONE_A_SECOND, 0, T0 + 10_000)).toBe(0);
});

it.runIf(onPostgres())("two replicas reserving at once never share a slot", async () => {
  const url = freshDatabaseUrl();
  const [a, b] = [await open(url), await open(url)];
  const waits = await Promise.all(
    Array.from({ length: 20 }, (_, i) =>
      (i % 2 ? a : b).slack.reserveSlot("post:C1", ONE_A_SECOND, 60_000, T0),
    ),
  );
  expect(waits.sort((x, y) => x! - y!)).toEqual([
    0,
    0,
    0,
    ...Array.from({ length: 17 }, (_, i) => (i + 1) * 1000),
  ]);
});
