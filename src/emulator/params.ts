// Web API argument handling. Slack accepts the same arguments form-encoded (every value a string;
// objects such as blocks, view, metadata, attachments as JSON strings) or as a JSON body (values
// typed). Params reads both the same way and turns malformed values into Slack's error codes.
import type { Json, JsonObject } from "./types.ts";

/** A Slack API error: `{ ok: false, error }` plus optional response_metadata.messages. */
export class SlackApiError extends Error {
  constructor(
    readonly code: string,
    readonly messages: string[] = [],
    readonly extra: JsonObject = {},
  ) {
    super(code);
    this.name = "SlackApiError";
  }
}

/** chat.postMessage over its per-channel limit: HTTP 429 with Retry-After. */
export class RateLimitedError extends Error {
  constructor(readonly retryAfterSeconds: number) {
    super("ratelimited");
    this.name = "RateLimitedError";
  }
}

export function missing(field: string): SlackApiError {
  return new SlackApiError("invalid_arguments", [`[ERROR] missing required field: ${field}`]);
}

const JSON_FIELDS = new Set(["blocks", "attachments", "view", "metadata", "event_payload", "files"]);

export class Params {
  constructor(private readonly raw: Record<string, unknown>) {}

  has(name: string): boolean {
    const v = this.raw[name];
    return v !== undefined && v !== null;
  }

  /** A string argument; numbers are accepted and stringified (form bodies cannot tell). */
  string(name: string): string | undefined {
    const v = this.raw[name];
    if (v === undefined || v === null) return undefined;
    if (typeof v === "string") return v;
    if (typeof v === "number" || typeof v === "boolean") return String(v);
    throw new SlackApiError("invalid_arguments", [`[ERROR] must be a string [json-pointer:/${name}]`]);
  }

  requireString(name: string): string {
    const v = this.string(name);
    if (v === undefined || v === "") throw missing(name);
    return v;
  }

  bool(name: string): boolean | undefined {
    const v = this.raw[name];
    if (v === undefined || v === null || v === "") return undefined;
    if (typeof v === "boolean") return v;
    if (v === "true" || v === "1" || v === 1) return true;
    if (v === "false" || v === "0" || v === 0) return false;
    throw new SlackApiError("invalid_arguments", [`[ERROR] must be a boolean [json-pointer:/${name}]`]);
  }

  int(name: string): number | undefined {
    const v = this.raw[name];
    if (v === undefined || v === null || v === "") return undefined;
    const n = typeof v === "number" ? v : Number(v);
    if (!Number.isInteger(n)) {
      throw new SlackApiError("invalid_arguments", [`[ERROR] must be an integer [json-pointer:/${name}]`]);
    }
    return n;
  }

  /**
   * An object argument: parsed from its JSON string in form bodies, taken as-is from JSON bodies.
   * Unparseable JSON raises `errorCode` (Slack uses a per-field code, e.g. invalid_blocks_format).
   */
  json(name: string, errorCode: string): unknown {
    const v = this.raw[name];
    if (v === undefined || v === null || v === "") return undefined;
    if (typeof v !== "string") return v;
    try {
      return JSON.parse(v) as unknown;
    } catch {
      throw new SlackApiError(errorCode, [`[ERROR] ${name} is not valid JSON`]);
    }
  }

  /** The arguments as recorded in emulator.calls: JSON-string fields decoded, token left out. */
  toRecord(): JsonObject {
    const out: JsonObject = {};
    for (const [key, value] of Object.entries(this.raw)) {
      if (key === "token" || value === undefined) continue;
      if (JSON_FIELDS.has(key) && typeof value === "string") {
        try {
          out[key] = JSON.parse(value) as Json;
          continue;
        } catch {
          // keep the raw string
        }
      }
      out[key] = value as Json;
    }
    return out;
  }
}
