// Posting to Slack from the outbox: paced per channel, joining a public channel when the bot was
// never invited, and finding an earlier post again by its metadata after an uncertain attempt
// (crash or timeout mid-call), so a retry never posts twice.
import type { KnownBlock } from "@slack/types";
import type { WebClient } from "@slack/web-api";
import type { ChannelLimiter } from "./channel-limiter.ts";
import { slackErrorName, toOutboxError } from "./slack-errors.ts";

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

export function createSlackPoster({ client, limiter }: { client: WebClient; limiter: ChannelLimiter }) {
  /** Joins a public channel the bot was never invited to, once, and tries again. */
  async function joiningIfNeeded<T>(
    channel: string,
    call: () => Promise<T>,
    onError: (err: unknown) => Error,
  ) {
    for (let joined = false; ; joined = true) {
      try {
        return await call();
      } catch (err) {
        if (!joined && slackErrorName(err) === "not_in_channel") {
          await client.conversations.join({ channel }).catch((e) => {
            throw toOutboxError(e);
          });
          continue;
        }
        throw onError(err);
      }
    }
  }

  async function post(channel: string, args: PostArgs, signal: AbortSignal): Promise<string> {
    return joiningIfNeeded(
      channel,
      async () => {
        await limiter.acquire(channel, signal);
        const res = await client.chat.postMessage({
          channel,
          unfurl_links: false,
          unfurl_media: false,
          ...args,
        });
        return res.ts!;
      },
      (err) => toOutboxError(err, (ms) => limiter.pause(channel, ms)),
    );
  }

  /** Looks for an earlier post of ours in a thread or the channel's recent history. */
  async function findPosted(
    channel: string,
    where: { threadTs: string } | { oldest: Date },
    matches: (m: SlackMessageLike) => boolean,
  ): Promise<string | null> {
    let cursor: string | undefined;
    try {
      do {
        const page =
          "threadTs" in where
            ? await client.conversations.replies({
                channel,
                ts: where.threadTs,
                include_all_metadata: true,
                limit: 200,
                cursor,
              })
            : await client.conversations.history({
                channel,
                oldest: String(Math.floor(where.oldest.getTime() / 1000) - 60),
                include_all_metadata: true,
                limit: 200,
                cursor,
              });
        const hit = (page.messages as SlackMessageLike[] | undefined)?.find(matches);
        if (hit?.ts) return hit.ts;
        cursor = page.response_metadata?.next_cursor || undefined;
      } while (cursor);
    } catch (err) {
      throw toOutboxError(err);
    }
    return null;
  }

  const isMeta = (m: SlackMessageLike, type: string, key: string, value: unknown) =>
    m.metadata?.event_type === type && m.metadata.event_payload?.[key] === value;

  return { post, findPosted, isMeta, joiningIfNeeded };
}
