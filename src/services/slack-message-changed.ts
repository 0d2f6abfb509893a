// A message written in Slack was edited or deleted there (message_changed, message_deleted). For
// a source of kind slack its copy on the other side follows (SPEC §8, issue 13 part 3): a
// customer's message mirrored in the triage thread, an agent's answer posted in the customer's
// thread, or an agent's answer written in the customer's thread and mirrored in triage. An
// inbound-API source's customer already has the reply: nothing is sent (README).
import { enqueueMirrorChange } from "../outbox/jobs.ts";
import type { Store } from "../store/index.ts";
import type { CustomerChannels } from "./customer-channels.ts";
import { slackMessageKey } from "./record-agent-reply.ts";

export type MessageChange =
  | { channel: string; ts: string; text: string; at: Date }
  | { channel: string; ts: string; deletedAt: Date };

export type MessageChangeOutcome = "mirroring" | "unchanged" | "not_mirrored" | "unknown";

export function createSlackMessageChanged(deps: { store: Store; channels: CustomerChannels }) {
  const { slackSourceIds } = deps.channels;
  return async function slackMessageChanged(change: MessageChange): Promise<MessageChangeOutcome> {
    if (!slackSourceIds.length) return "not_mirrored";
    return deps.store.transaction(async (tx) => {
      const message = await tx.messages.findByExternalIdIn(
        slackSourceIds,
        slackMessageKey(change.channel, change.ts),
      );
      if (!message) return "unknown";
      // An internal note stays internal, edited or not; nothing of it is anywhere else.
      if (message.direction === "note") return "not_mirrored";
      if (message.deletedAt) return "unchanged";
      if ("text" in change && change.text === message.text) return "unchanged";
      const changed = await tx.messages.setChanged(
        message.id,
        "text" in change ? { text: change.text, at: change.at } : { deletedAt: change.deletedAt },
      );
      const conversation = (await tx.conversations.get(message.conversationId))!;
      const customerThread = await tx.customerSlack.threadOf(conversation.id);
      // Written in the customer's channel: its copy is in triage; written in triage: in the customer's thread.
      const where =
        customerThread?.channel === change.channel
          ? { triageChannel: conversation.slackChannel }
          : "customer";
      await enqueueMirrorChange(tx, changed, where);
      return "mirroring";
    });
  };
}

export type SlackMessageChanged = ReturnType<typeof createSlackMessageChanged>;
