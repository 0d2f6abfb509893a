// Posting to Slack from the outbox (paced by the client, src/slack/slack-client.ts): joining a
// public channel when the bot is not in it, sharing a file through Slack's external upload flow,
// and finding an earlier post again by its metadata (or a file by its name) after an uncertain
// attempt (crash or timeout mid-call), so a retry never posts twice.
import type { KnownBlock } from "@slack/types";
import type { WebClient } from "@slack/web-api";
import { RetryLater } from "../outbox/errors.ts";
import { platformError, toOutboxError } from "./slack-errors.ts";

export interface PostArgs {
  text: string;
  blocks?: KnownBlock[];
  thread_ts?: string;
  metadata: { event_type: string; event_payload: Record<string, string | number> };
  username?: string;
  icon_emoji?: string;
}
export interface SlackMessageLike {
  ts?: string;
  metadata?: { event_type?: string; event_payload?: Record<string, unknown> };
  files?: { id?: string; name?: string; title?: string }[];
}

/** A file to share in a channel or thread (files.getUploadURLExternal's and completeUploadExternal's). */
export interface FileShare {
  filename: string;
  title: string;
  bytes: Uint8Array;
  /** Read by screen readers (images). */
  altText?: string;
  /** Shown as a snippet of this syntax (Slack refuses snippets over 1 MB: snippet_too_large). */
  snippetType?: string;
  threadTs?: string;
  /** The message introducing the file (mrkdwn). */
  initialComment?: string;
}

export function createSlackPoster({ client }: { client: WebClient }) {
  /**
   * Runs a call in `channel`; when Slack says the bot is not in it, joins it (public channels;
   * a private one needs a person's invite, which toOutboxError turns into a problem) and tries once
   * more. HeroDesk must be a member anyway: Slack sends message events only from channels the bot
   * is in, and agents' replies arrive as message events.
   */
  async function joiningIfNeeded<T>(
    channel: string,
    call: () => Promise<T>,
    /** Other answers that may mean "not in the channel" for this call (chat.update's). */
    alsoOn: readonly string[] = [],
  ): Promise<T> {
    try {
      return await call();
    } catch (err) {
      const code = platformError(err);
      if (code !== "not_in_channel" && !(code && alsoOn.includes(code))) throw toOutboxError(err);
    }
    try {
      await client.conversations.join({ channel });
    } catch (err) {
      throw toOutboxError(err);
    }
    try {
      return await call();
    } catch (err) {
      throw toOutboxError(err);
    }
  }

  async function post(channel: string, args: PostArgs): Promise<string> {
    return joiningIfNeeded(channel, async () => {
      const res = await client.chat.postMessage({
        channel,
        unfurl_links: false,
        unfurl_media: false,
        ...args,
      });
      return res.ts!;
    });
  }

  /**
   * Slack's external upload (docs.slack.dev/reference/methods/files.getUploadURLExternal): ask for
   * an upload URL, POST the bytes to it, then complete the upload into the channel (and thread).
   * Returns the file's id. A file left uploaded but not completed by a failed attempt stays
   * private to the bot; the retry uploads it again.
   */
  async function shareFile(channel: string, file: FileShare, signal?: AbortSignal): Promise<string> {
    let target: { upload_url?: string; file_id?: string };
    try {
      target = await client.files.getUploadURLExternal({
        filename: file.filename,
        length: file.bytes.length,
        ...(file.snippetType ? { snippet_type: file.snippetType } : {}),
        // Slack's parameter is `alt_txt`; WebClient 8.2's typings only know `alt_text`.
        ...(file.altText ? ({ alt_txt: file.altText } as object) : {}),
      });
    } catch (err) {
      throw toOutboxError(err);
    }
    if (!target.upload_url || !target.file_id) throw new RetryLater("slack: no upload_url");
    const uploaded = await fetch(target.upload_url, {
      method: "POST",
      headers: { "content-type": "application/octet-stream" },
      body: file.bytes,
      ...(signal ? { signal } : {}),
    }).catch((err: Error) => {
      throw new RetryLater(`upload failed: ${err.message}`);
    });
    if (!uploaded.ok) throw new RetryLater(`upload answered ${uploaded.status}`);
    const fileId = target.file_id;
    await joiningIfNeeded(channel, () =>
      client.files.completeUploadExternal({
        files: [{ id: fileId, title: file.title }],
        channel_id: channel,
        ...(file.threadTs ? { thread_ts: file.threadTs } : {}),
        ...(file.initialComment ? { initial_comment: file.initialComment } : {}),
      }),
    );
    return fileId;
  }

  /** Looks for an earlier post of ours in a thread or the channel's recent history. */
  async function findPosted(
    channel: string,
    where: { threadTs: string } | { oldest: Date },
    matches: (m: SlackMessageLike) => boolean,
  ): Promise<string | null> {
    let cursor: string | undefined;
    do {
      const page = await joiningIfNeeded(channel, () =>
        "threadTs" in where
          ? client.conversations.replies({
              channel,
              ts: where.threadTs,
              include_all_metadata: true,
              limit: 200,
              cursor,
            })
          : client.conversations.history({
              channel,
              oldest: String(Math.floor(where.oldest.getTime() / 1000) - 60),
              include_all_metadata: true,
              limit: 200,
              cursor,
            }),
      );
      const hit = (page.messages as SlackMessageLike[] | undefined)?.find(matches);
      if (hit?.ts) return hit.ts;
      cursor = page.response_metadata?.next_cursor || undefined;
    } while (cursor);
    return null;
  }

  const isMeta = (m: SlackMessageLike, type: string, key: string, value: unknown) =>
    m.metadata?.event_type === type && m.metadata.event_payload?.[key] === value;

  /** After an uncertain attempt: the id of a file of ours of this name, already shared there. */
  async function findFile(
    channel: string,
    where: { threadTs: string } | { oldest: Date },
    filename: string,
  ): Promise<string | null> {
    let id: string | undefined;
    await findPosted(channel, where, (m) => {
      id = m.files?.find((f) => f.name === filename)?.id;
      return id !== undefined;
    });
    return id ?? null;
  }

  /** A thread's link (a DM's button, a summary's oldest wait); the message is still worth sending without it. */
  async function permalinkOf(thread: { channel: string; ts: string }): Promise<string | null> {
    try {
      return (
        (await client.chat.getPermalink({ channel: thread.channel, message_ts: thread.ts })).permalink ?? null
      );
    } catch {
      return null;
    }
  }

  return { post, shareFile, findPosted, findFile, isMeta, joiningIfNeeded, permalinkOf };
}
