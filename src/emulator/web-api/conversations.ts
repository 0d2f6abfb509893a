// conversations.*: opening IMs and MPIMs, joining and leaving, members, lists, history and threads.
// Metadata is returned by conversations.history/replies only with include_all_metadata.
import { botLeftEvent, conversationScope, memberJoinedEvent } from "../access.ts";
import { tsValue } from "../ids.ts";
import { type Params, SlackApiError } from "../params.ts";
import type { JsonObject, SlackChannel, SlackMessage } from "../types.ts";
import { clone } from "../workspace.ts";
import {
  type ApiContext,
  type ApiHandler,
  limitArg,
  type MethodTable,
  ok,
  paginate,
  requireMembership,
  visibleChannel,
} from "./shared.ts";

/** oldest / latest of history and replies: any numeric Unix timestamp ("0", "1763719200.5"). */
function readBound(params: Params, name: "oldest" | "latest"): string | undefined {
  const value = params.string(name);
  if (value === undefined || value === "") return undefined;
  if (!/^\d+(\.\d+)?$/.test(value)) throw new SlackApiError(`invalid_ts_${name}`);
  return value;
}

/** A message as conversations.history/replies return it (metadata only when asked for). */
function forReading(message: SlackMessage, includeMetadata: boolean): JsonObject {
  const copy = clone(message) as unknown as JsonObject;
  if (!includeMetadata) delete copy.metadata;
  return copy;
}

function inRange(ts: string, oldest?: string, latest?: string, inclusive = false): boolean {
  const v = tsValue(ts);
  if (oldest !== undefined) {
    const o = tsValue(oldest);
    if (inclusive ? v < o : v <= o) return false;
  }
  if (latest !== undefined) {
    const l = tsValue(latest);
    if (inclusive ? v > l : v >= l) return false;
  }
  return true;
}

function channelForApi(ctx: ApiContext, channel: SlackChannel, withCount = false): JsonObject {
  const copy = clone(channel) as unknown as JsonObject;
  copy.is_member = ctx.ws.isMember(channel.id, ctx.ws.bot.userId);
  if (withCount) copy.num_members = ctx.ws.members(channel.id).length;
  return copy;
}

const conversationsOpen: ApiHandler = (ctx, params) => {
  const existing = params.string("channel");
  let id: string;
  let created: boolean;
  if (existing) {
    const channel = visibleChannel(ctx, existing);
    if (!channel.is_im && !channel.is_mpim) throw new SlackApiError("channel_not_found");
    ctx.access.requireFor("write", channel);
    id = channel.id;
    created = false;
  } else {
    const users = (params.string("users") ?? "")
      .split(",")
      .map((u) => u.trim())
      .filter((u) => u && u !== ctx.ws.bot.userId);
    if (users.length === 0) throw new SlackApiError("users_list_not_supplied");
    if (users.length > 8) throw new SlackApiError("too_many_users");
    ctx.access.require([conversationScope("write", users.length === 1 ? "im" : "mpim")]);
    for (const u of users) {
      const user = ctx.ws.user(u);
      if (!user) throw new SlackApiError("user_not_found");
      if (user.deleted) throw new SlackApiError("user_disabled");
      if (users.length === 1 && user.is_bot) throw new SlackApiError("cannot_dm_bot");
    }
    const [single] = users;
    ({ id, created } = users.length === 1 && single ? ctx.ws.openDm(single) : ctx.ws.openMpim(users));
  }
  const channel = ctx.ws.channel(id) as SlackChannel;
  const body: JsonObject = {
    channel: {
      ...(channelForApi(ctx, channel) as JsonObject),
      last_read: "0000000000.000000",
      latest: null,
      unread_count: 0,
      unread_count_display: 0,
    },
  };
  if (!created) {
    body.no_op = true;
    body.already_open = true;
  }
  return ok(body);
};

const conversationsInfo: ApiHandler = (ctx, params) => {
  const channel = visibleChannel(ctx, params.string("channel"));
  ctx.access.requireFor("read", channel);
  return ok({ channel: channelForApi(ctx, channel, params.bool("include_num_members") === true) });
};

const conversationsJoin: ApiHandler = (ctx, params) => {
  const id = params.string("channel");
  const channel = id ? ctx.ws.channel(id) : undefined;
  if (!channel) throw new SlackApiError("channel_not_found");
  const already = ctx.ws.isMember(channel.id, ctx.ws.bot.userId);
  // A private channel the bot is not in stays invisible; one it is in, an IM or MPIM cannot be joined.
  if (channel.is_private && !already) throw new SlackApiError("channel_not_found");
  if (channel.is_private) throw new SlackApiError("method_not_supported_for_channel_type");
  // A Slack Connect channel: a person adds the app (driver.inviteBot); it does not let itself in
  // (chosen where Slack is silent, README).
  if (channel.is_ext_shared && !already) throw new SlackApiError("method_not_supported_for_channel_type");
  if (channel.is_archived) throw new SlackApiError("is_archived");
  ctx.ws.join(channel.id, ctx.ws.bot.userId);
  if (!already) {
    ctx.announce(channel.id, memberJoinedEvent(channel, ctx.ws.bot.userId, ctx.ws.team.id, ctx.ws.nextTs()));
  }
  const body: JsonObject = { channel: channelForApi(ctx, channel) };
  if (already) {
    body.warning = "already_in_channel";
    body.response_metadata = { warnings: ["already_in_channel"] };
  }
  return ok(body);
};

