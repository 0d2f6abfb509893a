// Socket Mode against the clients Slack ships: @slack/socket-mode's SocketModeClient (3.1.0, on
// undici's WebSocket) and Bolt's App + SocketModeReceiver, both pointed at the emulator's apiUrl.
// Sources, cited per test:
//   [docs]    https://docs.slack.dev/apis/events-api/using-socket-mode
//   [method]  https://docs.slack.dev/reference/methods/apps.connections.open
//   [client]  node-slack-sdk packages/socket-mode/src/SocketModeClient.ts, SlackWebSocket.ts
//   [bolt]    bolt-js src/receivers/SocketModeReceiver.ts, SocketModeResponseAck.ts
//   [pyfix]   python-slack-sdk tests/slack_sdk/socket_mode/mock_socket_mode_server.py (envelopes)
import { once } from "node:events";
import { request } from "node:http";
import { App, SocketModeReceiver } from "@slack/bolt";
import { type SocketModeClient as Client, SocketModeClient } from "@slack/socket-mode";
import { WebSocket as UndiciWebSocket } from "undici";
import { afterAll, afterEach, beforeAll, describe, expect, it } from "vitest";
import {
  type EmulatorOptions,
  NoSocketModeConnectionError,
  SlackEmulator,
} from "../../src/emulator/index.ts";
import { eventsOf, silentLogger, slackError, startFakeApp, TOKEN, client as webClient } from "./helpers.ts";

const emulators: SlackEmulator[] = [];
const clients: Client[] = [];

afterEach(async () => {
  for (const c of clients.splice(0)) await c.disconnect();
  for (const e of emulators.splice(0)) await e.stop();
});

// apps.connections.open is Tier 1 (tiers.ts): these tests open many connections a minute, so they
// name a looser budget for it; the limit itself is tested below without it.
const MANY_CONNECTIONS = { "apps.connections.open": { perMinute: 1000, burst: 100 } };

async function start(options: EmulatorOptions = {}): Promise<SlackEmulator> {
  const emu = await SlackEmulator.start({
    delivery: "socket",
    rateLimit: false,
    methodLimits: MANY_CONNECTIONS,
    ...options,
  });
  emu.workspace.addUser({ id: "U1", name: "alice", realName: "Alice Agent" });
  emu.workspace.addUser({ id: "U2", name: "bob", realName: "Bob Builder" });
  emu.workspace.addChannel({ id: "C1", name: "support", members: ["U1", "U2", emu.workspace.bot.userId] });
  emulators.push(emu);
  return emu;
}

function socketClient(emu: SlackEmulator, options: { clientPingTimeout?: number; appToken?: string } = {}) {
  const c = new SocketModeClient({
    appToken: options.appToken ?? emu.appToken,
    logger: silentLogger,
    ...(options.clientPingTimeout ? { clientPingTimeout: options.clientPingTimeout } : {}),
    clientOptions: { slackApiUrl: emu.apiUrl },
  });
  clients.push(c);
  return c;
}

/** apps.connections.open as raw HTTP, to see exactly what the emulator answers. */
async function openConnection(
  emu: SlackEmulator,
  init: { token?: string; body?: string; method?: string } = {},
): Promise<{ status: number; headers: Headers; body: Record<string, unknown> }> {
  const headers: Record<string, string> = { "content-type": "application/x-www-form-urlencoded" };
  if (init.token) headers.authorization = `Bearer ${init.token}`;
  const res = await fetch(`${emu.apiUrl}apps.connections.open`, {
    method: init.method ?? "POST",
    headers,
    ...(init.method === "GET" ? {} : { body: init.body ?? "" }),
  });
  return { status: res.status, headers: res.headers, body: (await res.json()) as Record<string, unknown> };
}

async function socketUrl(emu: SlackEmulator): Promise<string> {
  const { body } = await openConnection(emu, { token: emu.appToken });
  return body.url as string;
}

