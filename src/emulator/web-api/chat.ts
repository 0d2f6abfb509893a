// chat.*: posting, updating and deleting the bot's messages, ephemeral messages, permalinks.
// chat.postMessage accepts a user ID as channel and posts in the IM with that user; chat.update
// keeps old blocks only when neither text nor blocks is given.
import { conversationKind } from "../access.ts";
import { formatIssues, type Verdict, validateMessage } from "../blockkit.ts";
import { messageChangedEvent, messageDeletedEvent, messageEvent } from "../events.ts";
import { type Params, RateLimitedError, SlackApiError } from "../params.ts";
import type { JsonObject, SlackChannel } from "../types.ts";
import { clone } from "../workspace.ts";
import {
  type ApiContext,
  type ApiHandler,
  customization,
  invalidBlocks,
  type MethodTable,
  messageTarget,
  ok,
  postingRefusal,
  readThreadTs,
  requireMembership,
  visibleChannel,
} from "./shared.ts";

/** chat:write.public: "Send messages to channels your Slack app isn't a member of" (public ones). */
function requirePostingMembership(ctx: ApiContext, channel: SlackChannel): void {
  if (conversationKind(channel) === "public" && ctx.access.has("chat:write.public")) return;
  requireMembership(ctx, channel);
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

function hasContent(c: MessageContent): boolean {
  return Boolean(c.text) || (c.blocks?.length ?? 0) > 0 || (c.attachments?.length ?? 0) > 0;
}

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
    ...customization(ctx, params, channel),
  });
  ctx.announce(channel.id, messageEvent(ctx.ws, channel.id, message));
  return ok({
    channel: channel.id,
    ts: message.ts,
    message: clone(message) as unknown as JsonObject,
  });
};

/**
 * The bot's own message that chat.update or chat.delete changes, or Slack's refusal: `archived`
 * for an archived channel, `notYours` for a channel it is not in or a message someone else posted.
 */
function ownMessage(ctx: ApiContext, params: Params, errors: { archived: string; notYours: string }) {
  const channel = visibleChannel(ctx, params.string("channel"));
  if (channel.is_archived) throw new SlackApiError(errors.archived);
  requireMembership(ctx, channel, errors.notYours);
  const ts = params.requireString("ts");
  const existing = ctx.ws.message(channel.id, ts);
  if (!existing || existing.subtype === "tombstone") throw new SlackApiError("message_not_found");
  if (existing.bot_id !== ctx.ws.bot.botId) throw new SlackApiError(errors.notYours);
  return { channel, ts };
}

const chatUpdate: ApiHandler = (ctx, params) => {
  // "The message cannot be edited within a frozen, archived or deleted channel."
  const { channel, ts } = ownMessage(ctx, params, {
    archived: "is_inactive",
    notYours: "cant_update_message",
  });
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
  const { channel, ts } = ownMessage(ctx, params, {
    archived: "cant_delete_message",
    notYours: "cant_delete_message",
  });
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
  ctx.record.ephemerals.push({
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

export const CHAT_METHODS: MethodTable = {
  "chat.postMessage": chatPostMessage,
  "chat.update": chatUpdate,
  "chat.delete": chatDelete,
  "chat.postEphemeral": chatPostEphemeral,
  "chat.getPermalink": chatGetPermalink,
};
