// A customer message arrives (through the inbound API, or from a customer channel in Slack): store it durably, exactly once per
// (source, messageId), on the right conversation, and queue what Slack must show.
import { createHash, randomUUID } from "node:crypto";
import type { SourceConfig } from "../config.ts";
import { type BusinessHours, closedSince, describeHours } from "../core/business-hours.ts";
import { cardCutsCustomer, customerDetailsNotices } from "../core/card.ts";
import { onCustomerMessage } from "../core/conversation-state.ts";
import type { Attachment, Conversation } from "../core/domain.ts";
import { escapeSlackText } from "../core/slack-text.ts";
import {
  enqueueCardPost,
  enqueueCardUpdate,
  enqueueCustomerMessagePost,
  enqueueCustomerProfile,
  enqueueNotice,
  enqueueQueueCheck,
  enqueueRouting,
} from "../outbox/jobs.ts";
import type { Repositories, Store } from "../store/index.ts";
import { sendAutomaticReply } from "./automatic-reply.ts";
import { factsOf } from "./conversation-facts.ts";
import { scheduleTargetChecks } from "./response-reminders.ts";
import { sourceSettingsOnly, type TargetSettingsOf } from "./target-settings.ts";

export interface CustomerMessageInput {
  source: string;
  messageId: string;
  conversationId?: string;
  customer: {
    id: string;
    name?: string;
    email?: string;
    attributes?: Record<string, string>;
    /** Whose account: the customer channel's configured one, and the member's organisation. */
    account?: { name?: string; slackTeamId?: string };
  };
  /** The Slack channel the customer wrote in (sources of kind slack): its hero applies. */
  customerChannel?: string;
  /**
   * Sources of kind slack: the customer's thread (its first message's ts). Its conversation goes
   * on (reopened within the source's reopenWithin), else a new one answers in it; its status
   * reactions go on that message.
   */
  customerThreadTs?: string;
  /** Sources of kind slack: Slack knows the customer's name; asked after the ack, while unknown here. */
  lookUpProfile?: boolean;
  text: string;
  attachments: Attachment[];
  sentAt?: Date;
}

export type ReceiveResult =
  | { ok: true; conversationId: string; conversationNumber: number; messageId: string; duplicate: boolean }
  | { ok: false; status: 400 | 409; error: string };

export function createReceiveCustomerMessage(deps: {
  store: Store;
  sources: ReadonlyMap<string, SourceConfig>;
  /** A new customer with the email of another source's customer is linked to them (config). */
  linkCustomersByEmail: boolean;
  /** The hours and targets a conversation keeps (its team's hours); default its source's. */
  targetSettings?: TargetSettingsOf;
  /** HeroDesk's clock (tests fix it): when a message without a usable sentAt came, and hours. */
  now?: () => Date;
}) {
  const settingsOf = deps.targetSettings ?? sourceSettingsOnly(deps.sources);
  const SENT_AT_WINDOW_MS = 30 * 86_400_000;
  const clock = deps.now ?? (() => new Date());
  return async function receiveCustomerMessage(input: CustomerMessageInput): Promise<ReceiveResult> {
    const source = deps.sources.get(input.source);
    if (!source) throw new Error(`unknown source ${input.source}`); // the API checked it already
    // When the customer wrote, as the source says, within the last 30 days; otherwise now (a
    // sender's clock ahead would put the conversation's start and its waiting time in the future,
    // a broken one in year 1 would make it wait for two thousand years).
    const now = clock();
    const at =
      input.sentAt && input.sentAt <= now && now.getTime() - input.sentAt.getTime() <= SENT_AT_WINDOW_MS
        ? input.sentAt
        : now;

    try {
      return await deps.store.groupTransaction((tx) =>
        receiveIn(tx, source, input, at, now, {
          linkCustomersByEmail: deps.linkCustomersByEmail,
          settingsOf,
        }),
      );
    } catch (err) {
      // Thrown, not returned, so that nothing of the refused message stays behind.
      if (err instanceof Refused) return { ok: false, status: err.status, error: err.message };
      throw err;
    }
  };
}

/** A message HeroDesk refuses (409, 400): thrown, so its transaction keeps none of it. */
class Refused extends Error {
  constructor(
    readonly status: 400 | 409,
    message: string,
  ) {
    super(message);
  }
}