/** A bare WebSocket (undici's, as SlackWebSocket uses) that collects parsed messages. */
async function link(url: string) {
  const ws = new UndiciWebSocket(url);
  const messages: Record<string, unknown>[] = [];
  let closed: { code: number } | undefined;
  ws.addEventListener("message", (e) => messages.push(JSON.parse(String(e.data)) as Record<string, unknown>));
  ws.addEventListener("close", (e) => {
    closed = { code: e.code };
  });
  await once(ws as unknown as EventTarget, "open");
  return {
    ws,
    messages,
    get closed() {
      return closed;
    },
    async message(n: number): Promise<Record<string, unknown>> {
      const deadline = Date.now() + 5000;
      while (messages.length < n) {
        if (Date.now() > deadline) throw new Error(`no message ${n}`);
        await new Promise((r) => setTimeout(r, 5));
      }
      return messages[n - 1] as Record<string, unknown>;
    },
  };
}

/** The HTTP status of a WebSocket handshake to `url` (101 when it upgrades). */
function handshakeStatus(url: string): Promise<number> {
  const target = new URL(url.replace(/^ws/, "http"));
  return new Promise((resolve, reject) => {
    const req = request(target, {
      headers: {
        connection: "Upgrade",
        upgrade: "websocket",
        "sec-websocket-version": "13",
        "sec-websocket-key": "dGhlIHNhbXBsZSBub25jZQ==",
      },
    });
    req.on("upgrade", (_res, socket) => {
      socket.destroy();
      resolve(101);
    });
    req.on("response", (res) => {
      res.resume();
      resolve(res.statusCode ?? 0);
    });
    req.on("error", reject);
    req.end();
  });
}

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

describe("apps.connections.open", () => {
  it("answers an app-level token with a one-time ws URL /link/?ticket=…&app_id=… [method]", async () => {
    const emu = await start();
    const { status, body } = await openConnection(emu, { token: emu.appToken });
    expect(status).toBe(200);
    expect(body.ok).toBe(true);
    expect(body.url).toMatch(
      new RegExp(
        `^ws://127\\.0\\.0\\.1:\\d+/link/\\?ticket=[0-9a-f-]{36}&app_id=${emu.socketMode.appIdParam}$`,
      ),
    );
    // The scopes Slack reports with it (a real response in bolt-js issue 2496).
    expect(body.response_metadata).toEqual({
      scopes: ["connections:write"],
      acceptedScopes: ["connections:write"],
    });
  });

  it("refuses a bot token (not_allowed_token_type), a wrong token (invalid_auth), none (not_authed) [method]", async () => {
    const emu = await start();
    expect((await openConnection(emu, { token: TOKEN })).body).toEqual({
      ok: false,
      error: "not_allowed_token_type",
    });
    expect((await openConnection(emu, { token: "xapp-1-wrong" })).body).toEqual({
      ok: false,
      error: "invalid_auth",
    });
    expect((await openConnection(emu)).body).toEqual({ ok: false, error: "not_authed" });
    // "pass this token in the HTTP Authorization header ... as a POST parameter will result in an error"
    const asParam = await openConnection(emu, { body: `token=${emu.appToken}` });
    expect(asParam.body).toEqual({ ok: false, error: "not_authed" });
    // "insecure_request: The method was not called via a POST request."
    const get = await openConnection(emu, { token: emu.appToken, method: "GET" });
    expect(get.body).toEqual({ ok: false, error: "insecure_request" });
  });

  it("needs connections:write on the app-level token (missing_scope with needed/provided) [docs: app-level token]", async () => {
    const emu = await start({ appTokenScopes: ["authorizations:read"] });
    expect((await openConnection(emu, { token: emu.appToken })).body).toEqual({
      ok: false,
      error: "missing_scope",
      needed: "connections:write",
      provided: "authorizations:read",
    });
  });

  // api.slack.com/methods/apps.connections.open: "Rate limits: Tier 1" (docs.slack.dev's page has
  // said Tier 3): the stricter one, as src/emulator/tiers.ts explains.
  it("is Tier 1: past 1 call a minute it answers HTTP 429 with Retry-After [method: Rate Limits]", async () => {
    const emu = await start({ methodLimits: {} });
    const answers = await Promise.all(
      Array.from({ length: 5 }, () => openConnection(emu, { token: emu.appToken })),
    );
    const ok = answers.filter((a) => a.status === 200);
    const limited = answers.filter((a) => a.status === 429);
    expect(ok).toHaveLength(1);
    expect(limited[0]?.body).toEqual({ ok: false, error: "ratelimited" });
    expect(Number(limited[0]?.headers.get("retry-after"))).toBeGreaterThanOrEqual(1);
  });

  it("an app-level token calls nothing else: chat.postMessage is not_allowed_token_type", async () => {
    const emu = await start();
    const err = await slackError(
      webClient(emu, emu.appToken).chat.postMessage({ channel: "C1", text: "hi" }),
    );
    expect(err.error).toBe("not_allowed_token_type");
  });

  it("SocketModeClient.start() with a wrong token rejects with invalid_auth, and does not retry [client: UnrecoverableSocketModeStartError]", async () => {
    const emu = await start();
    const c = socketClient(emu, { appToken: "xapp-1-not-ours" });
    const err = (await c.start().catch((e: unknown) => e)) as { data?: { error?: string } };
    expect(err.data?.error).toBe("invalid_auth");
    await sleep(100);
    expect(emu.calls.filter((call) => call.method === "apps.connections.open")).toHaveLength(1);
    expect(emu.socketMode.connections).toHaveLength(0);
  });
});

