// The answer to a `/desk` command or a card button, when its response_url fails (issue 15, part 1):
// Slack takes up to 5 POSTs on a response_url within 30 minutes
// (docs.slack.dev/interactivity/handling-user-interaction#message_responses), and a POST can meet a
// 5xx or a network blip. A failed answer used to be an unhandled rejection, which ends a Node
// process (and vitest fails a run on one). Now it is retried while it may pass, then sent as an
// ephemeral message (or a DM, where the bot cannot post), and HeroDesk keeps taking messages.
import { afterEach, describe, expect, it } from "vitest";
import { AGENT, CHANNEL, type Stack, type StackOptions, startStack } from "../helpers/stack.ts";
import { waitFor } from "../helpers/wait.ts";

const ADMIN = "U0ADMIN";

let stack: Stack;
afterEach(async () => {
  await stack?.stop();
});

async function setup(options: StackOptions = {}) {
  stack = await startStack(options);
  await stack.desk(ADMIN, `agent add <@${AGENT}> agent 3`);
}

/** The inbound API still takes a customer's message (the process is up). */
async function stillTakesMessages() {
  const n = await stack.customerWrites("cust-after", "Still there?");
  expect(n).toBeGreaterThan(0);
}

describe("an answer whose response_url fails", () => {
  it("is tried again when Slack answers 5xx, and arrives on the response_url", async () => {
    await setup();
    stack.emulator.responseUrls.failNext(2, 503);
    const res = await stack.emulator.driver.slashCommand({
      userId: ADMIN,
      channelId: CHANNEL,
      text: "queue",
    });
    expect(res.status).toBe(200);
    const post = await waitFor("the answer on response_url", () =>
      stack.emulator.responseUrlPosts.find((p) => p.url === res.responseUrl),
    );
    expect((post.body as { text?: string }).text).toMatch(/queue/i);
    await stillTakesMessages();
  });

  it("/desk: an expired response_url gives the answer as an ephemeral message in the channel", async () => {
    await setup();
    stack.emulator.responseUrls.failNext(100, 404);
    const res = await stack.emulator.driver.slashCommand({
      userId: ADMIN,
      channelId: CHANNEL,
      text: "queue",
    });
    expect(res.status).toBe(200);
    const shown = await waitFor("the answer as an ephemeral", () =>
      stack.emulator.ephemerals.find((e) => e.user === ADMIN && e.source === "api"),
    );
    expect(shown.channel).toBe(CHANNEL);
    expect(shown.text).toMatch(/queue/i);
    stack.emulator.responseUrls.failNext(0);
    await stillTakesMessages();
  });

  // chat.postEphemeral lists channel_not_found and user_not_in_channel among its errors
  // (docs.slack.dev/reference/methods/chat.postEphemeral); the emulator is stricter and answers
  // not_in_channel whenever the bot is not a member. Whichever Slack answers, the DM is the way.
  it("/desk in a channel the bot is not in: the answer comes as a DM", async () => {
    await setup({
      beforeStart: (emu) =>
        emu.workspace.addChannel({ id: "C0ELSEWHERE", name: "random", botIsMember: false }),
    });
    stack.emulator.workspace.join("C0ELSEWHERE", ADMIN);
    stack.emulator.responseUrls.failNext(100, 404);
    const res = await stack.emulator.driver.slashCommand({
      userId: ADMIN,
      channelId: "C0ELSEWHERE",
      text: "queue",
    });
    expect(res.status).toBe(200);
    const dm = await waitFor("the answer as a DM", () =>
      stack.dms(ADMIN).find((m) => /queue/i.test(m.text ?? "")),
    );
    expect(dm.text).toMatch(/queue/i);
    stack.emulator.responseUrls.failNext(0);
    await stillTakesMessages();
  });

  it("a card button: the outcome reaches the clicker as an ephemeral message on the card's channel", async () => {
    await setup();
    await stack.desk(AGENT, "status online");
    const n = await stack.customerWrites("cust-1", "Hello, my order is late");
    await stack.desk(ADMIN, `unassign #${n}`);
    await stack.drained();
    stack.emulator.responseUrls.failNext(100, 404);
    const card = stack.card(n);
    const res = await stack.emulator.driver.blockAction({
      userId: AGENT,
      channelId: CHANNEL,
      messageTs: card.ts,
      actionId: "conv_claim",
    });
    expect(res.status).toBe(200);
    const shown = await waitFor("the click's outcome as an ephemeral", () =>
      stack.emulator.ephemerals.find((e) => e.user === AGENT && e.source === "api"),
    );
    expect(shown.channel).toBe(CHANNEL);
    expect(shown.text).toContain(`#${n}`);
    expect(await stack.assigneeOf(n)).toBe(AGENT);
    stack.emulator.responseUrls.failNext(0);
    await stillTakesMessages();
  });
});
