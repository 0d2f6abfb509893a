// End to end: customers who write in Slack (SPEC §8, issue 13). A Slack Connect channel shared
// with the external organisation Acme and an internal help channel are customer channels of the
// source "connect"; cards and the mirror of each customer thread go to the private triage channel.
// Slack's behaviour modelled by the emulator: message events in shared channels carry user_team
// (docs.slack.dev/apis/slack-connect/…/events), edits and deletions arrive as message_changed and
// message_deleted (docs.slack.dev/reference/events/message/message_changed, …/message_deleted),
// reactions as reaction_added (docs.slack.dev/reference/events/reaction_added).
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import type { SlackMessage } from "../../src/emulator/types.ts";
import { shownText } from "../helpers/slack-view.ts";
import { AGENT, type Stack, startStack } from "../helpers/stack.ts";
import { waitFor } from "../helpers/wait.ts";

const TRIAGE = "C0TRIAGE";
const TRIAGE_IT = "C0TRIAGEIT";
const LOUNGE = "C0LOUNGE";
const ACME = "C0ACME";
const HELP = "C0HELPIT";
const ACME_TEAM = "T0ACME";
const CUSTOMER = "U0ACMEADA";
const COLLEAGUE = "U0BOB";
const ADMIN = "U0ADMIN";
const GRACE = "U0GRACE";

let stack: Stack;
beforeEach(async () => {
  stack = await startStack({
    sources: [
      {
        id: "connect",
        kind: "slack",
        name: "Slack Connect",
        slackChannel: TRIAGE,
        customerChannels: [{ channel: ACME, account: "acme" }, HELP],
        reopenWithin: "1h",
      },
      // Every channel HeroDesk is invited to; a closed conversation never reopens.
      {
        id: "help",
        kind: "slack",
        name: "Internal IT desk",
        slackChannel: TRIAGE_IT,
        customerChannels: "invited",
        reopenWithin: "0s",
        // Never open: every customer gets the out-of-hours reply in their thread, as the app.
        businessHours: { timezone: "Europe/Berlin", weekly: {} },
        outOfHoursReply: "We are away until Monday 9:00.",
      },
    ],
    // A real team's volume is far below this; these tests post and react quickly.
    raiseLimits: { "reactions.add": 600, "reactions.remove": 600, "chat.update": 600 },
    beforeStart: (emulator) => {
      const ws = emulator.workspace;
      ws.addExternalOrg({ teamId: ACME_TEAM, name: "Acme" });
      ws.addUser({ id: CUSTOMER, name: "ada", realName: "Ada Acme", teamId: ACME_TEAM });
      ws.addUser({ id: COLLEAGUE, name: "bob", realName: "Bob Builder" });
      ws.addChannel({ id: TRIAGE, name: "triage", isPrivate: true, members: [AGENT, ADMIN] });
      ws.addChannel({
        id: ACME,
        name: "acme-support",
        isExtShared: true,
        connectedTeams: [ACME_TEAM],
        members: [AGENT, CUSTOMER],
      });
      ws.addChannel({ id: HELP, name: "help-it", members: [AGENT, COLLEAGUE] });
      ws.addChannel({ id: TRIAGE_IT, name: "triage-it", isPrivate: true, members: [AGENT, ADMIN] });
      ws.addChannel({
        id: LOUNGE,
        name: "it-lounge",
        members: [AGENT, COLLEAGUE, ADMIN],
        botIsMember: false,
      });
    },
  });
  await stack.desk(ADMIN, `agent add <@${AGENT}> agent 5`);
  await stack.desk(AGENT, "status online");
});
afterEach(async () => {
  await stack.stop();
});

const ws = () => stack.emulator.workspace;
const driver = () => stack.emulator.driver;
const triageCards = () => ws().messages(TRIAGE);
const triageThread = (ts: string) => ws().replies(TRIAGE, ts);
const shown = (m: SlackMessage) => shownText(m) || m.text;
/** Slack has delivered every event, and HeroDesk has done all they cause (and what that causes). */
async function settled() {
  for (let i = 0; i < 3; i++) {
    await stack.emulator.idle();
    await stack.drained();
  }
}

