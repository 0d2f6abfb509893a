// A minimal WebSocket server side (RFC 6455), enough to be Slack's end of a Socket Mode link:
// the opening handshake on node:http's 'upgrade' event, masked client frames, text messages
// (fragmented or not, any length), ping/pong and the close handshake. No extensions (no
// permessage-deflate) and no subprotocols are negotiated, as Slack offers none.
//
// Strict like a conforming server: an unmasked client frame, a reserved bit, an unknown opcode, a
// fragmented or oversized control frame, a continuation out of place or a non-minimal length is a
// protocol error (close 1002); a text message that is not UTF-8 closes with 1007; a message over
// maxMessageBytes with 1009.
import { createHash } from "node:crypto";
import { EventEmitter } from "node:events";
import type { IncomingMessage } from "node:http";
import type { Duplex } from "node:stream";

/** RFC 6455 section 1.3: appended to Sec-WebSocket-Key before hashing. */
export const WEBSOCKET_GUID = "258EAFA5-E914-47DA-95CA-C5AB0DC85B11";

export const Opcode = {
  continuation: 0x0,
  text: 0x1,
  binary: 0x2,
  close: 0x8,
  ping: 0x9,
  pong: 0xa,
} as const;

/** RFC 6455 section 7.4.1. */
export const CloseCode = {
  normal: 1000,
  goingAway: 1001,
  protocolError: 1002,
  unsupportedData: 1003,
  noStatus: 1005,
  abnormal: 1006,
  invalidPayload: 1007,
  policyViolation: 1008,
  tooBig: 1009,
  internalError: 1011,
} as const;

/** The Sec-WebSocket-Accept value for a Sec-WebSocket-Key. */
export function acceptValue(key: string): string {
  return createHash("sha1")
    .update(key + WEBSOCKET_GUID)
    .digest("base64");
}

export interface Frame {
  fin: boolean;
  /** The three reserved bits (RSV1..3) as a number 0..7. */
  rsv: number;
  opcode: number;
  masked: boolean;
  /** Unmasked payload. */
  payload: Buffer;
}

export class WebSocketProtocolError extends Error {
  constructor(
    readonly closeCode: number,
    message: string,
  ) {
    super(message);
    this.name = "WebSocketProtocolError";
  }
}

/**
 * One frame on the wire. Servers send unmasked frames; pass `mask` (4 bytes) to build a client
 * frame (tests play the client with it).
 */
export function encodeFrame(
  opcode: number,
  payload: Buffer | string,
  options: { fin?: boolean; mask?: Buffer; rsv?: number } = {},
): Buffer {
  const data = typeof payload === "string" ? Buffer.from(payload, "utf8") : payload;
  const fin = options.fin ?? true;
  const mask = options.mask;
  const length = data.length;
  const lengthBytes = length < 126 ? 0 : length <= 0xffff ? 2 : 8;
  const header = Buffer.alloc(2 + lengthBytes + (mask ? 4 : 0));
  header[0] = (fin ? 0x80 : 0) | (((options.rsv ?? 0) & 0x7) << 4) | (opcode & 0x0f);
  const maskBit = mask ? 0x80 : 0;
  if (lengthBytes === 0) {
    header[1] = maskBit | length;
  } else if (lengthBytes === 2) {
    header[1] = maskBit | 126;
    header.writeUInt16BE(length, 2);
  } else {
    header[1] = maskBit | 127;
    header.writeBigUInt64BE(BigInt(length), 2);
  }
  if (!mask) return Buffer.concat([header, data]);
  if (mask.length !== 4) throw new Error("a frame mask is 4 bytes");
  mask.copy(header, 2 + lengthBytes);
  return Buffer.concat([header, applyMask(data, mask)]);
}

function applyMask(data: Buffer, mask: Buffer): Buffer {
  const out = Buffer.allocUnsafe(data.length);
  for (let i = 0; i < data.length; i++) out[i] = (data[i] as number) ^ (mask[i & 3] as number);
  return out;
}

const isControl = (opcode: number) => opcode >= 0x8;
const KNOWN_OPCODES = new Set<number>(Object.values(Opcode));

/**
 * Incremental frame decoder: push bytes as they arrive, get whole frames back. Frame-level rules
 * are checked here (section 5.2); message-level ones (fragment order, UTF-8) by the connection.
 */
