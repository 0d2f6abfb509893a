// Slack's external file upload flow through the real WebClient: filesUploadV2 end to end, the three
// raw steps (files.getUploadURLExternal, POST to upload_url, files.completeUploadExternal), Slack's
// errors, the file_share message in the channel, exact bytes, url_private, Tier 4 limits.
import { randomBytes } from "node:crypto";
import { readFileSync } from "node:fs";
import { deflateSync } from "node:zlib";
import { ErrorCode, type WebAPIRateLimitedError, type WebClient } from "@slack/web-api";
import { afterAll, afterEach, beforeAll, describe, expect, it } from "vitest";
import { SlackEmulator } from "../../src/emulator/index.ts";
import { client, eventsOf, type FakeApp, slackError, startFakeApp, TOKEN } from "./helpers.ts";

let emu: SlackEmulator;
let app: FakeApp;
let slack: WebClient;

const SAMPLES = "/work/shared/slack-samples";
const sample = (path: string) =>
  JSON.parse(readFileSync(`${SAMPLES}/${path}`, "utf8")) as Record<string, unknown>;
const apiFileKeys = Object.keys(
  (sample("api/files.completeUploadExternal.json").files as Record<string, unknown>[])[0] ?? {},
);
const eventFileKeys = Object.keys(
  ((sample("events/MessageFileSharePayload.json").event as { files: Record<string, unknown>[] }).files[0] ??
    {}) as Record<string, unknown>,
);
const shareKeys = Object.keys(
  ((
    sample("api/files.completeUploadExternal.json").files as {
      shares: { public: Record<string, unknown[]> };
    }[]
  )[0]?.shares.public.C00000000?.[0] ?? {}) as Record<string, unknown>,
);

// A real PNG (IHDR, IDAT, IEND with CRCs), so mimetype sniffing and image sizes are exercised.
const CRC_TABLE = Array.from({ length: 256 }, (_, n) => {
  let c = n;
  for (let k = 0; k < 8; k++) c = c & 1 ? 0xedb88320 ^ (c >>> 1) : c >>> 1;
  return c >>> 0;
});
function crc32(buf: Buffer): number {
  let c = 0xffffffff;
  for (const b of buf) c = (CRC_TABLE[(c ^ b) & 0xff] ?? 0) ^ (c >>> 8);
  return (c ^ 0xffffffff) >>> 0;
}
function chunk(type: string, data: Buffer): Buffer {
  const len = Buffer.alloc(4);
  len.writeUInt32BE(data.length);
  const body = Buffer.concat([Buffer.from(type, "latin1"), data]);
  const crc = Buffer.alloc(4);
  crc.writeUInt32BE(crc32(body));
  return Buffer.concat([len, body, crc]);
}
function png(width: number, height: number): Buffer {
  const ihdr = Buffer.alloc(13);
  ihdr.writeUInt32BE(width, 0);
  ihdr.writeUInt32BE(height, 4);
  ihdr.set([8, 2, 0, 0, 0], 8); // 8-bit RGB
  const rows = Buffer.alloc((width * 3 + 1) * height);
  for (let y = 0; y < height; y++) {
    for (let x = 0; x < width; x++) rows.set([x * 40, y * 40, 200], y * (width * 3 + 1) + 1 + x * 3);
  }
  return Buffer.concat([
    Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]),
    chunk("IHDR", ihdr),
    chunk("IDAT", deflateSync(rows)),
    chunk("IEND", Buffer.alloc(0)),
  ]);
}

const CHART = png(6, 4);

beforeAll(async () => {
  app = await startFakeApp();
  emu = await SlackEmulator.start({ rateLimit: false, appUrl: app.url });
  const ws = emu.workspace;
  ws.addUser({ id: "U1", name: "alice", realName: "Alice Agent" });
  ws.addChannel({ id: "C1", name: "support", members: ["U1"] });
  ws.addChannel({ id: "C2", name: "elsewhere", members: ["U1"], botIsMember: false });
  ws.addChannel({ id: "G1", name: "secret", isPrivate: true, members: ["U1"], botIsMember: false });
  ws.addChannel({ id: "G2", name: "managers", isPrivate: true, members: ["U1"] });
  ws.addChannel({ id: "C3", name: "old", isArchived: true });
  slack = client(emu);
});

