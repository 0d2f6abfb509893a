// End to end: a customer message in through the signed inbound API, the card and thread reply in
// the emulated Slack, an agent's reply out through a signed POST to the source's replyUrl.
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { verify } from "../../src/core/signature.ts";
import { shownText } from "../helpers/slack-view.ts";
import { AGENT, CHANNEL, customerMessage, SOURCE_SECRET, type Stack, startStack } from "../helpers/stack.ts";
import { waitFor } from "../helpers/wait.ts";

let stack: Stack;
beforeEach(async () => {
  stack = await startStack();
});
afterEach(async () => {
  await stack.stop();
});

const cards = () => stack.emulator.workspace.messages(CHANNEL);
const thread = (ts: string) => stack.emulator.workspace.replies(CHANNEL, ts);
const shown = shownText;

async function conversationThread() {
  await stack.drained();
  const [card] = cards();
  expect(card).toBeDefined();
  return { card: card!, replies: thread(card!.ts) };
}

describe("customer message → Slack", () => {
  it("a message without a name keeps the customer's; a new name or attribute updates the card", async () => {
    await stack.sendMessage(customerMessage());
    await stack.drained();
    await stack.sendMessage(customerMessage({ customer: { id: "cust-1" }, text: "no name this time" }));
    const { card } = await conversationThread();
    const noName = thread(card.ts).find((m) => shown(m).includes("no name this time"));
    expect((noName as { username?: string }).username).toBe("Ada Lovelace");
    await stack.sendMessage(
      customerMessage({ customer: { id: "cust-1", name: "Ada King", attributes: { plan: "enterprise" } } }),
    );
    await stack.drained();
    const root = stack.emulator.workspace.message(CHANNEL, card.ts)!;
    expect(root.text).toContain("Ada King");
    expect(JSON.stringify(root.blocks)).toContain("plan: enterprise");
    expect(JSON.stringify(root.blocks)).toContain("language: es");
  });

  it("posts a card and the message as a thread reply under the customer's name", async () => {
    const res = await stack.sendMessage(
      customerMessage({ text: "My sweater never arrived", conversationId: "c-9" }),
    );
    expect(res.status).toBe(202);
    expect(res.body).toMatchObject({ conversationId: "c-9", duplicate: false });

    const { card, replies } = await conversationThread();
    expect(card.text).toContain(`#${res.body.conversationNumber}`);
    expect(JSON.stringify(card.blocks)).toContain("Ada Lovelace");
    expect(JSON.stringify(card.blocks)).toContain("Open");
    expect(replies).toHaveLength(1);
    expect(shown(replies[0]!)).toBe("My sweater never arrived");
    expect((replies[0] as { username?: string }).username).toBe("Ada Lovelace");
  });

  it("stores and mirrors a repeated messageId once, and says it was a duplicate", async () => {
    const body = customerMessage({ text: "only once" });
    const first = await stack.sendMessage(body);
    const second = await stack.sendMessage(body);
    expect(first.body.duplicate).toBe(false);
    expect(second.status).toBe(202);
    expect(second.body).toMatchObject({ duplicate: true, conversationId: first.body.conversationId });
    const { replies } = await conversationThread();
    expect(replies.map(shown)).toEqual(["only once"]);
  });

  it("continues the customer's open conversation when conversationId is left out, in order", async () => {
    const texts = ["first", "second", "third", "fourth"];
    for (const text of texts) expect((await stack.sendMessage(customerMessage({ text }))).status).toBe(202);
    const { replies } = await conversationThread();
    expect(cards()).toHaveLength(1);
    expect(replies.map(shown)).toEqual(texts);
  });

  it("shows untrusted text exactly as written and never pings anyone", async () => {
    const text =
      "Hey <!channel> <!here> <@U0AGENT1> see <#C0SUPPORT|support> and <https://evil.example|click> & *bold* :tada:";
    await stack.sendMessage(customerMessage({ text }));
    const { replies } = await conversationThread();
    const post = replies[0]!;
    expect(shown(post)).toBe(text);
    // Nothing Slack would parse as a mention or link survives where Slack parses: the top-level
    // text (mrkdwn) is escaped; the blocks hold the text only in plain_text, which Slack never
    // parses (so it is sent as written, and Slack stores it escaped: bolt-python#513).
    const blocks = post.blocks as { type: string; text?: { type: string } }[];
    for (const token of ["<!channel>", "<!here>", "<@U0AGENT1>", "<#C0SUPPORT", "<https://"])
      expect(post.text).not.toContain(token);
    expect(blocks.filter((b) => b.text).every((b) => b.text!.type === "plain_text")).toBe(true);
    expect(JSON.stringify(post.blocks)).toContain('"emoji":false');
  });

  it("splits a long text over several replies without losing a character", async () => {
    const text = `${"Lorem ipsum dolor sit amet, <consectetur> & adipiscing 🎉 elit.\n".repeat(150)}end`;
    await stack.sendMessage(customerMessage({ text }));
    const { replies } = await conversationThread();
    // About 11,000 as Slack counts it: sections of at most 3,000, over replies within 12,000.
    expect(replies.length).toBeGreaterThan(1);
    expect(replies.map(shown).join("")).toBe(text);
  });

  it("shows attachments as links", async () => {
    await stack.sendMessage(
      customerMessage({
        text: "see receipt",
        attachments: [
          { url: "https://files.example.com/r.pdf", name: "receipt|<x>.pdf", mimeType: "application/pdf" },
          { url: "https://files.example.com/a b.png?x=1&y=<2>", name: "a b.png" },
        ],
      }),
    );
    const { replies } = await conversationThread();
    const blocks = JSON.stringify(replies[0]!.blocks);
    expect(blocks).toContain("<https://files.example.com/r.pdf|receipt¦&lt;x&gt;.pdf>");
    expect(blocks).toContain("application/pdf");
    expect(blocks).toContain("<https://files.example.com/a%20b.png?x=1&amp;y=%3C2%3E|a b.png>");
  });

  it("mirrors each source into its own channel", async () => {
    await stack.sendMessage(customerMessage({ text: "web" }));
    await stack.sendMessage(customerMessage({ source: "mail", text: "mail" }), {
      secret: "mail-secret-0123456789",
    });
    await stack.drained();
    expect(stack.emulator.workspace.messages(CHANNEL)).toHaveLength(1);
    expect(stack.emulator.workspace.messages("C0OTHER")).toHaveLength(1);
  });
});

