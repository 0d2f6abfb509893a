// The signing scheme of the inbound API and of outbound replies, modelled on Slack's own:
// v1=<hex HMAC-SHA256(secret, "v1:" + timestamp + ":" + raw body)>.
import { createHmac, type Hmac, timingSafeEqual } from "node:crypto";

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
  const headers = checkSignatureHeaders(timestampHeader, signatureHeader, nowSeconds);
  if (!headers.ok) return headers;
  const expected = Buffer.from(sign(secret, timestampHeader!, body));
  const given = Buffer.from(signatureHeader!);
  if (expected.length !== given.length || !timingSafeEqual(expected, given))
    return { ok: false, reason: "signature does not match" };
  return { ok: true };
}

/** What the headers alone can tell, before a byte of the body is read. */
export function checkSignatureHeaders(
  timestampHeader: string | undefined,
  signatureHeader: string | undefined,
  nowSeconds: number,
): SignatureCheck {
  if (!timestampHeader || !/^\d{1,12}$/.test(timestampHeader))
    return { ok: false, reason: "missing or malformed x-herodesk-timestamp" };
  if (Math.abs(nowSeconds - Number(timestampHeader)) > MAX_CLOCK_SKEW_SECONDS)
    return { ok: false, reason: "x-herodesk-timestamp is more than 5 minutes off" };
  if (!signatureHeader) return { ok: false, reason: "missing x-herodesk-signature" };
  return { ok: true };
}

/**
 * The signature of a body as it streams in, for each of several secrets at once (the secret
 * depends on the body's source, which is known only once the whole body is read and parsed).
 */
export class StreamingSignatures {
  private readonly macs = new Map<string, Hmac>();
  private digests: Map<string, Buffer> | undefined;

  constructor(secrets: Iterable<string>, timestamp: string) {
    for (const secret of secrets)
      if (!this.macs.has(secret))
        this.macs.set(secret, createHmac("sha256", secret).update(`v1:${timestamp}:`));
  }

  update(chunk: Buffer): void {
    for (const mac of this.macs.values()) mac.update(chunk);
  }

  /** Does `signatureHeader` match the body under `secret`? (Call once the body is complete.) */
  matches(secret: string, signatureHeader: string): boolean {
    this.digests ??= new Map([...this.macs].map(([s, mac]) => [s, Buffer.from(`v1=${mac.digest("hex")}`)]));
    const expected = this.digests.get(secret);
    const given = Buffer.from(signatureHeader);
    return expected !== undefined && expected.length === given.length && timingSafeEqual(expected, given);
  }

  /** Does it match under any of the secrets? */
  matchesAny(signatureHeader: string): boolean {
    return [...this.macs.keys()].some((secret) => this.matches(secret, signatureHeader));
  }
}
