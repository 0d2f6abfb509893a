// Files of Slack's external upload flow (files.getUploadURLExternal → POST to upload_url →
// files.completeUploadExternal): type detection from the name and the bytes, image sizes, the
// multipart bodies an upload_url accepts, and the file object Slack returns and attaches to
// file_share messages (field names as in slack-samples/api/files.completeUploadExternal.json).
import { randomBytes } from "node:crypto";
import type { JsonObject, StoredFile } from "./types.ts";
import type { Workspace } from "./workspace.ts";

/** Slack's documented file size limit (1 GB). */
export const MAX_FILE_BYTES = 1024 * 1024 * 1024;
/** Snippets (snippet_type given) are limited to 1 MB (Slack's snippet_too_large). */
export const MAX_SNIPPET_BYTES = 1024 * 1024;
/** alt_txt longer than this is alt_txt_too_large. */
export const MAX_ALT_TXT = 1000;

/** The opaque last segment of an upload_url, like Slack's base64 tickets. */
export function newUploadTicket(): string {
  return randomBytes(48).toString("base64url");
}

// ------------------------------------------------------------------------------------------------
// Types

export interface FileType {
  mimetype: string;
  filetype: string;
  prettyType: string;
}

const BY_EXTENSION: Record<string, FileType> = {
  png: { mimetype: "image/png", filetype: "png", prettyType: "PNG" },
  jpg: { mimetype: "image/jpeg", filetype: "jpg", prettyType: "JPEG" },
  jpeg: { mimetype: "image/jpeg", filetype: "jpg", prettyType: "JPEG" },
  gif: { mimetype: "image/gif", filetype: "gif", prettyType: "GIF" },
  webp: { mimetype: "image/webp", filetype: "webp", prettyType: "WebP" },
  svg: { mimetype: "image/svg+xml", filetype: "svg", prettyType: "SVG" },
  pdf: { mimetype: "application/pdf", filetype: "pdf", prettyType: "PDF" },
  txt: { mimetype: "text/plain", filetype: "text", prettyType: "Plain Text" },
  csv: { mimetype: "text/csv", filetype: "csv", prettyType: "CSV" },
  tsv: { mimetype: "text/tab-separated-values", filetype: "tsv", prettyType: "TSV" },
  json: { mimetype: "application/json", filetype: "json", prettyType: "JSON" },
  md: { mimetype: "text/plain", filetype: "markdown", prettyType: "Markdown (raw)" },
  html: { mimetype: "text/html", filetype: "html", prettyType: "HTML" },
  zip: { mimetype: "application/zip", filetype: "zip", prettyType: "Zip" },
  mp4: { mimetype: "video/mp4", filetype: "mp4", prettyType: "MPEG 4 Video" },
  xlsx: {
    mimetype: "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
    filetype: "xlsx",
    prettyType: "Excel Spreadsheet",
  },
};

const BINARY: FileType = { mimetype: "application/octet-stream", filetype: "binary", prettyType: "Binary" };

/** Content sniffing for names without a known extension (Slack looks at the bytes too). */
function sniff(bytes: Buffer | undefined): FileType | undefined {
  if (!bytes || bytes.length < 4) return undefined;
  if (bytes.readUInt32BE(0) === 0x89504e47) return BY_EXTENSION.png;
  if (bytes[0] === 0xff && bytes[1] === 0xd8 && bytes[2] === 0xff) return BY_EXTENSION.jpg;
  if (bytes.toString("latin1", 0, 4) === "GIF8") return BY_EXTENSION.gif;
  if (bytes.toString("latin1", 0, 4) === "%PDF") return BY_EXTENSION.pdf;
  return undefined;
}

/** Slack's snippet types (files.getUploadURLExternal `snippet_type`); others are unknown_snippet_type. */
export const SNIPPET_TYPES = new Set(
  (
    "auto text apl applescript boxnote c csharp cpp css csv clojure coffeescript cfm d dart diff " +
    "dockerfile elixir erlang fsharp fortran go groovy gherkin handlebars html haskell haxe java " +
    "javascript json julia kotlin latex lisp lua markdown matlab mumps nginx objc ocaml pascal perl " +
    "php pig post powershell protobuf puppet python r ruby rust sass scala scheme shell smalltalk sql " +
    "swift tsv typescript vb vbscript velocity verilog vhdl xml yaml"
  ).split(" "),
);

export function fileType(name: string, bytes?: Buffer, snippetType?: string): FileType {
  if (snippetType) {
    const filetype = snippetType === "auto" ? "text" : snippetType;
    return {
      mimetype: "text/plain",
      filetype,
      prettyType: filetype.charAt(0).toUpperCase() + filetype.slice(1),
    };
  }
  const ext = /\.([A-Za-z0-9]+)$/.exec(name)?.[1]?.toLowerCase();
  return (ext ? BY_EXTENSION[ext] : undefined) ?? sniff(bytes) ?? BINARY;
}