describe("the WebSocket URL", () => {
  it("works once: a reused ticket is refused (401) [docs: 'the URL ... refreshes regularly'; stricter]", async () => {
    const emu = await start();
    const url = await socketUrl(emu);
    expect(await handshakeStatus(url)).toBe(101);
    expect(await handshakeStatus(url)).toBe(401);
    expect(emu.socketMode.refused.at(-1)?.reason).toBe("ticket already used");
  });

  it("expires after ticketTtlMs, and must carry the app's app_id; nothing but /link/ upgrades", async () => {
    const emu = await start({ socketMode: { ticketTtlMs: 50 } });
    const stale = await socketUrl(emu);
    await sleep(80);
    expect(await handshakeStatus(stale)).toBe(401);
    expect(emu.socketMode.refused.at(-1)?.reason).toBe("ticket expired");
    const fresh = await socketUrl(emu);
    expect(await handshakeStatus(fresh.replace(/app_id=[0-9a-f]+/, "app_id=0000"))).toBe(401);
    expect(await handshakeStatus(`${emu.baseUrl.replace("http", "ws")}/socket`)).toBe(404);
    expect(await handshakeStatus(fresh.replace("ticket=", "ticket=x"))).toBe(401);
  });
});

describe("hello", () => {
  it("is the first message: num_connections, debug_info {host, build_number, approximate_connection_time}, connection_info {app_id} [docs: Connect]", async () => {
    const emu = await start();
    const one = await link(await socketUrl(emu));
    const hello = await one.message(1);
    expect(hello).toEqual({
      type: "hello",
      num_connections: 1,
      debug_info: {
        host: expect.any(String),
        started: expect.stringMatching(/^\d{4}-\d\d-\d\d \d\d:\d\d:\d\d\.\d{3}$/),
        build_number: expect.any(Number),
        approximate_connection_time: 3600,
      },
      connection_info: { app_id: "A0HERODESK" },
    });
    const two = await link(`${await socketUrl(emu)}&debug_reconnects=true`);
    const second = await two.message(1);
    expect(second.num_connections).toBe(2);
    // "append &debug_reconnects=true ... connection time significantly shorter (360 seconds)"
    expect((second.debug_info as { approximate_connection_time: number }).approximate_connection_time).toBe(
      360,
    );
    one.ws.close();
    two.ws.close();
  });

  it("SocketModeClient.start() resolves on hello with the apps.connections.open answer [client]", async () => {
    const emu = await start();
    const c = socketClient(emu);
    const result = (await c.start()) as { ok: boolean; url: string };
    expect(result.ok).toBe(true);
    expect(result.url).toContain("/link/?ticket=");
    expect(emu.socketMode.openConnections).toHaveLength(1);
  });
});

