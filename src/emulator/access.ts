// Slack's access rules for the app's bot token: the scopes it was granted, the scope(s) each Web
// API method and each event needs, the events the app subscribed to, and the token's state.
//
// By default the grant is what the app declares in manifest/manifest.json (oauth_config.scopes.bot
// and settings.event_subscriptions.bot_events), so the app gets exactly what it asks Slack for.
// Scopes per method and per event are those of their docs.slack.dev reference pages (a
// machine-readable copy: slack-ruby/slack-api-ref, docs.slack.dev/methods/<method>.json "scope.bot"
// and docs.slack.dev/events/events.json "scopes").
import { readFileSync } from "node:fs";
import { SlackApiError } from "./params.ts";
import type { JsonObject, SlackChannel } from "./types.ts";

/** The four conversation types that decide which scope a conversations.* call needs. */
export type ConversationKind = "public" | "private" | "mpim" | "im";

export function conversationKind(channel: SlackChannel): ConversationKind {
  if (channel.is_im) return "im";
  if (channel.is_mpim) return "mpim";
  return channel.is_private ? "private" : "public";
}

const PREFIX: Record<ConversationKind, string> = {
  public: "channels",
  private: "groups",
  mpim: "mpim",
  im: "im",
};

/** `channels:history`, `groups:read`, `im:write`, ... (a bot writes public channels with channels:manage). */
export function conversationScope(family: "read" | "history" | "write", kind: ConversationKind): string {
  if (family === "write" && kind === "public") return "channels:manage";
  return `${PREFIX[kind]}:${family}`;
}

// Slack names the per-type scopes in this order when none of them is granted, e.g.
// needed: "channels:history,groups:history,mpim:history,im:history".
const KINDS: ConversationKind[] = ["public", "private", "mpim", "im"];
const perType = (family: "read" | "history" | "write") => KINDS.map((k) => conversationScope(family, k));

/**
 * Bot-token scopes of each method's docs.slack.dev page; a call needs one of them, and the
 * conversation-type methods then need the one for the conversation's type. Every method of
 * web-api/ METHODS is either here or in SCOPELESS_METHODS (test/emulator/scopes.test.ts checks it).
 */
export const METHOD_SCOPES: Record<string, readonly string[]> = {
  "chat.postMessage": ["chat:write"],
  "chat.update": ["chat:write"],
  "chat.delete": ["chat:write"],
  "chat.postEphemeral": ["chat:write"],
  "conversations.open": ["channels:manage", "groups:write", "im:write", "mpim:write"],
  "conversations.info": perType("read"),
  "conversations.join": ["channels:join"],
  "conversations.leave": perType("write"),
  "conversations.members": perType("read"),
  "conversations.list": perType("read"),
  "conversations.history": perType("history"),
  "conversations.replies": perType("history"),
  "users.info": ["users:read"],
  "users.list": ["users:read"],
  "users.lookupByEmail": ["users:read.email"],
  "reactions.add": ["reactions:write"],
  "reactions.remove": ["reactions:write"],
  "files.getUploadURLExternal": ["files:write"],
  "files.completeUploadExternal": ["files:write"],
};

/** Methods whose docs.slack.dev page lists no scope ("No scopes required"). */
export const SCOPELESS_METHODS: ReadonlySet<string> = new Set([
  "api.test",
  "auth.test",
  "chat.getPermalink",
  "views.open",
  "views.push",
  "views.update",
  "views.publish",
]);

/** The subscription an event is delivered under: message events by conversation type. */
export function subscriptionOf(eventType: string, kind: ConversationKind): string {
  if (eventType !== "message") return eventType;
  return { public: "message.channels", private: "message.groups", mpim: "message.mpim", im: "message.im" }[
    kind
  ];
}

/** Scopes an event needs (any one), by the docs.slack.dev event pages; undefined: not modelled. */
function eventScopes(subscription: string, kind: ConversationKind): readonly string[] | undefined {
  switch (subscription) {
    case "message.channels":
    case "message.groups":
    case "message.mpim":
    case "message.im":
      return [conversationScope("history", kind)];
    // "if your bot or app has the channels:read scope, it will receive events for public
    // channels. If it has groups:read, it will receive events for private channels."
    case "member_joined_channel":
    case "member_left_channel":
      return [conversationScope("read", kind)];
    case "channel_left":
      return ["channels:read"];
    case "group_left":
      return ["groups:read"];
    case "app_mention":
      return ["app_mentions:read"];
    // docs.slack.dev/reference/events/reaction_added: "Required scopes: reactions:read".
    case "reaction_added":
    case "reaction_removed":
      return ["reactions:read"];
    case "app_home_opened":
    case "app_uninstalled":
    case "tokens_revoked":
      return [];
    default:
      return undefined;
  }
}

/** Events Slack only sends from conversations the bot is a member of. */
const MEMBERS_ONLY = new Set([
  "message.channels",
  "message.groups",
  "message.mpim",
  "message.im",
  "member_joined_channel",
  "member_left_channel",
  "reaction_added",
  "reaction_removed",
]);

/**
 * The bot token's state. Slack's answers (docs.slack.dev, every method's error table):
 * invalid_auth "Some aspect of authentication cannot be validated", account_inactive
 * "Authentication token is for a deleted user or workspace when using a bot token",
 * token_revoked "... or the app has been removed".
 */
export type TokenState = "active" | "invalid_auth" | "account_inactive" | "token_revoked";

/** A shortcut the app declares (manifest features.shortcuts): only these appear in Slack's menus. */
export interface ManifestShortcut {
  name: string;
  type: "message" | "global";
  callbackId: string;
  description: string;
}

export interface Manifest {
  botScopes: string[];
  botEvents: string[];
  shortcuts: ManifestShortcut[];
}

