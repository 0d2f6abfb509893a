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
  /** Status codes to answer, one per request; 200 once they run out. */
  const script: number[] = [];
  const server = createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on("data", (c) => chunks.push(c));
    req.on("end", () => {
      const raw = Buffer.concat(chunks).toString("utf8");
      received.push({ headers: req.headers, raw, body: JSON.parse(raw), at: Date.now() });
      res.writeHead(script.shift() ?? 200).end();
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
