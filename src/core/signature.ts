// The signing scheme of the inbound API and of outbound replies, modelled on Slack's own:
// v1=<hex HMAC-SHA256(secret, "v1:" + timestamp + ":" + raw body)>.
import { createHmac, timingSafeEqual } from "node:crypto";

export const MAX_CLOCK_SKEW_SECONDS = 5 * 60;

export function sign(secret: string, timestamp: number | string, body: string | Buffer): string {
  const mac = createHmac("sha256", secret);
  mac.update(`v1:${timestamp}:`);
  mac.update(body);
  return `v1=${mac.digest("hex")}`;
}

export type SignatureCheck = { ok: true } | { ok: false; reason: string };

export function verify(
  secret: string,
  timestampHeader: string | undefined,
  signatureHeader: string | undefined,
  body: string | Buffer,
  nowSeconds: number,
): SignatureCheck {
  if (!timestampHeader || !/^\d{1,12}$/.test(timestampHeader))
    return { ok: false, reason: "missing or malformed x-herodesk-timestamp" };
  if (Math.abs(nowSeconds - Number(timestampHeader)) > MAX_CLOCK_SKEW_SECONDS)
    return { ok: false, reason: "x-herodesk-timestamp is more than 5 minutes off" };
  if (!signatureHeader) return { ok: false, reason: "missing x-herodesk-signature" };
  const expected = Buffer.from(sign(secret, timestampHeader, body));
  const given = Buffer.from(signatureHeader);
  if (expected.length !== given.length || !timingSafeEqual(expected, given))
    return { ok: false, reason: "signature does not match" };
  return { ok: true };
}
