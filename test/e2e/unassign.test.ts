// `/desk unassign` end to end: a conversation a person took from an agent on purpose is not routed
// straight back to them (SPEC section 3 "back to the queue", section 4 routing). Routing gives it to
// someone else who is free, or it waits in the queue; a Claim or a manual assign still reaches them.
import { afterEach, describe, expect, it } from "vitest";
import { type Stack, startStack } from "../helpers/stack.ts";

const ADMIN = "U0ADMIN";
const MIA = "U0MIA"; // a manager, offline: never routed to
const ALICE = "U0ALICE";
const BOB = "U0BOB";

let stack: Stack;
afterEach(async () => {
  await stack?.stop();
});

async function setup() {
  stack = await startStack();
  for (const [id, name] of [
    [ALICE, "Alice Able"],
    [BOB, "Bob Baker"],
    [MIA, "Mia Manager"],
  ] as const)
    stack.addPerson(id, name);
  expect(await stack.desk(ADMIN, `agent add <@${ALICE}> agent 3`)).toContain("is a HeroDesk agent");
  expect(await stack.desk(ADMIN, `agent add <@${BOB}> agent 3`)).toContain("is a HeroDesk agent");
  expect(await stack.desk(ADMIN, `agent add <@${MIA}> manager`)).toContain("is a HeroDesk manager");
}

/** The "You have #n" DMs a person got for conversation #n. */
const youHave = (userId: string, n: number) =>
  stack.dms(userId).filter((m) => m.text?.startsWith(`You have #${n} `)).length;
/** `/desk unassign #n` by the manager, then what it causes; returns the answer. */
async function unassign(n: number): Promise<string> {
  const answer = await stack.desk(MIA, `unassign #${n}`);
  await stack.drained();
  return answer;
}
/** `/desk status online`, and what it causes (a pass over the queue) done before the next step. */
const online = async (id: string) => {
  const answer = await stack.desk(id, "status online");
  await stack.drained();
  return answer;
};

describe("/desk unassign", () => {
  it("routes the conversation to someone else who is free, not back to the agent it was taken from", async () => {
    await setup();
    await online(ALICE);
    const other = await stack.customerWrites("c0", "keeps Alice busier than Bob");
    expect(await stack.assigneeOf(other)).toBe(ALICE);
    await online(BOB);
    const n = await stack.customerWrites("c1", "hello");
    expect(await stack.assigneeOf(n)).toBe(BOB);
    expect(youHave(BOB, n)).toBe(1);

    // Bob, with 0 open against Alice's 1, is the fairest now; he still does not get it back.
    // The answer says where it went (issue 10, part 5).
    expect(await unassign(n)).toBe(`#${n} went to <@${ALICE}> at once (routing picked the next free agent).`);
    expect(await stack.assigneeOf(n)).toBe(ALICE);
    expect(youHave(ALICE, n)).toBe(1);
    expect(youHave(BOB, n)).toBe(1);
    const history = await stack.desk(ADMIN, `history #${n}`);
    expect(history).toContain(`back to the queue (by hand) by <@${MIA}>`);
    expect(history).toContain(`assigned to <@${ALICE}> (from the queue)`);
    expect(history).not.toContain(`assigned to <@${BOB}> (from the queue)`);
  });

  it("with nobody else free it waits in the queue; the agent can still Claim it; the next unassign keeps its latest holder away", async () => {
    await setup();
    await online(BOB);
    const n = await stack.customerWrites("c1", "hello");
    expect(await stack.assigneeOf(n)).toBe(BOB);

    await unassign(n);
    expect(await stack.assigneeOf(n)).toBeNull();
    expect(await stack.desk(BOB, "queue")).toContain(`#${n}`);
    expect(youHave(BOB, n)).toBe(1);
    // A Claim is explicit: it reaches the agent it was taken from.
    expect(await stack.click(BOB, n, "conv_claim")).toBe(`You have #${n} now.`);
    await stack.drained();
    expect(await stack.assigneeOf(n)).toBe(BOB);

    // Bob gets a second conversation; Alice comes online; a manager gives #n to Alice by hand.
    const other = await stack.customerWrites("c2", "another one");
    expect(await stack.assigneeOf(other)).toBe(BOB);
    await online(ALICE);
    expect(await stack.desk(MIA, `assign #${n} <@${ALICE}>`)).toContain(`is now with <@${ALICE}>`);
    await stack.drained();

    // Taken from Alice (now the fairest, 0 open against Bob's 1): it goes to Bob, who is no
    // longer kept away from it since he held it again.
    await unassign(n);
    expect(await stack.assigneeOf(n)).toBe(BOB);
    expect(await stack.desk(ADMIN, `history #${n}`)).toContain(`assigned to <@${BOB}> (from the queue)`);
  });

  it("the customer's Dedicated Hero is not handed it back by the hero rule", async () => {
    await setup();
    await online(BOB);
    const n = await stack.customerWrites("vip", "hello");
    expect(await stack.assigneeOf(n)).toBe(BOB);
    expect(await stack.desk(ADMIN, `hero make vip <@${BOB}>`)).toContain("Dedicated Hero");
    await online(ALICE);

    await unassign(n);
    expect(await stack.assigneeOf(n)).toBe(ALICE);
    expect(youHave(BOB, n)).toBe(1);
  });

  it("closing ends it: reopened, the conversation is routed as usual, the agent included", async () => {
    await setup();
    await online(BOB);
    const n = await stack.customerWrites("c1", "hello");
    await unassign(n);
    expect(await stack.assigneeOf(n)).toBeNull();
    expect(await stack.desk(MIA, `close #${n}`)).toContain("closed");
    expect(await stack.desk(MIA, `reopen #${n}`)).toContain("open again");
    await stack.drained();
    expect(await stack.assigneeOf(n)).toBe(BOB);
  });
});
