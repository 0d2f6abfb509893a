// What every App Home control shares. A click on a home has no thread or response_url to answer
// in: what changed shows in the republished home, and a refusal opens a small modal saying why.
import type { App } from "@slack/bolt";
import type { Outcome } from "../../../services/context.ts";
import { afterAck, SORRY } from "../../answer.ts";
import { homeNoticeModal } from "../../blocks/home.ts";

/** The parts of Bolt's action arguments a home control uses. */
interface Args {
  ack: () => Promise<void>;
  action: unknown;
  body: { user: { id: string }; trigger_id?: string };
  client: App["client"];
  logger: { error(...msg: unknown[]): void; warn(...msg: unknown[]): void };
}

/**
 * Acknowledges at once, then (after the acks of a burst, src/slack/ack-first.ts) runs the use case (which republishes the home); a refusal or a
 * failure is shown to the clicker only.
 */
export async function answerHome(
  args: Args,
  run: (userId: string, value: string) => Promise<Outcome>,
): Promise<void> {
  await args.ack();
  const value = (args.action as { value?: string }).value ?? "";
  afterAck<Outcome>({
    what: "home action",
    logger: args.logger,
    work: () => run(args.body.user.id, value),
    failed: () => ({ ok: false, text: SORRY }),
    deliver: async (outcome) => {
      if (outcome.ok || !args.body.trigger_id) return;
      await args.client.views.open({ trigger_id: args.body.trigger_id, view: homeNoticeModal(outcome.text) });
    },
  });
}
