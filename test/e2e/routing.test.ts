// Routing, Dedicated Heroes, claims and notifications end to end (SPEC section 4): customers write
// in through the inbound API, agents act through /desk and card buttons, Slack shows the result.
import { afterEach, describe, expect, it } from "vitest";
import { CHANNEL, customerMessage, type Stack, startStack } from "../helpers/stack.ts";
import { waitFor } from "../helpers/wait.ts";

const ADMIN = "U0ADMIN";
const ALICE = "U0ALICE";
const BOB = "U0BOB";
const CARL = "U0CARL";

let stack: Stack;
afterEach(async () => {
  await stack?.stop();
});

async function setup(options: Parameters<typeof startStack>[0] = {}) {
  stack = await startStack(options);
  for (const [id, name] of [
    [ALICE, "Alice Able"],
    [BOB, "Bob Baker"],
    [CARL, "Carl Clay"],
  ] as const) {
    stack.addPerson(id, name);
    expect(await stack.desk(ADMIN, `agent add <@${id}> agent 2`)).toContain("is a HeroDesk agent");
  }
  return stack;
}

const online = (id: string) => stack.desk(id, "status online");

describe("normal routing", () => {
  it("assigns a new conversation to the online agent with the fewest open ones, with a DM linking the thread", async () => {
    await setup();
    await online(ALICE);
    await online(BOB);
    const first = await stack.customerWrites("c1", "hi");
    const second = await stack.customerWrites("c2", "hello");
    const owners = [await stack.assigneeOf(first), await stack.assigneeOf(second)];
    expect(new Set(owners)).toEqual(new Set([ALICE, BOB]));
    const dm = stack.dms(owners[0]!).at(-1)!;
    expect(dm.text).toContain(`#${first}`);
    expect(JSON.stringify(dm.blocks)).toContain("https://herodesk-demo.slack.com/archives/C0SUPPORT/p");
    expect(JSON.stringify(dm.blocks)).toContain("hi");
    // The card shows the assignee, updated in place.
    expect(JSON.stringify(stack.card(first).blocks)).toContain(`<@${owners[0]}>`);
  });

  it("follows the first matching rule to its team", async () => {
    await setup();
    await online(ALICE);
    await online(BOB);
    await stack.desk(ADMIN, "team add Spanish");
    await stack.desk(ADMIN, `team join Spanish <@${BOB}>`);
    expect(await stack.desk(ADMIN, "rule add language=es team Spanish")).toContain("go to team Spanish");
    const n = await stack.customerWrites("c1", "hola", {
      customer: { id: "c1", name: "Pepa", attributes: { language: "ES" } },
    });
    expect(await stack.assigneeOf(n)).toBe(BOB);
    expect(await stack.desk(ADMIN, `history #${n}`)).toContain("routed by the rule language = es");
  });

  it("queues when nobody is free, and assigns the moment an agent comes online", async () => {
    await setup();
    const n = await stack.customerWrites("c1", "anyone?");
    expect(await stack.assigneeOf(n)).toBeNull();
    // Each line links to the conversation's thread (Slack's archives/<channel>/p<ts> link).
    const thread = `https://herodesk-demo.slack.com/archives/C0SUPPORT/p${stack.card(n).ts.replace(".", "")}`;
    expect(await stack.desk(ALICE, "queue")).toContain(`<${thread}|#${n}>`);
    await online(CARL);
    await stack.drained();
    expect(await stack.assigneeOf(n)).toBe(CARL);
    expect(await stack.desk(ADMIN, `history #${n}`)).toContain("from the queue");
  });

  it("assigns the queue the moment capacity frees (close)", async () => {
    await setup();
    await stack.desk(ADMIN, `agent capacity <@${ALICE}> 1`);
    await online(ALICE);
    const first = await stack.customerWrites("c1", "one");
    const second = await stack.customerWrites("c2", "two");
    expect([await stack.assigneeOf(first), await stack.assigneeOf(second)]).toEqual([ALICE, null]);
    expect(await stack.click(ALICE, first, "conv_close")).toContain("closed");
    await stack.drained();
    expect(await stack.assigneeOf(second)).toBe(ALICE);
  });

  it("an agent going offline keeps their open conversations", async () => {
    await setup();
    await online(ALICE);
    const n = await stack.customerWrites("c1", "one");
    expect(await stack.desk(ALICE, "status offline")).toBe(
      "You are offline. New conversations go to others. Your open conversation stays yours.",
    );
    expect(await stack.assigneeOf(n)).toBe(ALICE);
  });
});

