// Before "HeroDesk is up": does Slack accept the bot token, and can HeroDesk use every channel the
// config names? A token Slack refuses, or a SLACK_API_URL that is not Slack's Web API, stops
// start-up with one line naming the setting (nothing could ever reach Slack). Slack not answering
// at all does not: HeroDesk starts, stores what customers send, and sends it once Slack answers.
// A channel that is missing, archived or private without the bot is one warning line each; the
// admins are told in Slack by the channel's membership job (src/slack/membership.ts).
import { ErrorCode, type WebClient } from "@slack/web-api";
import type { AppConfig } from "../config.ts";
import type { Logger } from "../logger.ts";
import { PacedError } from "./slack-client.ts";

/** Start-up cannot go on: one line for the person starting HeroDesk, naming the setting. */
export class StartupError extends Error {
  override name = "StartupError";
}

/**
 * Slack's state at start-up, for /healthz until the outbox knows better. `members`: the config's
 * channels Slack just said HeroDesk is in (and not archived), which need no membership job.
 */
export type SlackAtStart =
  | { reachable: true; members: ReadonlySet<string> }
  | { reachable: false; reason: string };

const TOKEN_REFUSED = new Set([
  "not_authed",
  "invalid_auth",
  "account_inactive",
  "token_revoked",
  "token_expired",
  "not_allowed_token_type",
]);

interface CallError {
  code?: string;
  data?: { error?: string };
  statusCode?: number;
  original?: { code?: string; message?: string; cause?: { code?: string } };
  message?: string;
}

/** Why a request got no answer: the system's code (ECONNREFUSED, ENOTFOUND) where there is one. */
export function noAnswerReason(err: unknown): string {
  const o = (err as CallError).original as (CallError["original"] & { name?: string }) | undefined;
  // A request that got no answer in time: WebClient's own timeout (an AbortSignal's TimeoutError,
  // whose DOMException code is 23) or the socket's.
  if (o?.name === "TimeoutError" || o?.name === "AbortError" || typeof o?.code === "number")
    return "timed out";
  const code = o?.cause?.code ?? o?.code;
  if (code === "UND_ERR_HEADERS_TIMEOUT" || code === "ETIMEDOUT" || code === "ECONNABORTED")
    return "timed out";
  return code ?? o?.message ?? (err as CallError).message ?? "no answer";
}

export async function checkSlackAtStart(
  client: WebClient,
  config: AppConfig,
  logger: Logger,
): Promise<SlackAtStart> {
  const apiUrl = config.slack.apiUrl ?? "https://slack.com/api/";
  try {
    const res = await client.auth.test();
    // Anything can answer 200; Slack's Web API answers auth.test with ok and the bot's user id.
    if (res.ok !== true || typeof res.user_id !== "string")
      throw notSlack(apiUrl, "an answer without ok and user_id");
  } catch (err) {
    if (err instanceof StartupError) throw err;
    const e = err as CallError;
    if (e.code === ErrorCode.PlatformError) {
      const error = e.data?.error ?? "unknown_error";
      // Slack's errors are snake_case words; anything else came from something that is not Slack.
      if (!/^[a-z0-9_.]+$/.test(error)) throw notSlack(apiUrl, "a page that is not Slack's JSON");
      if (TOKEN_REFUSED.has(error))
        throw new StartupError(
          `SLACK_BOT_TOKEN: Slack refused it (${error}). Copy the Bot User OAuth Token (xoxb-…) from your app's OAuth & Permissions page, after installing the app to the workspace.`,
        );
      if (error === "unknown_method" || error === "unknown_error") throw notSlack(apiUrl, `"${error}"`);
      throw new StartupError(`SLACK_BOT_TOKEN: auth.test failed (${error}).`);
    }
    if (e.code === ErrorCode.HTTPError) throw notSlack(apiUrl, `HTTP ${e.statusCode ?? "error"}`);
    // No answer at all (network, DNS, timeout): Slack may be down for a while; HeroDesk goes on.
    const reason = `Slack did not answer at ${apiUrl} (${noAnswerReason(err)})`;
    logger.warn(`${reason}; HeroDesk starts anyway and keeps what it must send to Slack until Slack answers`);
    return { reachable: false, reason };
  }

  // Looked up side by side (start-up waits for them), warned of in the config's order.
  const channels = channelsOf(config);
  const looks = await Promise.all(channels.map(({ channel }) => lookAt(client, channel)));
  const members = new Set<string>();
  channels.forEach(({ channel, role }, i) => {
    const { warning, member } = looks[i]!;
    if (warning) logger.warn(`${role} channel ${channel}: ${warning}`, { channel });
    if (member) members.add(channel);
  });
  return { reachable: true, members };
}