afterAll(async () => {
  await emu.stop();
  await app.close();
});

afterEach(async () => {
  await emu.idle();
});

/** Step 1 + 2 by hand: announce the file, POST the bytes, return the file_id. */
async function uploaded(bytes: Buffer, filename = "chart.png", length = bytes.length): Promise<string> {
  const res = await slack.files.getUploadURLExternal({ filename, length });
  const up = await fetch(res.upload_url as string, { method: "POST", body: new Uint8Array(bytes) });
  expect(up.status).toBe(200);
  return res.file_id as string;
}

type FileObject = Record<string, unknown> & { id: string; shares: Record<string, Record<string, unknown[]>> };

describe("filesUploadV2 (WebClient's own upload path)", () => {
  it("uploads a PNG into a channel: response, file_share message, stored bytes, calls log", async () => {
    const callsBefore = emu.calls.length;
    const res = await slack.filesUploadV2({
      channel_id: "C1",
      file: CHART,
      filename: "chart.png",
      title: "Assignments this week",
      initial_comment: "Weekly assignment chart",
    });
    expect(res.ok).toBe(true);
    const completion = (res as unknown as { files: { ok: boolean; files: FileObject[] }[] }).files;
    expect(completion).toHaveLength(1);
    expect(completion[0]?.ok).toBe(true);
    const file = completion[0]?.files[0] as FileObject;
    expect(file).toMatchObject({
      id: expect.stringMatching(/^F[A-Z0-9]+$/),
      name: "chart.png",
      title: "Assignments this week",
      mimetype: "image/png",
      filetype: "png",
      pretty_type: "PNG",
      user: "U0HEROBOT",
      user_team: "T0HERODESK",
      size: CHART.length,
      mode: "hosted",
      is_external: false,
      is_public: true,
      original_w: 6,
      original_h: 4,
      channels: ["C1"],
      groups: [],
      ims: [],
      url_private: `${emu.baseUrl}/files-pri/T0HERODESK-${file.id}/chart.png`,
      url_private_download: `${emu.baseUrl}/files-pri/T0HERODESK-${file.id}/download/chart.png`,
      permalink: `https://herodesk-demo.slack.com/files/U0HEROBOT/${file.id}/chart.png`,
    });
    // Only fields real Slack returns (slack-samples), nothing invented.
    expect(Object.keys(file).filter((k) => !apiFileKeys.includes(k))).toEqual([]);

    const [message, ...others] = emu.workspace.messages("C1").filter((m) => m.files?.[0]?.id === file.id);
    expect(others).toEqual([]);
    expect(message).toMatchObject({
      type: "message",
      subtype: "file_share",
      text: "Weekly assignment chart",
      user: "U0HEROBOT",
      bot_id: "B0HEROBOT",
      upload: false,
      display_as_bot: false,
      files: [{ id: file.id, name: "chart.png", title: "Assignments this week", mimetype: "image/png" }],
    });
    const share = file.shares.public?.C1?.[0] as Record<string, unknown>;
    expect(share).toMatchObject({ ts: message?.ts, channel_name: "support", share_user_id: "U0HEROBOT" });
    expect(Object.keys(share).filter((k) => !shareKeys.includes(k))).toEqual([]);

    const stored = emu.workspace.file(file.id);
    expect(stored).toMatchObject({
      name: "chart.png",
      title: "Assignments this week",
      mimetype: "image/png",
      length: CHART.length,
      size: CHART.length,
      uploaded: true,
      completed: true,
      channels: ["C1"],
      upload: { multipart: true, count: 1 },
    });
    expect(stored?.bytes.equals(CHART)).toBe(true);

    const calls = emu.calls.slice(callsBefore);
    expect(calls.map((c) => [c.method, c.ok, c.status])).toEqual([
      ["files.getUploadURLExternal", true, 200],
      ["files.completeUploadExternal", true, 200],
    ]);
    expect(calls[0]?.params).toMatchObject({ filename: "chart.png", length: String(CHART.length) });
    expect(calls[1]?.params).toMatchObject({
      files: [{ id: file.id, title: "Assignments this week" }],
      channel_id: "C1",
      initial_comment: "Weekly assignment chart",
    });
  });

  it("shares into a thread with thread_ts and counts as a reply", async () => {
    const root = await slack.chat.postMessage({ channel: "C1", text: "Conversation #42" });
    const res = await slack.filesUploadV2({
      channel_id: "C1",
      thread_ts: root.ts as string,
      file: CHART,
      filename: "chart.png",
    });
    const file = (res as unknown as { files: { files: FileObject[] }[] }).files[0]?.files[0] as FileObject;
    expect(file.title).toBe("chart.png"); // WebClient defaults the title to the filename
    const [reply] = emu.workspace.replies("C1", root.ts as string);
    expect(reply).toMatchObject({
      subtype: "file_share",
      thread_ts: root.ts,
      text: "",
      files: [{ id: file.id }],
    });
    expect(emu.workspace.message("C1", root.ts as string)).toMatchObject({ reply_count: 1 });
    expect(emu.workspace.messages("C1").some((m) => m.ts === reply?.ts)).toBe(false);
    expect(file.shares.public?.C1?.[0]).toMatchObject({ ts: reply?.ts, thread_ts: root.ts });
    expect(emu.workspace.file(file.id)?.shares).toEqual([
      { channel: "C1", ts: reply?.ts, threadTs: root.ts, at: expect.any(Number) },
    ]);
  });

  it("round-trips arbitrary binary bytes and multibyte text exactly", async () => {
    const binary = Buffer.concat([
      Buffer.from(Array.from({ length: 256 }, (_, i) => i)),
      randomBytes(200_000),
    ]);
    const res = await slack.filesUploadV2({ channel_id: "C1", file: binary, filename: "export.bin" });
    const file = (res as unknown as { files: { files: FileObject[] }[] }).files[0]?.files[0] as FileObject;
    expect(file).toMatchObject({
      size: binary.length,
      mimetype: "application/octet-stream",
      filetype: "binary",
    });
    expect(emu.workspace.file(file.id)?.bytes.equals(binary)).toBe(true);

    const text = "Grüße ✓ — <!channel> 日本語\n";
    const res2 = await slack.filesUploadV2({ channel_id: "C1", content: text, filename: "notes.txt" });
    const file2 = (res2 as unknown as { files: { files: FileObject[] }[] }).files[0]?.files[0] as FileObject;
    expect(file2).toMatchObject({ size: Buffer.byteLength(text), mimetype: "text/plain", filetype: "text" });
    expect(emu.workspace.file(file2.id)?.bytes.toString("utf8")).toBe(text);
  });

  it("delivers the file_share message event to the app", async () => {
    app.received.length = 0;
    const res = await slack.filesUploadV2({
      channel_id: "C1",
      file: CHART,
      filename: "chart.png",
      initial_comment: "for the app",
    });
    const file = (res as unknown as { files: { files: FileObject[] }[] }).files[0]?.files[0] as FileObject;
    await emu.idle();
    const event = eventsOf(app).find((e) => e.subtype === "file_share");
    expect(event).toMatchObject({
      type: "message",
      subtype: "file_share",
      text: "for the app",
      channel: "C1",
      channel_type: "channel",
      user: "U0HEROBOT",
      upload: false,
      files: [{ id: file.id, name: "chart.png", mimetype: "image/png" }],
    });
    const eventFile = (event?.files as Record<string, unknown>[] | undefined)?.[0] ?? {};
    expect(Object.keys(eventFile).filter((k) => !eventFileKeys.includes(k))).toEqual([]);
  });
});

