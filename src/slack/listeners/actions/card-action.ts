// What every card button shares: the conversation number it acts on, and the ephemeral answer.
import type { RespondFn } from "@slack/bolt";
import type { WebClient } from "@slack/web-api";
import { cutMrkdwn, SLACK_LIMITS } from "../../../core/slack-fit.ts";
import type { Actor } from "../../../services/desk-deps.ts";
import type { Answer } from "../../../services/results.ts";
import { acknowledgeThenAnswer } from "../../answer.ts";

/** The parts of Bolt's action arguments a card button uses. */
interface Args {
  ack: () => Promise<void>;
  action: unknown;
  body: { user: { id: string }; channel?: { id: string } };
  respond: RespondFn;
  client: WebClient;
  logger: { error(...msg: unknown[]): void; warn(...msg: unknown[]): void };
}

/** Buttons carry the number as their value; the assign select's block is `conv_<n>`. */
export function conversationNumber(action: { value?: string; block_id?: string }): number | null {
  const raw = action.value ?? action.block_id?.replace(/^\D+_/, "") ?? "";
  const n = Number(raw);
  return Number.isInteger(n) && n > 0 ? n : null;
}

/** Runs the use case on the card's conversation and tells the clicker the outcome (only them). */
export function answer(
  args: Args,
  run: (actor: Actor, input: { conversation: number }) => Promise<Answer>,
): Promise<void> {
  const n = conversationNumber(args.action as { value?: string; block_id?: string });
  const userId = args.body.user.id;
  return acknowledgeThenAnswer(args, {
    what: `card button on #${n ?? "?"}`,
    user: userId,
    channel: args.body.channel?.id,
    work: async () => (n ? run({ userId }, { conversation: n }) : { refused: "no_conversation_named" }),
    // One sentence or two; cut as Slack counts it all the same (src/core/slack-fit.ts).
    split: (text) => [
      {
        response_type: "ephemeral",
        replace_original: false,
        text: cutMrkdwn(text, SLACK_LIMITS.readableText),
      },
    ],
  });
}
