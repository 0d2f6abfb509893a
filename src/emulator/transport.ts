// How the emulator hands a request to the app. Callers (the driver, the event dispatcher) build it
// as Slack POSTs it to a Request URL: body, content type, signature and retry headers. Then:
//
// - to an http(s) URL it goes as that POST (postToApp);
// - to a Socket Mode target (socketModeTarget(server)), as the envelope Slack sends instead on one
//   of the app's WebSocket connections (docs.slack.dev/apis/events-api/using-socket-mode): an
//   event_callback body becomes `events_api` (x-slack-retry-num / -reason become retry_attempt /
//   retry_reason), a form with `payload` becomes `interactive`, a form with `command` becomes
//   `slash_commands`. Signatures are not sent: the link is authenticated.
//
// Either way the caller gets an AppResponse: over Socket Mode an ack is status 200 and its payload
// is the body ("" when it had none, as an empty HTTP 200), so the driver applies a slash command's
// or a view submission's answer the same way. No ack in time rejects with RequestTimeoutError,
// no connection with NoSocketModeConnectionError (the dispatcher counts both as failed attempts).
import { type AppResponse, postToApp } from "./http-client.ts";
import type { EnvelopeRequest, SocketModeServer } from "./socket-mode.ts";
import type { JsonObject } from "./types.ts";

const SCHEME = "emulator-socket-mode:";
const servers = new Map<string, SocketModeServer>();
let nextId = 1;

/** A pseudo URL that routes sendToApp to `server`'s connections. Release it when done. */
export function socketModeTarget(server: SocketModeServer): string {
  const id = String(nextId++);
  servers.set(id, server);
  return `${SCHEME}//${id}`;
}

export function releaseSocketModeTarget(target: string): void {
  servers.delete(target.slice(SCHEME.length + 2));
}

export function isSocketModeTarget(url: string): boolean {
  return url.startsWith(SCHEME);
}

export interface SendOptions {
  timeoutMs?: number;
  signal?: AbortSignal;
}

/** postToApp's drop-in: an HTTP POST, or over Socket Mode the envelope for the same request. */
export async function sendToApp(
  url: string,
  body: string,
  headers: Record<string, string>,
  options: SendOptions = {},
): Promise<AppResponse> {
  if (!isSocketModeTarget(url)) return postToApp(url, body, headers, options);
  const server = servers.get(url.slice(SCHEME.length + 2));
  if (!server) throw new Error("the emulator's Socket Mode server is gone (emulator stopped?)");
  const ack = await server.deliver(envelopeFor(body, headers), {
    ...(options.timeoutMs !== undefined ? { timeoutMs: options.timeoutMs } : {}),
    ...(options.signal ? { signal: options.signal } : {}),
  });
  return { status: 200, body: ack.payload ?? "", headers: {}, elapsedMs: ack.elapsedMs };
}

/**
 * Interactive payloads whose ack may carry an answer (accepts_response_payload): view_submission
 * (response_action), block_suggestion (options), and block_actions as the docs' example shows.
 * Shortcuts and view_closed take none (python-slack-sdk's fixtures send shortcuts with false).
 */
const INTERACTIVE_WITH_RESPONSE = new Set(["view_submission", "block_suggestion", "block_actions"]);

/** Slack's retry reasons over Socket Mode: "timeout" for a missed ack (python-slack-sdk fixtures). */
function socketRetryReason(httpReason: string | undefined): string | undefined {
  if (httpReason === undefined) return undefined;
  return httpReason === "http_timeout" ? "timeout" : httpReason;
}

/** The Socket Mode envelope (without envelope_id) Slack sends in place of this HTTP request. */
export function envelopeFor(body: string, headers: Record<string, string>): EnvelopeRequest {
  const contentType = (headers["content-type"] ?? "").toLowerCase();
  if (contentType.startsWith("application/json")) {
    const parsed = parseObject(body, "event body");
    if (parsed.type === "url_verification") {
      throw new Error("Slack sends no url_verification over Socket Mode (there is no Request URL to verify)");
    }
    if (parsed.type !== "event_callback") {
      throw new Error(`no Socket Mode envelope for a JSON body of type ${String(parsed.type)}`);
    }
    const retryNum = headers["x-slack-retry-num"];
    const retryReason = socketRetryReason(headers["x-slack-retry-reason"]);
    return {
      type: "events_api",
      payload: parsed,
      acceptsResponsePayload: false,
      ...(retryNum !== undefined ? { retryAttempt: Number(retryNum) } : {}),
      ...(retryReason !== undefined ? { retryReason } : {}),
    };
  }
  if (contentType.startsWith("application/x-www-form-urlencoded")) {
    const form = new URLSearchParams(body);
    const payload = form.get("payload");
    if (payload !== null) {
      const parsed = parseObject(payload, "interactive payload");
      return {
        type: "interactive",
        payload: parsed,
        acceptsResponsePayload: INTERACTIVE_WITH_RESPONSE.has(String(parsed.type)),
      };
    }
    if (form.has("command")) {
      return { type: "slash_commands", payload: Object.fromEntries(form), acceptsResponsePayload: true };
    }
  }
  throw new Error(`no Socket Mode envelope for a ${contentType || "untyped"} request`);
}

function parseObject(text: string, what: string): JsonObject {
  const parsed: unknown = JSON.parse(text);
  if (typeof parsed !== "object" || parsed === null || Array.isArray(parsed)) {
    throw new Error(`${what} is not a JSON object`);
  }
  return parsed as JsonObject;
}