/** The customer writes at the top level of a customer channel; returns the conversation's card. */
async function customerAsks(channel: string, userId: string, text: string) {
  const before = triageCards().length;
  const message = driver().message({ userId, channelId: channel, text });
  await settled();
  const card = await waitFor("the card in triage", () => triageCards()[before]);
  return {
    message,
    card,
    number: (card.metadata!.event_payload as { conversation_id: number }).conversation_id,
  };
}

/** Every message the bot posted in a customer channel: only agents' answers, never anything internal. */
function assertNothingInternal(channel: string) {
  const bot = ws().bot.userId;
  const posted = ws()
    .allMessages(channel)
    .filter((m) => m.user === bot || m.bot_id);
  for (const m of posted) {
    expect(m.metadata?.event_type ?? "herodesk_reply").toBe("herodesk_reply");
    expect(JSON.stringify(m.blocks ?? [])).not.toMatch(/conv_|hero_|button|actions/);
    expect(m.text).not.toMatch(/!note|#\d+|assigned|Dedicated Hero|HeroDesk|old plan|Internal IT desk/);
    expect(m.username ?? "").not.toMatch(/Internal IT desk|Slack Connect/);
  }
  return posted;
}

describe("a customer asks in a Slack Connect channel", () => {
  it("becomes a routed conversation; answers from triage and from the customer's thread reach both sides; the customer's edits and deletions follow; closed by emoji, reopened by a reply", async () => {
    // Acme's Dedicated Hero, set before anyone of Acme wrote; another agent is online and free too.
    stack.addPerson(GRACE, "Grace Hopper");
    await stack.desk(ADMIN, `agent add <@${GRACE}> agent 5`);
    await stack.desk(GRACE, "status online");
    // `acme` is the account the config gives #acme-support: named before anyone of Acme wrote.
    expect(await stack.desk(ADMIN, `hero make acme <@${GRACE}>`)).toContain(
      "Dedicated Hero of the account acme",
    );
    const { message, card, number } = await customerAsks(ACME, CUSTOMER, "Our invoices page is blank");
    // The card and the mirror in triage, under the customer's name (users.info, after the ack).
    expect(card.text).toContain(`#${number}`);
    const mirror = triageThread(card.ts);
    expect(mirror.map(shown)).toEqual(["Our invoices page is blank"]);
    expect(mirror[0]!.username).toBe("Ada Acme");
    // Routed to the account's hero; the customer's thread shows someone is on it.
    expect(await stack.assigneeOf(number)).toBe(GRACE);
    await waitFor("the working status", () =>
      ws()
        .message(ACME, message.ts)
        ?.reactions?.some((r) => r.name === "eyes")
        ? true
        : undefined,
    );

    // The agent answers from the triage thread: posted into the customer's thread under their name.
    driver().message({ userId: AGENT, channelId: TRIAGE, threadTs: card.ts, text: "Looking into it now" });
    driver().message({
      userId: AGENT,
      channelId: TRIAGE,
      threadTs: card.ts,
      text: "!note Acme is on the old plan",
    });
    await settled();
    const answers = () =>
      ws()
        .replies(ACME, message.ts)
        .filter((m) => m.ts !== message.ts);
    // Slack ignores a custom username in a Slack Connect channel: the agent's name leads the text.
    expect(answers().map((m) => m.text)).toEqual(["*Alice Agent*: Looking into it now"]);

    // The agent answers in the customer's thread: mirrored into triage, never echoed back.
    driver().message({ userId: AGENT, channelId: ACME, threadTs: message.ts, text: "Found it: a cache" });
    await settled();
    expect(answers().map((m) => m.text)).toEqual(["*Alice Agent*: Looking into it now", "Found it: a cache"]);
    expect(triageThread(card.ts).map(shown)).toEqual([
      "Our invoices page is blank",
      "Looking into it now",
      "!note Acme is on the old plan",
      "Found it: a cache",
    ]);

    // The customer replies, edits and deletes: the copies in triage follow, in order.
    const reply = driver().message({
      userId: CUSTOMER,
      channelId: ACME,
      threadTs: message.ts,
      text: "Thanks, still blank",
    });
    await settled();
    driver().editMessage({ userId: CUSTOMER, channelId: ACME, ts: reply.ts, text: "Thanks, works now" });
    await settled();
    const copyOf = (text: string) =>
      triageThread(card.ts).find((m) => JSON.stringify(m.blocks).includes(text));
    expect(JSON.stringify(copyOf("Thanks, works now")!.blocks)).toContain("Edited in Slack");
    driver().deleteMessage({ userId: CUSTOMER, channelId: ACME, ts: message.ts });
    await settled();
    expect(JSON.stringify(copyOf("Our invoices page is blank")!.blocks)).toContain("Deleted in Slack");

    // The agent edits their answer in triage: the customer's copy follows.
    const triageAnswer = triageThread(card.ts).find(
      (m) => m.text === "Looking into it now" && m.user === AGENT,
    )!;
    driver().editMessage({
      userId: AGENT,
      channelId: TRIAGE,
      ts: triageAnswer.ts,
      text: "Looking into it right now",
    });
    await settled();
    expect(answers().map((m) => m.text)).toContain("*Alice Agent*: Looking into it right now");

    // Closed by the close emoji on the customer's thread; the customer sees ✅, not 👀.
    // Alice may not close Grace's conversation (assignee, manager or admin): her emoji does nothing.
    driver().react({ userId: AGENT, channelId: ACME, ts: reply.ts, name: "white_check_mark" });
    await settled();
    expect((await stack.app.store.conversations.get(number))!.status).toBe("open");
    ws().join(ACME, GRACE);
    driver().react({ userId: GRACE, channelId: ACME, ts: reply.ts, name: "white_check_mark" });
    await settled();
    expect((await stack.app.store.conversations.get(number))!.status).toBe("closed");

    // The customer writes again in the thread within reopenWithin: the conversation reopens.
    driver().message({ userId: CUSTOMER, channelId: ACME, threadTs: message.ts, text: "It broke again" });
    await settled();
    expect((await stack.app.store.conversations.get(number))!.status).toBe("open");
    expect(triageCards()).toHaveLength(1);
    expect(triageThread(card.ts).map(shown)).toContain("It broke again");

    // Nothing internal ever went into the customer's channel: only the agent's answer from triage
    // (the one written in the customer's thread is the agent's own message there).
    expect(assertNothingInternal(ACME).map((m) => m.text)).toEqual([
      "*Alice Agent*: Looking into it right now",
    ]);
  });

  it("the customer's thread shows 👀 while someone is on it and ✅ once closed from /desk", async () => {
    const { message, number } = await customerAsks(ACME, CUSTOMER, "Can you reset my password?");
    const reactions = () => (ws().message(ACME, message.ts)?.reactions ?? []).map((r) => r.name);
    await waitFor("👀", () => (reactions().includes("eyes") ? true : undefined));
    expect(await stack.desk(AGENT, `close #${number}`)).toContain(`#${number}`);
    await settled();
    await waitFor("✅", () => (reactions().includes("white_check_mark") ? true : undefined));
    expect(reactions()).toEqual(["white_check_mark"]);
    assertNothingInternal(ACME);
  });

  it("an internal help channel works the same; an agent's own top-level message is no conversation", async () => {
    const { number } = await customerAsks(HELP, COLLEAGUE, "My laptop will not boot");
    const customer = await stack.app.store.customers.get(
      (await stack.app.store.conversations.get(number))!.customerId,
    );
    expect(customer.name).toBe("Bob Builder");
    driver().message({ userId: AGENT, channelId: HELP, text: "Maintenance tonight at 22:00" });
    await settled();
    expect(triageCards()).toHaveLength(1);
    assertNothingInternal(HELP);
  });

  it("files the customer shares appear in triage as links; an agent's open emoji and the shortcut open any message", async () => {
    const { card } = await customerAsks(ACME, CUSTOMER, "See the screenshot");
    driver().message({
      userId: CUSTOMER,
      channelId: ACME,
      threadTs: ws().messages(ACME)[0]!.ts,
      text: "",
      files: [{ name: "blank-page.png", content: "PNG…" }],
    });
    await settled();
    const copy = triageThread(card.ts).at(-1)!;
    expect(JSON.stringify(copy.blocks)).toContain("blank-page.png");
    expect(JSON.stringify(copy.blocks)).toContain("slack.com");

    // An agent's announcement with a question under it, opened by the agent's emoji and by the shortcut.
    const announcement = driver().message({ userId: AGENT, channelId: ACME, text: "We upgrade on Friday" });
    const question = driver().message({
      userId: CUSTOMER,
      channelId: ACME,
      text: "Will exports still work?",
    });
    await settled();
    const before = triageCards().length;
    driver().react({ userId: AGENT, channelId: ACME, ts: announcement.ts, name: "ticket" });
    await settled();
    expect(triageCards()).toHaveLength(before + 1);
    expect(triageThread(triageCards()[before]!.ts).map(shown)).toEqual(["We upgrade on Friday"]);
    // The question already is a conversation (a customer's top-level message): the shortcut says so.
    const res = await driver().messageShortcut({
      userId: AGENT,
      channelId: ACME,
      messageTs: question.ts,
      callbackId: "open_as_conversation",
    });
    expect(res.status).toBe(200);
    const answer = await waitFor("the shortcut's answer", () =>
      stack.emulator.responseUrlPosts.find((p) => p.url === res.responseUrl),
    );
    expect((answer.body as { text: string }).text).toMatch(/already conversation #\d+/);
    assertNothingInternal(ACME);
  });

  it("an invited channel joins the invited source (the admins told), closes for good at once, and /desk channel remove lets it go", async () => {
    stack.emulator.inviteToChannel(LOUNGE, { inviter: ADMIN });
    await settled();
    expect(
      stack
        .dms(ADMIN)
        .map((m) => m.text)
        .join("\n"),
    ).toContain(`<#${LOUNGE}> a customer channel`);
    const first = driver().message({ userId: COLLEAGUE, channelId: LOUNGE, text: "VPN is down" });
    await settled();
    const [card] = ws().messages(TRIAGE_IT);
    expect(card).toBeDefined();
    // The out-of-hours reply, customer-facing by design, speaks as the app: no internal source name.
    expect(
      ws()
        .replies(LOUNGE, first.ts)
        .map((m) => m.text),
    ).toContain("We are away until Monday 9:00.");
    const number = (card!.metadata!.event_payload as { conversation_id: number }).conversation_id;
    expect(await stack.desk(AGENT, `close #${number}`)).toContain(`#${number}`);
    await settled();
    // reopenWithin 0s: a reply in the closed thread starts a new conversation, answered in the same thread.
    driver().message({ userId: COLLEAGUE, channelId: LOUNGE, threadTs: first.ts, text: "Down again" });
    await settled();
    expect(ws().messages(TRIAGE_IT)).toHaveLength(2);
    expect((await stack.app.store.conversations.get(number))!.status).toBe("closed");
    const second = ws().messages(TRIAGE_IT)[1]!;
    driver().message({ userId: AGENT, channelId: TRIAGE_IT, threadTs: second.ts, text: "Restarted it" });
    await settled();
    expect(
      ws()
        .replies(LOUNGE, first.ts)
        .map((m) => m.text),
    ).toContain("Restarted it");

    expect(await stack.desk(ADMIN, `channel remove <#${LOUNGE}|it-lounge>`)).toContain(
      "no longer a customer channel",
    );
    driver().message({ userId: COLLEAGUE, channelId: LOUNGE, text: "Printer jammed" });
    await settled();
    expect(ws().messages(TRIAGE_IT)).toHaveLength(2);
    // The listed channels and triage channels are never taken by invitation.
    expect(await stack.desk(ADMIN, `channel add <#${TRIAGE}|triage>`)).toContain(
      "never see HeroDesk's own channels",
    );
    assertNothingInternal(LOUNGE);
  });
});
