// Performs the outbox's Slack work: posts and updates conversation cards, mirrors customer
// messages into threads, posts notices. Every post carries metadata naming what it mirrors, so
// after a crash or a timeout HeroDesk looks in the thread first and never posts a message twice.
import { createHash } from "node:crypto";
import type { WebClient } from "@slack/web-api";
import type { CardModel } from "../core/card.ts";
import type { HomeModel } from "../core/home.ts";
import type { SlackProblem } from "../core/slack-failures.ts";
import { fitText } from "../core/slack-fit.ts";
import type { Logger } from "../logger.ts";
import { GiveUp, PACE_PREFIX, RetryLater } from "../outbox/errors.ts";
import { type Attempt, type JobHandlers, NOTHING_SENT } from "../outbox/handler.ts";
import { CARD_UPDATE_SETTLE, cardLane, type Payload, pendingJobs, slackLane } from "../outbox/jobs.ts";
import type { Store } from "../store/index.ts";
import { CARD_METADATA_TYPE, cardBlocks, cardMetadata, cardText } from "./blocks/card.ts";
import { customerMessageSteps, MESSAGE_METADATA_TYPE, withAuthorLine } from "./blocks/customer-message.ts";
import { agentDm, MOVED_DM_LIST, movedDm } from "./blocks/dm.ts";
import { homeView } from "./blocks/home.ts";
import { NOTICE_METADATA_TYPE, noticeMetadata } from "./blocks/notice.ts";
import { createSlackPoster } from "./poster.ts";
import { slackErrorName, toOutboxError } from "./slack-errors.ts";

export interface NotifierDeps {
  client: WebClient;
  store: Store;
  sourceLabel: (sourceId: string) => string;
  logger: Logger;
  /** Heard once a customer message is in its thread (agents are told then, with a link). */
  onCustomerMessagePosted?: (messageId: number) => Promise<void>;
  /** App Home: what a person's home shows, read from the database when the publish runs. */
  loadHome?: (userId: string) => Promise<HomeModel>;
  /** The bot token's scopes as Slack last listed them (PacedWebClient.grantedScopes). */
  grantedScopes?: () => ReadonlySet<string> | undefined;
  /** The response target a card shows (its source's targets and hours). */
  responseTarget?: (card: CardModel) => Promise<CardModel["target"]>;
}

/**
 * Without chat:write.customize Slack ignores `username` and `icon_emoji` silently and posts under
 * the app's name (docs.slack.dev/reference/scopes/chat.write.customize; what apps report:
 * papercups-io/papercups#522): HeroDesk then writes the customer's name above their message and
 * tells the admins, and nothing waits on it.
 */
const CUSTOMIZE = "chat:write.customize";
const CUSTOMIZE_PROBLEM: SlackProblem = {
  key: `scope:${CUSTOMIZE}`,
  error: "missing_scope",
  detail: CUSTOMIZE,
  method: "chat.postMessage",
};

const HOME_RETRY = { initialDelayMs: 1000, maxDelayMs: 60_000, maxAttempts: 8 };

const SLACK_RETRY = { initialDelayMs: 1000, maxDelayMs: 300_000 };

type NotifierJobs =
  | "slack.post_card"
  | "slack.update_card"
  | "slack.post_customer_message"
  | "slack.post_notice"
  | "slack.dm_agent"
  | "slack.dm_agent_moved"
  | "slack.publish_home";