export class FrameDecoder {
  private chunks: Buffer[] = [];
  private buffered = 0;

  constructor(
    private readonly options: {
      /** Client frames must be masked (section 5.1); a client decoding server frames passes false. */
      requireMask: boolean;
      /** Largest payload accepted in one frame. */
      maxPayloadBytes: number;
    },
  ) {}

  push(chunk: Buffer): Frame[] {
    if (chunk.length > 0) {
      this.chunks.push(chunk);
      this.buffered += chunk.length;
    }
    const frames: Frame[] = [];
    for (;;) {
      const frame = this.next();
      if (!frame) return frames;
      frames.push(frame);
    }
  }

  private next(): Frame | undefined {
    if (this.buffered < 2) return undefined;
    const head = this.peek(Math.min(this.buffered, 14));
    const b0 = head[0] as number;
    const b1 = head[1] as number;
    const fin = (b0 & 0x80) !== 0;
    const rsv = (b0 >> 4) & 0x7;
    const opcode = b0 & 0x0f;
    const masked = (b1 & 0x80) !== 0;
    if (rsv !== 0) {
      throw new WebSocketProtocolError(CloseCode.protocolError, "reserved bits set without an extension");
    }
    if (!KNOWN_OPCODES.has(opcode)) {
      throw new WebSocketProtocolError(CloseCode.protocolError, `unknown opcode 0x${opcode.toString(16)}`);
    }
    if (this.options.requireMask && !masked) {
      throw new WebSocketProtocolError(CloseCode.protocolError, "client frames must be masked");
    }
    if (!this.options.requireMask && masked) {
      throw new WebSocketProtocolError(CloseCode.protocolError, "server frames must not be masked");
    }
    const short = b1 & 0x7f;
    const lengthBytes = short === 126 ? 2 : short === 127 ? 8 : 0;
    const headerLength = 2 + lengthBytes + (masked ? 4 : 0);
    if (head.length < headerLength) return undefined;
    let length: number;
    if (lengthBytes === 0) {
      length = short;
    } else if (lengthBytes === 2) {
      length = head.readUInt16BE(2);
      if (length < 126) {
        throw new WebSocketProtocolError(CloseCode.protocolError, "non-minimal payload length");
      }
    } else {
      const big = head.readBigUInt64BE(2);
      if (big >> 63n) {
        throw new WebSocketProtocolError(CloseCode.protocolError, "payload length's top bit set");
      }
      if (big <= 0xffffn) {
        throw new WebSocketProtocolError(CloseCode.protocolError, "non-minimal payload length");
      }
      if (big > BigInt(this.options.maxPayloadBytes)) {
        throw new WebSocketProtocolError(CloseCode.tooBig, `frame of ${big} bytes is too big`);
      }
      length = Number(big);
    }
    if (isControl(opcode)) {
      if (!fin) {
        throw new WebSocketProtocolError(CloseCode.protocolError, "control frames must not be fragmented");
      }
      if (length > 125) {
        throw new WebSocketProtocolError(CloseCode.protocolError, "control frame payload over 125 bytes");
      }
    }
    if (length > this.options.maxPayloadBytes) {
      throw new WebSocketProtocolError(CloseCode.tooBig, `frame of ${length} bytes is too big`);
    }
    if (this.buffered < headerLength + length) return undefined;
    const header = this.take(headerLength);
    const raw = this.take(length);
    const payload = masked ? applyMask(raw, header.subarray(headerLength - 4, headerLength)) : raw;
    return { fin, rsv, opcode, masked, payload };
  }

  /** The first n buffered bytes, without consuming them. */
  private peek(n: number): Buffer {
    const first = this.chunks[0] as Buffer;
    if (first.length >= n) return first.subarray(0, n);
    this.chunks = [Buffer.concat(this.chunks)];
    return (this.chunks[0] as Buffer).subarray(0, n);
  }

