// Slack's message events are stored in their channel's inbox before the acknowledgement and taken
// from it by the outbox (src/services/slack-inbox.ts): "stored at once" means either.
import { expect } from "vitest";
import type { Message } from "../../src/core/domain.ts";
import { inboxLane, pendingJobs } from "../../src/outbox/jobs.ts";
import { slackMessageKey } from "../../src/services/record-agent-reply.ts";
import type { Store } from "../../src/store/index.ts";
import { waitFor } from "./wait.ts";

/** Checks the message at `ts` was stored when acknowledged; resolves to it once taken. */
export async function storedAtAck(
  store: Store,
  where: { sourceId: string; channel: string; ts: string },
  timeoutMs?: number,
): Promise<Message> {
  const key = slackMessageKey(where.channel, where.ts);
  const inInbox = (await pendingJobs(store, inboxLane(where.channel), "slack.message_received")).some(
    (m) => m.ts === where.ts,
  );
  const taken = await store.messages.findByExternalId(where.sourceId, key);
  expect(inInbox || taken !== null, "in the channel's inbox or taken at the ack").toBe(true);
  return waitFor(
    "the message taken from the inbox",
    () => store.messages.findByExternalId(where.sourceId, key),
    timeoutMs,
  );
}
