// End to end: the names in a reply the customer reads are looked up when it is delivered, not when
// Slack's event is acknowledged (issue 9 part 6). When Slack cannot answer users.info, the reply
// does not wait: it goes with the name HeroDesk has for the agent, or a neutral word, never a
// bare Slack id. Slack's answers are lost on the wire by a proxy (test/helpers/flaky-proxy.ts).
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { startFlakyProxy } from "../helpers/flaky-proxy.ts";
import { AGENT, CHANNEL, type Stack, startStack } from "../helpers/stack.ts";
import { waitFor } from "../helpers/wait.ts";

const NEWCOMER = "U0NEWBIE";
let stack: Stack;
let proxy: Awaited<ReturnType<typeof startFlakyProxy>>;

beforeAll(async () => {
  proxy = await startFlakyProxy();
  stack = await startStack({ slackApiUrl: (url) => proxy.forward(url) });
  stack.addPerson(NEWCOMER, "Nora Newcomer");
  // Alice is a HeroDesk agent: HeroDesk keeps her name (asked from Slack when she was added).
  expect(await stack.desk("U0ADMIN", `agent add <@${AGENT}>`)).toContain("is a HeroDesk agent");
});
afterAll(async () => {
  await stack?.stop();
  await proxy?.close();
});

const replyIn = (threadTs: string, user: string, text: string, i: number) =>
  stack.emulator.driver.event({
    type: "message",
    channel: CHANNEL,
    user,
    text,
    ts: `${Math.floor(Date.now() / 1000)}.00070${i}`,
    thread_ts: threadTs,
    channel_type: "channel",
  });

describe("names in a delivered reply", () => {
  it("Slack answers: the author's and mentioned people's names are Slack's", async () => {
    const n = await stack.customerWrites("cust-names-1", "hi");
    await replyIn(stack.card(n).ts, NEWCOMER, `<@${AGENT}> asked me to help`, 1);
    const got = await waitFor("the reply", () =>
      stack.reply.received.find((r) => r.body.text === "@Alice Agent asked me to help"),
    );
    expect(got.body.agent).toEqual({ id: NEWCOMER, name: "Nora Newcomer" });
  });

  it("Slack cannot answer: no waiting; a cached name, the agent's stored name, else `Support` and `@colleague`", async () => {
    stack.addPerson("U0BOB", "Bob Baker");
    stack.addPerson("U0THIRD", "Theo Third");
    expect(await stack.desk("U0ADMIN", "agent add <@U0BOB>")).toContain("is a HeroDesk agent");
    const n = await stack.customerWrites("cust-names-2", "hello");
    const threadTs = stack.card(n).ts;
    // From now on every users.info answer is lost: Slack acts, HeroDesk never hears.
    proxy.loseAnswerOf.push(...Array.from({ length: 20 }, () => "users.info"));
    const lostBefore = proxy.lost;
    await replyIn(threadTs, "U0BOB", `<@${NEWCOMER}> and <@U0THIRD> will call you`, 2);
    await replyIn(threadTs, "U0THIRD", "Theo here", 3);
    const mine = () => stack.reply.received.filter((r) => r.body.customerId === "cust-names-2");
    await waitFor("both replies", () => mine().length === 2);
    const got = mine();
    // Bob: HeroDesk's name for him (he is an agent); Nora: the name cached by the first test;
    // Theo: nobody can say.
    expect(got.map((r) => [r.body.text, r.body.agent])).toEqual([
      ["@Nora Newcomer and @colleague will call you", { id: "U0BOB", name: "Bob Baker" }],
      ["Theo here", { id: "U0THIRD", name: "Support" }],
    ]);
    expect(proxy.lost).toBeGreaterThan(lostBefore);
  });
});