/** Width and height of a PNG, GIF or JPEG, read from its header. */
export function imageSize(bytes: Buffer | undefined): { width: number; height: number } | undefined {
  if (!bytes) return undefined;
  if (
    bytes.length >= 24 &&
    bytes.readUInt32BE(0) === 0x89504e47 &&
    bytes.toString("latin1", 12, 16) === "IHDR"
  ) {
    return { width: bytes.readUInt32BE(16), height: bytes.readUInt32BE(20) };
  }
  if (bytes.length >= 10 && bytes.toString("latin1", 0, 4) === "GIF8") {
    return { width: bytes.readUInt16LE(6), height: bytes.readUInt16LE(8) };
  }
  if (bytes.length >= 4 && bytes[0] === 0xff && bytes[1] === 0xd8) {
    let i = 2;
    while (i + 9 < bytes.length) {
      if (bytes[i] !== 0xff) return undefined;
      const marker = bytes[i + 1] ?? 0;
      if (marker === 0xff) {
        i++;
        continue;
      }
      if (marker === 0x01 || (marker >= 0xd0 && marker <= 0xd8)) {
        i += 2;
        continue;
      }
      const isFrame =
        marker >= 0xc0 && marker <= 0xcf && marker !== 0xc4 && marker !== 0xc8 && marker !== 0xcc;
      if (isFrame) return { height: bytes.readUInt16BE(i + 5), width: bytes.readUInt16BE(i + 7) };
      i += 2 + bytes.readUInt16BE(i + 2);
    }
  }
  return undefined;
}

// ------------------------------------------------------------------------------------------------
// Upload bodies

export interface MultipartPart {
  name?: string;
  filename?: string;
  contentType?: string;
  data: Buffer;
}

function headerParam(header: string, param: string): string | undefined {
  const m = new RegExp(`(?:^|;)\\s*${param}="([^"]*)"`, "i").exec(header);
  if (m) return m[1];
  return new RegExp(`(?:^|;)\\s*${param}=([^;]*)`, "i").exec(header)?.[1]?.trim();
}

/** Splits a multipart/form-data body; null when it is not one (no boundary, no closing delimiter). */
export function parseMultipart(body: Buffer, contentType: string): MultipartPart[] | null {
  const boundary = headerParam(contentType, "boundary");
  if (!boundary) return null;
  const delimiter = Buffer.from(`--${boundary}`);
  const between = Buffer.from(`\r\n--${boundary}`);
  const parts: MultipartPart[] = [];
  let pos = body.indexOf(delimiter);
  if (pos < 0) return null;
  pos += delimiter.length;
  for (;;) {
    if (body[pos] === 0x2d && body[pos + 1] === 0x2d) return parts; // "--": the closing delimiter
    const lineEnd = body.indexOf("\r\n", pos);
    if (lineEnd < 0) return null;
    const headerEnd = body.indexOf("\r\n\r\n", lineEnd);
    if (headerEnd < 0) return null;
    const next = body.indexOf(between, headerEnd + 4);
    if (next < 0) return null;
    const part: MultipartPart = { data: body.subarray(headerEnd + 4, next) };
    const headerText = headerEnd > lineEnd ? body.subarray(lineEnd + 2, headerEnd).toString("utf8") : "";
    for (const line of headerText.split("\r\n")) {
      const colon = line.indexOf(":");
      if (colon < 0) continue;
      const key = line.slice(0, colon).trim().toLowerCase();
      const value = line.slice(colon + 1).trim();
      if (key === "content-disposition") {
        const name = headerParam(value, "name");
        const filename = headerParam(value, "filename");
        if (name !== undefined) part.name = name;
        if (filename !== undefined) part.filename = filename;
      } else if (key === "content-type") {
        part.contentType = value;
      }
    }
    parts.push(part);
    pos = next + between.length;
  }
}

/**
 * The file in an upload body: a raw body is the file itself; a multipart body carries it in a
 * file part (the first part with a filename, else a field named "file", else its only part).
 */
export function uploadedBytes(
  body: Buffer,
  contentType: string,
): { bytes: Buffer; multipart: boolean } | { error: string } {
  if (!/^multipart\/form-data/i.test(contentType)) return { bytes: body, multipart: false };
  const parts = parseMultipart(body, contentType);
  if (!parts) return { error: "malformed multipart body" };
  const part =
    parts.find((p) => p.filename !== undefined) ??
    parts.find((p) => p.name === "file") ??
    (parts.length === 1 ? parts[0] : undefined);
  if (!part) return { error: "no file part in multipart body" };
  return { bytes: Buffer.from(part.data), multipart: true };
}

// ------------------------------------------------------------------------------------------------
// File objects

const THUMB_SIZES = [64, 80, 160, 360, 480, 720, 800, 960, 1024] as const;

function stemAndExt(name: string): { stem: string; ext: string } {
  const m = /^(.*)\.([A-Za-z0-9]+)$/.exec(name);
  return m ? { stem: m[1] ?? name, ext: m[2] ?? "" } : { stem: name, ext: "" };
}

