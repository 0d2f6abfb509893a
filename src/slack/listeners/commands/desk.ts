// /desk: parse, then hand the command to its use case; the answer is ephemeral.
import type { App } from "@slack/bolt";
import { type DeskCommand, parseDeskCommand, parseErrorText } from "../../../core/desk/index.ts";
import { cutMrkdwn, SLACK_LIMITS, textMessages } from "../../../core/slack-fit.ts";
import type { DeskServices } from "../../../services/desk.ts";
import { acknowledgeThenAnswer } from "../../answer.ts";
import type { SlackDirectory } from "../../directory.ts";

export function register(app: App, deps: { desk: DeskServices; directory: SlackDirectory }) {
  app.command("/desk", async ({ command, ack, respond, client, logger }) => {
    const parsed = parseDeskCommand(command.text ?? "");
    if (!parsed.ok)
      return ack({
        response_type: "ephemeral",
        text: cutMrkdwn(parseErrorText(parsed), SLACK_LIMITS.readableText),
      });
    // Acknowledged at once, answered through response_url: Slack's 3-second deadline never
    // depends on how busy HeroDesk is. (Slack does not retry commands, so nothing is lost by it.)
    const context = {
      userId: command.user_id,
      channelId: command.channel_id,
      person: (userId: string) => deps.directory.person(userId),
    };
    return acknowledgeThenAnswer(
      { ack: () => ack(), respond, client, logger },
      {
        what: `/desk ${parsed.command.kind}`,
        user: command.user_id,
        channel: command.channel_id,
        work: () => deps.desk.run(context, parsed.command),
        // A long answer (`/desk agent list`, `history`, ...) goes in several ephemeral messages of
        // at most 4,000 each, in order; response_url takes 5 posts, so a longer one is cut there
        // and says how many lines it left out.
        split: (text) =>
          deskAnswers(text, parsed.command.kind).map((part) => ({ response_type: "ephemeral", text: part })),
      },
    );
  });
}

/** response_url takes 5 posts (Slack: "up to 5 times within 30 minutes"). */
const RESPONSE_URL_POSTS = 5;

/** Where the whole of a list cut short can be read. */
const FULL_LIST: Partial<Record<DeskCommand["kind"], string>> = {
  agent_list: "the Team load on your App Home lists every agent",
};

/** A /desk answer as the ephemeral messages that carry it (src/core/slack-fit.ts). */
export function deskAnswers(text: string, kind?: DeskCommand["kind"]): string[] {
  const where = kind ? FULL_LIST[kind] : undefined;
  return textMessages(text, {
    maxMessages: RESPONSE_URL_POSTS,
    more: (lines) =>
      `_…and ${lines.toLocaleString("en-US")} more ${lines === 1 ? "line" : "lines"} (Slack takes 5 answers to a command${where ? `; ${where}` : ""})._`,
  });
}
