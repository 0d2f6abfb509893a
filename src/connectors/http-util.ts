import type { IncomingMessage, ServerResponse } from "node:http";

/**
 * The body, up to `limit` bytes; past it, "too_large" at once and the rest is not read. `onChunk`
 * sees each chunk as it arrives (a signature computed while the body streams).
 */
export function readBody(
  req: IncomingMessage,
  limit: number,
  onChunk?: (chunk: Buffer) => void,
): Promise<Buffer | "too_large"> {
  const declared = Number(req.headers["content-length"]);
  if (Number.isFinite(declared) && declared > limit) {
    req.resume();
    return Promise.resolve("too_large");
  }
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    let size = 0;
    let over = false;
    req.on("data", (chunk: Buffer) => {
      if (over) return;
      size += chunk.length;
      if (size > limit) {
        over = true;
        resolve("too_large");
        return;
      }
      onChunk?.(chunk);
      chunks.push(chunk);
    });
    req.on("end", () => {
      if (!over) resolve(Buffer.concat(chunks));
    });
    req.on("error", reject);
  });
}

export function sendJson(res: ServerResponse, status: number, body: unknown): void {
  const text = JSON.stringify(body);
  res.writeHead(status, {
    "content-type": "application/json; charset=utf-8",
    "content-length": Buffer.byteLength(text),
  });
  res.end(text);
}

/**
 * Answers and closes the connection without reading the rest of the request: a client that sends
 * an unsigned or oversized body (or one that never ends) costs no more than its headers.
 */
export function refuseAndClose(
  req: IncomingMessage,
  res: ServerResponse,
  status: number,
  body: unknown,
): void {
  // Not read further (backpressure holds the sender), then closed a moment after the answer, so
  // that the sender gets to read it before the connection goes.
  req.pause();
  res.setHeader("connection", "close");
  sendJson(res, status, body);
  res.once("finish", () => setTimeout(() => req.destroy(), CLOSE_AFTER_MS).unref());
}

const CLOSE_AFTER_MS = 200;
