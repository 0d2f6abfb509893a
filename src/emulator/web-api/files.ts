// files.*: the external upload flow. files.getUploadURLExternal announces a file,
// files.completeUploadExternal shares it into conversations the bot can post in, as a file_share
// message whose text is initial_comment (blocks are ignored when initial_comment is given).
import { formatIssues, validateBlocks } from "../blockkit.ts";
import { messageEvent } from "../events.ts";
import {
  fileObject,
  MAX_ALT_TXT,
  MAX_FILE_BYTES,
  MAX_SNIPPET_BYTES,
  messageFileObject,
  SNIPPET_TYPES,
} from "../files.ts";
import { missing, type Params, SlackApiError } from "../params.ts";
import type { JsonObject, SlackMessage, StoredFile } from "../types.ts";
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
} from "./shared.ts";

/** initial_comment is a message text: chat.postMessage's limit. */
const MAX_TEXT = 40_000;

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
      ...customization(ctx, params, channel),
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

export const FILES_METHODS: MethodTable = {
  "files.getUploadURLExternal": filesGetUploadURLExternal,
  "files.completeUploadExternal": filesCompleteUploadExternal,
};