  private take(n: number): Buffer {
    if (n === 0) return Buffer.alloc(0);
    const first = this.chunks[0] as Buffer;
    let out: Buffer;
    if (first.length >= n) {
      out = first.subarray(0, n);
      if (first.length === n) this.chunks.shift();
      else this.chunks[0] = first.subarray(n);
    } else {
      const parts: Buffer[] = [];
      let needed = n;
      while (needed > 0) {
        const chunk = this.chunks[0] as Buffer;
        if (chunk.length <= needed) {
          parts.push(chunk);
          this.chunks.shift();
          needed -= chunk.length;
        } else {
          parts.push(chunk.subarray(0, needed));
          this.chunks[0] = chunk.subarray(needed);
          needed = 0;
        }
      }
      out = Buffer.concat(parts, n);
    }
    this.buffered -= n;
    return out;
  }
}

const utf8 = new TextDecoder("utf-8", { fatal: true });

function decodeUtf8(bytes: Buffer): string {
  try {
    return utf8.decode(bytes);
  } catch {
    throw new WebSocketProtocolError(CloseCode.invalidPayload, "text is not valid UTF-8");
  }
}

/** Close codes a peer may send (section 7.4): 1000-1003, 1007-1014 and 3000-4999. */
function isValidCloseCode(code: number): boolean {
  if (code >= 3000 && code <= 4999) return true;
  return code >= 1000 && code <= 1014 && code !== 1004 && code !== 1005 && code !== 1006;
}

export type WebSocketState = "open" | "closing" | "closed";

export interface WebSocketOptions {
  /** Largest message accepted (all fragments together). Default 16 MiB. */
  maxMessageBytes?: number;
  /** How long to wait for the peer's close frame after sending ours. Default 1000 ms. */
  closeTimeoutMs?: number;
}

interface WebSocketEvents {
  /** A whole text message. */
  message: [text: string];
  ping: [data: Buffer];
  pong: [data: Buffer];
  /** The connection is gone; code/reason are the peer's (1005 without code, 1006 without close frame). */
  close: [code: number, reason: string];
}

/** The server's end of one WebSocket connection. */
export class WebSocketConnection extends EventEmitter<WebSocketEvents> {
  private readonly decoder: FrameDecoder;
  private readonly maxMessageBytes: number;
  private readonly closeTimeoutMs: number;
  private fragments: Buffer[] = [];
  private fragmentsBytes = 0;
  private fragmentOpcode: number | undefined;
  private closeSent = false;
  private closeReceived: { code: number; reason: string } | undefined;
  private closeTimer: NodeJS.Timeout | undefined;
  private ended = false;
  state: WebSocketState = "open";

  constructor(
    private readonly socket: Duplex,
    options: WebSocketOptions = {},
  ) {
    super();
    this.maxMessageBytes = options.maxMessageBytes ?? 16 * 1024 * 1024;
    this.closeTimeoutMs = options.closeTimeoutMs ?? 1000;
    this.decoder = new FrameDecoder({ requireMask: true, maxPayloadBytes: this.maxMessageBytes });
    (socket as Duplex & { setNoDelay?: (on: boolean) => void }).setNoDelay?.(true);
    socket.on("data", (chunk: Buffer) => this.receive(chunk));
    socket.on("error", () => socket.destroy());
    socket.on("close", () => this.finish());
    socket.on("end", () => socket.end());
  }

  /** Sends a text message, in one frame or (fragmentBytes) in several. */
  send(text: string, options: { fragmentBytes?: number } = {}): void {
    if (this.state !== "open") throw new Error("WebSocket is not open");
    const data = Buffer.from(text, "utf8");
    const size = options.fragmentBytes;
    if (!size || size <= 0 || data.length <= size) {
      this.write(encodeFrame(Opcode.text, data));
      return;
    }
    for (let offset = 0; offset < data.length; offset += size) {
      const last = offset + size >= data.length;
      this.write(
        encodeFrame(offset === 0 ? Opcode.text : Opcode.continuation, data.subarray(offset, offset + size), {
          fin: last,
        }),
      );
    }
  }

  ping(data: Buffer | string = Buffer.alloc(0)): void {
    if (this.state !== "open") return;
    this.write(encodeFrame(Opcode.ping, data));
  }