describe("files.getUploadURLExternal", () => {
  it("answers an upload_url on the emulator's own server and a file_id", async () => {
    const res = await slack.files.getUploadURLExternal({ filename: "chart.png", length: 10 });
    expect(Object.keys(res).sort()).toEqual(["file_id", "ok", "response_metadata", "upload_url"]);
    expect(res.upload_url).toMatch(new RegExp(`^${emu.baseUrl}/upload/v1/[A-Za-z0-9_-]{20,}$`));
    expect(res.file_id).toMatch(/^F[A-Z0-9]+$/);
    expect(emu.workspace.file(res.file_id as string)).toMatchObject({
      name: "chart.png",
      length: 10,
      size: 0,
      uploaded: false,
      completed: false,
      channels: [],
    });
  });

  it("keeps alt_txt and snippet_type", async () => {
    const res = await slack.apiCall("files.getUploadURLExternal", {
      filename: "query.sql",
      length: 20,
      alt_txt: "The query",
      snippet_type: "sql",
    });
    expect(emu.workspace.file((res as { file_id?: string }).file_id as string)).toMatchObject({
      altTxt: "The query",
      snippetType: "sql",
      filetype: "sql",
      mimetype: "text/plain",
    });
  });

  it("answers Slack's errors for missing and invalid arguments", async () => {
    const err = (args: Record<string, unknown>) =>
      slackError(slack.apiCall("files.getUploadURLExternal", args));
    expect(await err({ length: 10 })).toMatchObject({
      error: "invalid_arguments",
      response_metadata: { messages: ["[ERROR] missing required field: filename"] },
    });
    expect(await err({ filename: "a.png" })).toMatchObject({
      error: "invalid_arguments",
      response_metadata: { messages: ["[ERROR] missing required field: length"] },
    });
    expect(await err({ filename: "a.png", length: "ten" })).toMatchObject({
      error: "invalid_arguments",
      response_metadata: { messages: ["[ERROR] must be an integer [json-pointer:/length]"] },
    });
    expect(await err({ filename: "a.png", length: 0 })).toMatchObject({
      error: "invalid_arguments",
      response_metadata: { messages: ["[ERROR] 0 must be greater than 1 [json-pointer:/length]"] },
    });
    expect((await err({ filename: "a.png", length: 5, alt_txt: "x".repeat(1001) })).error).toBe(
      "alt_txt_too_large",
    );
    expect((await err({ filename: "a.txt", length: 5, snippet_type: "klingon" })).error).toBe(
      "unknown_snippet_type",
    );
    expect((await err({ filename: "a.txt", length: 2_000_000, snippet_type: "text" })).error).toBe(
      "snippet_too_large",
    );
    expect(
      (
        await slackError(
          client(emu, "xoxb-wrong").files.getUploadURLExternal({ filename: "a.png", length: 1 }),
        )
      ).error,
    ).toBe("invalid_auth");
    const noToken = await fetch(`${emu.apiUrl}files.getUploadURLExternal`, {
      method: "POST",
      headers: { "content-type": "application/x-www-form-urlencoded" },
      body: "filename=a.png&length=3",
    });
    expect(await noToken.json()).toEqual({ ok: false, error: "not_authed" });
  });
});

