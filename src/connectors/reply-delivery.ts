// Delivers an agent's reply to the customer: to the source's replyUrl (a signed POST), or for a
// source of kind slack into the customer's Slack thread; retried with backoff until it succeeds. A reply that finally fails is marked failed and a notice goes into the thread.
// Delivery is at least once: the body's messageId is stable, so a receiver can drop repeats.
//
// Order. Replies reach the customer in the order agents wrote them (their Slack ts), although
// Slack delivers events concurrently and in no promised order (a retried event comes after
// later ones). Each reply's delivery is queued in its conversation's lane, which runs one item at
// a time, due `replyOrderWindowMs` after its event arrived (src/services/record-agent-reply.ts).
// When its turn comes, before its first attempt, a reply that finds an earlier-written reply of
// the conversation still queued steps behind it (to the back of the lane, due at once). So an
// earlier-written reply whose event arrives up to the window after a later one's still goes first;
// one arriving later than that goes when it arrives. A reply whose delivery has begun keeps its
// place: it may already have reached the customer.
//
// Names. The listener stored the reply as Slack sent it (the ack must not wait for Slack's Web
// API), so the author's name and the names of the people it mentions are looked up here, through
// the directory (cached). The reply never waits for a name: when Slack cannot answer, an older
// cached name, or the name HeroDesk has for the agent, or a neutral word stands in.
import { DEFAULT_REPLY_RETRY, type SourceConfig } from "../config.ts";
import type { Conversation, Message } from "../core/domain.ts";
import { sign } from "../core/signature.ts";
import { fitEscaped } from "../core/slack-fit.ts";
import { compareSlackTs, mentionedUserIds, slackToPlainText } from "../core/slack-text.ts";
import { GiveUp, RetryLater } from "../outbox/errors.ts";
import type { JobHandlers } from "../outbox/handler.ts";
import { enqueueNotice, enqueueReplyDelivery, queuedReplyDeliveries } from "../outbox/jobs.ts";
import type { Store } from "../store/index.ts";

/** Looks up people's names in Slack (src/slack/directory.ts); undefined when it cannot say. */
export interface NameLookup {
  knownName(userId: string): Promise<string | undefined>;
}

/** Who the customer reads as the author when nobody can say: never a bare Slack id. */
export const UNKNOWN_AUTHOR = "Support";
/** A person mentioned in a reply whose name nobody can say. */
export const UNKNOWN_PERSON = "colleague";

/** The reply's author as the thread shows them. */
const authorOf = (m: Message) => (m.authorSlackId ? `<@${m.authorSlackId}>` : fitEscaped(m.authorName, 200));
/** An error quoted in a thread notice: escaped (it may hold `<`), and short. */
const quoted = (error: string) => fitEscaped(error, 500);

export interface ReplyPayload {
  messageId: string;
  conversationId: string;
  customerId: string;
  text: string;
  /** Null on HeroDesk's own messages (out-of-hours reply, auto-close nudge): SPEC §7. */
  agent: { id: string; name: string } | null;
  sentAt: string;
}

/** What a reply's delivery hands its target: the reply as the customer will read it. */
export interface OutgoingReply {
  message: Message;
  conversation: Conversation;
  source: SourceConfig;
  payload: ReplyPayload;
  /** The author's name as the customer reads it. */
  authorName: string;
}

/**
 * Where a source's replies go: its replyUrl (kind api), or the customer's Slack thread (kind
 * slack, src/slack/customer-channels.ts). One delivery, two targets: the order, the names, the
 * notices in the thread and the give-up are the same whichever it is. `send` throws the outbox's
 * errors (RetryLater, GiveUp, NeedsPerson); `uncertain`: an earlier attempt may have landed.
 */
export interface ReplyTarget {
  send(reply: OutgoingReply, attempt: { attempts: number; uncertain: boolean }): Promise<void>;
}

/**
 * What the customer reads of an agent's message: the text in plain words (mentions as @Name,
 * links as their URL), and the author's name, from Slack (the directory) or as HeroDesk keeps them.
 */