/** One message's work, inside the transaction it may share with others (group commit). */
async function receiveIn(
  tx: Repositories,
  source: SourceConfig,
  input: CustomerMessageInput,
  at: Date,
  now: Date,
  options: { linkCustomersByEmail: boolean; settingsOf: TargetSettingsOf },
): Promise<ReceiveResult> {
  const seen = await tx.messages.findByExternalId(source.id, input.messageId);
  if (seen) {
    const conversation = (await tx.conversations.get(seen.conversationId))!;
    // The same message again is a duplicate; another message under a used id is a sender's bug
    // that must not be swallowed (nor tell them about someone else's conversation).
    const owner = await tx.customers.get(conversation.customerId);
    const differs =
      owner.externalId !== input.customer.id
        ? "another customer"
        : seen.text !== input.text
          ? "a different text"
          : null;
    if (differs) throw new Refused(409, `messageId ${input.messageId} was already used for ${differs}`);
    return {
      ok: true,
      conversationId: conversation.externalId,
      conversationNumber: conversation.id,
      messageId: input.messageId,
      duplicate: true,
    };
  }

  const accounts = input.customer.account ? await tx.accounts.forMessage(input.customer.account) : null;
  const upserted = await tx.customers.upsert(
    {
      sourceId: source.id,
      externalId: input.customer.id,
      name: input.customer.name,
      fallbackName: input.customer.email ?? input.customer.id,
      email: input.customer.email,
      attributes: input.customer.attributes,
      ...(accounts?.customer ? { accountId: accounts.customer.id } : {}),
    },
    { linkByEmail: options.linkCustomersByEmail },
  );
  if ("refused" in upserted) throw new Refused(400, upserted.refused);
  const { customer, changed: profileChanged } = upserted;
  // A hero set for them before they wrote became theirs: their history says so.
  if (upserted.presetHero)
    await tx.events.record({
      kind: "hero",
      customerId: customer.id,
      hero: upserted.presetHero,
      reason: "manual",
    });

  // A customer channel's thread goes on as its conversation: the open one, or a closed one within
  // the source's reopenWithin of its close (whoever of the customer's people writes); otherwise a
  // new one starts under `conversationId`, answered in the same thread.
  const inThread =
    input.customerChannel && input.customerThreadTs
      ? await conversationOfThread(tx, source, input.customerChannel, input.customerThreadTs, at)
      : undefined;
  let conversation = inThread
    ? inThread
    : input.conversationId
      ? await tx.conversations.findByExternalId(source.id, input.conversationId)
      : ((await tx.conversations.findOpenForCustomer(customer.id, source.id)) ??
        // The customer answers after auto-close closed their conversation: it goes on.
        (source.autoClose
          ? await tx.conversations.findAutoClosedSince(
              customer.id,
              source.id,
              new Date(at.getTime() - source.autoClose.reopenWithin),
            )
          : null));
  if (conversation && !inThread && conversation.customerId !== customer.id)
    throw new Refused(409, `conversation ${input.conversationId} belongs to another customer`);

  const isNew = !conversation;
  let clockStarted = false;
  if (!conversation) {
    conversation = await tx.conversations.create({
      sourceId: source.id,
      externalId: input.conversationId ?? `hd-${randomUUID()}`,
      customerId: customer.id,
      slackChannel: source.slackChannel,
      at,
      accountId: accounts?.conversation?.id ?? customer.accountId ?? null,
    });
    if (input.customerChannel && input.customerThreadTs)
      await tx.customerSlack.saveThread({
        conversationId: conversation.id,
        channel: input.customerChannel,
        ts: input.customerThreadTs,
      });
    // Slack is asked for the customer's name before the card goes (same lane, ahead of it).
    if (input.lookUpProfile && customer.name === customer.externalId)
      await enqueueCustomerProfile(tx, conversation, customer.id);
    await enqueueCardPost(tx, conversation);
    await enqueueRouting(tx, conversation.id);
  } else {
    const wasAutoClosed = conversation.closeReason === "auto";
    const { changes, cardChanged } = onCustomerMessage(conversation, at);
    clockStarted = changes.waitingSince !== undefined && changes.waitingSince !== null;
    if (Object.keys(changes).length) conversation = await tx.conversations.update(conversation.id, changes);
    // The card shows the customer's name and attributes too.
    if (cardChanged || profileChanged) await enqueueCardUpdate(tx, conversation);
    if (changes.status === "open")
      await tx.events.record({
        kind: "status",
        conversationId: conversation.id,
        reason: "reopened",
        detail: wasAutoClosed ? "the customer wrote after it closed automatically" : null,
        at,
      });
    // Reopened with nobody holding it: it is in the queue again.
    if (changes.status === "open" && conversation.assigneeId === null) await enqueueQueueCheck(tx);
  }

  // A new name or attributes show on the customer's other open conversations' cards as well.
  if (profileChanged)
    for (const other of await tx.conversations.openOfCustomer(customer.id))
      if (other.id !== conversation.id) await enqueueCardUpdate(tx, other);

  const message = await tx.messages.create({
    conversationId: conversation.id,
    sourceId: source.id,
    externalId: input.messageId,
    direction: "inbound",
    authorName: customer.name,
    text: input.text,
    attachments: input.attachments,
    sentAt: at,
  });
  await enqueueCustomerMessagePost(tx, conversation, message);
  // Hours and targets matter only to a source with targets or an out-of-hours reply: the hot path
  // of the others looks nothing up. The hours: the serving team's, else the source's.
  if (source.targets || source.outOfHoursReply) {
    // The hero the conversation goes to (the customer's, their channel's or account's) picks the team.
    const { facts, customer: served } = await factsOf(tx, conversation);
    const settings = await options.settingsOf(tx, source.id, { hero: served.hero, facts });
    await replyOutOfHours(tx, source, settings?.businessHours, conversation, now);
    // A customer who starts to wait (new, or writing after an agent's answer) starts a response clock.
    if (isNew || clockStarted) await scheduleTargetChecks(tx, settings, conversation, facts);
  }
  // The card cuts what does not fit it (src/core/card.ts, CARD_FIT): the details in full follow
  // in the thread, once for each new set of details.
  if ((isNew || profileChanged) && cardCutsCustomer(customer)) {
    // New details show on every open card of the customer (see above): each thread gets them.
    const others = profileChanged ? await tx.conversations.openOfCustomer(customer.id) : [];
    const threads = [conversation, ...others.filter((c) => c.id !== conversation.id)];
    const notices = customerDetailsNotices(customer);
    const digest = createHash("sha256").update(notices.join("")).digest("base64url").slice(0, 16);
    for (const c of threads)
      for (const [i, text] of notices.entries())
        await enqueueNotice(tx, c, `customer-${customer.id}-${digest}-${i}`, text);
  }
  return {
    ok: true,
    conversationId: conversation.externalId,
    conversationNumber: conversation.id,
    messageId: input.messageId,
    duplicate: false,
  };
}