describe("Dedicated Heroes", () => {
  it("hero online with capacity gets the customer's conversation, even with others freer", async () => {
    await setup();
    await online(BOB);
    const busy = await stack.customerWrites("other", "keeps Bob busier than Alice");
    expect(await stack.assigneeOf(busy)).toBe(BOB);
    const first = await stack.customerWrites("vip", "first contact");
    expect(await stack.desk(ADMIN, `hero make vip <@${BOB}>`)).toContain("Dedicated Hero");
    await stack.click(ADMIN, first, "conv_close");
    await online(ALICE);
    const next = await stack.customerWrites("vip", "again", { conversationId: "vip-2" });
    expect(await stack.assigneeOf(next)).toBe(BOB);
    expect(await stack.desk(ADMIN, `history #${next}`)).toContain("to the hero");
  });

  it("hero offline or away: normal routing at once", async () => {
    await setup();
    await online(ALICE);
    await online(BOB);
    const first = await stack.customerWrites("vip", "hello");
    await stack.desk(ADMIN, `hero make vip <@${BOB}>`);
    await stack.desk(BOB, "status away");
    await stack.click(ADMIN, first, "conv_close");
    const next = await stack.customerWrites("vip", "again", { conversationId: "vip-2" });
    expect(await stack.assigneeOf(next)).toBe(ALICE);
  });

  it("Make Hero does not move the open conversation; Reassign to Hero does", async () => {
    await setup();
    await online(ALICE);
    const n = await stack.customerWrites("vip", "hello");
    expect(await stack.assigneeOf(n)).toBe(ALICE);
    // No hero: the card offers Make Hero only (issue 10, part 5).
    const heroButtons = () =>
      (stack.card(n).blocks as { block_id?: string; elements?: { action_id?: string }[] }[])
        .find((b) => b.block_id?.startsWith("hero_"))
        ?.elements?.map((e) => e.action_id);
    expect(heroButtons()).toEqual(["hero_make"]);
    await stack.desk(ADMIN, `hero make vip <@${CARL}>`);
    await stack.drained();
    expect(heroButtons()).toEqual(["conv_reassign_hero", "hero_make", "hero_remove"]);
    expect(await stack.assigneeOf(n)).toBe(ALICE);
    expect(JSON.stringify(stack.card(n).blocks)).toContain(`<@${CARL}>`); // the card shows the hero
    expect(await stack.click(ALICE, n, "conv_reassign_hero")).toContain("back with the hero");
    expect(await stack.assigneeOf(n)).toBe(CARL);
  });

  it("a conversation someone else holds stays until it closes; the next one goes back to the hero", async () => {
    await setup();
    await online(ALICE);
    const n = await stack.customerWrites("vip", "hello");
    await stack.desk(ADMIN, `hero make vip <@${CARL}>`);
    await online(CARL);
    await stack.customerWrites("vip", "still me"); // same open conversation
    expect(await stack.assigneeOf(n)).toBe(ALICE);
    await stack.click(ALICE, n, "conv_close");
    const next = await stack.customerWrites("vip", "new topic");
    expect(next).not.toBe(n);
    expect(await stack.assigneeOf(next)).toBe(CARL);
  });

  it("a team hero: its available member with the most free capacity", async () => {
    await setup();
    await stack.desk(ADMIN, "team add VIP Care");
    await stack.desk(ADMIN, `team join VIP Care <@${BOB}> <@${CARL}>`);
    await stack.desk(ADMIN, `agent capacity <@${BOB}> 5`);
    await stack.desk(ADMIN, `agent capacity <@${CARL}> 2`);
    await online(ALICE);
    const first = await stack.customerWrites("vip", "hello");
    expect(await stack.desk(ADMIN, "hero make vip team VIP Care")).toContain("team VIP Care");
    await online(BOB);
    await online(CARL);
    await stack.click(ADMIN, first, "conv_close");
    const next = await stack.customerWrites("vip", "again");
    expect(await stack.assigneeOf(next)).toBe(BOB);
  });

  it("hero at capacity: waits, and gets it when capacity frees in time", async () => {
    await setup();
    await stack.desk(ADMIN, `agent capacity <@${BOB}> 1`);
    await online(ALICE);
    await online(BOB);
    await stack.desk(ALICE, "status away");
    const busy = await stack.customerWrites("other", "keeps Bob busy");
    expect(await stack.assigneeOf(busy)).toBe(BOB);
    await online(ALICE);
    const seed = await stack.customerWrites("vip", "hello");
    await stack.desk(ADMIN, `hero make vip <@${BOB}>`);
    await stack.click(ADMIN, seed, "conv_close");
    const waiting = await stack.customerWrites("vip", "need Bob");
    expect(await stack.assigneeOf(waiting)).toBeNull();
    expect(JSON.stringify(stack.card(waiting).blocks)).toContain("Waiting for the hero");
    await stack.click(BOB, busy, "conv_close");
    await stack.drained();
    expect(await stack.assigneeOf(waiting)).toBe(BOB);
  });

  it("hero at capacity past the source's timeout: normal routing, even across a restart", async () => {
    await setup({ mailHeroWaitSeconds: 5 });
    await stack.desk(ADMIN, `agent capacity <@${BOB}> 1`);
    await online(BOB);
    const busy = await stack.customerWrites("other", "keeps Bob busy");
    expect(await stack.assigneeOf(busy)).toBe(BOB);
    // A customer id belongs to its source: the customer is mail's vip.
    const seed = await stack.customerWrites("vip", "hello", { source: "mail" });
    await stack.desk(ADMIN, `hero make vip <@${BOB}>`);
    await stack.click(ADMIN, seed, "conv_close", { channel: "C0OTHER" });
    await online(ALICE);
    // The mail source's hero wait is 5 s in this test; the wait is stored, so a restart keeps it.
    const waiting = await stack.customerWrites("vip", "need Bob", { source: "mail" });
    expect(await stack.assigneeOf(waiting)).toBeNull();
    expect(JSON.stringify(stack.card(waiting, "C0OTHER").blocks)).toContain("Waiting for the hero");
    await stack.restart();
    await waitFor("routed after the wait", async () => (await stack.assigneeOf(waiting)) === ALICE, 12_000);
  });
});

