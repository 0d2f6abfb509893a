// apiLatencyMs: a slow Slack. Each Web API answer leaves late, but the call has taken effect when it
// arrives, as on Slack (a message posted by a call whose answer is still on its way is already in
// the channel). With it, an app that waits for the Web API before acknowledging an event misses
// Slack's 3 s deadline (https://docs.slack.dev/apis/events-api/: "Your app should respond to the
// event request with an HTTP 2xx within three seconds") and gets the event again; Bolt's advice is
// to call ack() "right away before sending a new message or fetching information"
// (slackapi/bolt-js docs/english/concepts/acknowledge.md).
import type { Server } from "node:http";
import type { AddressInfo } from "node:net";
import { App, HTTPReceiver, LogLevel } from "@slack/bolt";
import { afterEach, describe, expect, it } from "vitest";
import { SlackEmulator } from "../../src/emulator/index.ts";
import { client, silentLogger, TOKEN } from "./helpers.ts";

const started: { stop(): Promise<unknown> }[] = [];

afterEach(async () => {
  for (const s of started.splice(0).reverse()) await s.stop();
});

async function emulator(options: Parameters<typeof SlackEmulator.start>[0]) {
  const emu = await SlackEmulator.start({ rateLimit: false, ...options });
  started.push(emu);
  emu.workspace.addUser({ id: "U1", name: "alice" });
  emu.workspace.addChannel({ id: "C1", name: "support", members: ["U1"] });
  return emu;
}

describe("apiLatencyMs", () => {
  it("delays every answer, after the call took effect", async () => {
    const emu = await emulator({ apiLatencyMs: 300 });
    const began = Date.now();
    const posting = client(emu).chat.postMessage({ channel: "C1", text: "slow answer" });
    await emu.waitFor(() => emu.workspace.messages("C1").length === 1, { timeoutMs: 200 });
    const res = await posting;
    expect(res.ok).toBe(true);
    expect(Date.now() - began).toBeGreaterThanOrEqual(290);
    const err = await client(emu)
      .conversations.info({ channel: "C0NOPE" })
      .catch((e: { data: unknown }) => e.data);
    expect(err).toMatchObject({ error: "channel_not_found" }); // errors are slow too
    expect(Date.now() - began).toBeGreaterThanOrEqual(590);
  });

  it("can slow single methods", async () => {
    const emu = await emulator({ apiLatencyMs: (method) => (method === "users.info" ? 400 : 0) });
    const t0 = Date.now();
    await client(emu).auth.test();
    expect(Date.now() - t0).toBeLessThan(200);
    const t1 = Date.now();
    await client(emu).users.info({ user: "U1" });
    expect(Date.now() - t1).toBeGreaterThanOrEqual(390);
  });

  it("makes an app that awaits Slack before ack() miss the 3 s deadline; acking first does not", async () => {
    const emu = await emulator({ apiLatencyMs: (method) => (method === "users.info" ? 4000 : 0) });
    const receiver = new HTTPReceiver({
      signingSecret: emu.signingSecret,
      logLevel: LogLevel.ERROR,
      processBeforeResponse: true,
    });
    const bolt = new App({
      token: TOKEN,
      receiver,
      logger: silentLogger,
      clientOptions: { slackApiUrl: emu.apiUrl, retryConfig: { retries: 0 } },
    });
    bolt.message(async ({ message, client: web }) => {
      const m = message as { user?: string; text?: string };
      if (m.text === "look me up first" && m.user) await web.users.info({ user: m.user });
      // (Bolt acks message events itself once the listener has finished, with processBeforeResponse.)
    });
    const server = (await bolt.start(0)) as Server;
    started.push(bolt);
    emu.setAppUrl(`http://127.0.0.1:${(server.address() as AddressInfo).port}/slack/events`);

    emu.workspace.addChannel({ id: "C2", name: "other", members: ["U1"] });
    emu.driver.message({ userId: "U1", channelId: "C1", text: "look me up first" });
    emu.driver.message({ userId: "U1", channelId: "C2", text: "nothing to look up" });
    await emu.idle({ timeoutMs: 20_000 });
    const outcomes = (channel: string) =>
      emu.deliveries.filter((d) => d.channel === channel).map((d) => d.outcome);
    expect(outcomes("C2")).toEqual(["ok"]);
    expect(outcomes("C1")[0]).toBe("http_timeout");
    expect(emu.deliveries.find((d) => d.channel === "C1" && d.attempt === 2)?.retryReason).toBe(
      "http_timeout",
    );
  }, 30_000);
});