  /** Starts the close handshake; the TCP connection ends when the peer answers (or after closeTimeoutMs). */
  close(code: number = CloseCode.normal, reason = ""): void {
    if (this.state === "closed" || this.closeSent) return;
    this.sendClose(code, reason);
    if (this.closeReceived) {
      this.socket.end();
      return;
    }
    this.state = "closing";
    this.closeTimer = setTimeout(() => this.socket.destroy(), this.closeTimeoutMs);
    this.closeTimer.unref?.();
  }

  /** Drops the TCP connection without a close handshake. */
  terminate(): void {
    this.socket.destroy();
  }

  private sendClose(code: number, reason: string): void {
    this.closeSent = true;
    const reasonBytes = Buffer.from(reason, "utf8").subarray(0, 123);
    const payload = Buffer.alloc(2 + reasonBytes.length);
    payload.writeUInt16BE(code, 0);
    reasonBytes.copy(payload, 2);
    this.write(encodeFrame(Opcode.close, payload));
  }

  private write(frame: Buffer): void {
    if (!this.socket.destroyed && this.socket.writable) this.socket.write(frame);
  }

  private receive(chunk: Buffer): void {
    if (this.closeReceived || this.state === "closed") return; // nothing may follow a close frame
    let frames: Frame[];
    try {
      frames = this.decoder.push(chunk);
    } catch (err) {
      this.fail(err);
      return;
    }
    for (const frame of frames) {
      try {
        this.handle(frame);
      } catch (err) {
        this.fail(err);
        return;
      }
      if (this.closeReceived) return;
    }
  }

  private handle(frame: Frame): void {
    switch (frame.opcode) {
      case Opcode.ping:
        // Section 5.5.2: answer with a pong carrying the same data (unless we are closing).
        if (!this.closeSent) this.write(encodeFrame(Opcode.pong, frame.payload));
        this.emit("ping", frame.payload);
        return;
      case Opcode.pong:
        this.emit("pong", frame.payload);
        return;
      case Opcode.close:
        this.receiveClose(frame.payload);
        return;
      case Opcode.continuation:
        if (this.fragmentOpcode === undefined) {
          throw new WebSocketProtocolError(CloseCode.protocolError, "continuation frame without a message");
        }
        this.addFragment(frame);
        return;
      default:
        if (this.fragmentOpcode !== undefined) {
          throw new WebSocketProtocolError(CloseCode.protocolError, "new message before the last one ended");
        }
        this.fragmentOpcode = frame.opcode;
        this.addFragment(frame);
    }
  }

  private addFragment(frame: Frame): void {
    this.fragmentsBytes += frame.payload.length;
    if (this.fragmentsBytes > this.maxMessageBytes) {
      throw new WebSocketProtocolError(CloseCode.tooBig, `message over ${this.maxMessageBytes} bytes`);
    }
    this.fragments.push(frame.payload);
    if (!frame.fin) return;
    const opcode = this.fragmentOpcode;
    const data = Buffer.concat(this.fragments, this.fragmentsBytes);
    this.fragments = [];
    this.fragmentsBytes = 0;
    this.fragmentOpcode = undefined;
    if (opcode === Opcode.binary) {
      // Slack's Socket Mode speaks JSON text only.
      throw new WebSocketProtocolError(CloseCode.unsupportedData, "binary messages are not accepted");
    }
    this.emit("message", decodeUtf8(data));
  }

  private receiveClose(payload: Buffer): void {
    let code: number = CloseCode.noStatus;
    let reason = "";
    if (payload.length === 1) {
      throw new WebSocketProtocolError(CloseCode.protocolError, "close payload of 1 byte");
    }
    if (payload.length >= 2) {
      code = payload.readUInt16BE(0);
      if (!isValidCloseCode(code)) {
        throw new WebSocketProtocolError(CloseCode.protocolError, `invalid close code ${code}`);
      }
      reason = decodeUtf8(payload.subarray(2));
    }
    this.closeReceived = { code, reason };
    if (!this.closeSent) {
      // Echo the peer's code (section 5.5.1), then the server ends the TCP connection (7.1.1).
      this.sendClose(code === CloseCode.noStatus ? CloseCode.normal : code, "");
    }
    this.state = "closing";
    this.socket.end();
    this.closeTimer ??= setTimeout(() => this.socket.destroy(), this.closeTimeoutMs);
    this.closeTimer.unref?.();
  }

