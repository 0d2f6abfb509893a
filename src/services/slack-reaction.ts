// Reactions and the message shortcut that mean something (SPEC §8, issue 13 part 2 and 3): an
// agent's close emoji on a customer's message or thread (or on the card) closes the conversation,
// as the card's Close does, permissions and all; an agent's open emoji on a customer channel's
// message, or the "Open as conversation" shortcut, makes that message a conversation. Other
// reactions, and anyone's who is not a HeroDesk agent, do nothing.
import type { Attachment } from "../core/domain.ts";
import { enqueueOpenConversation } from "../outbox/jobs.ts";
import type { Store } from "../store/index.ts";
import type { CustomerChannels } from "./customer-channels.ts";
import type { Actor } from "./desk-deps.ts";
import type { ReceiveCustomerMessage, ReceiveResult } from "./receive-customer-message.ts";
import { receiveAsCustomer } from "./receive-slack-message.ts";
import { slackMessageKey } from "./record-agent-reply.ts";
import type { Answer } from "./results.ts";

export type ReactionOutcome = "closing" | "opening" | "ignored";

/** A message to open as a conversation, as Slack shows it (the shortcut's payload, or history). */
export interface MessageToOpen {
  channel: string;
  ts: string;
  threadTs?: string;
  authorId: string;
  authorTeam?: string;
  ownTeam?: string;
  text: string;
  attachments: Attachment[];
}

export type OpenOutcome =
  | { opened: ReceiveResult }
  | { refused: "not_an_agent" | "not_a_customer_channel" | "already_a_conversation"; conversation?: number };

export function createSlackReactions(deps: {
  store: Store;
  channels: CustomerChannels;
  receive: ReceiveCustomerMessage;
  close: (actor: Actor, input: { conversation: number }) => Promise<Answer>;
}) {
  /** The conversation a message belongs to: a card, a customer thread's first message, or any message of it. */
  const conversationOf = async (channel: string, ts: string): Promise<number | null> => {
    const card = await deps.store.slack.threadAt(channel, ts);
    if (card) return card.conversationId;
    const thread = await deps.store.customerSlack.conversationAt(channel, ts);
    if (thread) return thread;
    const sourceIds = deps.channels.slackSourceIds;
    const message = sourceIds.length
      ? await deps.store.messages.findByExternalIdIn(sourceIds, slackMessageKey(channel, ts))
      : null;
    return message?.conversationId ?? null;
  };

  async function reactionAdded(r: {
    userId: string;
    reaction: string;
    channel: string;
    ts: string;
    ownTeam?: string;
  }) {
    if (!deps.channels.any) return "ignored" as const;
    const agent = await deps.store.agents.bySlackId(r.userId);
    if (!agent?.active) return "ignored" as const;
    const customerChannel = await deps.channels.customerChannelOf(deps.store, r.channel);
    const conversation = await conversationOf(r.channel, r.ts);
    // On a card or a triage thread's message: the emojis of the conversation's own source.
    const settings =
      customerChannel?.source ??
      (conversation
        ? deps.channels.slackSource((await deps.store.conversations.get(conversation))?.sourceId)
        : undefined);
    if (!settings) return "ignored" as const;
    if (r.reaction === settings.closeEmoji && conversation) {
      await deps.close({ userId: r.userId }, { conversation });
      return "closing" as const;
    }
    if (r.reaction === settings.openEmoji && customerChannel && !conversation) {
      // The event names the message only: Slack is asked for it after the ack (the outbox).
      await deps.store.transaction((tx) =>
        enqueueOpenConversation(tx, {
          channel: r.channel,
          ts: r.ts,
          userId: r.userId,
          ...(r.ownTeam ? { ownTeam: r.ownTeam } : {}),
        }),
      );
      return "opening" as const;
    }
    return "ignored" as const;
  }

  async function openAsConversation(byUserId: string, m: MessageToOpen): Promise<OpenOutcome> {
    const agent = await deps.store.agents.bySlackId(byUserId);
    if (!agent?.active) return { refused: "not_an_agent" };
    const customerChannel = await deps.channels.customerChannelOf(deps.store, m.channel);
    if (!customerChannel) return { refused: "not_a_customer_channel" };
    const existing = await conversationOf(m.channel, m.ts);
    if (existing) return { refused: "already_a_conversation", conversation: existing };
    // The message starts a conversation of its own, in its thread (a reply's thread is its parent's).
    const opened = await receiveAsCustomer(deps, customerChannel, {
      channel: m.channel,
      ts: m.ts,
      ...(m.threadTs && m.threadTs !== m.ts ? { threadTs: m.threadTs } : {}),
      userId: m.authorId,
      ...(m.authorTeam ? { userTeam: m.authorTeam } : {}),
      ...(m.ownTeam ? { ownTeam: m.ownTeam } : {}),
      text: m.text,
      attachments: m.attachments,
    });
    return { opened };
  }

  return { reactionAdded, openAsConversation };
}

export type SlackReactions = ReturnType<typeof createSlackReactions>;