describe("upload_url", () => {
  it("takes the raw bytes as the body and answers 'OK - <length>'", async () => {
    const res = await slack.files.getUploadURLExternal({ filename: "chart.png", length: CHART.length });
    const up = await fetch(res.upload_url as string, {
      method: "POST",
      headers: { "content-type": "image/png" },
      body: new Uint8Array(CHART),
    });
    expect(up.status).toBe(200);
    expect(await up.text()).toBe(`OK - ${CHART.length}`);
    expect(emu.workspace.file(res.file_id as string)).toMatchObject({
      size: CHART.length,
      uploaded: true,
      completed: false,
      upload: { multipart: false, contentType: "image/png", count: 1 },
    });
    expect(emu.workspace.file(res.file_id as string)?.bytes.equals(CHART)).toBe(true);
  });

  it("takes a multipart/form-data body with the file in a field", async () => {
    const res = await slack.files.getUploadURLExternal({ filename: "chart.png", length: CHART.length });
    const form = new FormData();
    form.append("filename", "chart.png");
    form.append("file", new Blob([new Uint8Array(CHART)], { type: "image/png" }), "chart.png");
    const up = await fetch(res.upload_url as string, { method: "POST", body: form });
    expect(await up.text()).toBe(`OK - ${CHART.length}`);
    const stored = emu.workspace.file(res.file_id as string);
    expect(stored?.upload?.multipart).toBe(true);
    expect(stored?.bytes.equals(CHART)).toBe(true);
  });

  it("answers 404 for unknown upload URLs and for files already completed", async () => {
    const unknown = await fetch(`${emu.baseUrl}/upload/v1/not-a-ticket`, { method: "POST", body: "x" });
    expect(unknown.status).toBe(404);
    const res = await slack.files.getUploadURLExternal({ filename: "a.txt", length: 3 });
    await fetch(res.upload_url as string, { method: "POST", body: "abc" });
    await slack.files.completeUploadExternal({ files: [{ id: res.file_id as string }] });
    const again = await fetch(res.upload_url as string, { method: "POST", body: "abc" });
    expect(again.status).toBe(404);
  });
});

