// What every card button shares: the conversation number it acts on, and the ephemeral answer.
import type { RespondFn } from "@slack/bolt";
import type { WebClient } from "@slack/web-api";
import { cutMrkdwn, SLACK_LIMITS } from "../../../core/slack-fit.ts";
import type { Outcome } from "../../../services/context.ts";
import { afterAck, ephemeralFallback, respondInParts, SORRY } from "../../answer.ts";

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

/**
 * Acknowledges at once, then runs the use case and tells the clicker the outcome (only them)
 * through response_url, so the click's answer to Slack never waits for the work. The work starts
 * once the acknowledgements of requests arriving with this one are out (src/slack/ack-first.ts).
 */
export async function answer(
  args: Args,
  run: (n: number, userId: string) => Promise<Outcome>,
): Promise<void> {
  await args.ack();
  const action = args.action as { value?: string; block_id?: string };
  const n = conversationNumber(action);
  const userId = args.body.user.id;
  afterAck<Outcome>({
    what: `card button on #${n ?? "?"}`,
    logger: args.logger,
    work: async () => (n ? run(n, userId) : { ok: false, text: "This button does not name a conversation." }),
    failed: () => ({ ok: false, text: SORRY }),
    deliver: (outcome) =>
      respondInParts(
        args.respond,
        [
          {
            response_type: "ephemeral",
            replace_original: false,
            // One sentence or two; cut as Slack counts it all the same (src/core/slack-fit.ts).
            text: cutMrkdwn(outcome.text, SLACK_LIMITS.readableText),
          },
        ],
        ephemeralFallback(args.client, args.body.channel?.id, userId),
        args.logger,
      ),
  });
}