describe("claims", () => {
  it("20 simultaneous Claim clicks give exactly one assignee; the others hear who has it", async () => {
    await setup();
    const people = Array.from({ length: 20 }, (_, i) => `U0CLAIM${String(i).padStart(2, "0")}`);
    for (const id of people) {
      stack.addPerson(id, `Claimer ${id.slice(-2)}`);
      await stack.desk(ADMIN, `agent add <@${id}>`);
    }
    const n = await stack.customerWrites("c1", "who wants me?");
    const answers = await Promise.all(people.map((id) => stack.click(id, n, "conv_claim")));
    const winners = answers.filter((a) => a.includes("You have"));
    const losers = answers.filter((a) => a.includes("already claimed by"));
    expect(winners).toHaveLength(1);
    expect(losers).toHaveLength(19);
    const owner = await stack.assigneeOf(n);
    expect(owner).not.toBeNull();
    for (const a of losers) expect(a).toContain(`<@${owner}>`);
    const history = await stack.desk(ADMIN, `history #${n}`);
    expect(history.match(/claimed/g)).toHaveLength(1);
  });

  it("first responder: an agent's first reply makes them the assignee; !skip does not", async () => {
    await setup();
    const n = await stack.customerWrites("c1", "help");
    const thread = stack.card(n).ts;
    stack.emulator.driver.message({
      userId: BOB,
      channelId: CHANNEL,
      threadTs: thread,
      text: "!skip just a quick hint",
    });
    await waitFor("skip delivered", () => stack.reply.received.length === 1);
    await stack.drained();
    expect(await stack.assigneeOf(n)).toBeNull();
    expect(stack.reply.received[0]!.body.text).toBe("just a quick hint");
    stack.emulator.driver.message({ userId: ALICE, channelId: CHANNEL, threadTs: thread, text: "I'm on it" });
    await waitFor("reply delivered", () => stack.reply.received.length === 2);
    await stack.drained();
    expect(await stack.assigneeOf(n)).toBe(ALICE);
    stack.emulator.driver.message({ userId: BOB, channelId: CHANNEL, threadTs: thread, text: "me too" });
    await waitFor("reply delivered", () => stack.reply.received.length === 3);
    await stack.drained();
    expect(await stack.assigneeOf(n)).toBe(ALICE);
  });
});

describe("notifications", () => {
  it("while unassigned, subscribed agents hear of each message; after, only the assignee", async () => {
    await setup();
    expect(await stack.desk(ALICE, "subscribe web")).toContain("every message");
    expect(await stack.desk(BOB, "subscribe web")).toContain("every message");
    const n = await stack.customerWrites("c1", "first");
    await stack.customerWrites("c1", "second");
    expect(stack.dms(ALICE).filter((m) => m.text?.includes(`#${n}`))).toHaveLength(2);
    expect(stack.dms(BOB).filter((m) => m.text?.includes(`#${n}`))).toHaveLength(2);
    await stack.click(CARL, n, "conv_claim");
    await stack.customerWrites("c1", "third");
    expect(stack.dms(ALICE).filter((m) => m.text?.includes(`#${n}`))).toHaveLength(2);
    expect(
      stack.dms(CARL).filter((m) => m.text?.includes("New message") && m.text.includes(`#${n}`)),
    ).toHaveLength(1);
  });
});

