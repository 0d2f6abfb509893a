// HeroDesk removed from a source channel: it must be a member to hear the agents' replies (Slack
// sends message events only from channels the bot is in: docs.slack.dev/reference/events/
// message.channels), and Slack tells it it was removed (channel_left / group_left:
// docs.slack.dev/reference/events/channel_left, group_left). A public channel is joined again at
// once, before anything needs posting (a private one becomes a problem for the admins, like one it
// was never in at start-up).
import { afterEach, describe, expect, it } from "vitest";
import { CHANNEL, customerMessage, type Stack, startStack } from "../helpers/stack.ts";
import { waitFor } from "../helpers/wait.ts";

let stack: Stack | undefined;
afterEach(async () => {
  await stack?.stop();
  stack = undefined;
});

describe("removed from a source channel", () => {
  it("a public one: HeroDesk joins it again by itself, and the agents' next reply still reaches the customer", async () => {
    stack = await startStack();
    const n = await stack.customerWrites("cust-left", "Hello?");
    const bot = stack.emulator.workspace.bot.userId;
    stack.emulator.removeFromChannel(CHANNEL, { by: "U0ADMIN" });
    expect(stack.emulator.workspace.isMember(CHANNEL, bot)).toBe(false);
    await waitFor("HeroDesk back in the channel", () => stack!.emulator.workspace.isMember(CHANNEL, bot));
    // Nothing had to be posted for it to come back: the reply arrives as an event, and goes out.
    const card = stack.card(n);
    stack.emulator.driver.message({
      userId: "U0AGENT1",
      channelId: CHANNEL,
      threadTs: card.ts,
      text: "We're on it",
    });
    await waitFor("the reply at the replyUrl", () =>
      stack!.reply.received.some((r) => r.body.text === "We're on it"),
    );
    expect((await stack.sendMessage(customerMessage({ text: "thanks" }))).status).toBe(202);
  });
});
