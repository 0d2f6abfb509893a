// The one HTTP server: Slack at POST /slack/events (Bolt's own HTTP receiver), the inbound API
// at /api/v1/..., and GET /healthz.
import {
  createServer,
  type IncomingMessage,
  type RequestListener,
  type Server,
  type ServerResponse,
} from "node:http";
import type { AddressInfo } from "node:net";
import type { Logger } from "../logger.ts";
import { sendJson } from "./http-util.ts";

type Handler = (req: IncomingMessage, res: ServerResponse) => Promise<void>;

export interface HttpServerDeps {
  slackEvents?: RequestListener;
  inboundMessages: Handler;
  isDatabaseReachable: () => Promise<boolean>;
  /** Slack's state beside the database's; degraded Slack still answers 200 (messages are taken). */
  slackHealth?: () => Promise<{ state: "ok" | "degraded"; reason?: string }>;
  logger: Logger;
}

export function createHttpServer(deps: HttpServerDeps): Server {
  const route = async (req: IncomingMessage, res: ServerResponse) => {
    const path = (req.url ?? "/").split("?")[0];
    if (path === "/slack/events" && deps.slackEvents) {
      // Slack only POSTs; Bolt's receiver would answer anything else 500 and log an error.
      if (req.method !== "POST") return methodNotAllowed(res, "POST");
      return deps.slackEvents(req, res);
    }
    if (path === "/api/v1/messages") {
      if (req.method !== "POST") return methodNotAllowed(res, "POST");
      return deps.inboundMessages(req, res);
    }
    if (path === "/healthz") {
      if (req.method !== "GET" && req.method !== "HEAD") return methodNotAllowed(res, "GET");
      const ok = await deps.isDatabaseReachable();
      const slack = ok && deps.slackHealth ? await deps.slackHealth() : undefined;
      return sendJson(res, ok ? 200 : 503, {
        ok,
        database: ok ? "reachable" : "unreachable",
        ...(slack ? { slack: slack.state, ...(slack.reason ? { slackReason: slack.reason } : {}) } : {}),
      });
    }
    sendJson(res, 404, { error: "not found" });
  };
  const server = createServer((req, res) => {
    route(req, res).catch((err) => {
      deps.logger.error("request failed", { path: req.url, error: err });
      if (!res.headersSent) sendJson(res, 500, { error: "internal error" });
      else res.destroy();
    });
  });
  // A client that sends its headers or body slowly (or never finishes) is cut off: Slack's
  // requests and the inbound API's are small (Node's defaults: 60 s and 5 minutes).
  server.headersTimeout = HEADERS_TIMEOUT_MS;
  server.requestTimeout = REQUEST_TIMEOUT_MS;
  return server;
}

export const HEADERS_TIMEOUT_MS = 10_000;
export const REQUEST_TIMEOUT_MS = 30_000;

function methodNotAllowed(res: ServerResponse, allow: string) {
  res.setHeader("allow", allow);
  sendJson(res, 405, { error: `use ${allow}` });
}

export async function listen(server: Server, port: number, host?: string): Promise<number> {
  await new Promise<void>((resolve, reject) => {
    server.once("error", reject);
    server.listen(port, host, () => {
      server.off("error", reject);
      resolve();
    });
  });
  return (server.address() as AddressInfo).port;
}