describe("files.completeUploadExternal", () => {
  it("completes the three raw calls into a channel, with per-file titles", async () => {
    const a = await uploaded(CHART, "a.png");
    const b = await uploaded(Buffer.from("id,agent\n1,alice\n"), "queue.csv");
    const res = await slack.files.completeUploadExternal({
      files: [{ id: a, title: "Chart A" }, { id: b }],
      channel_id: "C1",
      initial_comment: "Two files",
    });
    expect(res.ok).toBe(true);
    expect(res.files?.map((f) => [f.id, f.title, f.mimetype, f.filetype])).toEqual([
      [a, "Chart A", "image/png", "png"],
      [b, "queue.csv", "text/csv", "csv"],
    ]);
    const message = emu.workspace.messages("C1").at(-1);
    expect(message).toMatchObject({ subtype: "file_share", text: "Two files" });
    expect(message?.files?.map((f) => f.id)).toEqual([a, b]);
  });

  it("keeps a file private without a channel: no message, no shares", async () => {
    const id = await uploaded(CHART);
    const before = emu.workspace.messages("C1").length;
    const res = await slack.files.completeUploadExternal({ files: [{ id }] });
    expect(res.files?.[0]).toMatchObject({ id, shares: {}, channels: [], is_public: false });
    expect(emu.workspace.messages("C1")).toHaveLength(before);
    expect(emu.workspace.file(id)).toMatchObject({ completed: true, channels: [] });
  });

  it("shares with `channels` into several conversations, user IDs meaning their DM", async () => {
    const id = await uploaded(CHART);
    const res = await slack.apiCall("files.completeUploadExternal", {
      files: JSON.stringify([{ id }]),
      channels: "C1,G2,U1",
    });
    const file = ((res as { files?: FileObject[] }).files ?? [])[0] as FileObject;
    const dm = emu.workspace.dmChannelFor("U1");
    expect(file).toMatchObject({ channels: ["C1"], groups: ["G2"], ims: [dm], is_public: true });
    expect(Object.keys(file.shares.public ?? {})).toEqual(["C1"]);
    expect(Object.keys(file.shares.private ?? {}).sort()).toEqual([dm, "G2"].sort());
    expect(emu.workspace.messages("G2").at(-1)?.files?.[0]?.id).toBe(id);
    expect(emu.workspace.messages(dm).at(-1)?.files?.[0]?.id).toBe(id);
    expect(emu.workspace.file(id)?.channels).toEqual(["C1", "G2", dm]);
  });

  it("uses blocks when there is no initial_comment, and ignores them when there is", async () => {
    const blocks = [{ type: "section", text: { type: "mrkdwn", text: "*Chart* attached" } }];
    const one = await uploaded(CHART);
    await slack.files.completeUploadExternal({ files: [{ id: one }], channel_id: "C1", blocks });
    expect(emu.workspace.messages("C1").at(-1)).toMatchObject({
      text: "",
      blocks: [{ type: "section", text: { text: "*Chart* attached" } }],
    });
    const two = await uploaded(CHART);
    await slack.files.completeUploadExternal({
      files: [{ id: two }],
      channel_id: "C1",
      initial_comment: "comment wins",
      blocks,
    });
    expect(emu.workspace.messages("C1").at(-1)?.blocks).toBeUndefined();
    const bad = await uploaded(CHART);
    expect(
      (
        await slackError(
          slack.files.completeUploadExternal({
            files: [{ id: bad }],
            channel_id: "C1",
            blocks: [{ type: "section" } as never],
          }),
        )
      ).error,
    ).toBe("invalid_blocks");
  });

  it("answers file_not_found for unknown, never uploaded, wrongly sized and already completed files", async () => {
    const notFound = async (id: string) => {
      const e = await slackError(slack.files.completeUploadExternal({ files: [{ id }], channel_id: "C1" }));
      expect(e.error).toBe("file_not_found");
      return (e.response_metadata as { messages: string[] }).messages[0];
    };
    expect(await notFound("F0NOTAFILE")).toMatch(/no upload ticket/);

    const pending = await slack.files.getUploadURLExternal({ filename: "a.png", length: 4 });
    expect(await notFound(pending.file_id as string)).toMatch(/nothing was uploaded/);

    const short = await uploaded(Buffer.from("abc"), "short.txt", 4);
    expect(await notFound(short)).toMatch(
      /3 bytes uploaded, but files.getUploadURLExternal announced length 4/,
    );

    const done = await uploaded(Buffer.from("abcd"), "done.txt");
    await slack.files.completeUploadExternal({ files: [{ id: done }] });
    expect(await notFound(done)).toMatch(/already completed/);
    expect(emu.workspace.file(short)?.completed).toBe(false);
  });

  it("answers channel_not_found, not_in_channel, is_archived, and leaves the file pending", async () => {
    const id = await uploaded(CHART);
    const complete = (channel: string) =>
      slackError(slack.files.completeUploadExternal({ files: [{ id }], channel_id: channel }));
    expect((await complete("C0MISSING")).error).toBe("channel_not_found");
    expect((await complete("G1")).error).toBe("channel_not_found"); // private, bot not in it
    expect((await complete("C2")).error).toBe("not_in_channel");
    expect((await complete("C3")).error).toBe("is_archived");
    expect(emu.workspace.messages("C2")).toEqual([]);
    expect(emu.workspace.file(id)).toMatchObject({ completed: false, channels: [] });
    // A failed completion can be retried once the problem is fixed.
    emu.workspace.join("C2", "U0HEROBOT");
    expect((await slack.files.completeUploadExternal({ files: [{ id }], channel_id: "C2" })).ok).toBe(true);
    expect(emu.workspace.messages("C2")[0]?.files?.[0]?.id).toBe(id);
  });

  it("validates its arguments like Slack", async () => {
    const err = (args: Record<string, unknown>) =>
      slackError(slack.apiCall("files.completeUploadExternal", args));
    expect(await err({ channel_id: "C1" })).toMatchObject({
      error: "invalid_arguments",
      response_metadata: { messages: ["[ERROR] missing required field: files"] },
    });
    expect((await err({ files: "not json" })).error).toBe("invalid_arguments");
    expect((await err({ files: "[]" })).error).toBe("invalid_arguments");
    expect((await err({ files: JSON.stringify([{ title: "no id" }]) })).error).toBe("invalid_arguments");
    const id = await uploaded(CHART);
    expect((await err({ files: JSON.stringify([{ id }]), channel_id: "U1" })).error).toBe(
      "invalid_arguments",
    );
    expect(
      (await err({ files: JSON.stringify([{ id }]), channel_id: "C1", thread_ts: "yesterday" })).error,
    ).toBe("invalid_thread_ts");
    expect(
      (await err({ files: JSON.stringify([{ id }]), channels: "C1,G2", thread_ts: "1763719200.000100" }))
        .error,
    ).toBe("invalid_arguments");
    const many = Array.from({ length: 101 }, (_, i) => `C${i}`).join(",");
    expect((await err({ files: JSON.stringify([{ id }]), channels: many })).error).toBe(
      "channels_limit_exceeded",
    );
    expect(emu.workspace.file(id)?.completed).toBe(false);
  });

  it("accepts a JSON body (files as a real array)", async () => {
    const id = await uploaded(CHART);
    const res = await fetch(`${emu.apiUrl}files.completeUploadExternal`, {
      method: "POST",
      headers: { "content-type": "application/json; charset=utf-8", authorization: `Bearer ${TOKEN}` },
      body: JSON.stringify({ files: [{ id, title: "JSON" }], channel_id: "C1" }),
    });
    expect(await res.json()).toMatchObject({ ok: true, files: [{ id, title: "JSON" }] });
  });
});

