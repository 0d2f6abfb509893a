// Which source of kind slack a Slack channel belongs to (SPEC §8): the channels its config lists
// (with their account), or, for the source whose customerChannels is "invited", the channels
// HeroDesk was invited to or an admin added (`/desk channel add|remove`).
import { isSlackSource, type SlackSourceConfig, type SourceConfig } from "../config.ts";
import type { Repositories } from "../store/index.ts";

export interface CustomerChannel {
  source: SlackSourceConfig;
  channel: string;
  /** The account the config gives the channel, if any. */
  account: string | undefined;
}

export type CustomerChannelOf = (
  tx: Pick<Repositories, "customerSlack">,
  channel: string,
) => Promise<CustomerChannel | null>;

export function createCustomerChannels(
  sources: ReadonlyMap<string, SourceConfig>,
  /** Other channels HeroDesk posts its own work in (summaries): never customer channels. */
  alsoInternal: readonly string[] = [],
) {
  const slackSources = [...sources.values()].filter(isSlackSource);
  const listed = new Map<string, CustomerChannel>();
  for (const source of slackSources)
    if (Array.isArray(source.customerChannels))
      for (const { channel, account } of source.customerChannels)
        listed.set(channel, { source, channel, account });
  const invited = slackSources.find((s) => s.customerChannels === "invited");
  /** Channels no invitation can make customer channels: every channel HeroDesk posts its own work in. */
  const internal = new Set([
    ...[...sources.values()].flatMap((s) => [
      s.slackChannel,
      ...(s.escalationChannel ? [s.escalationChannel] : []),
    ]),
    ...alsoInternal,
  ]);

  const customerChannelOf: CustomerChannelOf = async (tx, channel) => {
    const found = listed.get(channel);
    if (found) return found;
    if (!invited) return null;
    const sourceId = await tx.customerSlack.invitedSourceOf(channel);
    return sourceId === invited.id ? { source: invited, channel, account: undefined } : null;
  };
  return {
    customerChannelOf,
    /** The source that takes invited channels, if any. */
    invited,
    /** Whether a channel may become a customer channel by invitation (not a listed or internal one). */
    canInvite: (channel: string) => !listed.has(channel) && !internal.has(channel),
    /** Whether any source of kind slack exists (nothing to do otherwise). */
    any: slackSources.length > 0,
    slackSourceIds: slackSources.map((s) => s.id),
    slackSource: (id: string | undefined) => slackSources.find((s) => s.id === id),
  };
}

export type CustomerChannels = ReturnType<typeof createCustomerChannels>;
