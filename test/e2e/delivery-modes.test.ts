// End to end (issue 9 part 8): HeroDesk's main paths, once with Slack's requests as signed HTTP
// POSTs and once over Socket Mode (https://docs.slack.dev/apis/events-api/using-socket-mode: an
// app-level token, apps.connections.open, envelopes acknowledged over the WebSocket). Each path is
// one entry of PATHS, run in both modes against the same strict emulator; a new path joins by one
// line. Every path checks its work done, and each mode ends by checking that Slack had to retry
// nothing and that every request was reported to the ack-first gate (src/slack/ack-first.ts).
import { afterAll, beforeAll, describe, expect, it, type MockInstance, vi } from "vitest";
import { ackFirst } from "../../src/slack/ack-first.ts";
import { shownText } from "../helpers/slack-view.ts";
import { AGENT, CHANNEL, type Stack, startStack } from "../helpers/stack.ts";
import { waitFor } from "../helpers/wait.ts";

const ADMIN = "U0ADMIN"; // a bootstrap admin (config file)
const SLACK_DEADLINE_MS = 3000; // Slack's wait for an acknowledgement

let seq = 0;
/** A customer writes a first message; returns the conversation's number and its card's ts. */
async function newConversation(stack: Stack, text = "Where is my parcel?") {
  const customer = `cust-${stack.delivery}-${++seq}`;
  const n = await stack.customerWrites(customer, text, { conversationId: `conv-${customer}` });
  return { n, customer, cardTs: stack.card(n).ts };
}

async function customerMessage(stack: Stack) {
  const { n, cardTs } = await newConversation(stack, "My sweater never arrived");
  expect(stack.card(n).text).toContain(`#${n}`);
  expect(stack.emulator.workspace.replies(CHANNEL, cardTs).map(shownText)).toEqual([
    "My sweater never arrived",
  ]);
}

async function threadReply(stack: Stack) {
  const { customer, cardTs } = await newConversation(stack);
  stack.emulator.driver.message({ userId: AGENT, channelId: CHANNEL, threadTs: cardTs, text: "On its way!" });
  const got = await waitFor("the reply at the replyUrl", () =>
    stack.reply.received.find((r) => r.body.conversationId === `conv-${customer}`),
  );
  expect(got.body).toMatchObject({ text: "On its way!", agent: { id: AGENT, name: "Alice Agent" } });
}

async function deskCommand(stack: Stack) {
  // A usage error is the acknowledgement's own payload (over Socket Mode: the ack's payload).
  expect(await stack.desk(ADMIN, "frobnicate")).toContain("/desk help");
  // Any other answer comes on response_url after the acknowledgement.
  expect(await stack.desk(AGENT, "status away")).toContain("away");
  expect((await stack.app.store.agents.bySlackId(AGENT))?.status).toBe("away");
  expect(await stack.desk(AGENT, "status online")).toContain("online");
}

async function cardButton(stack: Stack) {
  const { n } = await newConversation(stack);
  expect(await stack.click(AGENT, n, "conv_claim")).toContain(`#${n}`);
  expect(await stack.assigneeOf(n)).toBe(AGENT);
  await waitFor("the card to show the assignee", () =>
    JSON.stringify(stack.card(n).blocks).includes(`<@${AGENT}>`),
  );
}

