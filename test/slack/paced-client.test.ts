// The outbox's Web API client when replicas share Slack's limits (issue 14): each call takes its
// slot in every shared budget at once (SlackRepository.reserveSlots, on a real database) before
// the real WebClient calls the emulator; a call turned away sends nothing and spends nothing, and
// is told to come back when the shared slot is due, not after a guess.
import { afterEach, beforeEach, expect, it } from "vitest";
import { SlackEmulator } from "../../src/emulator/index.ts";
import { SlackPacer } from "../../src/slack/pacing.ts";
import { PacedError, PacedWebClient } from "../../src/slack/slack-client.ts";
import type { Store } from "../../src/store/index.ts";
import { freshDatabaseUrl, storesClosedAfterEach } from "../helpers/db.ts";

const open = storesClosedAfterEach();
let emulator: SlackEmulator;
let store: Store;
let client: PacedWebClient;
let pacer: SlackPacer;

beforeEach(async () => {
  emulator = await SlackEmulator.start();
  emulator.workspace.addChannel({ id: "C0PACED", name: "paced" });
  store = await open(freshDatabaseUrl());
  pacer = new SlackPacer({ postsPerSecondPerChannel: 1, burstPerChannel: 3 });
  client = new PacedWebClient(emulator.botToken, {
    pacer,
    shared: { reserve: (budgets, maxWaitMs) => store.slack.reserveSlots(budgets, maxWaitMs) },
    slackApiUrl: emulator.apiUrl,
    maxWaitMs: 1000,
  });
});
afterEach(async () => {
  await emulator.stop();
});

const posts = () => emulator.calls.filter((c) => c.method === "chat.postMessage");

it("a call whose channel another replica has spent is turned away until the shared slot, sending nothing", async () => {
  // Another replica posted six times to the channel just now: its next slot is about 3 s away.
  const channelBudget = pacer
    .sharedBudgets("chat.postMessage", "C0PACED")
    .filter((b) => b.key.startsWith("post:"));
  for (let i = 0; i < 6; i++) await store.slack.reserveSlots(channelBudget, 60_000);

  const refused = await client.chat.postMessage({ channel: "C0PACED", text: "hello" }).catch((e) => e);
  expect(refused).toBeInstanceOf(PacedError);
  // Back when that slot is due (about 3 s), not after the client's 1 s limit on waiting.
  expect((refused as PacedError).waitMs).toBeGreaterThan(2500);
  expect(posts()).toHaveLength(0);

  // The workspace's posting budget spent nothing on it: its whole burst is still there.
  const workspace = pacer.sharedBudgets("chat.postMessage").filter((b) => b.key.startsWith("method:"));
  const burst = workspace[0]!.burst;
  let atOnce = 0;
  while ((await store.slack.reserveSlots(workspace, 0)).reserved) atOnce++;
  expect(atOnce).toBeGreaterThanOrEqual(burst);
});

it("a call with free slots goes out at once", async () => {
  await client.chat.postMessage({ channel: "C0PACED", text: "hello" });
  expect(posts().map((c) => c.ok)).toEqual([true]);
});
