// What a Slack Web API error means for HeroDesk: try again, fix it itself, or wait for a person.
// Every error code the app can meet is in one of the tables below (codes from the error tables
// of the methods HeroDesk calls on docs.slack.dev/reference/methods/*, and the token errors every
// method lists). An unknown code waits for a person too: retrying blindly could hide it for ever.

/** A trouble a person must fix. `key` names it: items that meet the same trouble share it. */
export interface SlackProblem {
  key: string;
  error: string;
  /** The channel (or user, for a DM) the call was for; absent for workspace-wide troubles. */
  channel?: string;
  method?: string;
  /** missing_scope: the scope Slack said was needed. */
  detail?: string;
}

export type SlackFailure =
  /** Slack or the network hiccupped (5xx, timeouts, internal_error): retry with backoff. */
  | { kind: "transient"; error: string }
  /** 429: wait for Retry-After, then retry (not a failure of ours). */
  | { kind: "rate_limited"; retryAfterMs: number }
  /** The bot is not in the channel: join it (public) and retry. */
  | { kind: "not_in_channel"; error: string }
  /** Slack will refuse this very request every time (a bug in what HeroDesk built): stop. */
  | { kind: "refused"; error: string }
  /** Nothing HeroDesk can do: a person must act; items wait with bounded backoff. */
  | { kind: "needs_person"; problem: SlackProblem };

/** The token no longer works: nothing reaches Slack until SLACK_BOT_TOKEN is replaced. */
const TOKEN = new Set([
  "not_authed",
  "invalid_auth",
  "account_inactive",
  "token_revoked",
  "token_expired",
  "no_permission",
  "team_access_not_granted",
  "team_not_found",
  "not_allowed_token_type",
  "ekm_access_denied",
  "enterprise_is_restricted",
  "org_login_required",
  "two_factor_setup_required",
  "access_denied",
  "accesslimited",
]);

/** About one channel (or one person's DM): archived, gone, private without the bot, restricted. */
const CHANNEL = new Set([
  "channel_not_found",
  "is_archived",
  "channel_is_archived",
  // chat.update's word for an archived channel: "The message cannot be edited within a frozen,
  // archived or deleted channel" (docs.slack.dev/reference/methods/chat.update).
  "is_inactive",
  "method_not_supported_for_channel_type",
  "restricted_action",
  "restricted_action_read_only_channel",
  "restricted_action_thread_only_channel",
  "restricted_action_non_threadable_channel",
  "team_not_connected_to_channel",
  "cannot_reply_to_message",
  "thread_locked",
]);

/** The channel is archived, in each method's words. */
const ARCHIVED = new Set(["is_archived", "channel_is_archived", "is_inactive"]);

/** Slack or the network: it goes away by itself. */
const TRANSIENT = new Set([
  "internal_error",
  "fatal_error",
  "service_unavailable",
  "request_timeout",
  "timeout",
  "ratelimited",
  "rate_limited",
  "team_added_to_org",
]);

/** The request itself is wrong and will be refused every time. */
const REFUSED = new Set([
  "invalid_blocks",
  "invalid_blocks_format",
  "msg_too_long",
  "msg_blocks_too_long",
  "invalid_arguments",
  "invalid_arg_name",
  "invalid_array_arg",
  "invalid_charset",
  "invalid_form_data",
  "invalid_post_type",
  "missing_post_type",
  "invalid_json",
  "json_not_object",
  "no_text",
  "too_many_attachments",
  "invalid_attachments",
  "invalid_metadata_format",
  "invalid_metadata_schema",
  "metadata_too_large",
  "metadata_must_be_sent_from_app",
  "message_not_found",
  "cant_update_message",
  "edit_window_closed",
  "invalid_thread_ts",
  "invalid_ts_latest",
  "invalid_ts_oldest",
  "invalid_cursor",
  "duplicate_channel_not_found",
  "duplicate_message_not_found",
  "too_many_contact_cards",
  "user_not_found",
  "user_disabled",
  "users_not_found",
  "cannot_dm_bot",
  "not_in_channel_and_cannot_join",
  "unknown_method",
  "deprecated_endpoint",
  "upgrade_required",
  "file_not_found",
  "file_upload_size_restricted",
  "alt_txt_too_large",
  "already_reacted",
  "hash_conflict",
  "invalid_name",
  "not_found",
  "expired_trigger_id",
  "exchanged_trigger_id",
  "invalid_trigger_id",
]);

export interface FailedCall {
  /** Slack's `error` code, or absent for a network failure or an HTTP error without a body. */
  error?: string;
  /** HTTP 429's Retry-After, in seconds. */
  retryAfterSeconds?: number;
  method?: string;
  channel?: string;
  /** missing_scope's `needed`. */
  needed?: string;
}

/** Classifies one failed Web API call. */
export function classifySlackFailure(call: FailedCall): SlackFailure {
  const { error, method, channel } = call;
  if (call.retryAfterSeconds !== undefined)
    return { kind: "rate_limited", retryAfterMs: Math.max(1, call.retryAfterSeconds) * 1000 };
  if (error === undefined) return { kind: "transient", error: "no answer from Slack" };
  const where = { ...(method ? { method } : {}) };
  if (error === "not_in_channel") return { kind: "not_in_channel", error };
  if (TRANSIENT.has(error)) return { kind: "transient", error };
  if (REFUSED.has(error)) return { kind: "refused", error };
  if (error === "missing_scope") {
    const scope = call.needed ?? "unknown";
    return {
      kind: "needs_person",
      problem: { key: `scope:${scope}`, error, detail: scope, ...where },
    };
  }
  if (TOKEN.has(error))
    return { kind: "needs_person", problem: { key: `workspace:${error}`, error, ...where } };
  if (CHANNEL.has(error) && channel)
    return {
      kind: "needs_person",
      // One archived channel is one problem, whichever method met it (posts and card updates).
      problem: {
        key: `channel:${channel}:${ARCHIVED.has(error) ? "is_archived" : error}`,
        error,
        channel,
        ...where,
      },
    };
  // Unknown to HeroDesk: a person should look; keyed by where it happened, so one notice covers it.
  return {
    kind: "needs_person",
    problem: {
      key: channel ? `channel:${channel}:${error}` : `workspace:${error}`,
      error,
      ...(channel ? { channel } : {}),
      ...where,
    },
  };
}

/** The bot is no longer in a channel it must be in, and cannot join it: a person must invite it. */
export function cannotJoinProblem(channel: string, error: string): SlackProblem {
  return { key: `channel:${channel}:not_in_channel`, error: "not_in_channel", channel, detail: error };
}

/** Whether a problem stops every call (the token), rather than one channel or one scope. */
export function isWorkspaceWide(problem: Pick<SlackProblem, "key">): boolean {
  return problem.key.startsWith("workspace:");
}
