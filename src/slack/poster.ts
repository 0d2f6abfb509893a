// Posting to Slack from the outbox (paced by the client, src/slack/slack-client.ts): joining a
// public channel when the bot is not in it, and finding an earlier post again by its metadata
// after an uncertain attempt (crash or timeout mid-call), so a retry never posts twice.
import type { KnownBlock } from "@slack/types";
import type { WebClient } from "@slack/web-api";
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

  return { post, findPosted, isMeta, joiningIfNeeded };
}
