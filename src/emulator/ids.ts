// Identifier and timestamp generation. Slack IDs are upper-case alphanumerics behind a one-letter
// type prefix (U user, C channel, D IM, G group/MPIM, V view, Ev event); message timestamps are
// "<unix seconds>.<6 digits>" strings that double as message IDs, so they must never repeat.
import { createHash, randomBytes, randomUUID } from "node:crypto";

const ALPHABET = "ABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789";

export function randomId(prefix: string, length = 10): string {
  const bytes = randomBytes(length);
  let out = prefix;
  for (const b of bytes) out += ALPHABET[b % ALPHABET.length];
  return out;
}

export function randomHex(length: number): string {
  return randomBytes(Math.ceil(length / 2))
    .toString("hex")
    .slice(0, length);
}

export function uuid(): string {
  return randomUUID();
}

export function md5(text: string): string {
  return createHash("md5").update(text).digest("hex");
}

/** Matches a Slack message timestamp ("1763719200.000100"). */
export const TS_PATTERN = /^\d{1,12}\.\d{6}$/;

export function isTs(value: string): boolean {
  return TS_PATTERN.test(value);
}

/**
 * Hands out strictly increasing message timestamps derived from the wall clock. Two messages
 * posted in the same millisecond still get distinct, ordered values (the microsecond part is
 * bumped), which is what Slack guarantees within a channel; the emulator keeps it workspace-wide.
 */
export class TsClock {
  private lastMicros = 0;

  next(): string {
    const now = Date.now() * 1000;
    this.lastMicros = now > this.lastMicros ? now : this.lastMicros + 1;
    return formatMicros(this.lastMicros);
  }
}

export function formatMicros(micros: number): string {
  const seconds = Math.floor(micros / 1_000_000);
  const rest = micros - seconds * 1_000_000;
  return `${seconds}.${String(rest).padStart(6, "0")}`;
}

/** Numeric value of a ts for ordering and range filters (oldest/latest). */
export function tsValue(ts: string): number {
  return Number(ts);
}

/** Slack-style opaque pagination cursor, e.g. base64("user:U061NFTT2"). */
export function encodeCursor(kind: string, value: string): string {
  return Buffer.from(`${kind}:${value}`, "utf8").toString("base64");
}

export function decodeCursor(kind: string, cursor: string): string | undefined {
  const decoded = Buffer.from(cursor, "base64").toString("utf8");
  const prefix = `${kind}:`;
  return decoded.startsWith(prefix) ? decoded.slice(prefix.length) : undefined;
}

/** trigger_id in Slack's format: "<digits>.<digits>.<hex>". */
export function newTriggerId(): string {
  const a = 10_000_000_000 + Math.floor(Math.random() * 89_999_999_999);
  const b = 100_000_000 + Math.floor(Math.random() * 899_999_999);
  return `${a}.${b}.${randomHex(32)}`;
}
