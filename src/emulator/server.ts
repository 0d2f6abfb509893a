// The emulator's HTTP front door (node:http):
//   POST|GET /api/<method>           Web API (form-encoded, JSON or query-string arguments)
//   POST     /response/<id>          response_url targets handed to the app with commands and actions
//   POST     /upload/v1/<ticket>     upload_url of files.getUploadURLExternal (raw bytes or multipart)
//   GET      /files-pri/<team>-<id>/[download/]<name>, /files-tmb/...
//                                    url_private(_download) and thumbs: the bytes, bot token required
//   GET      /_emulator/files/<id>   a file's bytes without a token (the viewer's <img>)
//   GET      /_emulator/state        the workspace, ephemerals and response_url posts as JSON
//   GET      /                       read-only transcript viewer (auto-refreshing HTML)
//   GET      /link/?ticket=…         Socket Mode WebSocket (upgrade; URL from apps.connections.open)
// Web API answers are HTTP 200 with {ok:true|false}, except rate limits (429 + Retry-After); with
// apiLatencyMs each answer leaves that much later (the call has already taken effect, as a slow
// Slack would have it).
import type { IncomingMessage, ServerResponse } from "node:http";
import type { Duplex } from "node:stream";
import { METHOD_SCOPES } from "./access.ts";
import type { ActivityTracker } from "./events.ts";
import { fileType, uploadedBytes } from "./files.ts";
import { Params, RateLimitedError, SlackApiError } from "./params.ts";
import type { TierRateLimiter } from "./ratelimit.ts";
import type { AppRecord } from "./record.ts";
import { LINK_PATH, type SocketModeServer } from "./socket-mode.ts";
import { type Announce, applyMessageResponse, type ResponseUrlRegistry } from "./surfaces.ts";
import type { JsonObject } from "./types.ts";
import { renderViewer } from "./viewer.ts";
import { APP_TOKEN_METHODS, type ApiContext, METHODS, UNAUTHENTICATED } from "./web-api/index.ts";
import { refuseUpgrade } from "./websocket.ts";
import type { Workspace } from "./workspace.ts";

export interface RouterDeps {
  ws: Workspace;
  api: ApiContext;
  botToken: string;
  record: AppRecord;
  responseUrls: ResponseUrlRegistry;
  announce: Announce;
  activity: ActivityTracker;
  /** Per-method tier limits (tiers.ts). */
  tiers: TierRateLimiter;
  /** The app-level token (xapp-…): only APP_TOKEN_METHODS take it (its scopes are in api). */
  appToken: string;
  /** How long each Web API answer waits before it is sent (ms). */
  latency?: (method: string) => number;
}

const MAX_BODY = 5 * 1024 * 1024;
const TEXT = "text/plain; charset=utf-8";
/** Uploads are held in memory: the emulator takes up to 100 MiB per file (Slack: 1 GB). */
const MAX_UPLOAD = 100 * 1024 * 1024;

class BodyTooLargeError extends Error {}

function readRaw(req: IncomingMessage, max: number): Promise<Buffer> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    let size = 0;
    req.on("data", (c: Buffer) => {
      size += c.length;
      if (size > max) {
        reject(new BodyTooLargeError("body too large"));
        req.destroy();
        return;
      }
      chunks.push(c);
    });
    req.on("end", () => resolve(Buffer.concat(chunks)));
    req.on("error", reject);
  });
}

async function readBody(req: IncomingMessage): Promise<string> {
  return (await readRaw(req, MAX_BODY)).toString("utf8");
}

function sendBytes(res: ServerResponse, status: number, body: Buffer | string, contentType: string): void {
  const bytes = typeof body === "string" ? Buffer.from(body, "utf8") : body;
  res.writeHead(status, { "content-type": contentType, "content-length": bytes.length });
  res.end(bytes);
}

function send(
  res: ServerResponse,
  status: number,
  body: unknown,
  headers: Record<string, string> = {},
): void {
  const text = typeof body === "string" ? body : JSON.stringify(body);
  res.writeHead(status, {
    "content-type": typeof body === "string" ? "text/html; charset=utf-8" : "application/json; charset=utf-8",
    "content-length": Buffer.byteLength(text),
    ...headers,
  });
  res.end(text);
}