export function replyRenderer(deps: { store: Store; directory?: NameLookup }) {
  /** Each person's name: Slack's (through the directory), else the agent's name HeroDesk keeps. */
  const namesOf = async (userIds: string[]): Promise<Map<string, string>> => {
    const found = await Promise.all(
      [...new Set(userIds)].map(async (id) => {
        const name =
          (await deps.directory?.knownName(id)) ?? (await deps.store.agents.bySlackId(id))?.name ?? undefined;
        return [id, name] as const;
      }),
    );
    return new Map(found.filter((e): e is readonly [string, string] => e[1] !== undefined));
  };

  /** What the customer reads: the text in plain words, and the author's name. */
  const render = async (message: Message): Promise<{ text: string; authorName: string }> => {
    const author = message.authorSlackId;
    if (message.textFormat !== "slack") {
      // Stored by an earlier HeroDesk, already in plain text with the names of its time.
      const fresh = author ? (await namesOf([author])).get(author) : undefined;
      return { text: message.text, authorName: fresh ?? message.authorName };
    }
    const names = await namesOf([...(author ? [author] : []), ...mentionedUserIds(message.text)]);
    const stored = message.authorName !== author ? message.authorName : undefined;
    return {
      text: slackToPlainText(message.text, (id) => names.get(id) ?? UNKNOWN_PERSON),
      authorName: (author ? names.get(author) : undefined) ?? stored ?? UNKNOWN_AUTHOR,
    };
  };
  return render;
}

