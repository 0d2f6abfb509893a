// An agent wrote in a conversation's Slack thread: store it once, however often Slack delivers the
// event, and queue its delivery to the customer unless it is an internal `!note`. It runs before
// Slack's event is acknowledged, so it stores what the event says and asks Slack nothing: the text
// stays in Slack's markup and people's names are looked up when the reply is delivered.
import { reachesCustomer, type SourceConfig } from "../config.ts";
import { classifyAgentText, customerFacingText, onAgentMessage } from "../core/conversation-state.ts";
import type { Attachment } from "../core/domain.ts";
import { stoppedClock } from "../core/response-figures.ts";
import {
  enqueueCardUpdate,
  enqueueCustomerMessagePost,
  enqueueNotice,
  enqueueReplyDelivery,
} from "../outbox/jobs.ts";
import type { Store } from "../store/index.ts";
import { moveAssignee } from "./assignment.ts";
import { scheduleIdleSteps } from "./auto-close.ts";
import { factsOf } from "./conversation-facts.ts";
import { sourceSettingsOnly, type TargetSettingsOf } from "./target-settings.ts";

export interface AgentThreadMessage {
  eventId?: string;
  channel: string;
  threadTs: string;
  ts: string;
  userId: string;
  /** As Slack sent it: Slack markup, mentions as <@U…>. */
  text: string;
  attachments?: Attachment[];
}

export type AgentReplyOutcome =
  | "delivering"
  | "note"
  | "no_reply_url"
  | "duplicate"
  | "not_a_conversation"
  | "in_customer_thread";

/** The key of a message written in Slack, unique per channel and ts (edits and deletes find it). */
export const slackMessageKey = (channel: string, ts: string) => `slack-${channel}-${ts}`;

export function createRecordAgentReply(deps: {
  store: Store;
  sources: ReadonlyMap<string, SourceConfig>;
  /** How long a reply waits before delivery, so that earlier-written ones arriving late go first. */
  replyOrderWindowMs?: number;
  /** The targets and hours a conversation keeps (its source's, or its serving team's hours). */
  targetSettings?: TargetSettingsOf;
}) {
  const orderWindowMs = deps.replyOrderWindowMs ?? 0;
  const settingsOf = deps.targetSettings ?? sourceSettingsOnly(deps.sources);
  return async function recordAgentReply(input: AgentThreadMessage): Promise<AgentReplyOutcome> {
    const outcome = await deps.store.transaction(async (tx): Promise<AgentReplyOutcome> => {
      if (input.eventId && !(await tx.slack.markEventSeen(input.eventId))) return "duplicate";
      // The conversation's thread in HeroDesk's channel, or (a source of kind slack) the
      // customer's own thread, where the customer read the answer as the agent wrote it.
      const thread = await tx.slack.threadAt(input.channel, input.threadTs);
      const inCustomerThread = thread
        ? null
        : await tx.customerSlack.conversationAt(input.channel, input.threadTs);
      const conversationId = thread?.conversationId ?? inCustomerThread;
      if (!conversationId) return "not_a_conversation";
      let conversation = (await tx.conversations.get(conversationId))!;
      const externalId = slackMessageKey(input.channel, input.ts);
      if (await tx.messages.findByExternalId(conversation.sourceId, externalId)) return "duplicate";

      const written = classifyAgentText(input.text);
      // `!skip` with nothing after it says nothing to the customer: kept as a note, never sent empty.
      // In the customer's thread the customer has read it already, whatever it starts with.
      const kind = inCustomerThread
        ? "reply"
        : written === "skip" && !customerFacingText(input.text).trim() && !input.attachments?.length
          ? "note"
          : written;
      const source = deps.sources.get(conversation.sourceId);
      const canDeliver = kind !== "note" && source !== undefined && reachesCustomer(source);
      const at = tsToDate(input.ts);
      const agent = await tx.agents.bySlackId(input.userId);
      const message = await tx.messages.create({
        conversationId: conversation.id,
        sourceId: conversation.sourceId,
        externalId,
        direction: kind === "note" ? "note" : "outbound",
        // The name HeroDesk knows (an agent's), else their id; delivery asks Slack for the name.
        authorName: agent?.name ?? input.userId,
        authorSlackId: input.userId,
        text: kind === "note" || inCustomerThread ? input.text : customerFacingText(input.text),
        textFormat: "slack",
        slackTs: input.ts,
        attachments: input.attachments,
        sentAt: at,
        deliveryStatus:
          kind === "note"
            ? undefined
            : inCustomerThread
              ? "delivered"
              : canDeliver
                ? "pending"
                : "undeliverable",
      });

      // An answer to a waiting customer stops their clock: recorded with the wait it ended, for
      // the managers' figures (met or breached, business time), before the conversation forgets it.
      if (kind !== "note" && conversation.waitingSince) {
        const { customer, facts } = await factsOf(tx, conversation);
        const settings = await settingsOf(tx, conversation.sourceId, { hero: customer.hero, facts });
        const stopped = stoppedClock(settings, conversation, facts, { agentId: agent?.id ?? null, at });
        if (stopped) await tx.responses.record(conversation.id, stopped);
      }
      const { changes, cardChanged } = onAgentMessage(conversation, at, kind === "note");
      if (Object.keys(changes).length) conversation = await tx.conversations.update(conversation.id, changes);
      if (cardChanged) await enqueueCardUpdate(tx, conversation);
      // An answer starts (again) the wait on the customer that auto-close ends.
      if (changes.answeredAt) await scheduleIdleSteps(tx, source, conversation, changes.answeredAt);

      // First responder: an agent's first reply in an unassigned conversation makes them the
      // assignee; `!skip` answers without taking it, and a note answers nobody.
      if (kind === "reply" && conversation.status === "open" && conversation.assigneeId === null) {
        if (agent?.active)
          await moveAssignee(tx, conversation, agent, {
            reason: "claimed",
            actorId: input.userId,
            expectedFrom: null,
            at,
          });
      }

      if (kind === "note") return "note";
      // Written where the customer reads it: mirrored into the triage thread, never echoed back.
      if (inCustomerThread) {
        await enqueueCustomerMessagePost(tx, conversation, message);
        return "in_customer_thread";
      }
      if (!canDeliver) {
        // Said once per conversation: every reply in it stays in HeroDesk alike.
        if (!(await tx.messages.anyUndeliverableBefore(conversation.id, message.id)))
          await enqueueNotice(
            tx,
            conversation,
            `undeliverable-${conversation.id}`,
            `:warning: Source \`${conversation.sourceId}\` has no \`replyUrl\`, so replies in this thread (<@${input.userId}>'s first) are kept in HeroDesk but not sent to the customer.`,
          );
        return "no_reply_url";
      }
      await enqueueReplyDelivery(tx, message, new Date(Date.now() + orderWindowMs));
      // The reply a source receives carries text only (SPEC section 2), and Slack's file links need
      // a Slack login: say so where the agent looks, rather than let the customer miss the file.
      if (input.attachments?.length)
        await enqueueNotice(
          tx,
          conversation,
          `files-${message.id}`,
          `:paperclip: <@${input.userId}>'s ${input.attachments.length === 1 ? "file was" : "files were"} not sent to the customer: replies carry text only. Paste a link the customer can open instead.`,
        );
      return "delivering";
    });
    return outcome;
  };
}

export type RecordAgentReply = ReturnType<typeof createRecordAgentReply>;

/** Slack's ts is the message time in seconds with a unique fraction. */
export function tsToDate(ts: string): Date {
  const seconds = Number(ts);
  return Number.isFinite(seconds) ? new Date(Math.round(seconds * 1000)) : new Date();
}
