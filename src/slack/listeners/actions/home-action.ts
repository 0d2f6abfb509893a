// What every App Home control shares. A click on a home has no thread or response_url to answer
// in: what changed shows in the republished home, and a refusal opens a small modal saying why.
import type { App } from "@slack/bolt";
import { type Answer, isDone } from "../../../services/results.ts";
import { acknowledgeThenRun, SORRY } from "../../answer.ts";
import { homeNoticeModal } from "../../blocks/home.ts";
import { present } from "../../presenters/index.ts";

/** The parts of Bolt's action arguments a home control uses. */
interface Args {
  ack: () => Promise<void>;
  action: unknown;
  body: { user: { id: string }; trigger_id?: string };
  client: App["client"];
  logger: { error(...msg: unknown[]): void; warn(...msg: unknown[]): void };
}

/** Runs the use case (which republishes the home); a refusal or a failure is shown to the clicker only. */
export function answerHome(
  args: Args,
  run: (userId: string, value: string) => Promise<Answer>,
): Promise<void> {
  const value = (args.action as { value?: string }).value ?? "";
  return acknowledgeThenRun(args.ack, {
    what: "home action",
    logger: args.logger,
    work: async () => {
      const answer = await run(args.body.user.id, value);
      return isDone(answer) ? null : present(answer);
    },
    failed: () => SORRY,
    deliver: async (refusal) => {
      if (refusal === null || !args.body.trigger_id) return;
      await args.client.views.open({ trigger_id: args.body.trigger_id, view: homeNoticeModal(refusal) });
    },
  });
}
