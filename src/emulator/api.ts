// The Web API methods the emulator implements, each a function of (context, arguments).
//
// Responses use the field names of slack-samples/api/<method>.json; errors use Slack's codes.
// Behaviour follows Slack's documentation where it is explicit, notably:
// - every method needs the bot scope its reference page lists (access.ts; missing_scope);
// - bots only see private channels, IMs and MPIMs they belong to (otherwise channel_not_found);
//   reading a public channel needs membership (not_in_channel, join first), posting too unless
//   chat:write.public is granted; archived and restricted channels refuse posts;
// - chat.postMessage accepts a user ID as channel and posts in the IM with that user;
// - chat.update keeps old blocks only when neither text nor blocks is given;
// - metadata is returned by conversations.history/replies only with include_all_metadata;
// - views need a trigger_id issued less than 3 s earlier and not used yet;
// - files.completeUploadExternal shares into conversations the bot can post in, as a file_share
//   message whose text is initial_comment (blocks are ignored when initial_comment is given).
import {
  type Access,
  botLeftEvent,
  conversationKind,
  conversationScope,
  memberJoinedEvent,
} from "./access.ts";
import {
  formatIssues,
  type Verdict,
  validateBlocks,
  validateMessage,
  validateView,
  withGeneratedIds,
} from "./blockkit.ts";
import { messageChangedEvent, messageDeletedEvent, messageEvent } from "./events.ts";
import {
  fileObject,
  MAX_ALT_TXT,
  MAX_FILE_BYTES,
  MAX_SNIPPET_BYTES,
  messageFileObject,
  SNIPPET_TYPES,
} from "./files.ts";
import { decodeCursor, encodeCursor, isTs, randomHex, randomId, tsValue } from "./ids.ts";
import { missing, type Params, RateLimitedError, SlackApiError } from "./params.ts";
import type { ChannelRateLimiter } from "./ratelimit.ts";
import type { Announce, TriggerRegistry } from "./surfaces.ts";
import type { JsonObject, SlackChannel, SlackMessage, SlackUser, SlackView, StoredFile } from "./types.ts";
import { clone, type Workspace } from "./workspace.ts";

export interface ApiContext {
  ws: Workspace;
  /** Granted scopes, subscribed events, token state. */
  access: Access;
  limiter: ChannelRateLimiter;
  triggers: TriggerRegistry;
  announce: Announce;
  /** The emulator's own base URL (upload_url and url_private point at it). */
  baseUrl: () => string;
}

export type ApiHandler = (ctx: ApiContext, params: Params) => JsonObject;

const MAX_TEXT = 40_000;

// ------------------------------------------------------------------------------------------------
// Helpers

function ok(body: JsonObject = {}): JsonObject {
  return { ok: true, ...body };
}

/** A conversation the bot can see: public channels always; private ones, IMs, MPIMs if a member. */
function visibleChannel(ctx: ApiContext, id: string | undefined): SlackChannel {
  if (!id) throw new SlackApiError("channel_not_found");
  const channel = ctx.ws.channel(id);
  if (!channel) throw new SlackApiError("channel_not_found");
  if (channel.is_private && !ctx.ws.isMember(channel.id, ctx.ws.bot.userId)) {
    throw new SlackApiError("channel_not_found");
  }
  return channel;
}

/** Channel argument of chat.* methods: a channel ID or name, or a user ID meaning their IM. */
function messageTarget(ctx: ApiContext, id: string | undefined): SlackChannel {
  if (id && /^[UW][A-Z0-9]+$/.test(id) && !ctx.ws.channel(id)) {
    const user = ctx.ws.user(id);
    if (!user || user.deleted) throw new SlackApiError("channel_not_found");
    const dm = ctx.ws.openDm(id).id;
    return visibleChannel(ctx, dm);
  }
  return visibleChannel(ctx, id);
}

function requireMembership(ctx: ApiContext, channel: SlackChannel, error = "not_in_channel"): void {
  if (!ctx.ws.isMember(channel.id, ctx.ws.bot.userId)) throw new SlackApiError(error);
}

/** chat:write.public: "Send messages to channels your Slack app isn't a member of" (public ones). */
function requirePostingMembership(ctx: ApiContext, channel: SlackChannel): void {
  if (conversationKind(channel) === "public" && ctx.access.has("chat:write.public")) return;
  requireMembership(ctx, channel);
}

