// What the app did that the workspace does not keep: every Web API call, every ephemeral message
// it showed (Slack stores none: no method reads one back) and every POST to a response_url.
// Tests assert on it (emulator.calls, .ephemerals, .responseUrlPosts); workspace.ts holds only
// what exists in the workspace.
import type { ApiCall, EphemeralRecord, JsonObject, ResponseUrlPost } from "./types.ts";

export class AppRecord {
  /** Every Web API call, in the order they were answered. */
  readonly calls: ApiCall[] = [];
  /** Ephemeral messages, in the order they were shown. */
  readonly ephemerals: EphemeralRecord[] = [];
  /** Every POST the app made to a response_url. */
  readonly responseUrlPosts: ResponseUrlPost[] = [];

  /** The part GET /_emulator/state shows (not the calls); serialized at once, so not copied. */
  snapshot(): JsonObject {
    return { ephemerals: this.ephemerals, responseUrlPosts: this.responseUrlPosts } as unknown as JsonObject;
  }
}
