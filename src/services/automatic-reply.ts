// HeroDesk's own messages to a customer (the out-of-hours reply, auto-close's nudge): delivered
// like an agent's reply (the source's replyUrl, or the customer's Slack thread), with `agent: null` (SPEC §7), once per key.
import { reachesCustomer, type SourceConfig } from "../config.ts";
import type { Conversation } from "../core/domain.ts";
import { enqueueNotice, enqueueReplyDelivery } from "../outbox/jobs.ts";
import type { Repositories } from "../store/index.ts";

/**
 * Sends `text` to the customer once for `key` (a second call with the same key, a retry or a
 * concurrent message, is a no-op), and says so in the thread. False: sent before, or no replyUrl.
 */
export async function sendAutomaticReply(
  tx: Repositories,
  source: SourceConfig,
  conversation: Conversation,
  reply: { key: string; text: string; notice: string; at: Date },
): Promise<boolean> {
  if (!reachesCustomer(source)) return false;
  if (await tx.messages.findByExternalId(source.id, reply.key)) return false;
  const message = await tx.messages.create({
    conversationId: conversation.id,
    sourceId: source.id,
    externalId: reply.key,
    direction: "outbound",
    authorName: source.name ?? source.id,
    text: reply.text,
    sentAt: reply.at,
    deliveryStatus: "pending",
  });
  await enqueueReplyDelivery(tx, message);
  await enqueueNotice(tx, conversation, reply.key, reply.notice);
  return true;
}