/** Parses a Web API request's arguments; JSON bodies must carry the token in the header. */
function parseArgs(req: IncomingMessage, url: URL, raw: string): Record<string, unknown> | null {
  const args: Record<string, unknown> = Object.fromEntries(url.searchParams);
  if (!raw) return args;
  const type = (req.headers["content-type"] ?? "").toLowerCase();
  if (type.startsWith("application/json")) {
    const parsed = JSON.parse(raw) as unknown;
    if (typeof parsed !== "object" || parsed === null || Array.isArray(parsed)) return null;
    return { ...args, ...(parsed as Record<string, unknown>) };
  }
  for (const [k, v] of new URLSearchParams(raw)) args[k] = v;
  return args;
}

function bearer(req: IncomingMessage): string | undefined {
  const header = req.headers.authorization;
  const m = header ? /^Bearer\s+(.+)$/i.exec(header) : null;
  return m?.[1]?.trim();
}

export function createRouter(deps: RouterDeps) {
  async function handleApi(req: IncomingMessage, res: ServerResponse, url: URL, method: string) {
    const at = Date.now();
    const raw = await readBody(req);
    let args: Record<string, unknown> | null;
    try {
      args = parseArgs(req, url, raw);
    } catch {
      args = null;
    }
    const params = new Params(args ?? {});
    const recordCall = (status: number, body: JsonObject) => {
      deps.record.calls.push({
        method,
        params: params.toRecord(),
        ok: body.ok === true,
        ...(typeof body.error === "string" ? { error: body.error } : {}),
        status,
        at,
      });
    };
    // Once the token is known, every answer carries Slack's scope headers (access.ts).
    let scopeHeaders: Record<string, string> = {};
    const reply = (status: number, body: JsonObject, headers: Record<string, string> = {}) => {
      recordCall(status, body);
      const delay = deps.latency?.(method) ?? 0;
      const all = { ...scopeHeaders, ...headers };
      if (delay <= 0) return send(res, status, body, all);
      setTimeout(() => {
        if (!res.destroyed) send(res, status, body, all);
      }, delay);
    };

    const appMethod = APP_TOKEN_METHODS[method];
    const handler = appMethod ?? METHODS[method];
    if (!handler) return reply(200, { ok: false, error: "unknown_method", req_method: method });
    if (appMethod) {
      const refusal = appTokenRefusal(req);
      if (refusal) return reply(200, refusal);
    } else if (args === null) {
      return reply(200, { ok: false, error: "invalid_json" });
    } else if (!UNAUTHENTICATED.has(method)) {
      // A token in the body is only read from form/query arguments: JSON needs the header.
      const isJson = (req.headers["content-type"] ?? "").toLowerCase().startsWith("application/json");
      const bodyToken = !isJson && typeof args.token === "string" ? args.token : undefined;
      const token = bearer(req) ?? bodyToken;
      if (!token) return reply(200, { ok: false, error: "not_authed" });
      // An app-level token opens Socket Mode connections, nothing else.
      if (token === deps.appToken) return reply(200, { ok: false, error: "not_allowed_token_type" });
      if (token !== deps.botToken) return reply(200, { ok: false, error: "invalid_auth" });
      const { access } = deps.api;
      if (access.tokenState !== "active") return reply(200, { ok: false, error: access.tokenState });
      scopeHeaders = access.headersFor(method);
      try {
        access.require(METHOD_SCOPES[method] ?? []);
      } catch (err) {
        if (!(err instanceof SlackApiError)) throw err;
        return reply(200, { ok: false, error: err.code, ...err.extra });
      }
    }
    // Every call that reaches the method counts against its tier, whatever it answers.
    const decision = deps.tiers.take(method);
    if (!decision.allowed) {
      return reply(
        429,
        { ok: false, error: "ratelimited" },
        { "retry-after": String(decision.retryAfterSeconds) },
      );
    }
    try {
      reply(200, handler(deps.api, params));
    } catch (err) {
      if (err instanceof RateLimitedError) {
        return reply(
          429,
          { ok: false, error: "ratelimited" },
          { "retry-after": String(err.retryAfterSeconds) },
        );
      }
      if (err instanceof SlackApiError) {
        const body: JsonObject = { ok: false, error: err.code, ...err.extra };
        if (err.messages.length > 0) body.response_metadata = { messages: err.messages };
        return reply(200, body);
      }
      const message = err instanceof Error ? err.message : String(err);
      return reply(200, { ok: false, error: "internal_error", detail: message });
    }
  }

  /**
   * The app-level token as apps.connections.open wants it: POST, in the Authorization header
   * ("passing it as a POST parameter will result in an error"), with connections:write.
   */
  function appTokenRefusal(req: IncomingMessage): JsonObject | undefined {
    if ((req.method ?? "").toUpperCase() !== "POST") return { ok: false, error: "insecure_request" };
    const token = bearer(req);
    if (!token) return { ok: false, error: "not_authed" };
    if (token === deps.botToken) return { ok: false, error: "not_allowed_token_type" };
    if (token !== deps.appToken) return { ok: false, error: "invalid_auth" };
    const scopes = deps.api.appTokenScopes;
    if (!scopes.includes("connections:write")) {
      return { ok: false, error: "missing_scope", needed: "connections:write", provided: scopes.join(",") };
    }
    return undefined;
  }

  async function handleResponseUrl(req: IncomingMessage, res: ServerResponse, id: string) {
    const raw = await readBody(req);
    const outage = deps.responseUrls.takeOutage();
    if (outage) return send(res, outage, { ok: false, error: "service_unavailable" });
    // Each POST uses the URL once (5 uses within 30 minutes), whatever its body.
    const use = deps.responseUrls.use(id);
    if (!use.ok) return send(res, 404, { ok: false, error: use.error });
    const { origin } = use;
    let body: JsonObject;
    try {
      const type = (req.headers["content-type"] ?? "").toLowerCase();
      const parsed: unknown = type.startsWith("application/x-www-form-urlencoded")
        ? JSON.parse(new URLSearchParams(raw).get("payload") ?? "{}")
        : JSON.parse(raw);
      if (typeof parsed !== "object" || parsed === null || Array.isArray(parsed)) throw new Error();
      body = parsed as JsonObject;
    } catch {
      return send(res, 400, { ok: false, error: "invalid_payload" });
    }
    deps.record.responseUrlPosts.push({ id, url: deps.responseUrls.urlFor(id), body, at: Date.now() });
    const outcome = applyMessageResponse(deps, origin, body, "response_url");
    if (!outcome.ok) {
      const error: JsonObject = { ok: false, error: outcome.error };
      if (outcome.messages) error.response_metadata = { messages: outcome.messages };
      return send(res, 400, error);
    }
    return send(res, 200, { ok: true });
  }

  /** upload_url: stores the bytes for files.completeUploadExternal and answers like Slack. */
  async function handleUpload(req: IncomingMessage, res: ServerResponse, ticket: string) {
    let body: Buffer;
    try {
      body = await readRaw(req, MAX_UPLOAD);
    } catch (err) {
      if (err instanceof BodyTooLargeError) return sendBytes(res, 413, "Request Entity Too Large", TEXT);
      throw err;
    }
    const file = deps.ws.fileByTicket(ticket);
    if (!file) return sendBytes(res, 404, "Not Found", TEXT);
    const contentType = req.headers["content-type"] ?? "";
    const extracted = uploadedBytes(body, contentType);
    if ("error" in extracted) return sendBytes(res, 400, `Bad Request - ${extracted.error}`, TEXT);
    deps.ws.receiveUpload(file, extracted.bytes, { contentType, multipart: extracted.multipart });
    return sendBytes(res, 200, `OK - ${extracted.bytes.length}`, TEXT);
  }

  /** A file's bytes: url_private and thumbs need the bot token (Slack's rule), the viewer's path not. */
  /**
   * A file someone else shared: the bot reads it with files:read ("View files shared in channels
   * and conversations that your Slack app has been added to", docs.slack.dev/reference/scopes/
   * files.read) and only from a conversation it is in. Its own uploads it always reads.
   */
  function botMayRead(file: { user: string; shares: { channel: string }[] }): boolean {
    const bot = deps.ws.bot.userId;
    if (file.user === bot) return true;
    if (!deps.api.access.has("files:read")) return false;
    return file.shares.some((s) => deps.ws.isMember(s.channel, bot));
  }

  function serveFile(req: IncomingMessage, res: ServerResponse, id: string, needsToken: boolean) {
    const tokenOk = bearer(req) === deps.botToken && deps.api.access.tokenState === "active";
    if (needsToken && !tokenOk) return sendBytes(res, 403, "Forbidden", TEXT);
    const file = deps.ws.storedFile(id);
    if (!file?.bytes) return sendBytes(res, 404, "Not Found", TEXT);
    if (needsToken && !botMayRead(file)) return sendBytes(res, 403, "Forbidden", TEXT);
    return sendBytes(res, 200, file.bytes, fileType(file.name, file.bytes, file.snippetType).mimetype);
  }

  return (req: IncomingMessage, res: ServerResponse): void => {
    const url = new URL(req.url ?? "/", "http://emulator.local");
    const path = url.pathname;
    const verb = (req.method ?? "GET").toUpperCase();
    deps.activity.begin();
    res.on("close", () => deps.activity.end());
    const work = async () => {
      const api = /^\/api\/([A-Za-z0-9._]+)$/.exec(path);
      if (api?.[1] && (verb === "POST" || verb === "GET")) return handleApi(req, res, url, api[1]);
      const response = /^\/response\/(.+)$/.exec(path);
      if (response?.[1] && verb === "POST") return handleResponseUrl(req, res, response[1]);
      const upload = /^\/upload\/v1\/([A-Za-z0-9_-]+)$/.exec(path);
      if (upload?.[1] && verb === "POST") return handleUpload(req, res, upload[1]);
      if (verb === "GET") {
        const team = deps.ws.team.id;
        const pri = new RegExp(`^/files-pri/${team}-(F[A-Z0-9]+)/(?:download/)?[^/]+$`).exec(path);
        if (pri?.[1]) return serveFile(req, res, pri[1], true);
        const tmb = new RegExp(`^/files-tmb/${team}-(F[A-Z0-9]+)-[0-9a-f]+/[^/]+$`).exec(path);
        if (tmb?.[1]) return serveFile(req, res, tmb[1], true);
        const local = /^\/_emulator\/files\/(F[A-Z0-9]+)$/.exec(path);
        if (local?.[1]) return serveFile(req, res, local[1], false);
      }
      if (path === "/_emulator/state" && verb === "GET") {
        return send(res, 200, { ...deps.ws.snapshot(), ...deps.record.snapshot() });
      }
      if ((path === "/" || path === "/index.html") && verb === "GET") {
        const channel = url.searchParams.get("channel") ?? undefined;
        return send(res, 200, renderViewer(deps.ws, deps.record, channel));
      }
      return send(res, 404, { ok: false, error: "not_found" });
    };
    work().catch((err: unknown) => {
      if (!res.headersSent) {
        send(res, 500, { ok: false, error: "internal_error", detail: String(err) });
      } else {
        res.destroy();
      }
    });
  };
}

/** node:http 'upgrade': the Socket Mode link, nothing else speaks WebSocket. */
export function createUpgradeHandler(deps: { socketMode: SocketModeServer }) {
  return (req: IncomingMessage, socket: Duplex, head: Buffer) => {
    socket.on("error", () => socket.destroy());
    const path = new URL(req.url ?? "/", "http://emulator.local").pathname;
    if (path === LINK_PATH) return deps.socketMode.handleUpgrade(req, socket, head);
    refuseUpgrade(socket, { status: 404, reason: "no WebSocket endpoint here" });
  };
}
