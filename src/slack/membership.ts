// HeroDesk in its channels, and the admins told of what only they can fix.
//
// Membership: Slack sends message events only from conversations the bot is a member of
// (docs.slack.dev/reference/events/message.channels: "the app's bot user must be in the
// channel"), and agents' replies arrive as message events. So HeroDesk joins every public source
// channel at start-up (before its lane posts anything), and a private one it is not in becomes a
// problem for a person: the bot must be invited.
import type { WebClient } from "@slack/web-api";
import { problemAdvice, problemTitle, waitingLine } from "../core/problem-advice.ts";
import { GiveUp, NeedsPerson } from "../outbox/errors.ts";
import { type JobHandlers, NOTHING_SENT } from "../outbox/handler.ts";
import type { Store } from "../store/index.ts";
import { NOTICE_METADATA_TYPE, noticeMetadata } from "./blocks/notice.ts";
import { createSlackPoster } from "./poster.ts";
import { toOutboxError } from "./slack-errors.ts";

const RETRY = { initialDelayMs: 1000, maxDelayMs: 300_000 };

export function createMembership(deps: {
  client: WebClient;
  store: Store;
}): Pick<JobHandlers, "slack.ensure_member" | "slack.problem_notice" | "slack.dm_text"> {
  const { client, store } = deps;
  const { post, findPosted, isMeta } = createSlackPoster({ client });

  const ensureMember: JobHandlers["slack.ensure_member"] = {
    retry: () => RETRY,
    async perform({ channel }) {
      let info: { is_member?: boolean; is_archived?: boolean; is_private?: boolean } | undefined;
      try {
        info = (await client.conversations.info({ channel })).channel;
      } catch (err) {
        throw toOutboxError(err);
      }
      const needsPerson = (error: string, method: string) =>
        new NeedsPerson({ key: `channel:${channel}:${error}`, error, channel, method });
      if (info?.is_archived) throw needsPerson("is_archived", "conversations.info");
      if (info?.is_member) return;
      if (info?.is_private) throw needsPerson("not_in_channel", "conversations.join");
      try {
        await client.conversations.join({ channel });
      } catch (err) {
        throw toOutboxError(err);
      }
    },
  };

  /** A DM of HeroDesk's own, once: after an uncertain attempt, found again by its key first. */
  async function dmOnce(
    userId: string,
    key: string,
    text: string,
    { uncertain, createdAt }: { uncertain: boolean; createdAt: Date },
  ) {
    if (uncertain) {
      const dm = await client.conversations.open({ users: userId }).catch((err: unknown) => {
        throw toOutboxError(err);
      });
      const channel = dm.channel?.id;
      if (
        channel &&
        (await findPosted(channel, { oldest: createdAt }, (m) => isMeta(m, NOTICE_METADATA_TYPE, "key", key)))
      )
        return;
    }
    await post(userId, { text, metadata: noticeMetadata(key) });
  }

  const problemNotice: JobHandlers["slack.problem_notice"] = {
    retry: () => RETRY,
    async perform({ userId, problemKey, state }, { uncertain, createdAt, waitingOn }) {
      const problem = await store.problems.get(problemKey);
      if (!problem) throw new GiveUp(`problem ${problemKey} not found`);
      // Said only while it is true: fixed before the DM could go (a revoked token, say), no DM.
      if ((state === "opened") !== (problem.resolvedAt === null)) return NOTHING_SENT;
      // This DM waited on the very problem it tells of (the token): it is being fixed (a restart,
      // `/desk waiting retry`), and "fixed" follows once other work gets through; a "needs you"
      // now would arrive just before it. (Sending nothing proves nothing: the problem stays open.)
      if (state === "opened" && waitingOn === problemKey) return NOTHING_SENT;
      const waiting =
        state === "opened"
          ? ((await store.problems.open()).find((p) => p.key === problemKey)?.waiting ?? 0)
          : 0;
      const text =
        state === "opened"
          ? `:warning: *HeroDesk needs you.* ${problemAdvice(problem)} ${waitingLine(waiting)} \`/desk waiting\` shows everything that waits.`
          : `:white_check_mark: Fixed: ${problemTitle(problem)}. Whatever waited on it is going out now, in order; nothing was lost.`;
      const key = `problem-${state}-${problemKey}-${createdAt.getTime()}`;
      await dmOnce(userId, key, text, { uncertain, createdAt });
    },
  };

  const dmText: JobHandlers["slack.dm_text"] = {
    retry: () => RETRY,
    async perform({ userId, key, text }, { uncertain, createdAt }) {
      await dmOnce(userId, key, text, { uncertain, createdAt });
    },
  };

  return {
    "slack.ensure_member": ensureMember,
    "slack.problem_notice": problemNotice,
    "slack.dm_text": dmText,
  };
}