/**
 * Socket Mode's connection refused at start-up (apps.connections.open with SLACK_APP_TOKEN):
 * one line naming the setting, or null for any other failure.
 */
export function appTokenRefused(err: unknown, config: AppConfig): StartupError | null {
  const e = err as CallError;
  if (!config.slack.appToken || e?.code !== ErrorCode.PlatformError) return null;
  const error = e.data?.error ?? "unknown_error";
  const needed = (e.data as { needed?: string } | undefined)?.needed;
  if (!TOKEN_REFUSED.has(error) && error !== "missing_scope") return null;
  return new StartupError(
    `SLACK_APP_TOKEN: Slack refused it for Socket Mode (${error}${needed ? `: needs ${needed}` : ""}). Generate an app-level token with the connections:write scope under Basic Information → App-Level Tokens, and put it (xapp-…) in SLACK_APP_TOKEN.`,
  );
}

function notSlack(apiUrl: string, answer: string): StartupError {
  const hint = /\/api\/$/.test(apiUrl) ? "" : " (it must end in /api/, like https://slack.com/api/)";
  return new StartupError(
    `SLACK_API_URL: ${apiUrl} does not answer like Slack's Web API: auth.test got ${answer}${hint}.`,
  );
}

/** Every channel the config names, once, with what it is for. */
function channelsOf(config: AppConfig): { channel: string; role: string }[] {
  const roles = new Map<string, string[]>();
  const add = (channel: string, role: string) => {
    roles.set(channel, [...(roles.get(channel) ?? []), role]);
  };
  for (const [i, s] of config.sources.entries()) add(s.slackChannel, `sources[${i}] (${s.id})`);
  for (const [i, s] of config.summaries.entries()) add(s.channel, `summaries[${i}]`);
  return [...roles].map(([channel, r]) => ({ channel, role: r.join(", ") }));
}

/**
 * What stands in the way of posting in a channel (warning null: nothing, or HeroDesk joins it
 * itself), and whether HeroDesk is in it.
 */
async function lookAt(
  client: WebClient,
  channel: string,
): Promise<{ warning: string | null; member: boolean }> {
  try {
    const info = (await client.conversations.info({ channel })).channel;
    if (info?.is_archived)
      return {
        warning: "is archived; unarchive it or name another channel in the config file",
        member: false,
      };
    if (info?.is_private && !info.is_member)
      return { warning: "is private and HeroDesk is not in it; type /invite @HeroDesk there", member: false };
    return { warning: null, member: info?.is_member === true };
  } catch (err) {
    // Not looked at in time (the rate limit's slots): its membership job looks later, no warning.
    if (err instanceof PacedError) return { warning: null, member: false };
    return { warning: lookupFailure(err), member: false };
  }
}

function lookupFailure(err: unknown): string {
  const error = (err as CallError).data?.error;
  if (error === "channel_not_found")
    return "cannot be seen: it does not exist, or it is private and HeroDesk is not in it; check the channel ID (Slack shows it under the channel's name → About), or type /invite @HeroDesk there";
  if (error === "missing_scope")
    return "cannot be looked up: the app lacks a scope (manifest/manifest.json lists every scope); reinstall the app";
  return `could not be looked up (${error ?? (err as CallError).message ?? "no answer"})`;
}