const conversationsLeave: ApiHandler = (ctx, params) => {
  const channel = visibleChannel(ctx, params.string("channel"));
  if (channel.is_im) throw new SlackApiError("method_not_supported_for_channel_type");
  ctx.access.requireFor("write", channel);
  if (!ctx.ws.isMember(channel.id, ctx.ws.bot.userId)) return ok({ not_in_channel: true });
  ctx.ws.leave(channel.id, ctx.ws.bot.userId);
  ctx.announce(channel.id, botLeftEvent(channel, ctx.ws.nextTs()));
  return ok();
};

const conversationsMembers: ApiHandler = (ctx, params) => {
  const channel = visibleChannel(ctx, params.string("channel"));
  ctx.access.requireFor("read", channel);
  const members = ctx.ws.members(channel.id);
  const { page, nextCursor } = paginate(members, params, "user", (m) => m, limitArg(params, 100, 1000));
  return ok({ members: page, response_metadata: { next_cursor: nextCursor } });
};

const conversationsList: ApiHandler = (ctx, params) => {
  const types = new Set((params.string("types") ?? "public_channel").split(",").map((t) => t.trim()));
  const kinds = { public_channel: "public", private_channel: "private", mpim: "mpim", im: "im" } as const;
  for (const [type, kind] of Object.entries(kinds)) {
    if (types.has(type)) ctx.access.require([conversationScope("read", kind)]);
  }
  const excludeArchived = params.bool("exclude_archived") === true;
  const bot = ctx.ws.bot.userId;
  const list = ctx.ws.channels.filter((c) => {
    if (excludeArchived && c.is_archived) return false;
    if (c.is_im) return types.has("im") && ctx.ws.isMember(c.id, bot);
    if (c.is_mpim) return types.has("mpim") && ctx.ws.isMember(c.id, bot);
    if (c.is_private) return types.has("private_channel") && ctx.ws.isMember(c.id, bot);
    return types.has("public_channel");
  });
  const { page, nextCursor } = paginate(list, params, "channel", (c) => c.id, limitArg(params, 100, 1000));
  return ok({
    channels: page.map((c) => channelForApi(ctx, c, true)),
    response_metadata: { next_cursor: nextCursor },
  });
};

const conversationsHistory: ApiHandler = (ctx, params) => {
  const channel = visibleChannel(ctx, params.string("channel"));
  ctx.access.requireFor("history", channel);
  requireMembership(ctx, channel);
  const oldest = readBound(params, "oldest");
  const latest = readBound(params, "latest");
  const inclusive = params.bool("inclusive") === true;
  const includeMetadata = params.bool("include_all_metadata") === true;
  const newestFirst = ctx.ws
    .messages(channel.id)
    .filter((m) => inRange(m.ts, oldest, latest, inclusive))
    .reverse();
  const { page, nextCursor } = paginate(
    newestFirst,
    params,
    "next_ts",
    (m) => m.ts,
    limitArg(params, 100, 999),
  );
  return ok({
    messages: page.map((m) => forReading(m, includeMetadata)),
    has_more: nextCursor !== "",
    pin_count: 0,
    channel_actions_ts: null,
    channel_actions_count: 0,
    response_metadata: { next_cursor: nextCursor },
  });
};

const conversationsReplies: ApiHandler = (ctx, params) => {
  const channel = visibleChannel(ctx, params.string("channel"));
  ctx.access.requireFor("history", channel);
  requireMembership(ctx, channel);
  const ts = params.requireString("ts");
  const target = ctx.ws.message(channel.id, ts);
  if (!target) throw new SlackApiError("thread_not_found");
  const rootTs = target.thread_ts ?? target.ts;
  const root = ctx.ws.message(channel.id, rootTs) ?? target;
  const oldest = readBound(params, "oldest");
  const latest = readBound(params, "latest");
  const inclusive = params.bool("inclusive") === true;
  const includeMetadata = params.bool("include_all_metadata") === true;
  const replies = ctx.ws.replies(channel.id, root.ts).filter((m) => inRange(m.ts, oldest, latest, inclusive));
  const limit = limitArg(params, 100, 1000);
  // The first page starts with the parent; continuation pages hold replies only.
  const all = [root, ...replies];
  const { page, nextCursor } = paginate(all, params, "next_ts", (m) => m.ts, limit);
  return ok({
    messages: page.map((m) => forReading(m, includeMetadata)),
    has_more: nextCursor !== "",
    response_metadata: { next_cursor: nextCursor },
  });
};

export const CONVERSATIONS_METHODS: MethodTable = {
  "conversations.open": conversationsOpen,
  "conversations.info": conversationsInfo,
  "conversations.join": conversationsJoin,
  "conversations.leave": conversationsLeave,
  "conversations.members": conversationsMembers,
  "conversations.list": conversationsList,
  "conversations.history": conversationsHistory,
  "conversations.replies": conversationsReplies,
};