/** The conversation a customer thread goes on with, if it goes on (see receiveIn). */
async function conversationOfThread(
  tx: Repositories,
  source: SourceConfig,
  channel: string,
  ts: string,
  at: Date,
): Promise<Conversation | null> {
  const id = await tx.customerSlack.conversationAt(channel, ts);
  const existing = id ? await tx.conversations.get(id) : null;
  if (!existing) return null;
  if (existing.status === "open") return existing;
  return existing.closedAt && at.getTime() - existing.closedAt.getTime() <= source.reopenWithin
    ? existing
    : null;
}

/**
 * While the source's desk is closed, the customer gets its out-of-hours reply: once per
 * conversation and closed stretch (the key below makes a second one a no-op, retries and
 * concurrent messages included), and the thread says so.
 */
async function replyOutOfHours(
  tx: Repositories,
  source: SourceConfig,
  hours: BusinessHours | undefined,
  conversation: Conversation,
  now: Date,
) {
  if (!source.outOfHoursReply || !hours) return;
  const since = closedSince(hours, now);
  if (since === null) return;
  await sendAutomaticReply(tx, source, conversation, {
    key: `out-of-hours-${conversation.id}-${since}`,
    text: source.outOfHoursReply,
    notice: `:crescent_moon: Out of hours (${escapeSlackText(describeHours(hours))}): the customer got the out-of-hours reply.`,
    at: now,
  });
}

export type ReceiveCustomerMessage = ReturnType<typeof createReceiveCustomerMessage>;
