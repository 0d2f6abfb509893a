// HeroDesk was invited to a channel (member_joined_channel with the bot's own user id,
// docs.slack.dev/reference/events/member_joined_channel): with a source whose customerChannels is
// "invited", the channel becomes its customer channel and the admins are told.
import type { App } from "@slack/bolt";
import type { CustomerChannelMembership } from "../../../services/customer-channel-membership.ts";

export function register(app: App, deps: { membership: CustomerChannelMembership }) {
  app.event("member_joined_channel", async ({ event, context }) => {
    if (!context.botUserId || event.user !== context.botUserId) return;
    await deps.membership.botInvited(event.channel, event.inviter ?? null);
  });
}
