// /desk: parse, then hand each subcommand to its use case; the answer is ephemeral.
import type { App } from "@slack/bolt";
import { type DeskCommand, helpText, parseDeskCommand, parseErrorText } from "../../../core/desk-command.ts";
import { cutMrkdwn, SLACK_LIMITS, textMessages } from "../../../core/slack-fit.ts";
import type { DeskServices } from "../../../services/desk.ts";
import { afterAck, ephemeralFallback, respondInParts, SORRY } from "../../answer.ts";
import type { SlackDirectory } from "../../directory.ts";

export function register(app: App, deps: { desk: DeskServices; directory: SlackDirectory }) {
  app.command("/desk", async ({ command, ack, respond, client, logger }) => {
    const parsed = parseDeskCommand(command.text ?? "");
    if (!parsed.ok)
      return ack({
        response_type: "ephemeral",
        text: cutMrkdwn(parseErrorText(parsed), SLACK_LIMITS.readableText),
      });
    // Acknowledge at once and answer through response_url: Slack's 3-second deadline never
    // depends on how busy HeroDesk is. (Slack does not retry commands, so nothing is lost by it.)
    await ack();
    const who = { userId: command.user_id, channelId: command.channel_id };
    afterAck({
      what: `/desk ${parsed.command.kind}`,
      logger,
      work: () => run(parsed.command, who, deps),
      failed: () => SORRY,
      // A long answer (`/desk agent list`, `history`, ...) goes in several ephemeral messages of
      // at most 4,000 each, in order; response_url takes 5 posts, so a longer one is cut there
      // and says how many lines it left out.
      deliver: (text) =>
        respondInParts(
          respond,
          deskAnswers(text, parsed.command.kind).map((part) => ({ response_type: "ephemeral", text: part })),
          ephemeralFallback(client, command.channel_id, command.user_id),
          logger,
        ),
    });
  });
}

async function run(
  cmd: DeskCommand,
  { userId, channelId }: { userId: string; channelId: string },
  { desk, directory }: { desk: DeskServices; directory: SlackDirectory },
) {
  const out = await (async () => {
    switch (cmd.kind) {
      case "help":
        return {
          text: helpText(cmd.topic, cmd.topic ? undefined : await desk.roleOf(userId), {
            managersCanSetHeroes: desk.managersCanSetHeroes,
          }),
        };
      case "assign":
        return desk.assign({ userId, conversationId: cmd.conversation, agentUserId: cmd.agent });
      case "reassign":
        return desk.reassignAll({ userId, fromUserId: cmd.from, toUserId: cmd.to });
      case "unassign":
        return desk.unassign({ userId, conversationId: cmd.conversation });
      case "close":
        return desk.close({ userId, conversationId: cmd.conversation });
      case "reopen":
        return desk.reopen({ userId, conversationId: cmd.conversation });
      case "hero_make":
        return desk.makeHero({
          userId,
          customer: { ref: cmd.customer },
          hero:
            cmd.hero.kind === "agent"
              ? { kind: "agent", userId: cmd.hero.userId }
              : { kind: "team", team: cmd.hero.team },
        });
      case "hero_reassign":
        return desk.reassignToHero({ userId, conversationId: cmd.conversation });
      case "hero_remove":
        return desk.removeHero({ userId, customer: { ref: cmd.customer } });
      case "hero_show":
        return desk.showHero({ userId, customer: { ref: cmd.customer } });
      case "status":
        return desk.setAvailability({ userId, availability: cmd.availability });
      case "status_show":
        return desk.showAvailability({ userId });
      case "agent_add": {
        const person = await directory.person(cmd.userId);
        return desk.setup.addAgent({
          userId,
          agentUserId: cmd.userId,
          name: person.name,
          ...(person.unfit ? { unfit: person.unfit } : {}),
          ...(cmd.role ? { role: cmd.role } : {}),
          ...(cmd.capacity !== undefined ? { capacity: cmd.capacity } : {}),
        });
      }
      case "agent_remove":
        return desk.setup.removeAgent({ userId, agentUserId: cmd.userId });
      case "agent_capacity":
        return desk.setup.setCapacity({ userId, agentUserId: cmd.userId, capacity: cmd.capacity });
      case "agent_list":
        return desk.setup.listAgents({ userId });
      case "role":
        return desk.setup.setRole({ userId, agentUserId: cmd.userId, role: cmd.role });
      case "team_add":
        return desk.setup.addTeam({ userId, team: cmd.team });
      case "team_remove":
        return desk.setup.removeTeam({ userId, team: cmd.team });
      case "team_join":
        return desk.setup.joinTeam({ userId, team: cmd.team, userIds: cmd.userIds });
      case "team_leave":
        return desk.setup.leaveTeam({ userId, team: cmd.team, userIds: cmd.userIds });
      case "team_list":
        return desk.setup.listTeams({ userId });
      case "rule_add":
        return desk.setup.addRule({ userId, attribute: cmd.attribute, value: cmd.value, team: cmd.team });
      case "rule_remove":
        return desk.setup.removeRule({ userId, position: cmd.position });
      case "rule_move":
        return desk.setup.moveRule({ userId, from: cmd.from, to: cmd.to });
      case "rule_list":
        return desk.setup.listRules({ userId });
      case "subscribe":
        return desk.setup.subscribe({ userId, source: cmd.source, on: true });
      case "unsubscribe":
        return desk.setup.subscribe({ userId, source: cmd.source, on: false });
      case "history":
        return desk.history({ userId, conversationId: cmd.conversation });
      case "queue":
        return desk.queue({ userId });
      case "summary":
        return desk.summary({ userId, channelId });
      case "waiting":
        return desk.waiting({ userId });
      case "waiting_retry":
        return desk.retryWaiting({ userId });
    }
  })();
  return out.text;
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
