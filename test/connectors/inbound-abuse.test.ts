// Unsigned and oversized requests cost the inbound API no more than their headers (issue 15,
// part 5): the signature headers are checked before a byte of the body is read, the signature is
// computed as the body streams, reading stops at 1 MiB, and the connection is closed.
import { request } from "node:http";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { sign } from "../../src/core/signature.ts";
import { customerMessage, SOURCE_SECRET, type Stack, startStack } from "../helpers/stack.ts";

let stack: Stack;
beforeAll(async () => {
  stack = await startStack();
});
afterAll(async () => {
  await stack.stop();
});

/**
 * Starts a chunked upload that never ends on its own (a chunk every 10 ms); resolves with the
 * answer's status and how many bytes had been sent when it came, and whether the server then
 * closed the connection.
 */
function neverEndingUpload(headers: Record<string, string>, chunk = Buffer.alloc(64 * 1024, "a")) {
  const url = new URL(`${stack.app.url}/api/v1/messages`);
  return new Promise<{ status: number; sent: number; closed: boolean }>((resolve, reject) => {
    let sent = 0;
    let status = 0;
    const req = request(
      { host: url.hostname, port: url.port, path: url.pathname, method: "POST", headers },
      (res) => {
        status = res.statusCode ?? 0;
        res.resume();
      },
    );
    const timer = setInterval(() => {
      if (req.destroyed) return;
      req.write(chunk);
      sent += chunk.length;
      if (sent > 64 * 1024 * 1024) reject(new Error("the server kept reading 64 MiB"));
    }, 10);
    const done = (closed: boolean) => {
      clearInterval(timer);
      resolve({ status, sent, closed });
    };
    req.on("close", () => done(true));
    req.on("error", () => done(true));
    setTimeout(() => {
      done(false);
      req.destroy();
    }, 8000);
  });
}

describe("an unsigned request", () => {
  it("is refused on its headers alone, and the connection is closed while it is still sending", async () => {
    const res = await neverEndingUpload({ "content-type": "application/json" });
    expect(res.status).toBe(401);
    expect(res.closed).toBe(true);
    expect(res.sent).toBeLessThan(1024 * 1024);
  });
});

describe("a signed request that never ends", () => {
  it("is answered 413 once it passes 1 MiB, and cut off", async () => {
    const ts = String(Math.floor(Date.now() / 1000));
    const res = await neverEndingUpload({
      "content-type": "application/json",
      "x-herodesk-timestamp": ts,
      "x-herodesk-signature": sign(SOURCE_SECRET, ts, "whatever"),
    });
    expect(res.status).toBe(413);
    expect(res.closed).toBe(true);
    expect(res.sent).toBeLessThan(4 * 1024 * 1024);
  });
});

describe("x-herodesk-source", () => {
  async function send(body: unknown, source: string, secret = SOURCE_SECRET) {
    const raw = JSON.stringify(body);
    const ts = Math.floor(Date.now() / 1000);
    const res = await fetch(`${stack.app.url}/api/v1/messages`, {
      method: "POST",
      headers: {
        "content-type": "application/json",
        "x-herodesk-source": source,
        "x-herodesk-timestamp": String(ts),
        "x-herodesk-signature": sign(secret, ts, raw),
      },
      body: raw,
    });
    return { status: res.status, body: await res.json() };
  }
  it("names the source whose secret alone is tried", async () => {
    expect((await send(customerMessage({ messageId: "m-named" }), "web")).status).toBe(202);
    expect(await send(customerMessage({ messageId: "m-named-2" }), "fax")).toEqual({
      status: 401,
      body: { error: 'unknown source "fax"' },
    });
  });
  it("must name the body's own source", async () => {
    const res = await send(customerMessage({ messageId: "m-other" }), "mail", "mail-secret-0123456789");
    expect(res).toEqual({ status: 401, body: { error: 'x-herodesk-source names "mail", the body "web"' } });
  });
  it("a body signed with another source's secret is refused", async () => {
    const res = await send(customerMessage({ messageId: "m-crossed", source: "mail" }), "mail");
    expect(res).toEqual({ status: 401, body: { error: "signature does not match" } });
  });
});