describe("envelopes and acks", () => {
  it("an event arrives as events_api with retry_attempt 0, and the ack completes the delivery [docs: Receive events; pyfix]", async () => {
    const emu = await start();
    const raw = await link(await socketUrl(emu));
    await raw.message(1); // hello
    emu.driver.message({ userId: "U1", channelId: "C1", text: "my order is late" });
    const envelope = await raw.message(2);
    expect(Object.keys(envelope).sort()).toEqual(
      ["accepts_response_payload", "envelope_id", "payload", "retry_attempt", "retry_reason", "type"].sort(),
    );
    expect(envelope).toMatchObject({
      type: "events_api",
      accepts_response_payload: false,
      retry_attempt: 0,
      retry_reason: "",
      envelope_id: expect.stringMatching(/^[0-9a-f-]{36}$/),
      payload: {
        type: "event_callback",
        api_app_id: "A0HERODESK",
        event: { type: "message", channel: "C1", user: "U1", text: "my order is late" },
      },
    });
    // An event's ack carries no answer: Slack ignores a payload (accepts_response_payload false).
    raw.ws.send(JSON.stringify({ envelope_id: envelope.envelope_id, payload: { text: "ignored" } }));
    await emu.idle();
    expect(emu.deliveries).toEqual([expect.objectContaining({ attempt: 1, outcome: "ok", status: 200 })]);
    expect(emu.socketMode.envelopes[0]).toMatchObject({ outcome: "acked", ignoredPayload: true });
    raw.ws.close();
  });

  it("SocketModeClient receives the event and acks it [client: events_api → emit(event.type)]", async () => {
    const emu = await start();
    const c = socketClient(emu);
    const seen: { event: Record<string, unknown>; retry_num: number }[] = [];
    c.on("message", async ({ ack, event, retry_num }) => {
      seen.push({ event, retry_num });
      await ack();
    });
    await c.start();
    emu.driver.message({ userId: "U1", channelId: "C1", text: "hello there" });
    await emu.idle();
    expect(seen).toEqual([
      { event: expect.objectContaining({ text: "hello there", user: "U1" }), retry_num: 0 },
    ]);
    expect(emu.socketMode.envelopes.map((e) => [e.type, e.outcome])).toEqual([["events_api", "acked"]]);
  });

  it("an event not acked within 3 s is retried: retry_attempt 1, retry_reason timeout, same event_id [docs: Acknowledge events; pyfix]", async () => {
    const emu = await start();
    const c = socketClient(emu);
    const got: { envelopeId: string; eventId: string; retryNum: number; retryReason: string; at: number }[] =
      [];
    c.on("message", async ({ ack, envelope_id, body, retry_num, retry_reason }) => {
      got.push({
        envelopeId: envelope_id,
        eventId: body.event_id,
        retryNum: retry_num,
        retryReason: retry_reason,
        at: Date.now(),
      });
      if (got.length > 1) await ack(); // the first one is never acked
    });
    await c.start();
    emu.driver.message({ userId: "U1", channelId: "C1", text: "anyone?" });
    await emu.waitFor(() => got.length >= 2, { timeoutMs: 8000 });
    await emu.idle();
    const [first, retry] = got as [(typeof got)[0], (typeof got)[0]];
    expect([first.retryNum, first.retryReason]).toEqual([0, ""]);
    expect([retry.retryNum, retry.retryReason]).toEqual([1, "timeout"]);
    expect(retry.eventId).toBe(first.eventId);
    expect(retry.envelopeId).not.toBe(first.envelopeId);
    expect(retry.at - first.at).toBeGreaterThanOrEqual(3000);
    expect(emu.deliveries.map((d) => [d.attempt, d.outcome])).toEqual([
      [1, "http_timeout"],
      [2, "ok"],
    ]);
    expect(emu.socketMode.envelopes.map((e) => e.outcome)).toEqual(["timeout", "acked"]);
    expect(got).toHaveLength(2);
  }, 15_000);

  it("a slash command arrives as slash_commands (accepts_response_payload true); the ack payload is the answer shown to the user [docs: Slash commands]", async () => {
    const emu = await start();
    const c = socketClient(emu);
    const seen: Record<string, unknown>[] = [];
    c.on("slash_commands", async ({ ack, body, accepts_response_payload }) => {
      seen.push({ ...body, accepts_response_payload });
      await ack({ text: `Desk help for ${body.user_name}` });
    });
    await c.start();
    const res = await emu.driver.slashCommand({ userId: "U1", channelId: "C1", text: "help" });
    expect(res.status).toBe(200);
    expect(res.body).toEqual({ text: "Desk help for alice" });
    expect(seen[0]).toMatchObject({
      command: "/desk",
      text: "help",
      user_id: "U1",
      channel_id: "C1",
      response_url: res.responseUrl,
      trigger_id: res.triggerId,
      accepts_response_payload: true,
    });
    expect(emu.ephemerals.at(-1)).toMatchObject({
      user: "U1",
      text: "Desk help for alice",
      source: "ack",
    });
  });

  it("a command not acked in time fails and is not retried; a late ack is ignored [docs; stricter]", async () => {
    const emu = await start({ ackTimeoutMs: 300 }); // Slack's 3 s, shortened for the test
    const c = socketClient(emu);
    let count = 0;
    c.on("slash_commands", async ({ ack }) => {
      count++;
      await sleep(500);
      await ack({ text: "too late" });
    });
    await c.start();
    await expect(emu.driver.slashCommand({ userId: "U1", channelId: "C1", text: "slow" })).rejects.toThrow(
      /no response within 300 ms/,
    );
    await sleep(400);
    expect(count).toBe(1);
    expect(emu.socketMode.envelopes).toHaveLength(1);
    expect(emu.socketMode.envelopes[0]).toMatchObject({ outcome: "timeout", lateAckAt: expect.any(Number) });
    expect(emu.ephemerals).toHaveLength(0);
  });

  it("with no connection, a command fails at once; an event waits reconnectWindowMs, then fails and is retried as over HTTP", async () => {
    const emu = await start({ retryDelaysMs: [20, 20], socketMode: { reconnectWindowMs: 100 } });
    await expect(
      emu.driver.slashCommand({ userId: "U1", channelId: "C1", text: "x" }),
    ).rejects.toBeInstanceOf(NoSocketModeConnectionError);
    emu.driver.message({ userId: "U1", channelId: "C1", text: "nobody home" });
    await emu.idle();
    expect(emu.deliveries.map((d) => [d.attempt, d.outcome])).toEqual([
      [1, "connection_failed"],
      [2, "connection_failed"],
      [3, "connection_failed"],
    ]);
  });

  it("several connections share the envelopes, each envelope going to one of them [docs: Using multiple connections]", async () => {
    const emu = await start();
    const a = socketClient(emu);
    const b = socketClient(emu);
    const got: string[] = [];
    a.on("message", async ({ ack, event }) => {
      got.push(`a:${event.text}`);
      await ack();
    });
    b.on("message", async ({ ack, event }) => {
      got.push(`b:${event.text}`);
      await ack();
    });
    await a.start();
    await b.start();
    for (const n of [1, 2, 3, 4]) emu.driver.message({ userId: "U1", channelId: "C1", text: `m${n}` });
    await emu.idle();
    expect(got.map((g) => g.slice(2)).sort()).toEqual(["m1", "m2", "m3", "m4"]);
    expect(got.filter((g) => g.startsWith("a:")).length).toBeGreaterThan(0);
    expect(got.filter((g) => g.startsWith("b:")).length).toBeGreaterThan(0);
    expect(new Set(emu.socketMode.envelopes.map((e) => e.connectionId)).size).toBe(2);
  });

  it("allows 10 connections; the 11th gets disconnect too_many_websockets and is closed [docs: 'up to 10'; client]", async () => {
    const emu = await start();
    const links = [];
    for (let i = 0; i < 10; i++) {
      const l = await link(await socketUrl(emu));
      expect((await l.message(1)).type).toBe("hello");
      links.push(l);
    }
    const eleventh = await link(await socketUrl(emu));
    expect(await eleventh.message(1)).toMatchObject({ type: "disconnect", reason: "too_many_websockets" });
    await emu.waitFor(() => eleventh.closed);
    expect(emu.socketMode.openConnections).toHaveLength(10);
    for (const l of links) l.ws.close();
  });

  it("answers the client's pings (SlackWebSocket disconnects without pongs) and pings the client", async () => {
    const emu = await start({ socketMode: { pingIntervalMs: 50 } });
    const c = socketClient(emu, { clientPingTimeout: 600 }); // pings every 200 ms, wants a pong within 600
    await c.start();
    await sleep(1500);
    const [conn] = emu.socketMode.connections;
    expect(emu.socketMode.connections).toHaveLength(1); // never had to reconnect
    expect(conn?.state).toBe("open");
    expect(conn?.pingsReceived).toBeGreaterThanOrEqual(4);
    expect(conn?.pongsReceived).toBeGreaterThanOrEqual(10); // undici answers the server's pings
  });
});

