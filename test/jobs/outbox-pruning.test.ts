// Finished outbox items are pruned after outboxRetentionDays (issue 15, part 8); work still to do
// and items given up on are kept. Through the running app, on its real SQLite file.
import { afterEach, expect, it } from "vitest";
import { PRUNING, SLACK_EVENT_KEEP_MS } from "../../src/jobs/outbox-pruning.ts";
import { type Stack, startStack } from "../helpers/stack.ts";
import { waitFor } from "../helpers/wait.ts";

let stack: Stack;
afterEach(async () => {
  await stack?.stop();
});

it("done items older than the retention go, in batches; pending and given-up ones stay", async () => {
  // Leniency, by name: posts go fast (many customers write at once in one channel).
  stack = await startStack({
    file: { outboxRetentionDays: 1 },
    postsPerChannel: { perSecond: 100, burst: 100 },
  });
  for (let i = 0; i < 3; i++) await stack.customerWrites(`cust-${i}`, `hello ${i}`);
  const outbox = stack.app.store.outbox;
  const given = await outbox.enqueue("reply:999", "reply.deliver", { messageId: 999, sourceId: "web" });
  await outbox.markFailed(given, "given up");
  const later = await outbox.enqueue(
    "reply:998",
    "reply.deliver",
    { messageId: 998, sourceId: "web" },
    new Date(Date.now() + 3_600_000),
  );
  const before = await outbox.countByStatus();
  expect(before.done).toBeGreaterThan(0);

  // Nothing is old enough yet.
  expect(await stack.app.pruning.pruneNow()).toBe(0);
  // A day and a bit later (the same sweep with "now" moved: done items finished before it go).
  const dayLater = new Date(Date.now() + 86_400_000 + 60_000);
  let pruned = 0;
  for (;;) {
    const n = await outbox.pruneDone(new Date(dayLater.getTime() - 86_400_000), PRUNING.batch);
    pruned += n;
    if (n < PRUNING.batch) break;
  }
  expect(pruned).toBe(before.done);
  const after = await outbox.countByStatus();
  expect(after.done ?? 0).toBe(0);
  expect(after.failed).toBe(before.failed);
  expect(after.pending).toBe(before.pending);
  expect((await outbox.laneHead("reply:998"))?.id).toBe(later);
});

it("the app sweeps by itself: with a retention of a moment, finished items are gone soon after", async () => {
  stack = await startStack({ file: { outboxRetentionDays: 0.00001 }, pruneEveryMs: 200 });
  await stack.customerWrites("cust-a", "hello");
  expect((await stack.app.store.outbox.countByStatus()).done).toBeGreaterThan(0);
  await waitFor("the sweep", async () => ((await stack.app.store.outbox.countByStatus()).done ?? 0) === 0);
  // The app goes on: the next message is taken and mirrored as before.
  await stack.customerWrites("cust-b", "still here");
  expect(stack.emulator.workspace.messages("C0SUPPORT").length).toBeGreaterThanOrEqual(2);
});

it("the replay guard's signed requests go once their timestamp is too old to be accepted", async () => {
  stack = await startStack();
  const slack = stack.app.store.slack;
  const now = Date.now();
  expect(await slack.takeRequest("old", now - 1)).toBe(true);
  expect(await slack.takeRequest("fresh", now + 300_000)).toBe(true);
  await stack.app.pruning.pruneNow();
  // The old key can be taken again (it is gone); the fresh one is still taken.
  expect(await slack.takeRequest("old", now + 300_000)).toBe(true);
  expect(await slack.takeRequest("fresh", now + 300_000)).toBe(false);
});

it("Slack event ids go once a day old: a retry within the day is still dropped", async () => {
  stack = await startStack();
  const slack = stack.app.store.slack;
  const dayAgo = new Date(Date.now() - SLACK_EVENT_KEEP_MS - 1000);
  expect(await slack.markEventSeen("Ev0OLD", dayAgo)).toBe(true);
  expect(await slack.markEventSeen("Ev0RECENT", new Date(Date.now() - 600_000))).toBe(true);
  await stack.app.pruning.pruneNow();
  expect(await slack.markEventSeen("Ev0RECENT")).toBe(false);
  expect(await slack.markEventSeen("Ev0OLD")).toBe(true);
});
