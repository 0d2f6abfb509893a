// Minimal HTTP POST used to reach the app (driver requests and Events API deliveries). Built on
// node:http without connection pooling so stopping the emulator never leaves sockets behind, and
// with an abortable timeout because Slack gives up on an app after 3 seconds.
import { request as httpRequest, type IncomingHttpHeaders } from "node:http";
import { request as httpsRequest } from "node:https";

export interface AppResponse {
  status: number;
  /** Parsed JSON when the app answered JSON, otherwise the raw text ("" for an empty body). */
  body: unknown;
  headers: IncomingHttpHeaders;
  /** Milliseconds from sending to the full response. */
  elapsedMs: number;
}

export class RequestTimeoutError extends Error {
  constructor(readonly timeoutMs: number) {
    super(`no response within ${timeoutMs} ms`);
    this.name = "RequestTimeoutError";
  }
}

export function parseBody(contentType: string | undefined, text: string): unknown {
  if (contentType?.includes("application/json") && text.length > 0) {
    try {
      return JSON.parse(text);
    } catch {
      return text;
    }
  }
  return text;
}

export function postToApp(
  url: string,
  body: string,
  headers: Record<string, string>,
  options: { timeoutMs?: number; signal?: AbortSignal } = {},
): Promise<AppResponse> {
  const started = Date.now();
  const target = new URL(url);
  const request = target.protocol === "https:" ? httpsRequest : httpRequest;
  return new Promise((resolve, reject) => {
    let timer: NodeJS.Timeout | undefined;
    const onAbort = () => req.destroy(new Error("aborted"));
    const cleanup = () => {
      if (timer) clearTimeout(timer);
      options.signal?.removeEventListener("abort", onAbort);
    };
    const req = request(
      target,
      {
        method: "POST",
        agent: false,
        headers: {
          "content-length": Buffer.byteLength(body),
          "user-agent": "Slackbot 1.0 (+https://api.slack.com/robots)",
          ...headers,
        },
      },
      (res) => {
        const chunks: Buffer[] = [];
        res.on("data", (c: Buffer) => chunks.push(c));
        res.on("error", reject);
        res.on("end", () => {
          cleanup();
          const text = Buffer.concat(chunks).toString("utf8");
          resolve({
            status: res.statusCode ?? 0,
            body: parseBody(res.headers["content-type"], text),
            headers: res.headers,
            elapsedMs: Date.now() - started,
          });
        });
      },
    );
    req.on("error", (err) => {
      cleanup();
      reject(err);
    });
    if (options.timeoutMs !== undefined) {
      const timeoutMs = options.timeoutMs;
      timer = setTimeout(() => req.destroy(new RequestTimeoutError(timeoutMs)), timeoutMs);
    }
    if (options.signal?.aborted) onAbort();
    else options.signal?.addEventListener("abort", onAbort, { once: true });
    req.end(body);
  });
}
