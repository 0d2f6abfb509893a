// HeroDesk was removed from a channel (channel_left / group_left, docs.slack.dev/reference/events/
// channel_left and group_left). In a source channel it must be a member to hear the agents' replies:
// it joins a public one again at once, and a private one becomes a problem the admins are told of.
import type { App } from "@slack/bolt";

export function register(
  app: App,
  deps: { isSourceChannel: (channel: string) => boolean; rejoin: (channel: string) => Promise<void> },
) {
  const left = async ({ event }: { event: { channel?: string } }) => {
    if (event.channel && deps.isSourceChannel(event.channel)) await deps.rejoin(event.channel);
  };
  app.event("channel_left", left);
  app.event("group_left", left);
}
