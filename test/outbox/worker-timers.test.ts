// The outbox worker under many waiting timers (response targets, hero waits), on a real SQLite
// store: work that comes due in a lane nobody kicked (after a restart, or seeded) is found by the
// periodic scan however many older timers wait, a lane still runs in id order, and a timer that
// waits is not looked at again and again until it is due.
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { createLogger } from "../../src/logger.ts";
import type { JobHandlers } from "../../src/outbox/handler.ts";
import { JOBS } from "../../src/outbox/jobs.ts";
import { OutboxWorker } from "../../src/outbox/worker.ts";
import { createStore, openDatabase, type Store } from "../../src/store/index.ts";
import { freshDatabaseUrl } from "../helpers/db.ts";
import { waitFor } from "../helpers/wait.ts";

const POLL_MS = 50;
const HOUR = 3_600_000;

let store: Store;
let worker: OutboxWorker | undefined;
/** Whether the store tells the worker of new work (as in HeroDesk); off: as after a restart. */
let kicks = false;
/** How often the worker looked at the head of a timer's lane. */
let timerLookups = 0;
/** What the worker performed: the item's id and when. */
let performed: { id: number; at: number }[];

beforeEach(async () => {
  store = createStore(await openDatabase(freshDatabaseUrl()), {
    onEnqueued: (lanes) => kicks && worker?.kick(lanes),
  });
  kicks = false;
  timerLookups = 0;
  performed = [];
});
afterEach(async () => {
  await worker?.stop();
  worker = undefined;
  await store.close();
});

/** Every kind records which item it ran. */
function recordingHandlers(): JobHandlers {
  const handler = {
    retry: () => ({ initialDelayMs: 100, maxDelayMs: 100 }),
    perform: async (_payload: unknown, attempt: { id: number }) => {
      performed.push({ id: attempt.id, at: Date.now() });
    },
  };
  return Object.fromEntries(Object.keys(JOBS).map((kind) => [kind, handler])) as unknown as JobHandlers;
}

function startWorker(pollMs = POLL_MS) {
  // The real store; lookups of a timer's lane counted on the way.
  const outbox = new Proxy(store.outbox, {
    get: (target, method: keyof Store["outbox"]) =>
      method === "laneHead"
        ? (lane: string) => {
            if (lane.startsWith("target:")) timerLookups++;
            return target.laneHead(lane);
          }
        : target[method],
  });
  worker = new OutboxWorker({
    store: { ...store, outbox },
    handlers: recordingHandlers(),
    logger: createLogger("error"),
    pollMs,
  });
  worker.start();
}

const check = (conversationId: number) => ({ conversationId, since: 0, step: "breached" });

/** `count` timers, each in a lane of its own, due in an hour (a response target's steps). */
async function waitingTimers(count: number, first = 1) {
  const at = new Date(Date.now() + HOUR);
  await store.transaction(async (tx) => {
    for (let i = first; i < first + count; i++)
      await tx.outbox.enqueue(`target:${i}:0:breached`, "targets.check", check(i), at);
  });
}

describe("the worker's scan under many waiting timers", () => {
  it("finds a due item in a newer lane behind 1,200 older waiting timers", async () => {
    await waitingTimers(1200);
    // Due now, in a lane nobody kicked the worker for (written before a restart, say).
    const id = await store.outbox.enqueue(
      "slack:C0LATE",
      "slack.post_notice",
      { conversationId: 1, key: "k", text: "late" },
      new Date(Date.now() - 1000),
    );
    startWorker();
    await waitFor("the due item", () => performed.some((p) => p.id === id), 10 * POLL_MS + 1000);
    expect(performed.map((p) => p.id)).toEqual([id]);
  });

  it("runs a timer that comes due behind 1,200 older ones at its time, not at the next poll", async () => {
    await waitingTimers(1200);
    const due = Date.now() + 600;
    const id = await store.outbox.enqueue(
      "target:9999:0:at_risk",
      "targets.check",
      check(9999),
      new Date(due),
    );
    startWorker(1000); // HeroDesk's poll interval
    const run = await waitFor("the timer", () => performed.find((p) => p.id === id), 3000);
    expect(run.at).toBeGreaterThanOrEqual(due);
    expect(run.at - due).toBeLessThan(200);
  });

  it("keeps a lane's order: a due item waits behind its lane's head that is not due yet", async () => {
    const reply = (messageId: number) => ({ messageId, sourceId: "web" });
    const first = await store.outbox.enqueue(
      "reply:7",
      "reply.deliver",
      reply(1),
      new Date(Date.now() + 400),
    );
    const second = await store.outbox.enqueue(
      "reply:7",
      "reply.deliver",
      reply(2),
      new Date(Date.now() - 1000),
    );
    startWorker();
    await waitFor("both", () => performed.length === 2, 3000);
    expect(performed.map((p) => p.id)).toEqual([first, second]);
  });

  it("does not look at a waiting timer again and again until it is due", async () => {
    kicks = true;
    startWorker(1000); // HeroDesk's poll interval: kicked lanes are looked at between scans
    // Conversations start waiting (50 timers at a time) while other work arrives all the time
    // (inbound messages, say), each kicking the worker. It hears of all 1,200 timers' lanes and
    // looks at each once at most (a scan may cover them).
    for (let i = 0; i < 60; i++) {
      if (i < 24) await waitingTimers(50, 1 + 50 * i);
      await store.outbox.enqueue("slack:C0BUSY", "slack.post_notice", {
        conversationId: 1,
        key: `${i}`,
        text: "hi",
      });
      await new Promise((r) => setTimeout(r, 25));
    }
    await waitFor("the busy lane's work", () => performed.length === 60);
    expect(timerLookups).toBeLessThanOrEqual(1200);
  });
});