  private fail(err: unknown): void {
    const code = err instanceof WebSocketProtocolError ? err.closeCode : CloseCode.internalError;
    const message = err instanceof Error ? err.message : String(err);
    if (!this.closeSent) this.sendClose(code, message);
    this.state = "closing";
    this.socket.end();
    // A peer that broke the protocol gets no more time than closeTimeoutMs to hang up.
    this.closeTimer ??= setTimeout(() => this.socket.destroy(), this.closeTimeoutMs);
    this.closeTimer.unref?.();
  }

  private finish(): void {
    if (this.ended) return;
    this.ended = true;
    if (this.closeTimer) clearTimeout(this.closeTimer);
    this.state = "closed";
    const received = this.closeReceived ?? { code: CloseCode.abnormal, reason: "" };
    this.emit("close", received.code, received.reason);
  }
}

export interface HandshakeRefusal {
  status: number;
  reason: string;
}

/**
 * Checks a client's opening handshake (section 4.2.1): GET, HTTP/1.1, Upgrade: websocket,
 * Connection: Upgrade, Sec-WebSocket-Version: 13 and a Sec-WebSocket-Key of 16 base64 bytes.
 */
export function checkHandshake(req: IncomingMessage): { key: string } | HandshakeRefusal {
  if ((req.method ?? "").toUpperCase() !== "GET") {
    return { status: 405, reason: "the handshake must be a GET" };
  }
  const [major, minor] = [req.httpVersionMajor, req.httpVersionMinor];
  if (major < 1 || (major === 1 && minor < 1)) return { status: 400, reason: "HTTP/1.1 or later required" };
  const upgrade = (req.headers.upgrade ?? "").toLowerCase();
  if (upgrade !== "websocket") return { status: 400, reason: "Upgrade must be websocket" };
  const connection = (req.headers.connection ?? "")
    .toLowerCase()
    .split(",")
    .map((s) => s.trim());
  if (!connection.includes("upgrade")) return { status: 400, reason: "Connection must include Upgrade" };
  const version = req.headers["sec-websocket-version"];
  if (version !== "13") return { status: 426, reason: "Sec-WebSocket-Version must be 13" };
  const key = req.headers["sec-websocket-key"];
  if (
    typeof key !== "string" ||
    Buffer.from(key, "base64").length !== 16 ||
    !/^[A-Za-z0-9+/]{22}==$/.test(key)
  ) {
    return { status: 400, reason: "Sec-WebSocket-Key must be 16 bytes in base64" };
  }
  return { key };
}

/** Answers an upgrade request with an HTTP error and drops the connection. */
export function refuseUpgrade(socket: Duplex, refusal: HandshakeRefusal): void {
  const text = `${refusal.reason}\n`;
  const extra = refusal.status === 426 ? "Sec-WebSocket-Version: 13\r\n" : "";
  socket.end(
    `HTTP/1.1 ${refusal.status} ${STATUS_TEXT[refusal.status] ?? "Error"}\r\n` +
      "Connection: close\r\nContent-Type: text/plain; charset=utf-8\r\n" +
      `${extra}Content-Length: ${Buffer.byteLength(text)}\r\n\r\n${text}`,
  );
  socket.once("finish", () => socket.destroy());
}

const STATUS_TEXT: Record<number, string> = {
  400: "Bad Request",
  401: "Unauthorized",
  403: "Forbidden",
  404: "Not Found",
  405: "Method Not Allowed",
  410: "Gone",
  426: "Upgrade Required",
  503: "Service Unavailable",
};

/**
 * Completes the handshake on an 'upgrade' request already checked with checkHandshake, and
 * returns the connection. `head` is the first bytes after the request (may hold frames).
 */
export function acceptUpgrade(
  socket: Duplex,
  head: Buffer,
  key: string,
  options: WebSocketOptions = {},
): WebSocketConnection {
  socket.write(
    "HTTP/1.1 101 Switching Protocols\r\nUpgrade: websocket\r\nConnection: Upgrade\r\n" +
      `Sec-WebSocket-Accept: ${acceptValue(key)}\r\n\r\n`,
  );
  // Bytes that came with the request are the first frames: put them back before reading.
  if (head.length > 0) socket.unshift(head);
  return new WebSocketConnection(socket, options);
}
