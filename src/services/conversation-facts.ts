// The facts routing rules and response-target overrides match, for conversations as stored: the
// customer's attributes, and the conversation's tags and priority (src/core/triage.ts).
import type { Conversation, Customer } from "../core/domain.ts";
import { conversationFacts, type Facts } from "../core/triage.ts";
import type { Repositories } from "../store/index.ts";

export interface WithFacts {
  conversation: Conversation;
  customer: Customer;
  tags: string[];
  facts: Facts;
}

/** Each conversation with its customer, tags and facts: one query per customer, one for all tags. */
export async function withFacts(
  tx: Repositories,
  conversations: readonly Conversation[],
): Promise<WithFacts[]> {
  const tagsOf = await tx.conversations.tagsOf(conversations.map((c) => c.id));
  const found: WithFacts[] = [];
  for (const conversation of conversations) {
    // The hero is the one this conversation goes to (its customer's, channel's or account's).
    const customer = await tx.customers.ofConversation(conversation);
    const tags = tagsOf.get(conversation.id) ?? [];
    const facts = conversationFacts(customer.attributes, { tags, priority: conversation.priority });
    found.push({ conversation, customer, tags, facts });
  }
  return found;
}

/** One conversation's. */
export async function factsOf(tx: Repositories, conversation: Conversation): Promise<WithFacts> {
  return (await withFacts(tx, [conversation]))[0]!;
}