describe("file bytes over HTTP", () => {
  it("serves url_private with the bot token only, and the viewer's copy without", async () => {
    const res = await slack.filesUploadV2({ channel_id: "C1", file: CHART, filename: "chart.png" });
    const file = (res as unknown as { files: { files: FileObject[] }[] }).files[0]?.files[0] as FileObject;
    const url = file.url_private as string;
    expect((await fetch(url)).status).toBe(403);
    const authed = await fetch(url, { headers: { authorization: `Bearer ${TOKEN}` } });
    expect(authed.status).toBe(200);
    expect(authed.headers.get("content-type")).toBe("image/png");
    expect(Buffer.from(await authed.arrayBuffer()).equals(CHART)).toBe(true);
    const download = await fetch(file.url_private_download as string, {
      headers: { authorization: `Bearer ${TOKEN}` },
    });
    expect(Buffer.from(await download.arrayBuffer()).equals(CHART)).toBe(true);
    const thumb = await fetch(file.thumb_360 as string, { headers: { authorization: `Bearer ${TOKEN}` } });
    expect(thumb.status).toBe(200);
    const local = await fetch(`${emu.baseUrl}/_emulator/files/${file.id}`);
    expect(Buffer.from(await local.arrayBuffer()).equals(CHART)).toBe(true);
    expect((await fetch(`${emu.baseUrl}/_emulator/files/F0NOPE`)).status).toBe(404);
  });

  it("shows uploaded images in the transcript viewer", async () => {
    const res = await slack.filesUploadV2({ channel_id: "G2", file: CHART, filename: "chart.png" });
    const file = (res as unknown as { files: { files: FileObject[] }[] }).files[0]?.files[0] as FileObject;
    const html = await (await fetch(`${emu.baseUrl}/?channel=G2`)).text();
    expect(html).toContain(`<img src="/_emulator/files/${file.id}" alt="chart.png">`);
    const state = (await (await fetch(`${emu.baseUrl}/_emulator/state`)).json()) as {
      files: { id: string }[];
    };
    expect(state.files.some((f) => f.id === file.id)).toBe(true);
  });
});