describe("disconnects and reconnects", () => {
  it("refresh_requested: SocketModeClient reconnects with a new apps.connections.open, and an event sent meanwhile arrives [docs: Handle disconnects; client: delayReconnectAttempt]", async () => {
    const emu = await start();
    const c = socketClient(emu, { clientPingTimeout: 1000 }); // it waits clientPingTimeout before reconnecting
    const got: string[] = [];
    c.on("message", async ({ ack, event }) => {
      got.push(String(event.text));
      await ack();
    });
    await c.start();
    const [first] = emu.socketMode.disconnect("refresh_requested");
    emu.driver.message({ userId: "U1", channelId: "C1", text: "sent during the refresh" });
    await emu.waitFor(() => got.length === 1, { timeoutMs: 5000 });
    await emu.idle();
    expect(got).toEqual(["sent during the refresh"]);
    const [old, fresh] = emu.socketMode.connections;
    expect(old).toMatchObject({
      id: first,
      state: "closed",
      closeCode: 1000,
      disconnects: ["refresh_requested"],
    });
    expect(fresh?.state).toBe("open");
    expect(emu.calls.filter((call) => call.method === "apps.connections.open")).toHaveLength(2);
    expect(emu.socketMode.envelopes.map((e) => e.connectionId)).toEqual([fresh?.id]);
    expect(emu.deliveries.map((d) => d.outcome)).toEqual(["ok"]);
  });

  it("refresh_requested to an app that does not close: the server closes after closeGraceMs", async () => {
    const emu = await start({ socketMode: { closeGraceMs: 100 } });
    const raw = await link(await socketUrl(emu));
    await raw.message(1);
    emu.socketMode.disconnect("refresh_requested");
    expect(await raw.message(2)).toEqual({
      type: "disconnect",
      reason: "refresh_requested",
      debug_info: { host: expect.any(String) },
    });
    await emu.waitFor(() => raw.closed);
    // The server records the close when the closing handshake ends, a moment after the client
    // sees it (a race CI met once): wait for it rather than read it at once.
    await emu.waitFor(() => emu.socketMode.connections[0]?.state === "closed");
    expect(emu.socketMode.connections[0]?.state).toBe("closed");
  });

  it("link_disabled (Socket Mode turned off): the connection closes and deliveries go back to the Request URL [docs: 'toggle off Socket Mode']", async () => {
    const app = await startFakeApp();
    const emu = await start({ appUrl: app.url });
    const raw = await link(await socketUrl(emu));
    await raw.message(1);
    emu.socketMode.setEnabled(false);
    expect(await raw.message(2)).toMatchObject({ type: "disconnect", reason: "link_disabled" });
    await emu.waitFor(() => raw.closed);
    emu.driver.message({ userId: "U1", channelId: "C1", text: "back over HTTP" });
    await emu.idle();
    expect(eventsOf(app).map((e) => e.text)).toEqual(["back over HTTP"]);
    await app.close();
  });

  it("the warning comes warningLeadMs before the refresh at approximate_connection_time [docs: 'a warning about 10 seconds before']", async () => {
    const emu = await start({
      socketMode: { connectionLifetimeMs: 300, warningLeadMs: 200, closeGraceMs: 100 },
    });
    const raw = await link(await socketUrl(emu));
    const hello = await raw.message(1);
    expect((hello.debug_info as { approximate_connection_time: number }).approximate_connection_time).toBe(0);
    const warning = await raw.message(2);
    const refresh = await raw.message(3);
    expect([warning.reason, refresh.reason]).toEqual(["warning", "refresh_requested"]);
    await emu.waitFor(() => raw.closed);
  });
});

