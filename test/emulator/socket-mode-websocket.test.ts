// The emulator's WebSocket server side (src/emulator/websocket.ts) against RFC 6455
// (https://www.rfc-editor.org/rfc/rfc6455): a raw TCP client plays the browser side frame by frame,
// and undici's WebSocket (the client @slack/socket-mode 3 uses, SlackWebSocket.ts) checks interop.
import { once } from "node:events";
import { createServer, request, type Server } from "node:http";
import type { AddressInfo, Socket } from "node:net";
import { WebSocket as UndiciWebSocket } from "undici";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import {
  acceptUpgrade,
  acceptValue,
  CloseCode,
  checkHandshake,
  encodeFrame,
  type Frame,
  FrameDecoder,
  Opcode,
  refuseUpgrade,
  type WebSocketConnection,
} from "../../src/emulator/websocket.ts";

let server: Server;
let port: number;
const accepted: WebSocketConnection[] = [];
const received: { ws: WebSocketConnection; text: string }[] = [];

beforeAll(async () => {
  server = createServer((_req, res) => res.writeHead(404).end());
  server.on("upgrade", (req, socket, head) => {
    socket.on("error", () => socket.destroy());
    const handshake = checkHandshake(req);
    if ("status" in handshake) return refuseUpgrade(socket, handshake);
    const ws = acceptUpgrade(socket, head, handshake.key, {
      maxMessageBytes: 1024 * 1024,
      closeTimeoutMs: 300,
    });
    accepted.push(ws);
    ws.on("message", (text) => {
      received.push({ ws, text });
      if (text.startsWith("echo:")) ws.send(text.slice(5));
      if (text.startsWith("big:")) ws.send("x".repeat(Number(text.slice(4))), { fragmentBytes: 70_000 });
    });
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  port = (server.address() as AddressInfo).port;
});

afterAll(async () => {
  server.closeAllConnections();
  await new Promise<void>((resolve) => server.close(() => resolve()));
});

const MASK = Buffer.from([0x37, 0xfa, 0x21, 0x3d]);
const KEY = "dGhlIHNhbXBsZSBub25jZQ==";

/** A raw client: sends frames as given, decodes the server's (unmasked) frames. */
async function rawClient(headers: Record<string, string> = {}) {
  const req = request({
    host: "127.0.0.1",
    port,
    path: "/",
    headers: {
      connection: "Upgrade",
      upgrade: "websocket",
      "sec-websocket-version": "13",
      "sec-websocket-key": KEY,
      ...headers,
    },
  });
  req.end();
  const [res, socket, head] = (await once(req, "upgrade")) as [
    { headers: Record<string, string> },
    Socket,
    Buffer,
  ];
  const decoder = new FrameDecoder({ requireMask: false, maxPayloadBytes: 16 * 1024 * 1024 });
  const frames: Frame[] = [];
  let notify: (() => void) | undefined;
  const take = (chunk: Buffer) => {
    frames.push(...decoder.push(chunk));
    notify?.();
  };
  take(head);
  socket.on("data", take);
  let ended = false;
  socket.on("end", () => {
    ended = true;
    notify?.();
  });
  const client = {
    res,
    socket,
    frames,
    get ended() {
      return ended;
    },
    send: (frame: Buffer) => socket.write(frame),
    /** Waits for the n-th frame (1-based). */
    async frame(n: number): Promise<Frame> {
      const deadline = Date.now() + 3000;
      while (frames.length < n) {
        if (Date.now() > deadline) throw new Error(`no frame ${n} (got ${frames.length})`);
        await new Promise<void>((resolve) => {
          notify = resolve;
          setTimeout(resolve, 50);
        });
      }
      return frames[n - 1] as Frame;
    },
    async end(): Promise<void> {
      const deadline = Date.now() + 3000;
      while (!ended && Date.now() < deadline) await new Promise((r) => setTimeout(r, 10));
    },
  };
  return client;
}

function closeCodeOf(frame: Frame): number {
  expect(frame.opcode).toBe(Opcode.close);
  return frame.payload.readUInt16BE(0);
}

async function nextMessage(from: number): Promise<string> {
  const deadline = Date.now() + 3000;
  while (received.length <= from) {
    if (Date.now() > deadline) throw new Error("no message");
    await new Promise((r) => setTimeout(r, 5));
  }
  return (received[from] as { text: string }).text;
}

describe("opening handshake (RFC 6455 4.2)", () => {
  it("answers 101 with Sec-WebSocket-Accept = base64(SHA-1(key + GUID)) (the RFC's own example)", async () => {
    expect(acceptValue(KEY)).toBe("s3pPLMBiTxaQ9kYGzzhZRbK+xOo=");
    const client = await rawClient();
    expect(client.res.headers["sec-websocket-accept"]).toBe("s3pPLMBiTxaQ9kYGzzhZRbK+xOo=");
    // No extension is negotiated even when offered (undici offers permessage-deflate).
    expect(client.res.headers["sec-websocket-extensions"]).toBeUndefined();
    client.socket.destroy();
  });

  it("refuses a wrong version (426 + Sec-WebSocket-Version: 13) and a malformed key (400)", async () => {
    const status = (headers: Record<string, string>) =>
      new Promise<{ status: number; version?: string }>((resolve, reject) => {
        const req = request({
          host: "127.0.0.1",
          port,
          path: "/",
          headers: { connection: "Upgrade", upgrade: "websocket", "sec-websocket-version": "13", ...headers },
        });
        req.on("response", (res) => {
          res.resume();
          resolve({ status: res.statusCode ?? 0, version: res.headers["sec-websocket-version"] as string });
        });
        req.on("upgrade", () => reject(new Error("upgraded")));
        req.on("error", reject);
        req.end();
      });
    expect(await status({ "sec-websocket-version": "8", "sec-websocket-key": KEY })).toEqual({
      status: 426,
      version: "13",
    });
    expect((await status({ "sec-websocket-key": "short" })).status).toBe(400);
    expect((await status({})).status).toBe(400);
  });
});

describe("data frames (RFC 6455 5.2-5.4, 5.6)", () => {
  it("unmasks client frames and reassembles a fragmented text message, answering a ping sent between fragments", async () => {
    const client = await rawClient();
    const from = received.length;
    client.send(encodeFrame(Opcode.text, "Hel", { fin: false, mask: MASK }));
    client.send(encodeFrame(Opcode.ping, "between", { mask: MASK })); // 5.4: control frames may interleave
    client.send(encodeFrame(Opcode.continuation, "lo, ", { fin: false, mask: MASK }));
    client.send(encodeFrame(Opcode.continuation, "wörld", { mask: MASK }));
    expect(await nextMessage(from)).toBe("Hello, wörld");
    const pong = await client.frame(1);
    expect(pong.opcode).toBe(Opcode.pong);
    expect(pong.payload.toString()).toBe("between"); // 5.5.3: same application data
    client.socket.destroy();
  });

  it("reads frames split across TCP writes, byte by byte", async () => {
    const client = await rawClient();
    const from = received.length;
    const frame = encodeFrame(Opcode.text, "one byte at a time", { mask: MASK });
    for (const byte of frame) {
      client.send(Buffer.from([byte]));
      await new Promise((r) => setImmediate(r));
    }
    expect(await nextMessage(from)).toBe("one byte at a time");
    client.socket.destroy();
  });

  it("takes 16-bit and 64-bit payload lengths (300 bytes, 200 kB) and sends a large message in fragments", async () => {
    const client = await rawClient();
    const from = received.length;
    client.send(encodeFrame(Opcode.text, "a".repeat(300), { mask: MASK }));
    client.send(encodeFrame(Opcode.text, "b".repeat(200_000), { mask: MASK }));
    expect(await nextMessage(from)).toHaveLength(300);
    expect(await nextMessage(from + 1)).toHaveLength(200_000);
    client.send(encodeFrame(Opcode.text, "big:150000", { mask: MASK }));
    const first = await client.frame(1);
    const second = await client.frame(2);
    const third = await client.frame(3);
    expect([first.opcode, second.opcode, third.opcode]).toEqual([
      Opcode.text,
      Opcode.continuation,
      Opcode.continuation,
    ]);
    expect([first.fin, second.fin, third.fin]).toEqual([false, false, true]);
    expect(first.payload.length + second.payload.length + third.payload.length).toBe(150_000);
    expect(first.masked).toBe(false); // 5.1: a server never masks
    client.socket.destroy();
  });

  it("interoperates with undici's WebSocket (the client @slack/socket-mode uses): echo and a fragmented 150 kB message", async () => {
    const ws = new UndiciWebSocket(`ws://127.0.0.1:${port}/`);
    const messages: string[] = [];
    ws.addEventListener("message", (e) => messages.push(String(e.data)));
    await once(ws as unknown as EventTarget, "open");
    ws.send("echo:ünïcödé");
    ws.send("big:150000");
    const deadline = Date.now() + 3000;
    while (messages.length < 2 && Date.now() < deadline) await new Promise((r) => setTimeout(r, 10));
    expect(messages[0]).toBe("ünïcödé");
    expect(messages[1]).toHaveLength(150_000);
    const closed = new Promise<{ code: number }>((resolve) =>
      ws.addEventListener("close", (e) => resolve(e)),
    );
    ws.close(1000, "done");
    expect((await closed).code).toBe(1000);
  });
});

describe("protocol errors close the connection (RFC 6455 5.1, 5.2, 5.4, 5.5, 8.1)", () => {
  const cases: [string, (c: Awaited<ReturnType<typeof rawClient>>) => void, number][] = [
    ["an unmasked client frame", (c) => c.send(encodeFrame(Opcode.text, "no mask")), CloseCode.protocolError],
    [
      "a reserved bit without an extension",
      (c) => c.send(encodeFrame(Opcode.text, "rsv", { mask: MASK, rsv: 4 })),
      CloseCode.protocolError,
    ],
    ["an unknown opcode", (c) => c.send(encodeFrame(0x3, "?", { mask: MASK })), CloseCode.protocolError],
    [
      "a continuation with no message",
      (c) => c.send(encodeFrame(Opcode.continuation, "x", { mask: MASK })),
      CloseCode.protocolError,
    ],
    [
      "a new message inside a fragmented one",
      (c) => {
        c.send(encodeFrame(Opcode.text, "a", { fin: false, mask: MASK }));
        c.send(encodeFrame(Opcode.text, "b", { mask: MASK }));
      },
      CloseCode.protocolError,
    ],
    [
      "a fragmented ping",
      (c) => c.send(encodeFrame(Opcode.ping, "p", { fin: false, mask: MASK })),
      CloseCode.protocolError,
    ],
    [
      "a control frame over 125 bytes",
      (c) => c.send(encodeFrame(Opcode.ping, "p".repeat(126), { mask: MASK })),
      CloseCode.protocolError,
    ],
    [
      "text that is not UTF-8",
      (c) => c.send(encodeFrame(Opcode.text, Buffer.from([0xc3, 0x28]), { mask: MASK })),
      CloseCode.invalidPayload,
    ],
    [
      "a binary message (Socket Mode is JSON text)",
      (c) => c.send(encodeFrame(Opcode.binary, Buffer.from([1, 2, 3]), { mask: MASK })),
      CloseCode.unsupportedData,
    ],
    [
      "a message over maxMessageBytes",
      (c) => c.send(encodeFrame(Opcode.text, "z".repeat(1024 * 1024 + 1), { mask: MASK })),
      CloseCode.tooBig,
    ],
    [
      "a non-minimal length",
      (c) => {
        const frame = Buffer.concat([Buffer.from([0x81, 0x80 | 126, 0, 5]), MASK, Buffer.alloc(5)]);
        c.send(frame);
      },
      CloseCode.protocolError,
    ],
  ];
  for (const [what, send, code] of cases) {
    it(`${what}: close ${code}, then the server ends the TCP connection`, async () => {
      const client = await rawClient();
      send(client);
      expect(closeCodeOf(await client.frame(1))).toBe(code);
      await client.end();
      expect(client.ended).toBe(true);
      client.socket.destroy();
    });
  }
});

describe("closing handshake (RFC 6455 5.5.1, 7.1)", () => {
  it("echoes the client's close code, reports it, and ends the TCP connection", async () => {
    const client = await rawClient();
    const ws = accepted.at(-1) as WebSocketConnection;
    const closed = once(ws, "close");
    const payload = Buffer.concat([Buffer.from([0x03, 0xe8]), Buffer.from("bye")]); // 1000 "bye"
    client.send(encodeFrame(Opcode.close, payload, { mask: MASK }));
    expect(closeCodeOf(await client.frame(1))).toBe(1000);
    await client.end();
    expect(client.ended).toBe(true);
    client.socket.destroy();
    expect(await closed).toEqual([1000, "bye"]);
  });

  it("a server-initiated close waits for the client's close frame, and sends nothing after it", async () => {
    const client = await rawClient();
    const ws = accepted.at(-1) as WebSocketConnection;
    ws.close(CloseCode.goingAway, "refresh");
    const frame = await client.frame(1);
    expect(closeCodeOf(frame)).toBe(1001);
    expect(frame.payload.subarray(2).toString()).toBe("refresh");
    expect(ws.state).toBe("closing");
    expect(() => ws.send("late")).toThrow(/not open/);
    const closed = once(ws, "close");
    client.send(encodeFrame(Opcode.close, Buffer.from([0x03, 0xe9]), { mask: MASK }));
    await client.end();
    expect(client.ended).toBe(true);
    client.socket.destroy();
    expect((await closed)[0]).toBe(1001);
  });

  it("drops a peer that never answers the close within closeTimeoutMs (1006 reported)", async () => {
    const client = await rawClient();
    const ws = accepted.at(-1) as WebSocketConnection;
    const closed = once(ws, "close");
    ws.close();
    expect(closeCodeOf(await client.frame(1))).toBe(1000);
    expect((await closed)[0]).toBe(CloseCode.abnormal);
    client.socket.destroy();
  });

  it("rejects an invalid close code (1005 may not be sent) with 1002", async () => {
    const client = await rawClient();
    client.send(encodeFrame(Opcode.close, Buffer.from([0x03, 0xed]), { mask: MASK }));
    expect(closeCodeOf(await client.frame(1))).toBe(CloseCode.protocolError);
    client.socket.destroy();
  });
});

describe("FrameDecoder", () => {
  it("decodes several frames from one chunk and keeps a partial one for later", () => {
    const decoder = new FrameDecoder({ requireMask: true, maxPayloadBytes: 1 << 20 });
    const a = encodeFrame(Opcode.text, "first", { mask: MASK });
    const b = encodeFrame(Opcode.text, "second".repeat(30), { mask: MASK });
    const both = Buffer.concat([a, b]);
    const frames = decoder.push(both.subarray(0, a.length + 3));
    expect(frames.map((f) => f.payload.toString())).toEqual(["first"]);
    const rest = decoder.push(both.subarray(a.length + 3));
    expect(rest.map((f) => f.payload.toString())).toEqual(["second".repeat(30)]);
  });
});
