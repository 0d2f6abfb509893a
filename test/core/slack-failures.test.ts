// Every Slack error code HeroDesk can meet has one meaning: retried, fixed by HeroDesk, refused,
// or waiting for a person (issue 9 part 4). Codes from the error tables of the methods HeroDesk
// calls (docs.slack.dev/reference/methods/chat.postMessage, chat.update, conversations.join,
// conversations.info, conversations.history, views.publish, files.completeUploadExternal ...).
import { describe, expect, it } from "vitest";
import { classifySlackFailure } from "../../src/core/slack-failures.ts";

describe("classifySlackFailure", () => {
  it.each([
    // Slack hiccups: retried with backoff.
    [{ error: "internal_error" }, "transient"],
    [{ error: "fatal_error" }, "transient"],
    [{ error: "service_unavailable" }, "transient"],
    [{ error: "request_timeout" }, "transient"],
    [{}, "transient"], // no answer at all (network, 5xx)
    // HeroDesk fixes these itself (joins the channel).
    [{ error: "not_in_channel", channel: "C1" }, "not_in_channel"],
    // The request is wrong: retrying changes nothing.
    [{ error: "invalid_blocks" }, "refused"],
    [{ error: "msg_blocks_too_long" }, "refused"],
    [{ error: "msg_too_long" }, "refused"],
    [{ error: "no_text" }, "refused"],
    [{ error: "message_not_found" }, "refused"],
    [{ error: "cant_update_message" }, "refused"],
    [{ error: "user_not_found" }, "refused"],
    [{ error: "invalid_metadata_format" }, "refused"],
    // A person must act.
    [{ error: "is_archived", channel: "C1" }, "needs_person"],
    [{ error: "channel_not_found", channel: "C1" }, "needs_person"],
    [{ error: "method_not_supported_for_channel_type", channel: "G1" }, "needs_person"],
    [{ error: "restricted_action", channel: "C1" }, "needs_person"],
    [{ error: "restricted_action_thread_only_channel", channel: "C1" }, "needs_person"],
    [{ error: "invalid_auth" }, "needs_person"],
    [{ error: "account_inactive" }, "needs_person"],
    [{ error: "token_revoked" }, "needs_person"],
    [{ error: "missing_scope", needed: "chat:write" }, "needs_person"],
    [{ error: "ekm_access_denied" }, "needs_person"],
    [{ error: "something_new_from_slack", channel: "C1" }, "needs_person"],
  ] as const)("%o is %s", (call, kind) => {
    expect(classifySlackFailure(call).kind).toBe(kind);
  });

  it("a 429 waits Retry-After, whatever else it says", () => {
    expect(classifySlackFailure({ retryAfterSeconds: 7, error: "ratelimited" })).toEqual({
      kind: "rate_limited",
      retryAfterMs: 7000,
    });
    expect(classifySlackFailure({ retryAfterSeconds: 0 })).toEqual({
      kind: "rate_limited",
      retryAfterMs: 1000,
    });
  });

  it("one problem per channel and error, per scope, and one for the token whatever the channel", () => {
    const key = (call: Parameters<typeof classifySlackFailure>[0]) => {
      const f = classifySlackFailure(call);
      return f.kind === "needs_person" ? f.problem.key : null;
    };
    expect(key({ error: "is_archived", channel: "C1", method: "chat.postMessage" })).toBe(
      "channel:C1:is_archived",
    );
    // chat.update says is_inactive for an archived channel (docs.slack.dev/reference/methods/chat.update).
    expect(key({ error: "is_inactive", channel: "C1", method: "chat.update" })).toBe(
      "channel:C1:is_archived",
    );
    expect(key({ error: "is_archived", channel: "C2" })).toBe("channel:C2:is_archived");
    expect(key({ error: "missing_scope", needed: "im:write", channel: "C1" })).toBe("scope:im:write");
    expect(key({ error: "token_revoked", channel: "C1" })).toBe("workspace:token_revoked");
    expect(key({ error: "token_revoked", channel: "C2" })).toBe("workspace:token_revoked");
  });

  it("a problem keeps what an admin needs to fix it: the channel, the method, the scope", () => {
    expect(
      classifySlackFailure({ error: "missing_scope", needed: "chat:write", method: "chat.postMessage" }),
    ).toEqual({
      kind: "needs_person",
      problem: {
        key: "scope:chat:write",
        error: "missing_scope",
        detail: "chat:write",
        method: "chat.postMessage",
      },
    });
    expect(
      classifySlackFailure({ error: "channel_not_found", channel: "C9", method: "chat.update" }),
    ).toEqual({
      kind: "needs_person",
      problem: {
        key: "channel:C9:channel_not_found",
        error: "channel_not_found",
        channel: "C9",
        method: "chat.update",
      },
    });
  });
});