describe("Bolt App + SocketModeReceiver", () => {
  let emu: SlackEmulator;
  let app: App;
  const seen = { messages: [] as Record<string, unknown>[], actions: [] as Record<string, unknown>[] };

  beforeAll(async () => {
    // Reconnects after refresh_requested: more than one apps.connections.open a minute.
    emu = await SlackEmulator.start({ delivery: "socket", rateLimit: false, methodLimits: MANY_CONNECTIONS });
    emu.workspace.addUser({ id: "U1", name: "alice", realName: "Alice Agent" });
    emu.workspace.addUser({ id: "U2", name: "bob", realName: "Bob Builder" });
    emu.workspace.addChannel({ id: "C1", name: "support", members: ["U1", "U2", emu.workspace.bot.userId] });
    // [bolt] SocketModeReceiver hands installerOptions.clientOptions to SocketModeClient, whose
    // WebClient calls apps.connections.open: that is how the receiver reaches a non-slack.com API.
    const receiver = new SocketModeReceiver({
      appToken: emu.appToken,
      logger: silentLogger,
      clientPingTimeout: 1000, // also its reconnect delay (5 s by default)
      installerOptions: { clientOptions: { slackApiUrl: emu.apiUrl } },
    });
    app = new App({
      token: TOKEN,
      receiver,
      logger: silentLogger,
      clientOptions: { slackApiUrl: emu.apiUrl },
    });
    app.message(async ({ message }) => {
      seen.messages.push(message as unknown as Record<string, unknown>);
    });
    app.command("/desk", async ({ command, ack, client }) => {
      if (command.text === "assign") {
        await ack();
        await client.views.open({
          trigger_id: command.trigger_id,
          view: {
            type: "modal",
            callback_id: "assign_modal",
            title: { type: "plain_text", text: "Assign" },
            submit: { type: "plain_text", text: "Assign" },
            blocks: [
              {
                type: "input",
                block_id: "agent",
                label: { type: "plain_text", text: "Agent" },
                element: { type: "users_select", action_id: "pick" },
              },
            ],
          },
        });
        return;
      }
      await ack({ text: `Usage: /desk ${command.text}` });
    });
    app.action("conv_claim", async ({ ack, body }) => {
      seen.actions.push(body as unknown as Record<string, unknown>);
      await ack();
    });
    app.view("assign_modal", async ({ ack, view }) => {
      const picked = (view.state.values.agent?.pick as { selected_user?: string } | undefined)?.selected_user;
      if (picked === "U2") await ack({ response_action: "errors", errors: { agent: "Bob is away" } });
      else await ack();
    });
    await app.start();
  });

  afterAll(async () => {
    await app.stop();
    await emu.stop();
  });

  it("connects: apps.connections.open with the app token, then hello [bolt; docs]", () => {
    expect(emu.calls.filter((c) => c.method === "apps.connections.open")).toEqual([
      expect.objectContaining({ ok: true, status: 200 }),
    ]);
    expect(emu.socketMode.openConnections).toHaveLength(1);
  });

  it("delivers a message event, acked by Bolt", async () => {
    emu.driver.message({ userId: "U1", channelId: "C1", text: "where is my parcel?" });
    await emu.waitFor(() => seen.messages.find((m) => m.text === "where is my parcel?"));
    await emu.idle();
    expect(emu.deliveries.at(-1)).toMatchObject({ outcome: "ok", eventType: "message" });
    expect(emu.socketMode.envelopes.at(-1)).toMatchObject({ type: "events_api", outcome: "acked" });
  });

  it("a slash command's ack({text}) becomes the ephemeral answer [bolt: SocketModeResponseAck]", async () => {
    const res = await emu.driver.slashCommand({ userId: "U1", channelId: "C1", text: "help" });
    expect(res.status).toBe(200);
    expect(res.body).toEqual({ text: "Usage: /desk help" });
    expect(emu.ephemerals.at(-1)).toMatchObject({ user: "U1", text: "Usage: /desk help" });
  });

  it("a block action reaches the listener as an interactive envelope", async () => {
    const posted = await webClient(emu).chat.postMessage({
      channel: "C1",
      text: "Conversation #7",
      blocks: [
        {
          type: "actions",
          block_id: "card",
          elements: [
            {
              type: "button",
              action_id: "conv_claim",
              text: { type: "plain_text", text: "Claim" },
              value: "7",
            },
          ],
        },
      ],
    });
    const res = await emu.driver.blockAction({
      userId: "U2",
      channelId: "C1",
      messageTs: posted.ts as string,
      actionId: "conv_claim",
    });
    expect(res.status).toBe(200);
    expect(res.body).toBe("");
    expect(seen.actions.at(-1)).toMatchObject({
      type: "block_actions",
      actions: [{ action_id: "conv_claim", value: "7" }],
    });
    expect(emu.socketMode.envelopes.at(-1)).toMatchObject({
      type: "interactive",
      acceptsResponsePayload: true,
    });
  });

  it("a view submission answered with response_action errors keeps the modal open [docs: Modals]", async () => {
    await emu.driver.slashCommand({ userId: "U1", channelId: "C1", text: "assign" });
    const modal = await emu.waitFor(() => emu.workspace.openViews.find((v) => v.userId === "U1" && v.isOpen));
    const res = await emu.driver.viewSubmission({
      userId: "U1",
      viewId: modal.id,
      values: { agent: { pick: "U2" } },
    });
    expect(res.status).toBe(200);
    expect(res.body).toEqual({ response_action: "errors", errors: { agent: "Bob is away" } });
    expect(emu.workspace.openViews.find((v) => v.id === modal.id)?.isOpen).toBe(true);
    const ok = await emu.driver.viewSubmission({
      userId: "U1",
      viewId: modal.id,
      values: { agent: { pick: "U1" } },
    });
    expect(ok.body).toBe("");
    expect(emu.workspace.openViews.find((v) => v.id === modal.id)?.isOpen).toBe(false);
  });

  it("reconnects after refresh_requested and keeps delivering [docs: Handle disconnects]", async () => {
    const before = emu.calls.filter((c) => c.method === "apps.connections.open").length;
    emu.socketMode.disconnect("refresh_requested");
    emu.driver.message({ userId: "U1", channelId: "C1", text: "during the refresh" });
    await emu.waitFor(() => seen.messages.find((m) => m.text === "during the refresh"), { timeoutMs: 5000 });
    expect(emu.calls.filter((c) => c.method === "apps.connections.open")).toHaveLength(before + 1);
    expect(emu.socketMode.openConnections).toHaveLength(1);
    const res = await emu.driver.slashCommand({ userId: "U1", channelId: "C1", text: "after" });
    expect(res.body).toEqual({ text: "Usage: /desk after" });
  });
});