describe("agent reply in the thread → customer", () => {
  it("delivers a signed POST with the reply to the source's replyUrl and updates the card", async () => {
    const sent = await stack.sendMessage(customerMessage({ conversationId: "c-42", text: "hello?" }));
    const { card } = await conversationThread();
    expect(JSON.stringify(card.blocks)).toContain("Since");

    stack.emulator.driver.message({
      userId: AGENT,
      channelId: CHANNEL,
      threadTs: card.ts,
      text: "Hi Ada &lt;3, <@U0AGENT1> here",
    });
    const got = await waitFor("reply delivered", () => stack.reply.received[0]);
    expect(got.body).toMatchObject({
      conversationId: "c-42",
      customerId: "cust-1",
      text: "Hi Ada <3, @Alice Agent here",
      agent: { id: AGENT, name: "Alice Agent" },
    });
    expect(typeof got.body.messageId).toBe("string");
    const check = verify(
      SOURCE_SECRET,
      got.headers["x-herodesk-timestamp"] as string,
      got.headers["x-herodesk-signature"] as string,
      got.raw,
      Math.floor(Date.now() / 1000),
    );
    expect(check).toEqual({ ok: true });

    // The customer is no longer waiting: the card is updated in place.
    await stack.drained();
    const updated = stack.emulator.workspace.message(CHANNEL, card.ts)!;
    expect(JSON.stringify(updated.blocks)).toContain("Nobody waiting");
    expect(stack.emulator.calls.filter((c) => c.method === "chat.update" && c.ok)).toHaveLength(1);
    expect(sent.status).toBe(202);
  });

  it("a file an agent shares is not sent (replies carry text); the thread says so", async () => {
    await stack.sendMessage(customerMessage());
    const { card } = await conversationThread();
    const shared = await stack.emulator.driver.event({
      type: "message",
      subtype: "file_share",
      channel: CHANNEL,
      user: AGENT,
      text: "Here is the label",
      ts: `${Math.floor(Date.now() / 1000)}.000888`,
      thread_ts: card.ts,
      channel_type: "channel",
      files: [
        { name: "label.pdf", permalink: "https://herodesk-demo.slack.com/files/U0AGENT1/F0LABEL/label.pdf" },
      ],
    });
    expect(shared.status).toBe(200);
    await waitFor("reply delivered", () => stack.reply.received.length === 1);
    await stack.drained();
    expect(stack.reply.received[0]!.body.text).toBe("Here is the label");
    const notice = thread(card.ts).find((m) => m.text?.includes("not sent to the customer"));
    expect(notice?.text).toBe(
      `:paperclip: <@${AGENT}>'s file was not sent to the customer: replies carry text only. Paste a link the customer can open instead.`,
    );
  });

  it("keeps !note replies internal", async () => {
    await stack.sendMessage(customerMessage());
    const { card } = await conversationThread();
    stack.emulator.driver.message({
      userId: AGENT,
      channelId: CHANNEL,
      threadTs: card.ts,
      text: "!note VIP, be nice",
    });
    stack.emulator.driver.message({ userId: AGENT, channelId: CHANNEL, threadTs: card.ts, text: "Hello!" });
    await waitFor("reply delivered", () => stack.reply.received.length === 1);
    await stack.emulator.idle();
    await stack.drained();
    expect(stack.reply.received.map((r) => r.body.text)).toEqual(["Hello!"]);
  });

  it("never loops HeroDesk's own posts back, and delivers a retried event once", async () => {
    await stack.sendMessage(customerMessage({ text: "one" }));
    await stack.sendMessage(customerMessage({ text: "two" }));
    const { card } = await conversationThread();
    await stack.emulator.idle(); // the bot's own posts were delivered to the app as events
    expect(stack.reply.received).toHaveLength(0);

    const event = {
      type: "message",
      channel: CHANNEL,
      user: AGENT,
      text: "answer once",
      ts: `${Math.floor(Date.now() / 1000)}.000777`,
      thread_ts: card.ts,
      channel_type: "channel",
    };
    const first = await stack.emulator.driver.event(event, { eventId: "Ev0RETRY1" });
    const retry = await stack.emulator.driver.event(event, {
      eventId: "Ev0RETRY1",
      retryNum: 1,
      retryReason: "http_timeout",
    });
    // Same message, redelivered under a new event id: still one delivery.
    const again = await stack.emulator.driver.event(event, { eventId: "Ev0RETRY2" });
    expect([first.status, retry.status, again.status]).toEqual([200, 200, 200]);
    await waitFor("reply delivered", () => stack.reply.received.length >= 1);
    await stack.drained();
    expect(stack.reply.received.map((r) => r.body.text)).toEqual(["answer once"]);
  });

  it("retries a failing replyUrl with backoff, then marks the reply as not delivered in the thread", async () => {
    stack.reply.script.push(500, 503, 500);
    await stack.sendMessage(customerMessage());
    const { card } = await conversationThread();
    stack.emulator.driver.message({
      userId: AGENT,
      channelId: CHANNEL,
      threadTs: card.ts,
      text: "are you there?",
    });
    await waitFor("three attempts", () => stack.reply.received.length === 3);
    await stack.drained();
    expect(stack.reply.received.map((r) => r.headers["x-herodesk-attempt"])).toEqual(["1", "2", "3"]);
    // One delivery id across the attempts (receivers dedupe on it), naming the reply.
    const ids = new Set(stack.reply.received.map((r) => r.headers["x-herodesk-delivery-id"]));
    expect([...ids]).toEqual([`web:${stack.reply.received[0]!.body.messageId}`]);
    // The agent heard at the first failure, once, and again when HeroDesk gave up.
    const notices = thread(card.ts)
      .map((m) => m.text ?? "")
      .filter((t) => t.includes("reply"));
    expect(notices).toEqual([
      `:hourglass_flowing_sand: <@${AGENT}>'s reply has not reached the customer yet (HTTP 500). HeroDesk keeps trying and will say here how it ends.`,
      expect.stringContaining("*not delivered*"),
    ]);
    expect(notices[1]).toContain("HTTP 500");
  });

  it("a replyUrl that redirects is not a delivery: the thread says so, and nothing is re-sent as a GET", async () => {
    stack.reply.script.push({ status: 302, headers: { location: "/moved" } });
    await stack.sendMessage(customerMessage());
    const { card } = await conversationThread();
    stack.emulator.driver.message({
      userId: AGENT,
      channelId: CHANNEL,
      threadTs: card.ts,
      text: "this must not vanish",
    });
    await waitFor("not-delivered notice", () =>
      thread(card.ts).some((m) => m.text?.includes("not delivered")),
    );
    await stack.drained();
    expect(stack.reply.received).toHaveLength(1);
    const notice = thread(card.ts).find((m) => m.text?.includes("not delivered"));
    expect(notice?.text).toContain("HTTP 302");
  });

  it("sends nothing for `!skip` alone or for Slackbot in the thread; the next reply still goes out", async () => {
    await stack.sendMessage(customerMessage());
    const { card } = await conversationThread();
    stack.emulator.workspace.join(CHANNEL, "USLACKBOT"); // a /remind posts as Slackbot in the channel
    for (const [userId, text] of [
      [AGENT, "!skip"],
      ["USLACKBOT", "Reminder: call the customer back"],
      [AGENT, "!skip\nWe are on it."],
    ] as const) {
      stack.emulator.driver.message({ userId, channelId: CHANNEL, threadTs: card.ts, text });
      await stack.drained();
    }
    await waitFor("the real reply delivered", () => stack.reply.received.length >= 1);
    await stack.drained();
    expect(stack.reply.received.map((r) => r.body.text)).toEqual(["We are on it."]);
  });

  it("a source without a replyUrl: replies stay in HeroDesk, and the thread says so once", async () => {
    await stack.sendMessage(customerMessage({ source: "mail", text: "by mail" }), {
      secret: "mail-secret-0123456789",
    });
    await stack.drained();
    const [card] = stack.emulator.workspace.messages("C0OTHER");
    const notices = () =>
      stack.emulator.workspace.replies("C0OTHER", card!.ts).filter((m) => m.text?.includes("replyUrl"));
    stack.emulator.driver.message({ userId: AGENT, channelId: "C0OTHER", threadTs: card!.ts, text: "first" });
    await waitFor("the notice", () => notices().length > 0);
    stack.emulator.driver.message({
      userId: AGENT,
      channelId: "C0OTHER",
      threadTs: card!.ts,
      text: "second",
    });
    await stack.emulator.idle();
    await stack.drained();
    expect(notices().map((m) => m.text)).toEqual([
      `:warning: Source \`mail\` has no \`replyUrl\`, so replies in this thread (<@${AGENT}>'s first) are kept in HeroDesk but not sent to the customer.`,
    ]);
    expect(stack.reply.received).toHaveLength(0);
  });

  it("retries until the replyUrl recovers", async () => {
    stack.reply.script.push(502, 500);
    await stack.sendMessage(customerMessage());
    const { card } = await conversationThread();
    stack.emulator.driver.message({
      userId: AGENT,
      channelId: CHANNEL,
      threadTs: card.ts,
      text: "third time lucky",
    });
    await waitFor("delivered", () => stack.reply.received.length === 3);
    await stack.drained();
    expect(thread(card.ts).some((m) => m.text?.includes("not delivered"))).toBe(false);
    expect(
      thread(card.ts)
        .map((m) => m.text ?? "")
        .filter((t) => t.startsWith(":")),
    ).toEqual([
      `:hourglass_flowing_sand: <@${AGENT}>'s reply has not reached the customer yet (HTTP 502). HeroDesk keeps trying and will say here how it ends.`,
      `:white_check_mark: <@${AGENT}>'s reply reached the customer (attempt 3).`,
    ]);
  });
});
