// The outbox's lane heads on a real SQLite file: the worker's scan gets only the lanes whose head
// is due, oldest first, and when the next item falls due; the drain's scan gets every lane's head,
// however many lanes wait.
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { createStore, openDatabase, type Store } from "../../src/store/index.ts";
import { freshDatabaseUrl } from "../helpers/db.ts";

let store: Store;
beforeEach(async () => {
  store = createStore(await openDatabase(freshDatabaseUrl()));
});
afterEach(async () => {
  await store.close();
});

const MIN = 60_000;
const put = (lane: string, inMs: number) =>
  store.outbox.enqueue(lane, "targets.check", { lane }, new Date(Date.now() + inMs));

describe("dueLaneHeads", () => {
  it("a lane's head when it is due, oldest lanes first; the next due time of any pending item", async () => {
    const late = await put("b", -2 * MIN);
    await put("a", 10 * MIN);
    await put("a", -MIN); // due, behind a's head that is not
    const early = await put("c", -3 * MIN);
    await put("c", -MIN); // behind c's head
    await put("d", 20 * MIN);
    const done = await put("e", -MIN);
    await store.outbox.markDone(done);
    const failed = await put("f", -MIN);
    await store.outbox.markFailed(failed, "gone");

    const scan = await store.outbox.dueLaneHeads(new Date(), 100);
    // a's due item waits behind a's head, which is not due: a lane keeps its order.
    expect(scan.heads.map((h) => h.id)).toEqual([late, early]);
    expect(scan.nextDueAt).toEqual((await store.outbox.laneHead("a"))?.nextAttemptAt);

    // The limit takes the oldest; once nothing waits, no next due time.
    expect((await store.outbox.dueLaneHeads(new Date(), 1)).heads.map((h) => h.id)).toEqual([late]);
    expect((await store.outbox.dueLaneHeads(new Date(Date.now() + 30 * MIN), 100)).nextDueAt).toBeNull();
  });

  it("an item under way is still its lane's head (the worker skips busy lanes)", async () => {
    const id = await put("a", -MIN);
    await store.outbox.markStarted(id);
    expect((await store.outbox.dueLaneHeads(new Date(), 10)).heads).toMatchObject([{ id, uncertain: true }]);
  });

  it("finds a due lane behind 1,200 older lanes whose timers wait", async () => {
    const at = new Date(Date.now() + 60 * MIN);
    await store.transaction(async (tx) => {
      for (let i = 0; i < 1200; i++) await tx.outbox.enqueue(`target:${i}`, "targets.check", {}, at);
    });
    const id = await put("slack:C1", -1000);
    const scan = await store.outbox.dueLaneHeads(new Date(), 1000);
    expect(scan.heads.map((h) => h.id)).toEqual([id]);
    expect(scan.nextDueAt).toEqual(at);
  });
});

describe("laneHeads", () => {
  it("every lane's head, due or not, oldest lanes first, past SQLite's 999 bound parameters", async () => {
    await store.transaction(async (tx) => {
      for (let i = 0; i < 1200; i++) {
        await tx.outbox.enqueue(`lane:${i}`, "targets.check", { i }, new Date(Date.now() + MIN));
        await tx.outbox.enqueue(`lane:${i}`, "targets.check", { i, second: true });
      }
    });
    const heads = await store.outbox.laneHeads(1000);
    expect(heads).toHaveLength(1000);
    expect(heads.map((h) => h.lane)).toEqual(Array.from({ length: 1000 }, (_, i) => `lane:${i}`));
    expect(heads.every((h) => !(h.payload as { second?: boolean }).second)).toBe(true);
  });
});