/** manifest/manifest.json of this repository (src/emulator → ../../manifest). */
export const DEFAULT_MANIFEST_PATH = new URL("../../manifest/manifest.json", import.meta.url);

export function readManifest(path: string | URL = DEFAULT_MANIFEST_PATH): Manifest {
  const json = JSON.parse(readFileSync(path, "utf8")) as {
    features?: { shortcuts?: unknown };
    oauth_config?: { scopes?: { bot?: unknown } };
    settings?: { event_subscriptions?: { bot_events?: unknown } };
  };
  const strings = (v: unknown, what: string): string[] => {
    if (v === undefined) return [];
    if (!Array.isArray(v) || v.some((s) => typeof s !== "string")) {
      throw new Error(`manifest ${String(path)}: ${what} must be a list of strings`);
    }
    return v as string[];
  };
  return {
    botScopes: strings(json.oauth_config?.scopes?.bot, "oauth_config.scopes.bot"),
    botEvents: strings(
      json.settings?.event_subscriptions?.bot_events,
      "settings.event_subscriptions.bot_events",
    ),
    shortcuts: readShortcuts(json.features?.shortcuts, String(path)),
  };
}

/**
 * features.shortcuts as the manifest reference defines it: name, type ("message" or "global"),
 * callback_id and description, all required (docs.slack.dev/reference/app-manifest).
 */
export function readShortcuts(value: unknown, where = "shortcuts"): ManifestShortcut[] {
  if (value === undefined) return [];
  if (!Array.isArray(value)) throw new Error(`manifest ${where}: features.shortcuts must be a list`);
  return value.map((raw, i) => {
    const s = (raw ?? {}) as Record<string, unknown>;
    const text = (k: string) => {
      if (typeof s[k] !== "string" || s[k] === "") {
        throw new Error(`manifest ${where}: features.shortcuts[${i}].${k} must be a non-empty string`);
      }
      return s[k] as string;
    };
    const type = text("type");
    if (type !== "message" && type !== "global") {
      throw new Error(`manifest ${where}: features.shortcuts[${i}].type must be "message" or "global"`);
    }
    return { name: text("name"), type, callbackId: text("callback_id"), description: text("description") };
  });
}

export class Access {
  /** Granted bot scopes, in the order they were declared (Slack's `provided` order). */
  readonly scopes: readonly string[];
  /** Subscribed bot events (`message.channels`, `app_home_opened`, ...). */
  readonly botEvents: ReadonlySet<string>;
  tokenState: TokenState = "active";

  constructor(grant: { scopes: readonly string[]; botEvents: readonly string[] }) {
    this.scopes = [...new Set(grant.scopes)];
    this.botEvents = new Set(grant.botEvents);
  }

  has(scope: string): boolean {
    return this.scopes.includes(scope);
  }

  /** `provided` of missing_scope and the `x-oauth-scopes` header: the comma list of granted scopes. */
  get provided(): string {
    return this.scopes.join(",");
  }

  /** Throws Slack's missing_scope unless one of `anyOf` is granted (an empty list needs none). */
  require(anyOf: readonly string[]): void {
    if (anyOf.length === 0 || anyOf.some((s) => this.has(s))) return;
    throw new SlackApiError("missing_scope", [], { needed: anyOf.join(","), provided: this.provided });
  }

  /** The per-type scope of a conversations.* call, e.g. groups:history for a private channel. */
  requireFor(family: "read" | "history" | "write", channel: SlackChannel): void {
    this.require([conversationScope(family, conversationKind(channel))]);
  }

  /** Response headers Slack sends with a method's answers (WebClient reads them into response_metadata). */
  headersFor(method: string): Record<string, string> {
    const accepted = METHOD_SCOPES[method];
    return {
      "x-oauth-scopes": this.provided,
      ...(accepted ? { "x-accepted-oauth-scopes": accepted.join(",") } : {}),
    };
  }

  /**
   * Whether Slack sends this event to the app: subscribed to, its scope granted, from a
   * conversation the bot is in (message and membership events), and the app still installed.
   */
  delivers(event: JsonObject, channel: SlackChannel, botIsMember: boolean): boolean {
    if (this.tokenState === "account_inactive" || this.tokenState === "token_revoked") return false;
    const kind = conversationKind(channel);
    const subscription = subscriptionOf(String(event.type), kind);
    if (!this.botEvents.has(subscription)) return false;
    const needs = eventScopes(subscription, kind);
    if (needs && needs.length > 0 && !needs.some((s) => this.has(s))) return false;
    if (MEMBERS_ONLY.has(subscription) && !botIsMember) return false;
    return true;
  }
}

/** member_joined_channel (slack-samples/events/MemberJoinedChannelPayload.json, docs.slack.dev). */
export function memberJoinedEvent(
  channel: SlackChannel,
  user: string,
  team: string,
  eventTs: string,
  inviter?: string,
): JsonObject {
  return {
    type: "member_joined_channel",
    user,
    channel: channel.id,
    // "A single letter indicating the type of channel": C public, G private (the docs' example
    // and slack-samples MemberJoinedChannelPayload), whatever the ID's prefix.
    channel_type: channel.is_private ? "G" : "C",
    team,
    ...(inviter ? { inviter } : {}),
    event_ts: eventTs,
  };
}

/** channel_left / group_left: the bot was removed from (or left) a public / private channel. */
export function botLeftEvent(channel: SlackChannel, eventTs: string, actor?: string): JsonObject {
  return {
    type: channel.is_private ? "group_left" : "channel_left",
    channel: channel.id,
    ...(actor ? { actor_id: actor } : {}),
    event_ts: eventTs,
  };
}