/** Paths the emulator serves a file's bytes at (url_private needs the bot token, as on Slack). */
export function fileUrls(ws: Workspace, file: StoredFile, baseUrl: string) {
  const key = `${ws.team.id}-${file.id}`;
  const name = encodeURIComponent(file.name);
  return {
    urlPrivate: `${baseUrl}/files-pri/${key}/${name}`,
    urlPrivateDownload: `${baseUrl}/files-pri/${key}/download/${name}`,
    thumb: (size: number) => {
      const { stem, ext } = stemAndExt(file.name);
      return `${baseUrl}/files-tmb/${key}-${file.publicSecret}/${encodeURIComponent(stem)}_${size}${ext ? `.${ext}` : ""}`;
    },
  };
}

function shareEntry(ws: Workspace, file: StoredFile, share: StoredFile["shares"][number]): JsonObject {
  const channel = ws.channel(share.channel);
  const message = ws.message(share.channel, share.ts);
  const entry: JsonObject = {
    reply_users: [...(message?.reply_users ?? [])],
    reply_users_count: message?.reply_users_count ?? 0,
    reply_count: message?.reply_count ?? 0,
    ts: share.ts,
  };
  if (channel?.name) entry.channel_name = channel.name;
  entry.team_id = ws.team.id;
  entry.share_user_id = file.user;
  if (share.threadTs) entry.thread_ts = share.threadTs;
  if (message?.latest_reply) entry.latest_reply = message.latest_reply;
  entry.source = "UNKNOWN";
  entry.is_silent_share = false;
  return entry;
}

/** The file object of files.completeUploadExternal and of file_share messages' `files`. */
export function fileObject(ws: Workspace, file: StoredFile, baseUrl: string): JsonObject {
  const type = fileType(file.name, file.bytes, file.snippetType);
  const urls = fileUrls(ws, file, baseUrl);
  const publicShares: JsonObject = {};
  const privateShares: JsonObject = {};
  const channels: string[] = [];
  const groups: string[] = [];
  const ims: string[] = [];
  for (const share of file.shares) {
    const info = ws.channel(share.channel);
    if (!info) continue;
    const isPublic = !info.is_private;
    const bucket = isPublic ? publicShares : privateShares;
    const list = (bucket[share.channel] as JsonObject[] | undefined) ?? [];
    list.push(shareEntry(ws, file, share));
    bucket[share.channel] = list;
    const ids = info.is_im ? ims : isPublic ? channels : groups;
    if (!ids.includes(share.channel)) ids.push(share.channel);
  }
  const shares: JsonObject = {};
  if (Object.keys(publicShares).length > 0) shares.public = publicShares;
  if (Object.keys(privateShares).length > 0) shares.private = privateShares;

  const obj: JsonObject = {
    id: file.id,
    created: file.created,
    timestamp: file.created,
    name: file.name,
    title: file.title,
    mimetype: type.mimetype,
    filetype: type.filetype,
    pretty_type: type.prettyType,
    user: file.user,
    user_team: ws.user(file.user)?.team_id ?? ws.team.id,
    editable: file.snippetType !== undefined,
    size: file.bytes?.length ?? 0,
    mode: file.snippetType !== undefined ? "snippet" : "hosted",
    is_external: false,
    external_type: "",
    is_public: channels.length > 0,
    public_url_shared: false,
    display_as_bot: false,
    username: "",
    url_private: urls.urlPrivate,
    url_private_download: urls.urlPrivateDownload,
  };
  const size = type.mimetype.startsWith("image/") ? imageSize(file.bytes) : undefined;
  if (size) {
    obj.media_display_type = "unknown";
    const longest = Math.max(size.width, size.height, 1);
    for (const s of THUMB_SIZES) {
      // Slack makes 64/80/160/360 always and the larger ones only when the image is larger.
      if (s > 360 && longest < s) continue;
      obj[`thumb_${s}`] = urls.thumb(s);
      if (s >= 360) {
        const scale = Math.min(1, s / longest);
        obj[`thumb_${s}_w`] = Math.round(size.width * scale);
        obj[`thumb_${s}_h`] = Math.round(size.height * scale);
      }
    }
    obj.original_w = size.width;
    obj.original_h = size.height;
  }
  if (file.altTxt !== undefined) obj.alt_txt = file.altTxt;
  obj.permalink = `https://${ws.team.domain}.slack.com/files/${file.user}/${file.id}/${encodeURIComponent(
    file.name.toLowerCase().replace(/\s+/g, "_"),
  )}`;
  obj.permalink_public = `https://slack-files.com/${ws.team.id}-${file.id}-${file.publicSecret}`;
  obj.comments_count = 0;
  obj.is_starred = false;
  obj.shares = shares;
  obj.channels = channels;
  obj.groups = groups;
  obj.ims = ims;
  obj.has_more_shares = false;
  obj.has_rich_preview = false;
  obj.file_access = "visible";
  return obj;
}

/** A file as file_share messages carry it: no channels / groups / ims lists (Slack's events have none). */
export function messageFileObject(obj: JsonObject): JsonObject {
  const { channels: _c, groups: _g, ims: _i, ...rest } = obj;
  return JSON.parse(JSON.stringify(rest)) as JsonObject;
}
