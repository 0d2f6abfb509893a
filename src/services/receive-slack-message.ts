// A message in a Slack channel HeroDesk is in (SPEC §8). In a customer channel: a customer's
// top-level message starts a conversation and their replies in its thread continue it (a closed
// one reopens within the source's reopenWithin, later a new one starts); an agent's reply in the
// customer's thread is an agent reply. Anywhere else: a reply in a conversation's thread in
// HeroDesk's own channels (src/services/record-agent-reply.ts). It runs before Slack's event is
// acknowledged: it stores what the event says and asks Slack nothing (names come later).
import type { Attachment } from "../core/domain.ts";
import type { Store } from "../store/index.ts";
import type { CustomerChannel, CustomerChannels } from "./customer-channels.ts";
import type { ReceiveCustomerMessage, ReceiveResult } from "./receive-customer-message.ts";
import {
  type AgentReplyOutcome,
  type RecordAgentReply,
  slackMessageKey,
  tsToDate,
} from "./record-agent-reply.ts";

export interface SlackChannelMessage {
  eventId?: string;
  channel: string;
  ts: string;
  /** Set for a reply in a thread (Slack's thread_ts, not the message's own ts). */
  threadTs?: string;
  userId: string;
  /** The author's organisation (the event's user_team), and the workspace's own (the envelope's team_id). */
  userTeam?: string;
  ownTeam?: string;
  /** As Slack sent it. */
  text: string;
  attachments: Attachment[];
}

export type SlackMessageOutcome =
  | AgentReplyOutcome
  | { customer: ReceiveResult }
  /** An agent's own top-level message in a customer channel (an announcement) is no conversation. */
  | "agent_top_level"
  | "ignored";

export function createReceiveSlackMessage(deps: {
  store: Store;
  channels: CustomerChannels;
  receive: ReceiveCustomerMessage;
  recordAgentReply: RecordAgentReply;
}) {
  const recordReply = (m: SlackChannelMessage, threadTs: string) =>
    deps.recordAgentReply({
      ...(m.eventId ? { eventId: m.eventId } : {}),
      channel: m.channel,
      threadTs,
      ts: m.ts,
      userId: m.userId,
      text: m.text,
      attachments: m.attachments,
    });

  return async function receiveSlackMessage(m: SlackChannelMessage): Promise<SlackMessageOutcome> {
    const found = deps.channels.any ? await deps.channels.customerChannelOf(deps.store, m.channel) : null;
    if (!found) return m.threadTs ? recordReply(m, m.threadTs) : "ignored";
    // A HeroDesk agent answers; anyone else in a customer channel is a customer.
    const agent = await deps.store.agents.bySlackId(m.userId);
    if (agent?.active) return m.threadTs ? recordReply(m, m.threadTs) : "agent_top_level";
    return { customer: await receiveAsCustomer(deps, found, m) };
  };
}

/**
 * The message as a customer's, on the conversation of its thread (receive decides, in its one
 * transaction: the open one, a closed one within reopenWithin, else a new one answered in this
 * thread). Also "Open as conversation" (any author).
 */
export function receiveAsCustomer(
  deps: { receive: ReceiveCustomerMessage },
  { source, channel, account }: CustomerChannel,
  m: Omit<SlackChannelMessage, "eventId">,
): Promise<ReceiveResult> {
  const external = m.userTeam !== undefined && m.ownTeam !== undefined && m.userTeam !== m.ownTeam;
  return deps.receive({
    source: source.id,
    messageId: slackMessageKey(channel, m.ts),
    // Used only when the message starts a conversation.
    conversationId: slackMessageKey(channel, m.ts),
    customer: {
      id: m.userId,
      ...(account || external
        ? {
            account: {
              ...(account ? { name: account } : {}),
              ...(external ? { slackTeamId: m.userTeam } : {}),
            },
          }
        : {}),
    },
    customerChannel: channel,
    customerThreadTs: m.threadTs ?? m.ts,
    lookUpProfile: true,
    text: m.text,
    attachments: m.attachments,
    sentAt: tsToDate(m.ts),
  });
}

export type ReceiveSlackMessage = ReturnType<typeof createReceiveSlackMessage>;