export function createReplyDelivery(deps: {
  store: Store;
  sources: ReadonlyMap<string, SourceConfig>;
  /** Where names come from; without one, the names HeroDesk has stored. */
  directory?: NameLookup;
  fetch?: typeof fetch;
  /** The customer's Slack thread, for sources of kind slack. */
  slackTarget?: ReplyTarget;
}): Pick<JobHandlers, "reply.deliver"> {
  const doFetch = deps.fetch ?? fetch;

  const render = replyRenderer(deps);

  /**
   * Before its first attempt: when an earlier-written reply of the conversation is still queued
   * (its event arrived after this one's), this one goes to the back of the lane, behind it.
   */
  const stepsBehindEarlier = (message: Message) =>
    deps.store.transaction(async (tx) => {
      if (!message.slackTs) return false;
      const queued = await queuedReplyDeliveries(tx, message.conversationId);
      const earlier = (await tx.messages.pendingReplies(message.conversationId)).some(
        (m) =>
          m.id !== message.id &&
          m.slackTs !== null &&
          queued.has(m.id) &&
          compareSlackTs(m.slackTs, message.slackTs!) < 0,
      );
      if (earlier) await enqueueReplyDelivery(tx, message);
      return earlier;
    });

  /** The source's replyUrl: a signed POST; 2xx is delivered. */
  const httpTarget: ReplyTarget = {
    async send({ message, source, payload }, { attempts }) {
      if (!source.replyUrl || !source.secret) throw new GiveUp(`source ${source.id} has no replyUrl`);
      const body = JSON.stringify(payload);
      const timestamp = Math.floor(Date.now() / 1000);
      let status: number;
      try {
        const res = await doFetch(source.replyUrl, {
          method: "POST",
          headers: {
            "content-type": "application/json",
            "user-agent": "HeroDesk/0.1 (+reply delivery)",
            "x-herodesk-timestamp": String(timestamp),
            "x-herodesk-signature": sign(source.secret, timestamp, body),
            "x-herodesk-attempt": String(attempts + 1),
            // The same on every attempt, after restarts too: a receiver drops a repeat by it (a
            // kill between the POST and recording its answer sends the reply again).
            "x-herodesk-delivery-id": `${message.sourceId}:${message.externalId}`,
          },
          body,
          // A redirect is not a delivery: followed, fetch would re-send it as a GET without the
          // body and report the 200 of that. It is answered like the refusal it is (below).
          redirect: "manual",
          signal: AbortSignal.timeout(source.replyRetry.timeoutMs),
        });
        status = res.status;
        await res.body?.cancel();
      } catch (err) {
        throw new RetryLater(
          (err as Error).name === "TimeoutError" ? "no answer in time" : (err as Error).message,
          { uncertain: true },
        );
      }
      if (status >= 200 && status < 300) return;
      // 408, 425, 429 and 5xx are passing troubles; any other 4xx, or a 3xx (the replyUrl is
      // out of date), is the receiver refusing it.
      if (status >= 300 && status < 400)
        throw new GiveUp(
          `reply endpoint answered HTTP ${status} (a redirect: point replyUrl at where it leads)`,
        );
      if (status < 500 && ![408, 425, 429].includes(status))
        throw new GiveUp(`reply endpoint answered HTTP ${status}`);
      throw new RetryLater(`HTTP ${status}`);
    },
  };

  const handler: JobHandlers["reply.deliver"] = {
    // The source's policy as configured now, so a changed config applies to waiting replies too.
    retry: ({ sourceId }) => deps.sources.get(sourceId)?.replyRetry ?? DEFAULT_REPLY_RETRY,

    async perform({ messageId }, { attempts, uncertain: mayHaveLanded }) {
      const message = await deps.store.messages.get(messageId);
      if (!message) throw new GiveUp(`message ${messageId} not found`);
      if (message.deliveryStatus === "delivered") return;
      // Deleted by its author before it went (a source of kind slack): the customer never gets it.
      if (message.deletedAt) return;
      const source = deps.sources.get(message.sourceId);
      const target = source?.kind === "slack" ? deps.slackTarget : source?.replyUrl ? httpTarget : undefined;
      if (!source || !target)
        throw new GiveUp(
          `source ${message.sourceId} has no ${source?.kind === "slack" ? "Slack target" : "replyUrl"}`,
        );
      // Order (top of this file): only before anything was sent, since it may have landed.
      if (attempts === 0 && !mayHaveLanded && (await stepsBehindEarlier(message))) return;
      const conversation = (await deps.store.conversations.get(message.conversationId))!;
      const customer = await deps.store.customers.get(conversation.customerId);
      const { text, authorName } = await render(message);

      const payload: ReplyPayload = {
        messageId: message.externalId,
        conversationId: conversation.externalId,
        customerId: customer.externalId,
        text,
        agent: message.authorSlackId ? { id: message.authorSlackId, name: authorName } : null,
        sentAt: message.sentAt.toISOString(),
      };
      const who = authorOf(message);
      try {
        await target.send(
          { message, conversation, source, payload, authorName },
          { attempts, uncertain: mayHaveLanded },
        );
      } catch (err) {
        // The agent hears at the first failure, not only when the retries run out (minutes
        // later), and again once it got through. Waiting for a rate-limit slot is no failure.
        if (err instanceof RetryLater && attempts === 0 && err.options.countsAsAttempt !== false)
          await notice(
            conversation,
            `delivery-retrying-${message.id}`,
            `:hourglass_flowing_sand: ${who}'s reply ${err.options.uncertain ? "may not have" : "has not"} reached the customer yet (${quoted(err.message)}). HeroDesk keeps trying and will say here how it ends.`,
          );
        throw err;
      }
      await deps.store.messages.setDelivery(message.id, "delivered", null, authorName);
      if (attempts > 0)
        await notice(
          conversation,
          `delivery-done-${message.id}`,
          `:white_check_mark: ${who}'s reply reached the customer (attempt ${attempts + 1}).`,
        );
    },

    async onGiveUp({ messageId }, error) {
      await deps.store.transaction(async (tx) => {
        const message = await tx.messages.get(messageId);
        if (!message) return;
        await tx.messages.setDelivery(message.id, "failed", error);
        const conversation = (await tx.conversations.get(message.conversationId))!;
        const who = authorOf(message);
        await enqueueNotice(
          tx,
          conversation,
          `delivery-failed-${message.id}`,
          `:warning: ${who}'s reply was *not delivered* to the customer: ${quoted(error)}. Send it again, or reach the customer another way.`,
        );
      });
    },
  };
  /** A notice in the conversation's thread, outside any delivery transaction. */
  const notice = (conversation: Conversation, key: string, text: string) =>
    deps.store.transaction((tx) => enqueueNotice(tx, conversation, key, text));

  return { "reply.deliver": handler };
}
