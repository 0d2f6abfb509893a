// Slack's request signing (v0): every request Slack sends an app carries
//   x-slack-request-timestamp: <unix seconds>
//   x-slack-signature: v0=<hex HMAC-SHA256(signing secret, "v0:" + timestamp + ":" + raw body)>
// The driver and the event deliverer both sign this way, so the app's verification (Bolt's
// HTTPReceiver or hand-written) is exercised exactly as in production.
import { createHmac, timingSafeEqual } from "node:crypto";

export function signature(signingSecret: string, timestamp: number | string, rawBody: string) {
  const hmac = createHmac("sha256", signingSecret).update(`v0:${timestamp}:${rawBody}`);
  return `v0=${hmac.digest("hex")}`;
}

export function signedHeaders(
  signingSecret: string,
  rawBody: string,
  timestamp: number = Math.floor(Date.now() / 1000),
): Record<string, string> {
  return {
    "x-slack-request-timestamp": String(timestamp),
    "x-slack-signature": signature(signingSecret, timestamp, rawBody),
  };
}

/** Verifies a signature the way Slack documents it (5-minute window, constant-time compare). */
export function verifySignature(
  signingSecret: string,
  headers: { timestamp?: string; signature?: string },
  rawBody: string,
  nowSeconds: number = Math.floor(Date.now() / 1000),
): boolean {
  const ts = Number(headers.timestamp);
  if (!Number.isFinite(ts) || Math.abs(nowSeconds - ts) > 300 || !headers.signature) return false;
  const expected = Buffer.from(signature(signingSecret, ts, rawBody));
  const given = Buffer.from(headers.signature);
  return expected.length === given.length && timingSafeEqual(expected, given);
}