export function createSlackNotifier(deps: NotifierDeps): Pick<JobHandlers, NotifierJobs> {
  const { client, store } = deps;
  let workspaceUrl: Promise<string | null> | null = null;

  const { post, shareFile, findPosted, findFile, isMeta, joiningIfNeeded, permalinkOf } = createSlackPoster({
    client,
  });
  /** A card as it is now, with the response target its source sets. */
  const loadCard = async (id: number): Promise<CardModel | null> => {
    const card = await store.conversations.loadCard(id, deps.sourceLabel);
    return card && deps.responseTarget ? { ...card, target: await deps.responseTarget(card) } : card;
  };
  /** chat:write.customize as last told to (or cleared for) the admins in this run. */
  let customizeTold: "granted" | "missing" | undefined;

  async function threadOrGiveUp(conversationId: number) {
    const thread = await store.slack.threadForConversation(conversationId);
    // The card is ahead in the same lane; it can only be missing if it was given up on.
    if (!thread) throw new GiveUp(`conversation #${conversationId} has no Slack card`);
    return thread;
  }

  const postCard: JobHandlers["slack.post_card"] = {
    retry: () => SLACK_RETRY,
    async perform({ conversationId }, { uncertain }) {
      if (await store.slack.threadForConversation(conversationId)) return NOTHING_SENT;
      const conversation = await store.conversations.get(conversationId);
      const card = await loadCard(conversationId);
      if (!conversation || !card) throw new GiveUp(`conversation #${conversationId} not found`);
      const channel = conversation.slackChannel;
      let ts = uncertain
        ? await findPosted(channel, { oldest: conversation.createdAt }, (m) =>
            isMeta(m, CARD_METADATA_TYPE, "conversation_id", conversationId),
          )
        : null;
      const message = { text: cardText(card), blocks: cardBlocks(card), metadata: cardMetadata(card) };
      ts ??= await post(channel, message);
      const hash = cardHash(message);
      await store.slack.saveThread({ conversationId, channel, ts, cardHash: hash });
      // A change made while the card was on its way found no card to update (its update, in the
      // card's own lane, left it to this post): if the card changed meanwhile, update it now.
      const now = await loadCard(conversationId);
      if (
        now &&
        cardHash({ text: cardText(now), blocks: cardBlocks(now), metadata: cardMetadata(now) }) !== hash
      )
        await store.transaction((tx) =>
          tx.outbox.enqueueSettled(
            cardLane(conversationId),
            "slack.update_card",
            { conversationId },
            CARD_UPDATE_SETTLE,
          ),
        );
    },
  };

  const updateCard: JobHandlers["slack.update_card"] = {
    retry: () => SLACK_RETRY,
    // Rendered when it runs, so it sends the card as it is now; a card that would look as it
    // did when last sent is not sent again (a burst of changes that cancel out costs nothing).
    async perform({ conversationId }) {
      const thread = await store.slack.threadForConversation(conversationId);
      if (!thread) {
        // The card is posted from the channel's own lane; it shows the state of when it goes.
        const conversation = await store.conversations.get(conversationId);
        const posting =
          conversation &&
          (await pendingJobs(store, slackLane(conversation.slackChannel), "slack.post_card")).some(
            (p) => p.conversationId === conversationId,
          );
        // Not posted yet: the post renders the card as it is then, and looks again once posted.
        if (posting) return NOTHING_SENT;
        throw new GiveUp(`conversation #${conversationId} has no Slack card`);
      }
      const card = await loadCard(conversationId);
      if (!card) throw new GiveUp(`conversation #${conversationId} not found`);
      const message = { text: cardText(card), blocks: cardBlocks(card), metadata: cardMetadata(card) };
      const hash = cardHash(message);
      if (hash === thread.cardHash) return NOTHING_SENT;
      // chat.update has no not_in_channel: a bot removed from a public channel meets
      // cant_update_message ("does not have permission"), so it joins and tries once more; still
      // refused after that, it is a real refusal (given up).
      await joiningIfNeeded(
        thread.channel,
        () => client.chat.update({ channel: thread.channel, ts: thread.ts, ...message }),
        ["cant_update_message"],
      );
      await store.slack.setCardHash(conversationId, hash);
    },
  };

  const postCustomerMessage: JobHandlers["slack.post_customer_message"] = {
    retry: () => SLACK_RETRY,
    async perform({ messageId }, attempt) {
      const { uncertain } = attempt;
      const message = await store.messages.get(messageId);
      if (!message) throw new GiveUp(`message ${messageId} not found`);
      const thread = await threadOrGiveUp(message.conversationId);
      const posted = await store.slack.postedParts(messageId);
      // Slack would show it under HeroDesk's name: the customer's name goes above it instead.
      const nameless = deps.grantedScopes?.()?.has(CUSTOMIZE) === false;
      for (const step of customerMessageSteps(message)) {
        if (posted.has(step.part)) continue;
        if (step.kind === "file") {
          // A long text's whole, as a file in the thread. SlackPost keeps the file's id: Slack
          // may list the share's message only later (uploads are processed asynchronously).
          const where = { threadTs: thread.ts };
          const fileId =
            (uncertain ? await findFile(thread.channel, where, step.filename) : null) ??
            (await shareFile(
              thread.channel,
              { ...step, threadTs: thread.ts, initialComment: step.comment },
              attempt.signal,
            ));
          await store.slack.savePost({
            messageId,
            part: step.part,
            channel: thread.channel,
            ts: `file:${fileId}`,
          });
          continue;
        }
        const part = nameless ? withAuthorLine(step, message.authorName) : step;
        let ts = uncertain
          ? await findPosted(
              thread.channel,
              { threadTs: thread.ts },
              (m) =>
                isMeta(m, MESSAGE_METADATA_TYPE, "message_id", messageId) &&
                m.metadata?.event_payload?.part === part.part,
            )
          : null;
        ts ??= await post(thread.channel, {
          thread_ts: thread.ts,
          text: part.text,
          blocks: part.blocks,
          metadata: part.metadata,
          // Shown under the customer's name (needs chat:write.customize).
          username: fitText(message.authorName, 80, { kind: "raw" }),
          icon_emoji: ":bust_in_silhouette:",
        });
        await store.slack.savePost({ messageId, part: part.part, channel: thread.channel, ts });
      }
      await tellOfCustomize(attempt);
      await deps.onCustomerMessagePosted?.(messageId);
    },
  };

  /** Tells the admins when chat:write.customize turns out missing, and when it is back. */
  async function tellOfCustomize(attempt: Attempt) {
    const scopes = deps.grantedScopes?.();
    if (!scopes) return;
    const now = scopes.has(CUSTOMIZE) ? "granted" : "missing";
    if (now === customizeTold) return;
    try {
      if (now === "missing") await attempt.tellPerson(CUSTOMIZE_PROBLEM);
      else await attempt.fixed(CUSTOMIZE_PROBLEM.key);
      customizeTold = now;
    } catch (err) {
      // The message is out; telling is tried again with the next one.
      deps.logger.error("could not record the missing chat:write.customize scope", { error: err });
    }
  }

  const dmAgent: JobHandlers["slack.dm_agent"] = {
    retry: () => SLACK_RETRY,
    async perform(job, { id, uncertain }) {
      const thread = await store.slack.threadForConversation(job.conversationId);
      // The card is posted in another lane; the DM links to it, so it waits while the card is on
      // its way. Once the card waits on a person (or was given up on), the DM goes without the
      // link: a DM lane is the agent's, and nothing may wait in it for ever.
      if (!thread && (await cardOnItsWay(job.conversationId)))
        throw new RetryLater("card not posted yet", { delayMs: 500, countsAsAttempt: false });
      const card = await loadCard(job.conversationId);
      if (!card) throw new GiveUp(`conversation #${job.conversationId} not found`);
      const message = job.messageId
        ? await store.messages.get(job.messageId)
        : await store.messages.firstOf(job.conversationId);
      const dm = agentDm({
        kind: job.kind,
        card,
        permalink: thread ? await permalinkOf(thread) : null,
        messageText: message?.text ?? null,
        reason: job.reason,
        ...(job.from ? { from: job.from } : {}),
        ...(job.target ? { target: job.target } : {}),
        ...(job.due ? { due: new Date(job.due) } : {}),
      });
      const key = `${job.kind}-${job.conversationId}-${job.messageId ?? id}`;
      const seen = uncertain ? await findDm(job.userId, key) : false;
      if (!seen) await post(job.userId, { text: dm.text, blocks: dm.blocks, metadata: noticeMetadata(key) });
    },
  };

  const dmAgentMoved: JobHandlers["slack.dm_agent_moved"] = {
    retry: () => SLACK_RETRY,
    async perform(job, { id, uncertain }) {
      const items = [];
      for (const id of job.conversationIds.slice(0, MOVED_DM_LIST)) {
        const card = await loadCard(id);
        const thread = await store.slack.threadForConversation(id);
        if (card) items.push({ card, permalink: thread ? await permalinkOf(thread) : null });
      }
      const dm = movedDm({ fromUserId: job.fromUserId, items, total: job.conversationIds.length });
      const key = `moved-${id}`;
      const seen = uncertain ? await findDm(job.userId, key) : false;
      if (!seen) await post(job.userId, { text: dm.text, blocks: dm.blocks, metadata: noticeMetadata(key) });
    },
  };

  /** Is the conversation's card still to be posted, by a job that is not waiting on a person? */
  async function cardOnItsWay(conversationId: number): Promise<boolean> {
    const conversation = await store.conversations.get(conversationId);
    if (!conversation) return false;
    const job = await store.outbox.unfinished(slackLane(conversation.slackChannel), "slack.post_card", {
      conversationId,
    } satisfies Payload<"slack.post_card">);
    if (job?.status !== "pending") return false;
    return !job.waitingOn || job.waitingOn.startsWith(PACE_PREFIX);
  }

  /** After an uncertain attempt: is the DM already in the user's DM channel? */
  async function findDm(userId: string, key: string): Promise<boolean> {
    try {
      const dm = await client.conversations.open({ users: userId });
      const channel = dm.channel?.id;
      if (!channel) return false;
      return (
        (await findPosted(channel, { oldest: new Date(Date.now() - 86_400_000) }, (m) =>
          isMeta(m, NOTICE_METADATA_TYPE, "key", key),
        )) !== null
      );
    } catch (err) {
      throw toOutboxError(err);
    }
  }

  const postNotice: JobHandlers["slack.post_notice"] = {
    retry: () => SLACK_RETRY,
    async perform({ conversationId, key, text }, { uncertain }) {
      const thread = await threadOrGiveUp(conversationId);
      const seen = uncertain
        ? await findPosted(thread.channel, { threadTs: thread.ts }, (m) =>
            isMeta(m, NOTICE_METADATA_TYPE, "key", key),
          )
        : null;
      if (!seen) await post(thread.channel, { thread_ts: thread.ts, text, metadata: noticeMetadata(key) });
    },
  };

  /**
   * `https://<workspace>.slack.com/`, asked once: App Home links to threads without a call each.
   * If Slack cannot say right now, this home goes without links and the next one asks again.
   */
  function workspace(): Promise<string | null> {
    workspaceUrl ??= client.auth.test().then(
      (res) => res.url ?? null,
      (err: unknown) => {
        deps.logger.warn("auth.test failed; App Home without thread links this time", {
          error: slackErrorName(err),
        });
        workspaceUrl = null;
        return null;
      },
    );
    return workspaceUrl;
  }

  const publishHome: JobHandlers["slack.publish_home"] = {
    // A home is built fresh whenever its owner opens it: a publish that keeps failing is dropped.
    retry: () => HOME_RETRY,
    async perform({ userId }) {
      if (!deps.loadHome) throw new GiveUp("App Home is not wired");
      const view = homeView(await deps.loadHome(userId), { workspaceUrl: await workspace() });
      try {
        // Publishing is idempotent (the latest view wins): an uncertain attempt is simply redone.
        await client.views.publish({ user_id: userId, view });
      } catch (err) {
        throw toOutboxError(err);
      }
    },
  };

  return {
    "slack.publish_home": publishHome,
    "slack.post_card": postCard,
    "slack.update_card": updateCard,
    "slack.post_customer_message": postCustomerMessage,
    "slack.post_notice": postNotice,
    "slack.dm_agent": dmAgent,
    "slack.dm_agent_moved": dmAgentMoved,
  };
}

/** What a card message shows, as a short digest: equal digests, equal cards. */
function cardHash(message: { text: string; blocks: unknown; metadata: unknown }): string {
  return createHash("sha256").update(JSON.stringify(message)).digest("base64url").slice(0, 22);
}
