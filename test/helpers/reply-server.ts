// A customer-side endpoint that receives HeroDesk's replies, as a source's replyUrl would.
import { createServer, type IncomingMessage } from "node:http";
import type { AddressInfo } from "node:net";

export interface ReceivedReply {
  headers: IncomingMessage["headers"];
  raw: string;
  body: Record<string, unknown>;
  at: number;
}

export async function startReplyServer() {
  const received: ReceivedReply[] = [];
  /** Answers, one per request (a status, or a status with headers); 200 once they run out. */
  const script: (number | { status: number; headers: Record<string, string> })[] = [];
  const server = createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on("data", (c) => chunks.push(c));
    req.on("end", () => {
      const raw = Buffer.concat(chunks).toString("utf8");
      received.push({ headers: req.headers, raw, body: raw ? JSON.parse(raw) : {}, at: Date.now() });
      const next = script.shift() ?? 200;
      if (typeof next === "number") res.writeHead(next).end();
      else res.writeHead(next.status, next.headers).end();
    });
  });
  await new Promise<void>((r) => server.listen(0, "127.0.0.1", r));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}/replies`,
    received,
    script,
    close: () => new Promise<void>((r) => server.close(() => r())),
  };
}
