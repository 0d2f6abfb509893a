// When does Bolt ack an event over Socket Mode? Bolt's App.processEvent acks Events API payloads
// before any listener runs (bolt-js src/App.ts: "Events API requests are acknowledged right away"),
// and SocketModeResponseAck sends the ack at once; the HTTPReceiver's processBeforeResponse has no
// Socket Mode counterpart (bolt-js src/receivers/SocketModeResponseAck.ts). A prototype for the app
// (issue 9, part 8): a receiver whose `slack_event` handler defers an event's ack until Bolt has
// processed it, so an event is stored before Slack hears it arrived, and a failure means a retry.
import { App, type ReceiverEvent, SocketModeReceiver } from "@slack/bolt";
import { afterEach, describe, expect, it } from "vitest";
import { SlackEmulator } from "../../src/emulator/index.ts";
import { silentLogger, TOKEN } from "./helpers.ts";

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));
const running: { app: App; emu: SlackEmulator }[] = [];

afterEach(async () => {
  for (const { app, emu } of running.splice(0)) {
    await app.stop();
    await emu.stop();
  }
});

/**
 * The prototype: events_api envelopes are acked only once processEvent resolved (what
 * processBeforeResponse does over HTTP); a listener that throws leaves the envelope unacked, so
 * Slack retries it. Commands and interactions are acked when the listener calls ack(), as usual.
 */
function ackEventsAfterProcessing(receiver: SocketModeReceiver, app: App): void {
  receiver.client.removeAllListeners("slack_event");
  receiver.client.on(
    "slack_event",
    async (args: {
      ack: (response?: unknown) => Promise<void>;
      type: string;
      body: Record<string, unknown>;
      retry_num?: number;
      retry_reason?: string;
    }) => {
      let deferred: { response: unknown } | undefined;
      const event: ReceiverEvent = {
        body: args.body,
        retryNum: args.retry_num,
        retryReason: args.retry_reason,
        customProperties: {},
        ack: async (response?: unknown) => {
          if (args.type !== "events_api") return args.ack(response);
          deferred ??= { response };
        },
      };
      try {
        await app.processEvent(event);
      } catch {
        return; // not acked: Slack retries the event after its 3 s
      }
      if (deferred) await args.ack(deferred.response);
    },
  );
}

async function boot(options: { deferAck: boolean; ackTimeoutMs?: number }) {
  const emu = await SlackEmulator.start({
    delivery: "socket",
    rateLimit: false,
    ...(options.ackTimeoutMs ? { ackTimeoutMs: options.ackTimeoutMs } : {}),
  });
  emu.workspace.addUser({ id: "U1", name: "alice", realName: "Alice Agent" });
  emu.workspace.addChannel({ id: "C1", name: "support", members: ["U1", emu.workspace.bot.userId] });
  const receiver = new SocketModeReceiver({
    appToken: emu.appToken,
    logger: silentLogger,
    installerOptions: { clientOptions: { slackApiUrl: emu.apiUrl } },
  });
  const app = new App({
    token: TOKEN,
    receiver,
    logger: silentLogger,
    clientOptions: { slackApiUrl: emu.apiUrl },
  });
  app.error(async (err) => {
    throw err; // as src/slack/app.ts: a failure must surface so Slack retries
  });
  if (options.deferAck) ackEventsAfterProcessing(receiver, app);
  await app.start();
  running.push({ app, emu });
  return { emu, app };
}

describe("Bolt's ack of an event over Socket Mode", () => {
  it("as shipped: the envelope is acked before the listener has stored anything", async () => {
    const { emu, app } = await boot({ deferAck: false });
    let storedAt = 0;
    app.message(async () => {
      await sleep(500); // the store
      storedAt = Date.now();
    });
    emu.driver.message({ userId: "U1", channelId: "C1", text: "store me" });
    await emu.waitFor(() => storedAt > 0);
    const envelope = emu.socketMode.envelopes[0];
    expect(envelope?.outcome).toBe("acked");
    expect(envelope?.ackedAt).toBeLessThan(storedAt - 300);
  });

  it("prototype: the ack waits until the listener stored the event", async () => {
    const { emu, app } = await boot({ deferAck: true });
    let storedAt = 0;
    app.message(async () => {
      await sleep(300);
      storedAt = Date.now();
    });
    emu.driver.message({ userId: "U1", channelId: "C1", text: "store me" });
    await emu.waitFor(() => emu.socketMode.envelopes[0]?.ackedAt);
    expect(storedAt).toBeGreaterThan(0);
    expect(emu.socketMode.envelopes[0]?.ackedAt).toBeGreaterThanOrEqual(storedAt);
    expect(emu.deliveries.map((d) => d.outcome)).toEqual(["ok"]);
  });

  it("prototype: a listener that fails leaves the envelope unacked, and Slack's retry delivers it again", async () => {
    const { emu, app } = await boot({ deferAck: true, ackTimeoutMs: 400 }); // Slack's 3 s, shortened
    const attempts: number[] = [];
    app.message(async ({ message }) => {
      attempts.push(attempts.length);
      if (attempts.length === 1) throw new Error(`database busy for ${(message as { text?: string }).text}`);
    });
    emu.driver.message({ userId: "U1", channelId: "C1", text: "retry me" });
    await emu.waitFor(() => attempts.length === 2, { timeoutMs: 5000 });
    await emu.idle();
    expect(emu.deliveries.map((d) => [d.attempt, d.outcome])).toEqual([
      [1, "http_timeout"],
      [2, "ok"],
    ]);
  });

  it("prototype: a slash command is still acked when its listener calls ack(), before its slow work", async () => {
    const { emu, app } = await boot({ deferAck: true });
    let doneAt = 0;
    app.command("/desk", async ({ ack }) => {
      await ack({ text: "On it" });
      await sleep(300);
      doneAt = Date.now();
    });
    const res = await emu.driver.slashCommand({ userId: "U1", channelId: "C1", text: "help" });
    expect(res.body).toEqual({ text: "On it" });
    expect(doneAt).toBe(0);
    await emu.waitFor(() => doneAt > 0);
  });
});
