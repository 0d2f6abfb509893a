// A signed POST /api/v1/messages over node:http, as a source would send it (x-herodesk-timestamp
// and x-herodesk-signature, see SPEC §2), on a caller-supplied keep-alive Agent.
import { type Agent, request } from "node:http";
import { sign } from "../../src/core/signature.ts";

export interface PostResult {
  /** HTTP status; 0 when the request failed without an answer. */
  status: number;
  body: string;
  error?: string;
}

export function postSigned(
  agent: Agent,
  url: URL,
  secret: string,
  payload: unknown,
  timeoutMs = 30_000,
): Promise<PostResult> {
  const raw = JSON.stringify(payload);
  const ts = Math.floor(Date.now() / 1000);
  return new Promise((resolve) => {
    const req = request(
      url,
      {
        method: "POST",
        agent,
        timeout: timeoutMs,
        headers: {
          "content-type": "application/json",
          "content-length": Buffer.byteLength(raw),
          "x-herodesk-timestamp": String(ts),
          "x-herodesk-signature": sign(secret, ts, raw),
        },
      },
      (res) => {
        const chunks: Buffer[] = [];
        res.on("data", (c: Buffer) => chunks.push(c));
        res.on("end", () => resolve({ status: res.statusCode ?? 0, body: Buffer.concat(chunks).toString() }));
        res.on("error", (err) => resolve({ status: 0, body: "", error: err.message }));
      },
    );
    req.on("timeout", () => req.destroy(new Error(`no answer in ${timeoutMs} ms`)));
    req.on("error", (err) => resolve({ status: 0, body: "", error: err.message }));
    req.end(raw);
  });
}
