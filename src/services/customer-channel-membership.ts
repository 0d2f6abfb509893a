// Customer channels of the source whose customerChannels is "invited" (SPEC §8): HeroDesk invited
// to a channel takes it (the admins are told, and how to undo it); an admin adds or removes one
// with `/desk channel add|remove #x`. A listed channel, or one HeroDesk works in (a triage or
// escalation channel), never becomes a customer channel this way.
import { enqueueDmText } from "../outbox/jobs.ts";
import type { Repositories, Store } from "../store/index.ts";
import type { CustomerChannels } from "./customer-channels.ts";

export type ChannelChange =
  | { done: "channel_added"; channel: string; source: string }
  | { done: "channel_removed"; channel: string; source: string }
  | { done: "channel_unchanged"; channel: string; source: string }
  | { refused: "no_invited_source"; channel: string }
  | { refused: "internal_channel"; channel: string };

export function createCustomerChannelMembership(deps: {
  store: Store;
  channels: CustomerChannels;
  admins: readonly string[];
}) {
  const tellAdmins = async (
    tx: Parameters<Parameters<Store["transaction"]>[0]>[0],
    key: string,
    text: string,
  ) => {
    for (const userId of deps.admins) await enqueueDmText(tx, { userId, key: `${key}-${userId}`, text });
  };

  /** Inside the caller's transaction (a /desk command's, after its permission check). */
  async function change(
    tx: Repositories,
    channel: string,
    add: boolean,
    by: string | null,
  ): Promise<ChannelChange> {
    const source = deps.channels.invited;
    if (!source) return { refused: "no_invited_source", channel };
    if (add && !deps.channels.canInvite(channel)) return { refused: "internal_channel", channel };
    const changed = add
      ? await tx.customerSlack.addChannel(channel, source.id, by)
      : await tx.customerSlack.removeChannel(channel);
    if (!changed) return { done: "channel_unchanged", channel, source: source.id };
    const who = by ? `<@${by}>` : "Someone";
    await tellAdmins(
      tx,
      `customer-channel-${add ? "added" : "removed"}-${channel}-${Date.now()}`,
      add
        ? `:incoming_envelope: ${who} made <#${channel}> a customer channel (HeroDesk was invited, or \`/desk channel add\`): customers' messages there now become conversations of *${source.name ?? source.id}*, with their cards in <#${source.slackChannel}>. Not meant as a customer channel? \`/desk channel remove <#${channel}>\`.`
        : `:outbox_tray: <#${channel}> is no longer a customer channel of *${source.name ?? source.id}* (${who}): new messages there start no conversations. \`/desk channel add <#${channel}>\` takes it back.`,
    );
    return { done: add ? "channel_added" : "channel_removed", channel, source: source.id };
  }

  return {
    /** HeroDesk itself joined a channel (member_joined_channel for the bot user). */
    botInvited: (channel: string, inviter: string | null) =>
      deps.store.transaction((tx) => change(tx, channel, true, inviter)),
    /** `/desk channel add|remove`, once the guard allowed it. */
    change,
  };
}

export type CustomerChannelMembership = ReturnType<typeof createCustomerChannelMembership>;
