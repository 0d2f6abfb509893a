// What an admin reads about a Slack problem: what happened and what to do (mrkdwn, one paragraph).
import type { SlackProblem } from "./slack-failures.ts";
import { plural } from "./slack-text.ts";

/** `<#C…>` for a channel, `<@U…>`'s DM for a person. */
function where(channel: string): string {
  return /^[UW]/.test(channel) ? `the DM with <@${channel}>` : `<#${channel}>`;
}

const INVITE = "In that channel, type `/invite @HeroDesk`";

/** The problem in one sentence, then what to do. */
export function problemAdvice(p: SlackProblem): string {
  const c = p.channel ? where(p.channel) : "a channel";
  switch (p.error) {
    case "missing_scope":
      if (p.detail === "chat:write.customize")
        return (
          "HeroDesk's Slack app lacks the `chat:write.customize` scope, so Slack shows customers' messages under HeroDesk's name (HeroDesk writes the customer's name above each one meanwhile; nothing waits). " +
          "Add the scope under *OAuth & Permissions → Scopes* (manifest/manifest.json lists every scope HeroDesk needs) and reinstall the app to the workspace; the next customer message shows it fixed."
        );
      return (
        `HeroDesk's Slack app lacks the \`${p.detail ?? "?"}\` scope${p.method ? ` (Slack said so to \`${p.method}\`)` : ""}. ` +
        "Add it under *OAuth & Permissions → Scopes* (manifest/manifest.json lists every scope HeroDesk needs), " +
        "reinstall the app to the workspace, then run `/desk waiting retry`."
      );
    case "is_archived":
    case "channel_is_archived":
    case "is_inactive":
      return `${c} is archived, so HeroDesk cannot post there. Unarchive it, or point the source at another channel (\`slackChannel\` in the config file) and restart HeroDesk.`;
    case "channel_not_found":
      return `HeroDesk cannot see ${c}: it was deleted, or it is private and HeroDesk is not in it. ${INVITE}, or fix \`slackChannel\` in the config file.`;
    case "not_in_channel":
    case "method_not_supported_for_channel_type":
      return `HeroDesk is not in ${c} and cannot join it by itself (private channels need an invite). ${INVITE}. Slack sends HeroDesk the agents' replies only from channels it is in.`;
    case "restricted_action":
    case "restricted_action_read_only_channel":
    case "restricted_action_thread_only_channel":
    case "restricted_action_non_threadable_channel":
      return `Slack does not let HeroDesk post in ${c} (\`${p.error}\`: posting there is limited, for example to admins or to threads). Let apps post there, or use another channel.`;
    case "not_authed":
    case "invalid_auth":
    case "account_inactive":
    case "token_revoked":
    case "token_expired":
      return `Slack no longer accepts HeroDesk's bot token (\`${p.error}\`). Reinstall the app to the workspace, put the new *Bot User OAuth Token* in \`SLACK_BOT_TOKEN\` and restart HeroDesk.`;
    default:
      return (
        `Slack answered \`${p.error}\`${p.method ? ` to \`${p.method}\`` : ""}${p.channel ? ` for ${c}` : ""}, and HeroDesk does not know how to fix that itself. ` +
        "Check the app's settings at api.slack.com/apps; HeroDesk retries every few minutes."
      );
  }
}

/** The line that says what waits, for a problem still open. */
export function waitingLine(count: number): string {
  return count
    ? `${plural(count, "item")} (cards, messages, DMs) ${count === 1 ? "waits" : "wait"} and will go out, in order, once it is fixed; nothing is lost.`
    : "Nothing waits on it right now.";
}

/** The problem in a few words, for a line that says it was fixed. */
export function problemTitle(p: SlackProblem): string {
  const c = p.channel ? where(p.channel) : "a channel";
  switch (p.error) {
    case "missing_scope":
      return `the Slack app's missing \`${p.detail ?? "?"}\` scope`;
    case "is_archived":
    case "channel_is_archived":
    case "is_inactive":
      return `${c} being archived`;
    case "channel_not_found":
    case "not_in_channel":
    case "method_not_supported_for_channel_type":
      return `HeroDesk not being in ${c}`;
    case "not_authed":
    case "invalid_auth":
    case "account_inactive":
    case "token_revoked":
    case "token_expired":
      return "Slack refusing HeroDesk's bot token";
    case "restricted_action":
    case "restricted_action_read_only_channel":
    case "restricted_action_thread_only_channel":
    case "restricted_action_non_threadable_channel":
      return `Slack not letting HeroDesk post in ${c}`;
    default:
      return `Slack's \`${p.error}\`${p.channel ? ` in ${c}` : ""}`;
  }
}
