import { describe, expect, it } from "vitest";
import { sign, verify } from "../../src/core/signature.ts";

describe("request signatures", () => {
  const now = 1_763_719_200;
  const body = '{"a":1}';
  const good = sign("s3cret-value", now, body);
  it.each([
    ["valid", String(now), good, body, "s3cret-value", { ok: true }],
    [
      "wrong secret",
      String(now),
      good,
      body,
      "other-secret",
      { ok: false, reason: "signature does not match" },
    ],
    [
      "tampered body",
      String(now),
      good,
      '{"a":2}',
      "s3cret-value",
      { ok: false, reason: "signature does not match" },
    ],
    [
      "missing signature",
      String(now),
      undefined,
      body,
      "s3cret-value",
      { ok: false, reason: "missing x-herodesk-signature" },
    ],
    [
      "stale timestamp",
      String(now - 301),
      sign("s3cret-value", now - 301, body),
      body,
      "s3cret-value",
      { ok: false, reason: "x-herodesk-timestamp is more than 5 minutes off" },
    ],
    [
      "future timestamp",
      String(now + 301),
      sign("s3cret-value", now + 301, body),
      body,
      "s3cret-value",
      { ok: false, reason: "x-herodesk-timestamp is more than 5 minutes off" },
    ],
    [
      "garbage timestamp",
      "abc",
      good,
      body,
      "s3cret-value",
      { ok: false, reason: "missing or malformed x-herodesk-timestamp" },
    ],
  ])("%s", (_n, ts, sig, b, secret, expected) => {
    expect(verify(secret, ts, sig as string | undefined, b, now)).toEqual(expected);
  });
  it("is v1= and hex", () => expect(good).toMatch(/^v1=[0-9a-f]{64}$/));
});
