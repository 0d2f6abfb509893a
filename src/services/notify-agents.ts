// Who hears about a customer's message (SPEC section 4): while nobody holds the conversation, the
// source's subscribed agents; after that, only the assignee.

import { enqueueAgentDm } from "../outbox/jobs.ts";
import type { Store } from "../store/index.ts";

export function createNotifyAgents(deps: { store: Store }) {
  /** Called once a customer message is in its thread, so the DM can link to it. */
  return (messageId: number) =>
    deps.store.transaction(async (tx) => {
      const message = await tx.messages.get(messageId);
      if (message?.direction !== "inbound") return;
      const conversation = await tx.conversations.get(message.conversationId);
      if (conversation?.status !== "open") return;
      if (conversation.assigneeId) {
        // The first message reaches the assignee with the "assigned" DM already.
        if (await tx.messages.isFirstOf(conversation.id, message.id)) return;
        const assignee = await tx.agents.get(conversation.assigneeId);
        if (assignee)
          await enqueueAgentDm(tx, {
            userId: assignee.slackUserId,
            conversationId: conversation.id,
            kind: "message",
            messageId,
          });
        return;
      }
      for (const userId of await tx.agents.subscribers(conversation.sourceId))
        await enqueueAgentDm(tx, { userId, conversationId: conversation.id, kind: "message", messageId });
    });
}

export type NotifyAgents = ReturnType<typeof createNotifyAgents>;
