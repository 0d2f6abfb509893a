// Test helpers: a WebClient wired to an emulator, and a bare HTTP "app" that records what the
// emulator sends it and answers with whatever the test scripts.
import { createServer, type IncomingHttpHeaders, type Server } from "node:http";
import type { AddressInfo } from "node:net";
import { type Logger, LogLevel, WebClient } from "@slack/web-api";
import type { SlackEmulator } from "../../src/emulator/index.ts";

export const TOKEN = "xoxb-emulator-token";

/** Keeps WebClient's warnings (e.g. invalid_blocks details) out of the test output. */
export const silentLogger: Logger = {
  debug() {},
  info() {},
  warn() {},
  error() {},
  setLevel() {},
  getLevel: () => LogLevel.ERROR,
  setName() {},
};

export function client(emu: SlackEmulator, token = TOKEN): WebClient {
  return new WebClient(token, {
    slackApiUrl: emu.apiUrl,
    retryConfig: { retries: 0 },
    rejectRateLimitedCalls: true,
    logger: silentLogger,
  });
}

/** Awaits a rejected WebClient call and returns the Slack error body (data). */
export async function slackError(call: Promise<unknown>): Promise<Record<string, unknown>> {
  try {
    await call;
  } catch (err) {
    const data = (err as { data?: Record<string, unknown> }).data;
    if (data) return data;
    throw err;
  }
  throw new Error("expected the call to fail");
}

export interface Received {
  headers: IncomingHttpHeaders;
  raw: string;
  json: unknown;
  at: number;
}

export interface Reply {
  status?: number;
  body?: string;
  headers?: Record<string, string>;
  delayMs?: number;
}

export interface FakeApp {
  url: string;
  received: Received[];
  /** Decides the answer to each request (default 200 with empty body). */
  respond: (req: Received, index: number) => Reply | Promise<Reply>;
  close(): Promise<void>;
}

export async function startFakeApp(): Promise<FakeApp> {
  const app: FakeApp = {
    url: "",
    received: [],
    respond: () => ({ status: 200 }),
    close: async () => {},
  };
  const server: Server = createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on("data", (c: Buffer) => chunks.push(c));
    req.on("end", async () => {
      const raw = Buffer.concat(chunks).toString("utf8");
      let json: unknown;
      try {
        json = JSON.parse(raw);
      } catch {
        json = undefined;
      }
      const received = { headers: req.headers, raw, json, at: Date.now() };
      const index = app.received.length;
      app.received.push(received);
      const reply = await app.respond(received, index);
      if (reply.delayMs) await new Promise((r) => setTimeout(r, reply.delayMs));
      if (res.destroyed) return;
      res.writeHead(reply.status ?? 200, reply.headers ?? {});
      res.end(reply.body ?? "");
    });
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  const { port } = server.address() as AddressInfo;
  app.url = `http://127.0.0.1:${port}/slack/events`;
  app.close = () =>
    new Promise<void>((resolve) => {
      server.closeAllConnections();
      server.close(() => resolve());
    });
  return app;
}

/** Events (the `event` of each event_callback envelope) the fake app received. */
export function eventsOf(app: FakeApp): Record<string, unknown>[] {
  return app.received
    .map((r) => r.json as { type?: string; event?: Record<string, unknown> } | undefined)
    .filter((j) => j?.type === "event_callback" && j.event)
    .map((j) => j?.event as Record<string, unknown>);
}