/** The restricted_action* code chat.postMessage answers for this channel's posting rules, if any. */
function postingRefusal(
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

/** A user object as the bot may read it: the email only with users:read.email (Slack's rule). */
function userForApi(ctx: ApiContext, user: SlackUser): JsonObject {
  const out = clone(user) as unknown as JsonObject & { profile: JsonObject };
  if (!ctx.access.has("users:read.email")) delete out.profile.email;
  return out;
}

function invalidBlocks(messages: string[]): SlackApiError {
  return new SlackApiError("invalid_blocks", messages, {
    errors: messages.map((m) => m.replace(/^\[ERROR\] /, "")),
  });
}

/** A content verdict as Slack answers it: invalid_blocks also lists `errors`, others the messages only. */
function contentError(verdict: Extract<Verdict, { ok: false }>): SlackApiError {
  const messages = formatIssues(verdict.issues);
  return verdict.error === "invalid_blocks"
    ? invalidBlocks(messages)
    : new SlackApiError(verdict.error, messages);
}

interface MessageContent {
  text?: string;
  blocks?: JsonObject[];
  attachments?: JsonObject[];
  metadata?: { event_type: string; event_payload: JsonObject };
}

/**
 * Reads text, blocks, attachments and metadata and applies blockkit.ts's validateMessage (every
 * limit chat.postMessage applies, the cumulative msg_blocks_too_long included); no_text is left to
 * each method (chat.update has its own rule).
 */
function readContent(params: Params): MessageContent {
  const text = params.string("text");
  const blocks = params.json("blocks", "invalid_blocks_format");
  const attachments = params.json("attachments", "invalid_attachments");
  const metadata = params.json("metadata", "invalid_metadata_format");
  const verdict = validateMessage({ text, blocks, attachments, metadata }, { requireContent: false });
  if (!verdict.ok) throw contentError(verdict);
  const content: MessageContent = {};
  if (text !== undefined) content.text = text;
  if (blocks !== undefined) content.blocks = blocks as JsonObject[];
  if (attachments !== undefined) content.attachments = attachments as JsonObject[];
  if (metadata !== undefined) {
    const m = metadata as { event_type: string; event_payload: JsonObject };
    content.metadata = { event_type: m.event_type, event_payload: m.event_payload };
  }
  return content;
}

/**
 * username / icon_emoji / icon_url. They need chat:write.customize; without it Slack ignores them
 * and posts under the app's own name and icon (README, "Behaviour chosen where Slack is vague").
 */
function customization(
  ctx: ApiContext,
  params: Params,
): { username?: string; iconEmoji?: string; iconUrl?: string } {
  if (!ctx.access.has("chat:write.customize")) return {};
  const username = params.string("username");
  const iconEmoji = params.string("icon_emoji");
  const iconUrl = params.string("icon_url");
  return {
    ...(username ? { username } : {}),
    ...(iconEmoji ? { iconEmoji } : {}),
    ...(iconUrl ? { iconUrl } : {}),
  };
}

function hasContent(c: MessageContent): boolean {
  return Boolean(c.text) || (c.blocks?.length ?? 0) > 0 || (c.attachments?.length ?? 0) > 0;
}

function readThreadTs(params: Params, name = "thread_ts"): string | undefined {
  const value = params.string(name);
  if (value === undefined || value === "") return undefined;
  if (!isTs(value)) {
    throw new SlackApiError("invalid_thread_ts", [`[ERROR] ${value} is not a valid ${name}`]);
  }
  return value;
}

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

function limitArg(params: Params, fallback: number, max: number): number {
  const limit = params.int("limit");
  if (limit === undefined || limit <= 0) return fallback;
  return Math.min(limit, max);
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

/** Cursor pagination over a list keyed by `keyOf`; the cursor names the first item of the page. */
function paginate<T>(
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

function channelForApi(ctx: ApiContext, channel: SlackChannel, withCount = false): JsonObject {
  const copy = clone(channel) as unknown as JsonObject;
  copy.is_member = ctx.ws.isMember(channel.id, ctx.ws.bot.userId);
  if (withCount) copy.num_members = ctx.ws.members(channel.id).length;
  return copy;
}

function newViewHash(): string {
  return `${Math.floor(Date.now() / 1000)}.${randomHex(8)}`;
}

function readView(params: Params, expectedType: "modal" | "home"): Record<string, unknown> {
  const view = params.json("view", "invalid_arguments");
  if (view === undefined) throw missing("view");
  const issues = validateView(view, { expectedType });
  if (issues.length > 0) throw new SlackApiError("invalid_arguments", formatIssues(issues));
  return view as Record<string, unknown>;
}

function buildView(
  ctx: ApiContext,
  input: Record<string, unknown>,
  ids: { id: string; rootViewId: string | null; previousViewId: string | null },
): SlackView {
  const str = (v: unknown) => (typeof v === "string" ? v : "");
  const view: SlackView = {
    id: ids.id,
    team_id: ctx.ws.team.id,
    type: str(input.type),
    blocks: withGeneratedIds((input.blocks as JsonObject[] | undefined) ?? []),
    private_metadata: str(input.private_metadata),
    callback_id: str(input.callback_id),
    state: { values: {} },
    hash: newViewHash(),
    clear_on_close: input.clear_on_close === true,
    notify_on_close: input.notify_on_close === true,
    submit_disabled: input.submit_disabled === true,
    external_id: str(input.external_id),
    root_view_id: ids.rootViewId,
    previous_view_id: ids.previousViewId,
    app_id: ctx.ws.bot.appId,
    app_installed_team_id: ctx.ws.team.id,
    bot_id: ctx.ws.bot.botId,
  };
  if (input.type === "modal") {
    view.title = clone(input.title) as JsonObject;
    view.close = (input.close as JsonObject | undefined) ?? null;
    view.submit = (input.submit as JsonObject | undefined) ?? null;
  }
  return view;
}

function assertExternalIdFree(ctx: ApiContext, externalId: unknown, exceptViewId?: string): void {
  if (typeof externalId !== "string" || externalId === "") return;
  const found = ctx.ws.findView({ externalId });
  if (!found) return;
  const id = found.kind === "modal" ? found.record.view.id : found.view.id;
  if (id !== exceptViewId) throw new SlackApiError("duplicate_external_id");
}

// ------------------------------------------------------------------------------------------------
// Methods

const authTest: ApiHandler = (ctx) => {
  const { ws } = ctx;
  return ok({
    url: `https://${ws.team.domain}.slack.com/`,
    team: ws.team.name,
    user: ws.user(ws.bot.userId)?.name ?? ws.bot.name,
    team_id: ws.team.id,
    user_id: ws.bot.userId,
    bot_id: ws.bot.botId,
    app_id: ws.bot.appId,
    is_enterprise_install: false,
  });
};

const apiTest: ApiHandler = (_ctx, params) => {
  const error = params.string("error");
  if (error) throw new SlackApiError(error);
  return ok({ args: params.toRecord() });
};

const chatPostMessage: ApiHandler = (ctx, params) => {
  const channel = messageTarget(ctx, params.string("channel"));
  if (channel.is_archived) throw new SlackApiError("is_archived");
  requirePostingMembership(ctx, channel);
  const threadTs = readThreadTs(params);
  const refusal = postingRefusal(ctx, channel, threadTs);
  if (refusal) throw new SlackApiError(refusal);
  const content = readContent(params);
  if (!hasContent(content)) throw new SlackApiError("no_text");
  const decision = ctx.limiter.take(channel.id);
  if (!decision.allowed) throw new RateLimitedError(decision.retryAfterSeconds);
  const { message } = ctx.ws.postMessage({
    channel: channel.id,
    from: { kind: "bot" },
    text: content.text ?? "",
    ...(content.blocks ? { blocks: content.blocks } : {}),
    ...(content.attachments ? { attachments: content.attachments } : {}),
    ...(content.metadata ? { metadata: content.metadata } : {}),
    ...(threadTs ? { threadTs } : {}),
    ...(params.bool("reply_broadcast") ? { replyBroadcast: true } : {}),
    ...customization(ctx, params),
  });
  ctx.announce(channel.id, messageEvent(ctx.ws, channel.id, message));
  return ok({
    channel: channel.id,
    ts: message.ts,
    message: clone(message) as unknown as JsonObject,
  });
};

const chatUpdate: ApiHandler = (ctx, params) => {
  const channel = visibleChannel(ctx, params.string("channel"));
  // "The message cannot be edited within a frozen, archived or deleted channel."
  if (channel.is_archived) throw new SlackApiError("is_inactive");
  requireMembership(ctx, channel, "cant_update_message");
  const ts = params.requireString("ts");
  const existing = ctx.ws.message(channel.id, ts);
  if (!existing || existing.subtype === "tombstone") throw new SlackApiError("message_not_found");
  if (existing.bot_id !== ctx.ws.bot.botId) throw new SlackApiError("cant_update_message");
  const content = readContent(params);
  if (!content.text && content.blocks === undefined && content.attachments === undefined) {
    throw new SlackApiError("no_text");
  }
  const { message, previous } = ctx.ws.updateMessage(
    channel.id,
    ts,
    {
      ...(content.text !== undefined ? { text: content.text } : {}),
      ...(content.blocks !== undefined ? { blocks: content.blocks } : {}),
      ...(content.attachments !== undefined ? { attachments: content.attachments } : {}),
      ...(content.metadata !== undefined ? { metadata: content.metadata } : {}),
    },
    ctx.ws.bot.userId,
  );
  ctx.announce(channel.id, messageChangedEvent(ctx.ws, channel.id, message, previous));
  return ok({
    channel: channel.id,
    ts,
    text: message.text,
    message: clone(message) as unknown as JsonObject,
  });
};

const chatDelete: ApiHandler = (ctx, params) => {
  const channel = visibleChannel(ctx, params.string("channel"));
  if (channel.is_archived) throw new SlackApiError("cant_delete_message");
  requireMembership(ctx, channel, "cant_delete_message");
  const ts = params.requireString("ts");
  const existing = ctx.ws.message(channel.id, ts);
  if (!existing || existing.subtype === "tombstone") throw new SlackApiError("message_not_found");
  if (existing.bot_id !== ctx.ws.bot.botId) throw new SlackApiError("cant_delete_message");
  const previous = ctx.ws.deleteMessage(channel.id, ts);
  ctx.announce(channel.id, messageDeletedEvent(ctx.ws, channel.id, previous));
  return ok({ channel: channel.id, ts });
};

const chatPostEphemeral: ApiHandler = (ctx, params) => {
  const userId = params.requireString("user");
  const user = ctx.ws.user(userId);
  if (!user) throw new SlackApiError("user_not_found");
  const channel = messageTarget(ctx, params.string("channel"));
  if (channel.is_archived) throw new SlackApiError("is_archived");
  requireMembership(ctx, channel);
  const posting = ctx.ws.postingRestriction(channel.id);
  if (posting === "admins_only" || posting === "read_only") throw new SlackApiError("restricted_action");
  const isImUser = channel.is_im && channel.user === userId;
  if (!isImUser && !ctx.ws.isMember(channel.id, userId)) {
    throw new SlackApiError("user_not_in_channel");
  }
  const threadTs = readThreadTs(params);
  const content = readContent(params);
  if (!hasContent(content)) throw new SlackApiError("no_text");
  const ts = ctx.ws.nextTs();
  ctx.ws.ephemerals.push({
    channel: channel.id,
    user: userId,
    text: content.text ?? "",
    ...(content.blocks ? { blocks: content.blocks } : {}),
    ...(threadTs ? { threadTs } : {}),
    ts,
    source: "api",
    at: Date.now(),
  });
  return ok({ message_ts: ts });
};

const chatGetPermalink: ApiHandler = (ctx, params) => {
  const channel = visibleChannel(ctx, params.string("channel"));
  const ts = params.requireString("message_ts");
  const message = ctx.ws.message(channel.id, ts);
  if (!message) throw new SlackApiError("message_not_found");
  let permalink = `https://${ctx.ws.team.domain}.slack.com/archives/${channel.id}/p${ts.replace(".", "")}`;
  if (message.thread_ts && message.thread_ts !== message.ts) {
    permalink += `?thread_ts=${message.thread_ts}&cid=${channel.id}`;
  }
  return ok({ channel: channel.id, permalink });
};

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

const usersInfo: ApiHandler = (ctx, params) => {
  const user = ctx.ws.user(params.requireString("user"));
  if (!user) throw new SlackApiError("user_not_found");
  const out = userForApi(ctx, user);
  if (params.bool("include_locale")) out.locale = "en-US";
  return ok({ user: out });
};

const usersList: ApiHandler = (ctx, params) => {
  const users = [...ctx.ws.users.values()];
  const { page, nextCursor } = paginate(users, params, "user", (u) => u.id, limitArg(params, 1000, 1000));
  return ok({
    members: page.map((u) => userForApi(ctx, u)),
    cache_ts: Math.floor(Date.now() / 1000),
    response_metadata: { next_cursor: nextCursor },
  });
};

const usersLookupByEmail: ApiHandler = (ctx, params) => {
  const user = ctx.ws.userByEmail(params.requireString("email"));
  if (!user) throw new SlackApiError("users_not_found");
  return ok({ user: clone(user) as unknown as JsonObject });
};

const viewsOpen: ApiHandler = (ctx, params) => {
  const triggerId = params.requireString("trigger_id");
  const input = readView(params, "modal");
  const trigger = ctx.triggers.check(triggerId);
  if (!trigger.ok) throw new SlackApiError(trigger.error);
  assertExternalIdFree(ctx, input.external_id);
  ctx.triggers.consume(triggerId);
  // A new modal starts a new stack: whatever the user had open is gone (Slack's UI allows one).
  for (const r of ctx.ws.openViews) if (r.userId === trigger.userId) r.isOpen = false;
  const id = randomId("V");
  const view = buildView(ctx, input, { id, rootViewId: id, previousViewId: null });
  ctx.ws.openViews.push({ id, trigger: triggerId, userId: trigger.userId, view, isOpen: true });
  return ok({ view: clone(view) as unknown as JsonObject });
};

const viewsPush: ApiHandler = (ctx, params) => {
  const triggerId = params.requireString("trigger_id");
  const input = readView(params, "modal");
  const trigger = ctx.triggers.check(triggerId);
  if (!trigger.ok) throw new SlackApiError(trigger.error);
  const stack = ctx.ws.openViews.filter((r) => r.isOpen && r.userId === trigger.userId);
  const top = stack[stack.length - 1];
  if (stack.length >= 3) throw new SlackApiError("push_limit_reached");
  assertExternalIdFree(ctx, input.external_id);
  ctx.triggers.consume(triggerId);
  const id = randomId("V");
  const view = buildView(ctx, input, {
    id,
    rootViewId: top?.view.root_view_id ?? id,
    previousViewId: top?.view.id ?? null,
  });
  ctx.ws.openViews.push({ id, trigger: triggerId, userId: trigger.userId, view, isOpen: true });
  return ok({ view: clone(view) as unknown as JsonObject });
};

const viewsUpdate: ApiHandler = (ctx, params) => {
  const viewId = params.string("view_id");
  const externalId = params.string("external_id");
  if (!viewId && !externalId) throw missing("view_id");
  const found = ctx.ws.findView({
    ...(viewId ? { viewId } : {}),
    ...(externalId ? { externalId } : {}),
  });
  if (!found || (found.kind === "modal" && !found.record.isOpen)) {
    throw new SlackApiError("not_found");
  }
  const current = found.kind === "modal" ? found.record.view : found.view;
  const input = readView(params, found.kind === "modal" ? "modal" : "home");
  const hash = params.string("hash");
  if (hash && hash !== current.hash) throw new SlackApiError("hash_conflict");
  assertExternalIdFree(ctx, input.external_id, current.id);
  const view = buildView(ctx, input, {
    id: current.id,
    rootViewId: current.root_view_id,
    previousViewId: current.previous_view_id,
  });
  if (found.kind === "modal") found.record.view = view;
  else ctx.ws.homeViews.set(found.userId, view);
  return ok({ view: clone(view) as unknown as JsonObject });
};

const viewsPublish: ApiHandler = (ctx, params) => {
  const userId = params.requireString("user_id");
  const user = ctx.ws.user(userId);
  if (!user) throw new SlackApiError("user_not_found");
  const input = readView(params, "home");
  const current = ctx.ws.homeViews.get(userId);
  const hash = params.string("hash");
  if (hash && current && hash !== current.hash) throw new SlackApiError("hash_conflict");
  const id = current?.id ?? randomId("V");
  assertExternalIdFree(ctx, input.external_id, id);
  const view = buildView(ctx, input, { id, rootViewId: null, previousViewId: null });
  ctx.ws.homeViews.set(userId, view);
  return ok({ view: clone(view) as unknown as JsonObject });
};

const reactionsAdd: ApiHandler = (ctx, params) => {
  const channel = visibleChannel(ctx, params.string("channel"));
  if (channel.is_archived) throw new SlackApiError("is_archived");
  const ts = params.requireString("timestamp");
  const name = params.requireString("name");
  if (!/^[a-z0-9_+'-]+(::skin-tone-[2-6])?$/.test(name)) throw new SlackApiError("invalid_name");
  if (!ctx.ws.message(channel.id, ts)) throw new SlackApiError("message_not_found");
  if (!ctx.ws.addReaction(channel.id, ts, name, ctx.ws.bot.userId)) {
    throw new SlackApiError("already_reacted");
  }
  return ok();
};

const filesGetUploadURLExternal: ApiHandler = (ctx, params) => {
  const filename = params.requireString("filename");
  if (!params.has("length") || params.string("length") === "") throw missing("length");
  const length = params.int("length") as number;
  if (length < 1) {
    // What Slack answers for a zero length (seen from WebClient uploads of empty files).
    throw new SlackApiError("invalid_arguments", [
      `[ERROR] ${length} must be greater than 1 [json-pointer:/length]`,
    ]);
  }
  if (length > MAX_FILE_BYTES) throw new SlackApiError("file_upload_size_restricted");
  const altTxt = params.string("alt_txt");
  if (altTxt !== undefined && altTxt.length > MAX_ALT_TXT) throw new SlackApiError("alt_txt_too_large");
  const snippetType = params.string("snippet_type") || undefined;
  if (snippetType !== undefined) {
    if (!SNIPPET_TYPES.has(snippetType)) throw new SlackApiError("unknown_snippet_type");
    if (length > MAX_SNIPPET_BYTES) throw new SlackApiError("snippet_too_large");
  }
  const file = ctx.ws.createFile({
    name: filename,
    length,
    ...(altTxt !== undefined ? { altTxt } : {}),
    ...(snippetType !== undefined ? { snippetType } : {}),
    uploadUrl: (ticket) => `${ctx.baseUrl()}/upload/v1/${ticket}`,
  });
  return ok({ upload_url: file.uploadUrl, file_id: file.id });
};

/** `files` of files.completeUploadExternal: a non-empty JSON array of {id, title?}. */
function readFileRefs(params: Params): { id: string; title?: string }[] {
  const raw = params.json("files", "invalid_arguments");
  if (raw === undefined) throw missing("files");
  if (!Array.isArray(raw) || raw.length === 0) {
    throw new SlackApiError("invalid_arguments", ["[ERROR] must be a non-empty array [json-pointer:/files]"]);
  }
  return raw.map((entry, i) => {
    const e = entry as Record<string, unknown> | null;
    if (typeof e !== "object" || e === null || typeof e.id !== "string" || e.id === "") {
      throw new SlackApiError("invalid_arguments", [
        `[ERROR] missing required field: id [json-pointer:/files/${i}]`,
      ]);
    }
    if (e.title !== undefined && e.title !== null && typeof e.title !== "string") {
      throw new SlackApiError("invalid_arguments", [
        `[ERROR] must be a string [json-pointer:/files/${i}/title]`,
      ]);
    }
    return { id: e.id, ...(typeof e.title === "string" && e.title !== "" ? { title: e.title } : {}) };
  });
}

/** A file ready to complete; Slack says file_not_found for anything else behind the ticket. */
function readyFile(ctx: ApiContext, id: string): StoredFile {
  const file = ctx.ws.storedFile(id);
  const notFound = (why: string) => new SlackApiError("file_not_found", [`[ERROR] ${why}`]);
  if (!file) throw notFound(`no upload ticket for file ${id}`);
  if (file.completed) throw notFound(`file ${id} was already completed`);
  if (!file.bytes) throw notFound(`nothing was uploaded to the upload_url of file ${id}`);
  if (file.bytes.length !== file.length) {
    throw notFound(
      `file ${id}: ${file.bytes.length} bytes uploaded, but files.getUploadURLExternal announced length ${file.length}`,
    );
  }
  return file;
}

const MAX_SHARE_CHANNELS = 100;

const filesCompleteUploadExternal: ApiHandler = (ctx, params) => {
  const refs = readFileRefs(params);
  const channelId = params.string("channel_id") || undefined;
  if (channelId !== undefined && !/^[CGDZ][A-Z0-9]+$/.test(channelId)) {
    throw new SlackApiError("invalid_arguments", [
      `[ERROR] ${channelId} is not a conversation ID [json-pointer:/channel_id]`,
    ]);
  }
  const targets: string[] = channelId ? [channelId] : [];
  for (const c of (params.string("channels") ?? "").split(",")) {
    const id = c.trim();
    if (id && !targets.includes(id)) targets.push(id);
  }
  if (targets.length > MAX_SHARE_CHANNELS) throw new SlackApiError("channels_limit_exceeded");
  const threadTs = readThreadTs(params);
  if (threadTs && targets.length !== 1) {
    throw new SlackApiError("invalid_arguments", ["[ERROR] thread_ts needs exactly one channel"]);
  }

  const seen = new Set<string>();
  const files = refs.map((ref) => {
    if (seen.has(ref.id)) {
      throw new SlackApiError("invalid_arguments", [
        `[ERROR] file ${ref.id} is listed twice [json-pointer:/files]`,
      ]);
    }
    seen.add(ref.id);
    return { file: readyFile(ctx, ref.id), title: ref.title };
  });

  const channels = targets.map((target) => {
    const channel = messageTarget(ctx, target);
    if (channel.is_archived) throw new SlackApiError("is_archived");
    requireMembership(ctx, channel);
    // "User is not authorized to post to channel": the channel's posting rules refuse this share.
    if (postingRefusal(ctx, channel, threadTs)) throw new SlackApiError("posting_to_channel_denied");
    return channel;
  });

  const comment = params.string("initial_comment");
  if (comment !== undefined && comment.length > MAX_TEXT) throw new SlackApiError("msg_too_long");
  let blocks: JsonObject[] | undefined;
  if (!comment) {
    const raw = params.json("blocks", "invalid_blocks_format");
    if (raw !== undefined) {
      const issues = validateBlocks(raw);
      if (issues.length > 0) throw invalidBlocks(formatIssues(issues));
      blocks = raw as JsonObject[];
    }
  }

  for (const { file, title } of files) {
    file.completed = true;
    file.title = title ?? file.name;
  }
  const posted: { channel: string; message: SlackMessage }[] = [];
  for (const channel of channels) {
    const { message } = ctx.ws.postMessage({
      channel: channel.id,
      from: { kind: "bot" },
      text: comment ?? "",
      files: [],
      ...(blocks && blocks.length > 0 ? { blocks } : {}),
      ...(threadTs ? { threadTs } : {}),
      ...customization(ctx, params),
    });
    const at = Date.now();
    for (const { file } of files) {
      file.shares.push({
        channel: channel.id,
        ts: message.ts,
        ...(message.thread_ts ? { threadTs: message.thread_ts } : {}),
        at,
      });
    }
    posted.push({ channel: channel.id, message });
  }
  const objects = files.map(({ file }) => fileObject(ctx.ws, file, ctx.baseUrl()));
  for (const { channel, message } of posted) {
    message.files = objects.map(messageFileObject);
    ctx.announce(channel, messageEvent(ctx.ws, channel, message));
  }
  return ok({ files: objects });
};

export const METHODS: Record<string, ApiHandler> = {
  "api.test": apiTest,
  "auth.test": authTest,
  "chat.postMessage": chatPostMessage,
  "chat.update": chatUpdate,
  "chat.delete": chatDelete,
  "chat.postEphemeral": chatPostEphemeral,
  "chat.getPermalink": chatGetPermalink,
  "conversations.open": conversationsOpen,
  "conversations.info": conversationsInfo,
  "conversations.join": conversationsJoin,
  "conversations.leave": conversationsLeave,
  "conversations.members": conversationsMembers,
  "conversations.list": conversationsList,
  "conversations.history": conversationsHistory,
  "conversations.replies": conversationsReplies,
  "users.info": usersInfo,
  "users.list": usersList,
  "users.lookupByEmail": usersLookupByEmail,
  "views.open": viewsOpen,
  "views.push": viewsPush,
  "views.update": viewsUpdate,
  "views.publish": viewsPublish,
  "reactions.add": reactionsAdd,
  "files.getUploadURLExternal": filesGetUploadURLExternal,
  "files.completeUploadExternal": filesCompleteUploadExternal,
};

/** Methods that work without a token (Slack's api.test). */
export const UNAUTHENTICATED = new Set(["api.test"]);
