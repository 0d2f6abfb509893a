// What Slack says happened in a channel HeroDesk is in (a message, an edit, a deletion) is stored
// as it arrives, in one small write, and Slack's event is acknowledged then; the message is taken
// (a customer's into their conversation, an agent's answer to the customer, an edit to its copy)
// by the outbox, in the channel's inbox lane, in the order Slack sent them. Taking a message that
// starts a conversation is some twenty queries; a burst of 200 customer channels posting at once
// must still be acknowledged within Slack's 3 seconds (docs.slack.dev/apis/events-api, "Responding
// to events"), so that work waits for the outbox and never for the ack.
import type { JobHandlers } from "../outbox/handler.ts";
import { enqueueReceivedChange, enqueueReceivedMessage, type Payload } from "../outbox/jobs.ts";
import type { Store } from "../store/index.ts";
import type { ReceiveSlackMessage, SlackChannelMessage } from "./receive-slack-message.ts";
import type { SlackMessageChanged } from "./slack-message-changed.ts";

/** An edit (the new text) or a deletion (no text) of the message at `ts`, at `at`. */
export interface ReceivedChange {
  channel: string;
  ts: string;
  text?: string;
  at: Date;
}

/** A message that fails to be taken is retried, a bounded number of times: its channel waits. */
const TAKE_RETRY = { initialDelayMs: 500, maxDelayMs: 30_000, maxAttempts: 12 };

export function createSlackInbox(deps: {
  store: Store;
  receiveSlackMessage: ReceiveSlackMessage;
  slackMessageChanged: SlackMessageChanged;
  onGiveUp?: (what: string, error: string) => void;
}) {
  // Group commit: the events of a burst share a transaction and its commit.
  const message = (m: SlackChannelMessage) =>
    deps.store.groupTransaction((tx) => enqueueReceivedMessage(tx, m)).then(() => undefined);
  const change = (c: ReceivedChange) =>
    deps.store
      .groupTransaction((tx) =>
        enqueueReceivedChange(tx, {
          channel: c.channel,
          ts: c.ts,
          ...(c.text !== undefined ? { text: c.text } : {}),
          at: c.at.getTime(),
        }),
      )
      .then(() => undefined);

  const handlers: Pick<JobHandlers, "slack.message_received" | "slack.message_change_received"> = {
    "slack.message_received": {
      retry: () => TAKE_RETRY,
      async perform(m: Payload<"slack.message_received">) {
        await deps.receiveSlackMessage(m);
      },
      async onGiveUp(m, error) {
        deps.onGiveUp?.(`the message ${m.ts} in ${m.channel}`, error);
      },
    },
    "slack.message_change_received": {
      retry: () => TAKE_RETRY,
      async perform(c) {
        const at = new Date(c.at);
        await deps.slackMessageChanged(
          c.text !== undefined
            ? { channel: c.channel, ts: c.ts, text: c.text, at }
            : { channel: c.channel, ts: c.ts, deletedAt: at },
        );
      },
      async onGiveUp(c, error) {
        deps.onGiveUp?.(`the change to ${c.ts} in ${c.channel}`, error);
      },
    },
  };
  return { message, change, handlers };
}

export type SlackInbox = ReturnType<typeof createSlackInbox>;
