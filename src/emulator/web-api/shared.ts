// What more than one method family needs: the handler's context and type, the conversation
// checks every family applies the same way (visibility, membership, posting rules) and the
// arguments several families read (thread_ts, customization, limit and cursor).
//
// Behaviour follows Slack's documentation where it is explicit, notably:
// - every method needs the bot scope its reference page lists (access.ts, checked by server.ts);
// - bots only see private channels, IMs and MPIMs they belong to (otherwise channel_not_found);
//   reading a public channel needs membership (not_in_channel, join first), posting too unless
//   chat:write.public is granted; archived and restricted channels refuse posts.
import type { Access } from "../access.ts";
import { decodeCursor, encodeCursor, isTs } from "../ids.ts";
import { type Params, SlackApiError } from "../params.ts";
import type { ChannelRateLimiter } from "../ratelimit.ts";
import type { AppRecord } from "../record.ts";
import type { SocketModeServer } from "../socket-mode.ts";
import type { Announce, TriggerRegistry } from "../surfaces.ts";
import type { JsonObject, SlackChannel } from "../types.ts";
import type { Workspace } from "../workspace.ts";

export interface ApiContext {
  ws: Workspace;
  /** What the app did that the workspace does not keep (ephemeral messages). */
  record: AppRecord;
  /** Granted scopes, subscribed events, token state. */
  access: Access;
  limiter: ChannelRateLimiter;
  triggers: TriggerRegistry;
  announce: Announce;
  /** The emulator's own base URL (upload_url and url_private point at it). */
  baseUrl: () => string;
  /** apps.connections.open: the link it hands out and the app-level token's scopes. */
  socketMode: SocketModeServer;
  appTokenScopes: string[];
}

export type ApiHandler = (ctx: ApiContext, params: Params) => JsonObject;

/** One method family's methods by name, e.g. { "chat.postMessage": handler }. */
export type MethodTable = Record<string, ApiHandler>;

export function ok(body: JsonObject = {}): JsonObject {
  return { ok: true, ...body };
}

/** A conversation the bot can see: public channels always; private ones, IMs, MPIMs if a member. */
export function visibleChannel(ctx: ApiContext, id: string | undefined): SlackChannel {
  if (!id) throw new SlackApiError("channel_not_found");
  const channel = ctx.ws.channel(id);
  if (!channel) throw new SlackApiError("channel_not_found");
  if (channel.is_private && !ctx.ws.isMember(channel.id, ctx.ws.bot.userId)) {
    throw new SlackApiError("channel_not_found");
  }
  return channel;
}

/** Channel argument of chat.* and file shares: a channel ID or name, or a user ID meaning their IM. */
export function messageTarget(ctx: ApiContext, id: string | undefined): SlackChannel {
  if (id && /^[UW][A-Z0-9]+$/.test(id) && !ctx.ws.channel(id)) {
    const user = ctx.ws.user(id);
    if (!user || user.deleted) throw new SlackApiError("channel_not_found");
    const dm = ctx.ws.openDm(id).id;
    return visibleChannel(ctx, dm);
  }
  return visibleChannel(ctx, id);
}

export function requireMembership(ctx: ApiContext, channel: SlackChannel, error = "not_in_channel"): void {
  if (!ctx.ws.isMember(channel.id, ctx.ws.bot.userId)) throw new SlackApiError(error);
}

/** The restricted_action* code chat.postMessage answers for this channel's posting rules, if any. */
export function postingRefusal(
  ctx: ApiContext,
  channel: SlackChannel,
  threadTs: string | undefined,
): string | undefined {
  switch (ctx.ws.postingRestriction(channel.id)) {
    case "admins_only":
      return "restricted_action";
    case "read_only":
      return "restricted_action_read_only_channel";
    case "thread_only":
      if (!threadTs) return "restricted_action_thread_only_channel";
      break;
    case "non_threadable":
      if (threadTs) return "restricted_action_non_threadable_channel";
      break;
  }
  if (threadTs && ctx.ws.isThreadLocked(channel.id, threadTs)) return "restricted_action_thread_locked";
  return undefined;
}

export function invalidBlocks(messages: string[]): SlackApiError {
  return new SlackApiError("invalid_blocks", messages, {
    errors: messages.map((m) => m.replace(/^\[ERROR\] /, "")),
  });
}

/**
 * username / icon_emoji / icon_url. They need chat:write.customize; without it Slack ignores them
 * and posts under the app's own name and icon (README, "Behaviour chosen where Slack is vague").
 * In a Slack Connect channel they are ignored too: the other organisation always sees the app's
 * own identity (chosen where Slack is silent, README).
 */
export function customization(
  ctx: ApiContext,
  params: Params,
  channel: SlackChannel,
): { username?: string; iconEmoji?: string; iconUrl?: string } {
  if (!ctx.access.has("chat:write.customize") || channel.is_ext_shared) return {};
  const username = params.string("username");
  const iconEmoji = params.string("icon_emoji");
  const iconUrl = params.string("icon_url");
  return {
    ...(username ? { username } : {}),
    ...(iconEmoji ? { iconEmoji } : {}),
    ...(iconUrl ? { iconUrl } : {}),
  };
}

export function readThreadTs(params: Params, name = "thread_ts"): string | undefined {
  const value = params.string(name);
  if (value === undefined || value === "") return undefined;
  if (!isTs(value)) {
    throw new SlackApiError("invalid_thread_ts", [`[ERROR] ${value} is not a valid ${name}`]);
  }
  return value;
}

export function limitArg(params: Params, fallback: number, max: number): number {
  const limit = params.int("limit");
  if (limit === undefined || limit <= 0) return fallback;
  return Math.min(limit, max);
}

/** Cursor pagination over a list keyed by `keyOf`; the cursor names the first item of the page. */
export function paginate<T>(
  items: T[],
  params: Params,
  kind: string,
  keyOf: (item: T) => string,
  limit: number,
): { page: T[]; nextCursor: string } {
  let start = 0;
  const cursor = params.string("cursor");
  if (cursor) {
    const key = decodeCursor(kind, cursor);
    start = key === undefined ? -1 : items.findIndex((i) => keyOf(i) === key);
    if (start < 0) throw new SlackApiError("invalid_cursor");
  }
  const page = items.slice(start, start + limit);
  const next = items[start + limit];
  return { page, nextCursor: next === undefined ? "" : encodeCursor(kind, keyOf(next)) };
}
