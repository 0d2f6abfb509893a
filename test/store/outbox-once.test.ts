// OutboxRepository.enqueueOnce and enqueueSettled on a real database: one waiting item covers a burst of changes;
// a due time debounces, and an urgent request brings a lazier waiting item forward.
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

const due = async (lane: string) => (await store.outbox.laneHead(lane))?.nextAttemptAt.getTime();

describe("enqueueOnce", () => {
  it("without a due time: one waiting item, due now, whatever the burst (existing callers)", async () => {
    const before = Date.now();
    expect(
      await store.outbox.enqueueOnce("slack:C1", "slack.update_card", { conversationId: 1 }),
    ).not.toBeNull();
    expect(await store.outbox.enqueueOnce("slack:C1", "slack.update_card", { conversationId: 1 })).toBeNull();
    // Another payload or kind is another item.
    expect(
      await store.outbox.enqueueOnce("slack:C1", "slack.update_card", { conversationId: 2 }),
    ).not.toBeNull();
    expect((await store.outbox.countByStatus()).pending).toBe(2);
    expect(await due("slack:C1")).toBeLessThanOrEqual(Date.now());
    expect(await due("slack:C1")).toBeGreaterThanOrEqual(before - 1000);
  });

  it("with a due time: debounced, and brought forward by a more urgent request, never pushed back", async () => {
    const soon = new Date(Date.now() + 60_000);
    await store.outbox.enqueueOnce("home:U1", "slack.publish_home", { userId: "U1" }, soon);
    expect(await due("home:U1")).toBe(soon.getTime());
    // A later due time changes nothing.
    await store.outbox.enqueueOnce(
      "home:U1",
      "slack.publish_home",
      { userId: "U1" },
      new Date(Date.now() + 120_000),
    );
    expect(await due("home:U1")).toBe(soon.getTime());
    // An earlier one brings the waiting item forward.
    const now = new Date();
    expect(await store.outbox.enqueueOnce("home:U1", "slack.publish_home", { userId: "U1" }, now)).toBeNull();
    expect(await due("home:U1")).toBe(now.getTime());
    expect((await store.outbox.countByStatus()).pending).toBe(1);
  });

  it("an item under way is not covered: the change after it gets an item of its own", async () => {
    const id = (await store.outbox.enqueueOnce("home:U1", "slack.publish_home", { userId: "U1" }))!;
    await store.outbox.markStarted(id);
    expect(await store.outbox.enqueueOnce("home:U1", "slack.publish_home", { userId: "U1" })).not.toBeNull();
    expect((await store.outbox.countByStatus()).pending).toBe(2);
  });
});

describe("enqueueSettled", () => {
  const settle = { quietMs: 1_000, maxMs: 3_000 };

  it("a burst gives one item, due once changes stop, never later than maxMs after the first", async () => {
    const first = Date.now();
    expect(
      await store.outbox.enqueueSettled("card:1", "slack.update_card", { conversationId: 1 }, settle),
    ).not.toBeNull();
    const dueFirst = (await due("card:1"))!;
    expect(dueFirst).toBeGreaterThanOrEqual(first + settle.quietMs);
    await new Promise((r) => setTimeout(r, 30));
    // Another change pushes it back: quietMs from now.
    const second = Date.now();
    expect(
      await store.outbox.enqueueSettled("card:1", "slack.update_card", { conversationId: 1 }, settle),
    ).toBeNull();
    expect(await due("card:1")).toBeGreaterThanOrEqual(second + settle.quietMs);
    expect(await due("card:1")).toBeGreaterThan(dueFirst);
    // A steady stream stops at maxMs after the item was first enqueued.
    const long = { quietMs: 60_000, maxMs: 3_000 };
    await store.outbox.enqueueSettled("card:1", "slack.update_card", { conversationId: 1 }, long);
    expect(await due("card:1")).toBeLessThanOrEqual(Date.now() + settle.maxMs);
    expect((await store.outbox.countByStatus()).pending).toBe(1);
  });

  it("an item under way is not covered: the change after it gets an item of its own", async () => {
    const id = (await store.outbox.enqueueSettled(
      "card:1",
      "slack.update_card",
      { conversationId: 1 },
      settle,
    ))!;
    await store.outbox.markStarted(id);
    expect(
      await store.outbox.enqueueSettled("card:1", "slack.update_card", { conversationId: 1 }, settle),
    ).not.toBeNull();
    expect((await store.outbox.countByStatus()).pending).toBe(2);
  });
});
