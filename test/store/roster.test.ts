// The roster routing keeps in memory between routings (issue 14: routing p99 on PostgreSQL): a
// routing starts from the roster the last one left while nothing in it changed, and sees every
// change made since, whichever code path or replica made it (triggers bump RosterVersion).
import pg from "pg";
import { expect, it } from "vitest";
import { parseFileConfig, type SourceConfig } from "../../src/config.ts";
import { createRouting } from "../../src/services/route-conversation.ts";
import type { Store } from "../../src/store/index.ts";
import { freshDatabaseUrl, onPostgres, storesClosedAfterEach } from "../helpers/db.ts";
import { agent, conversation, team } from "../helpers/factories.ts";

const openStore = storesClosedAfterEach();

async function open(url: string) {
  const store = await openStore(url);
  const file = parseFileConfig({
    sources: [{ id: "web", secret: "web-secret-0123456789", slackChannel: "C0DESK" }],
  });
  const sources: ReadonlyMap<string, SourceConfig> = new Map(file.sources.map((s) => [s.id, s]));
  const routing = createRouting({ store, sources });
  /** A new conversation, routed as the outbox would: who got it (Slack id), or null. */
  const route = async () => {
    const { n } = await conversation(store);
    await store.transaction((tx) => routing.routeQueue(tx, n));
    const after = await store.conversations.get(n);
    return after?.assigneeId ? (await store.agents.get(after.assigneeId))!.slackUserId : null;
  };
  return { store, route };
}

async function online(store: Store, slackId: string, capacity: number) {
  const a = await agent(store, slackId, "agent", { capacity });
  await store.agents.update(a.id, { status: "online" });
  return a;
}

it("a routing starts from the roster the last one kept, its assignments counted", async () => {
  const { store, route } = await open(freshDatabaseUrl());
  const ada = await online(store, "U0ADA", 2);
  await online(store, "U0BOB", 1);
  await team(store, "Support", [ada]);
  // Capacity holds across routings that start from the kept roster: 2 + 1, then the queue.
  const got = [await route(), await route(), await route(), await route()];
  expect(got.filter((g) => g === "U0ADA")).toHaveLength(2);
  expect(got.filter((g) => g === "U0BOB")).toHaveLength(1);
  expect(got[3]).toBeNull();
  // Kept, not read again: the teams come back as the very list kept.
  const first = await store.transaction((tx) => tx.agents.onlineRoster());
  const second = await store.transaction((tx) => tx.agents.onlineRoster());
  expect(second.teams).toBe(first.teams);
  // The open counts it starts from are the stored ones.
  expect(second.agents.map((a) => [a.slackUserId, a.openCount])).toEqual([
    ["U0ADA", 2],
    ["U0BOB", 1],
  ]);
});

it("a change through any path, or by another replica, is seen by the next routing", async () => {
  const url = freshDatabaseUrl();
  const a = await open(url);
  const ada = await online(a.store, "U0ADA", 0);
  expect(await a.route()).toBe("U0ADA");
  // The same process, outside routing: Ada goes away; Bob comes online.
  await a.store.agents.update(ada.id, { status: "away" });
  const bob = await online(a.store, "U0BOB", 0);
  expect(await a.route()).toBe("U0BOB");
  // Another replica on the same database: Bob goes offline, Ada is back.
  const b = await open(url);
  await b.store.agents.update(bob.id, { status: "offline" });
  await b.store.agents.update(ada.id, { status: "online" });
  expect(await a.route()).toBe("U0ADA");
});

it("a roster kept by a transaction that rolled back is not kept", async () => {
  const { store, route } = await open(freshDatabaseUrl());
  await online(store, "U0ADA", 1);
  expect(await route()).toBe("U0ADA");
  const kept = await store.transaction((tx) => tx.agents.onlineRoster());
  await expect(
    store.transaction(async (tx) => {
      const r = await tx.agents.onlineRoster();
      r.agents[0]!.openCount = 99;
      await tx.agents.keepRoster(r);
      throw new Error("rolled back");
    }),
  ).rejects.toThrow("rolled back");
  const after = await store.transaction((tx) => tx.agents.onlineRoster());
  expect(after.teams).toBe(kept.teams); // still the one kept before
  expect(after.agents[0]!.openCount).toBe(1);
});

it.runIf(onPostgres())(
  "a change another replica has not committed yet is waited for, then routed around",
  async () => {
    const url = freshDatabaseUrl();
    const { store, route } = await open(url);
    await online(store, "U0ADA", 0);
    await online(store, "U0BOB", 0);
    expect(await route()).toBe("U0ADA"); // now Bob holds fewer: he would be next
    // Outside HeroDesk's writer lock (a plain connection): Bob goes offline, not yet committed.
    const other = new pg.Client({ connectionString: url });
    await other.connect();
    try {
      await other.query("BEGIN");
      await other.query(`UPDATE "Agent" SET "status" = 'offline' WHERE "slackUserId" = 'U0BOB'`);
      let routed: string | null | undefined;
      const routing = route().then((r) => {
        routed = r;
      });
      await new Promise((r) => setTimeout(r, 300));
      expect(routed).toBeUndefined(); // it waits for the change …
      await other.query("COMMIT");
      await routing;
      expect(routed).toBe("U0ADA"); // … and does not give the conversation to Bob
    } finally {
      await other.end();
    }
  },
);