async function makeHeroModal(stack: Stack) {
  const { n } = await newConversation(stack);
  const modals = () =>
    stack.emulator.workspace.openViews.filter(
      (v) => v.userId === ADMIN && v.view.callback_id === "hero_make_modal",
    );
  const before = modals().length;
  const click = await stack.emulator.driver.blockAction({
    userId: ADMIN,
    channelId: CHANNEL,
    messageTs: stack.card(n).ts,
    actionId: "hero_make",
  });
  expect(click.status).toBe(200);
  const modal = await waitFor("the Make Hero modal", () => modals()[before]);
  // Submitted empty: the ack's response_action keeps the modal open with the error.
  const empty = await stack.emulator.driver.viewSubmission({
    userId: ADMIN,
    viewId: modal.view.id,
    values: {},
  });
  expect(empty.body).toMatchObject({ response_action: "errors", errors: { hero_agent: expect.any(String) } });
  expect(modal.isOpen).toBe(true);
  const submit = await stack.emulator.driver.viewSubmission({
    userId: ADMIN,
    viewId: modal.view.id,
    values: { hero_agent: { agent: AGENT } },
  });
  expect(submit.status).toBe(200);
  expect(modal.isOpen).toBe(false);
  const conversation = (await stack.app.store.conversations.get(n))!;
  const agent = (await stack.app.store.agents.bySlackId(AGENT))!;
  expect((await stack.app.store.customers.get(conversation.customerId)).hero).toEqual({
    kind: "agent",
    agentId: agent.id,
  });
  await waitFor("the DM saying so", () =>
    stack.dms(ADMIN).some((m) => m.text?.includes(`<@${AGENT}> is now the Dedicated Hero`)),
  );
}

async function appHomeOpened(stack: Stack) {
  const published = () =>
    stack.emulator.calls.filter((c) => c.method === "views.publish" && c.params.user_id === AGENT && c.ok)
      .length;
  const before = published();
  const res = await stack.emulator.driver.appHomeOpened(AGENT);
  expect(res.status).toBe(200);
  await waitFor("the agent's home", () => published() > before);
  expect(stack.emulator.workspace.homeView(AGENT)?.type).toBe("home");
}

/** The main paths: [what, how]. */
const PATHS: [string, (stack: Stack) => Promise<void>][] = [
  ["a customer message: its card, and the message in its thread", customerMessage],
  ["an agent's thread reply reaches the customer's replyUrl", threadReply],
  ["/desk: a usage error in the ack, an answer on response_url", deskCommand],
  ["a card button (Claim)", cardButton],
  ["the Make Hero modal: opened by a card button, refused empty, submitted", makeHeroModal],
  ["app_home_opened: the home is published", appHomeOpened],
];

describe.each(["http", "socket"] as const)("over %s", (delivery) => {
  let stack: Stack;
  let arrivals: MockInstance<() => void>;

  beforeAll(async () => {
    arrivals = vi.spyOn(ackFirst, "arrived"); // it still does its work
    stack = await startStack({ delivery });
    expect(await stack.desk(ADMIN, `agent add <@${AGENT}>`)).toContain("is a HeroDesk agent");
  });
  afterAll(async () => {
    await stack?.stop();
    arrivals.mockRestore();
  });

  it.each(PATHS)("%s", async (_what, path) => path(stack));

  it("every Slack request was answered in time and reported to the ack-first gate; Slack retried nothing", async () => {
    await stack.emulator.idle();
    const deliveries = stack.emulator.deliveries;
    expect(deliveries.length).toBeGreaterThan(0);
    expect(deliveries.filter((d) => d.outcome !== "ok")).toEqual([]);
    expect(deliveries.every((d) => d.attempt === 1)).toBe(true);
    const envelopes = stack.emulator.socketMode.envelopes;
    if (delivery === "socket") {
      expect(new Set(envelopes.map((e) => e.type))).toEqual(
        new Set(["events_api", "slash_commands", "interactive"]),
      );
      expect(envelopes.filter((e) => e.outcome !== "acked")).toEqual([]);
      expect(envelopes.every((e) => (e.ackedAt ?? Infinity) - e.sentAt < SLACK_DEADLINE_MS)).toBe(true);
      expect(arrivals).toHaveBeenCalledTimes(envelopes.length);
      // The link came from SLACK_API_URL (the emulator), as every other Web API call does.
      expect(stack.emulator.calls.filter((c) => c.method === "apps.connections.open")).toHaveLength(1);
    } else {
      expect(envelopes).toEqual([]);
      expect(arrivals.mock.calls.length).toBeGreaterThan(deliveries.length);
    }
  });
});