describe("Tier 4 rate limits", () => {
  let limited: SlackEmulator;

  beforeAll(async () => {
    limited = await SlackEmulator.start({ tierLimits: { tier4: { perMinute: 60, burst: 2 } } });
    limited.workspace.addChannel({ id: "C1", name: "support" });
  });

  afterAll(async () => {
    await limited.stop();
  });

  it("answers 429 with Retry-After per method once the burst is spent", async () => {
    const web = client(limited);
    await web.files.getUploadURLExternal({ filename: "a.txt", length: 1 });
    await web.files.getUploadURLExternal({ filename: "b.txt", length: 1 });
    let error: WebAPIRateLimitedError | undefined;
    try {
      await web.files.getUploadURLExternal({ filename: "c.txt", length: 1 });
    } catch (err) {
      error = err as WebAPIRateLimitedError;
    }
    expect(error?.code).toBe(ErrorCode.RateLimitedError);
    expect(error?.retryAfter).toBe(1);
    expect(limited.calls.at(-1)).toMatchObject({
      method: "files.getUploadURLExternal",
      ok: false,
      error: "ratelimited",
      status: 429,
    });
    // Each method has its own bucket, and other methods are not affected.
    const e = await slackError(web.files.completeUploadExternal({ files: [{ id: "F0NOPE" }] }));
    expect(e.error).toBe("file_not_found");
    expect((await web.chat.postMessage({ channel: "C1", text: "still fine" })).ok).toBe(true);
    await new Promise((r) => setTimeout(r, 1100));
    expect((await web.files.getUploadURLExternal({ filename: "d.txt", length: 1 })).ok).toBe(true);
  });

  it("tolerates a burst of Slack's 100 per minute by default; tierLimits: false lifts the limit", async () => {
    const fresh = await SlackEmulator.start();
    const unlimited = await SlackEmulator.start({ tierLimits: false });
    try {
      const announce = (emulator: SlackEmulator, i: number) =>
        client(emulator).files.getUploadURLExternal({ filename: `n${i}.txt`, length: 1 });
      for (let i = 0; i < 100; i++) await announce(fresh, i);
      await expect(announce(fresh, 100)).rejects.toMatchObject({ code: ErrorCode.RateLimitedError });
      for (let i = 0; i < 150; i++) await announce(unlimited, i);
      expect(unlimited.calls.every((c) => c.ok)).toBe(true);
    } finally {
      await fresh.stop();
      await unlimited.stop();
    }
  });
});