// Issue 10, part 5: the Make Hero modal names the customer, and its errors are plain text (Slack
// shows a modal's input errors as written: a raw <@U…> would show as such).
describe("the Make Hero modal", () => {
  it("names the customer, and refuses a non-agent in plain words", async () => {
    await setup();
    stack.addPerson("U0STRANGER", "Sam Stranger");
    const n = await stack.customerWrites("cust-ada", "hello", { name: "Ada <Lovelace>" });
    const modals = () =>
      stack.emulator.workspace.openViews.filter(
        (v) => v.userId === ADMIN && v.view.callback_id === "hero_make_modal",
      );
    await stack.emulator.driver.blockAction({
      userId: ADMIN,
      channelId: CHANNEL,
      messageTs: stack.card(n).ts,
      actionId: "hero_make",
    });
    const modal = await waitFor("the modal", () => modals()[0]);
    expect(JSON.stringify(modal.view.blocks)).toContain(
      `Dedicated Hero of *Ada &lt;Lovelace&gt;* (\`cust-ada\`, the customer of #${n})?`,
    );
    const submit = await stack.emulator.driver.viewSubmission({
      userId: ADMIN,
      viewId: modal.view.id,
      values: { hero_agent: { agent: "U0STRANGER" } },
    });
    expect(submit.body).toEqual({
      response_action: "errors",
      errors: { hero_agent: "The person you picked is not a HeroDesk agent." },
    });
  });
});

// Issue 10, part 5: the history says why, and has every close and reopen.
describe("/desk history", () => {
  it("names the rule that routed, the team a conversation waits for, closes and reopens", async () => {
    await setup();
    await stack.desk(ADMIN, "team add Spanish");
    await stack.desk(ADMIN, `team join Spanish <@${ALICE}>`);
    await stack.desk(ADMIN, "rule add language=es team Spanish");
    // Alice is offline: the Spanish conversation waits for her team.
    const send = async (id: string, text: string, conversationId?: string) => {
      const res = await stack.sendMessage(
        customerMessage({
          customer: { id, name: id.toUpperCase(), attributes: { language: "es" } },
          text,
          ...(conversationId ? { conversationId } : {}),
        }),
      );
      await stack.drained();
      return res.body.conversationNumber as number;
    };
    const n = await send("ana", "hola");
    expect(await stack.assigneeOf(n)).toBeNull();
    await online(ALICE);
    await stack.drained();
    expect(await stack.assigneeOf(n)).toBe(ALICE);
    await stack.click(ALICE, n, "conv_close");
    // A message to the closed conversation reopens it.
    await send("ana", "una cosa más", (await stack.app.store.conversations.get(n))!.externalId);
    await stack.desk(ALICE, `close #${n}`);
    await stack.desk(ALICE, `reopen #${n}`);
    const lines = (await stack.desk(ADMIN, `history #${n}`))
      .split("\n")
      .slice(1)
      .map((l) => l.replace(/^.* · /, ""));
    expect(lines).toEqual([
      "waits for team Spanish (rule language = es)",
      `assigned to <@${ALICE}> (from the queue, by the rule language = es)`,
      `closed by <@${ALICE}>`,
      "reopened (the customer wrote again)",
      `closed by <@${ALICE}>`,
      `reopened by <@${ALICE}>`,
    ]);
    // Routed at once by the rule: the history names it.
    const m = await send("bea", "hola");
    expect(await stack.assigneeOf(m)).toBe(ALICE);
    expect(await stack.desk(ADMIN, `history #${m}`)).toContain(
      `assigned to <@${ALICE}> (routed by the rule language = es)`,
    );
  });
});

// Issue 10, part 5: Reassign to Hero does what was asked, and says when the hero is away or full.
describe("Reassign to Hero onto a hero who is away or at capacity", () => {
  it("moves it, with a heads-up that says why it may wait", async () => {
    await setup();
    await online(ALICE);
    const n = await stack.customerWrites("vip", "hello");
    expect(await stack.assigneeOf(n)).toBe(ALICE);
    await stack.desk(ADMIN, `hero make vip <@${CARL}>`); // Carl is offline
    await stack.drained(); // the card shows Reassign to Hero once it has a hero
    expect(await stack.click(ALICE, n, "conv_reassign_hero")).toBe(
      `#${n} is back with the hero, <@${CARL}>. Heads-up: they are offline, so they may not see it soon; \`/desk assign #${n} @someone\` moves it again.`,
    );
    expect(await stack.assigneeOf(n)).toBe(CARL);

    // Full: Bob (capacity 2) holds two already.
    await online(BOB);
    await stack.desk(ALICE, "status away");
    await stack.customerWrites("b1", "one");
    await stack.customerWrites("b2", "two");
    await stack.desk(ALICE, "status online");
    const m = await stack.customerWrites("vip2", "hi");
    expect(await stack.assigneeOf(m)).toBe(ALICE);
    await stack.desk(ADMIN, `hero make vip2 <@${BOB}>`);
    await stack.drained();
    expect(await stack.click(ALICE, m, "conv_reassign_hero")).toBe(
      `#${m} is back with the hero, <@${BOB}>. Heads-up: that takes them over their capacity (3 open of 2).`,
    );
  });
});
