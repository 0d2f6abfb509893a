// Heroes on accounts, customer channels and customers who have not written yet, on a real store:
// `/desk hero make` through the parser and the use case, a customer's message through the inbound
// use case, routing as the outbox runs it. The most specific hero wins: the customer's own, then
// the channel's, then the account's.
import { afterEach, describe, expect, it } from "vitest";
import {
  type CustomerMessageInput,
  createReceiveCustomerMessage,
} from "../../src/services/receive-customer-message.ts";
import { agent, openDesk, type TestDesk, team } from "../helpers/factories.ts";

let w: TestDesk;
afterEach(() => w?.close());

const CHANNEL_MENTION = "<#C0ACME|acme-support>";

async function setUp() {
  w = await openDesk();
  const { store } = w;
  const people = {
    grace: await agent(store, "U0GRACE"),
    bob: await agent(store, "U0BOB"),
    erin: await agent(store, "U0ERIN"),
    other: await agent(store, "U0OTHER"),
  };
  for (const a of Object.values(people)) await store.agents.update(a.id, { status: "online" });
  await team(store, "Enterprise", [people.erin]);
  const receive = createReceiveCustomerMessage({
    store,
    sources: w.deps.sources,
    linkCustomersByEmail: false,
  });
  let n = 0;
  /** A customer writes; routing runs as the outbox would; the conversation's assignee. */
  const writes = async (
    customer: CustomerMessageInput["customer"],
    extra: Partial<CustomerMessageInput> = {},
  ): Promise<{ number: number; assignee: string | null }> => {
    const r = await receive({
      source: "web",
      messageId: `m-${++n}`,
      customer,
      text: "Help",
      attachments: [],
      // A customer channel's message starts its own thread there (a new conversation).
      ...(extra.customerChannel ? { customerThreadTs: `${n}.000100` } : {}),
      ...extra,
    });
    if (!r.ok) throw new Error(r.error);
    await store.transaction((tx) => w.deps.routeNow!(tx, r.conversationNumber));
    const c = (await store.conversations.get(r.conversationNumber))!;
    const assignee = c.assigneeId === null ? null : (await store.agents.get(c.assigneeId))!.slackUserId;
    return { number: r.conversationNumber, assignee };
  };
  return { store, people, writes };
}

const acme = { name: "acme", slackTeamId: "T0ACME" };

describe("an account's hero", () => {
  it("set before anyone of the account wrote, gets every new conversation of its people", async () => {
    const { writes } = await setUp();
    expect(await w.say("U0ADMIN", "hero make account Acme <@U0GRACE>")).toBe(
      "<@U0GRACE> is now the Dedicated Hero of the account Acme. Open conversations stay where they are; the next ones go to the hero first, unless the customer has a hero of their own.",
    );
    // Two people of Acme's organisation, writing in a channel whose account is configured as acme.
    expect((await writes({ id: "U0ADA", account: acme }, { customerChannel: "C0ACME" })).assignee).toBe(
      "U0GRACE",
    );
    expect((await writes({ id: "U0ALAN", account: acme }, { customerChannel: "C0ACME" })).assignee).toBe(
      "U0GRACE",
    );
    // Someone of another organisation goes through normal routing.
    expect((await writes({ id: "U0GLOB", account: { slackTeamId: "T0GLOBEX" } })).assignee).not.toBe(
      "U0GRACE",
    );
  });

  it("is found by the organisation's Slack team id when nobody named the account", async () => {
    const { writes } = await setUp();
    await writes({ id: "U0ADA", account: { slackTeamId: "T0ACME" } });
    expect(await w.say("U0ADMIN", "hero make T0ACME <@U0GRACE>")).toContain(
      "Dedicated Hero of the account T0ACME",
    );
    expect((await writes({ id: "U0ALAN", account: { slackTeamId: "T0ACME" } })).assignee).toBe("U0GRACE");
    // The customer keeps their account when a later message says nothing about it.
    expect((await writes({ id: "U0ADA" }, { conversationId: "another" })).assignee).toBe("U0GRACE");
  });

  it("loses to the customer's own hero", async () => {
    const { writes } = await setUp();
    await w.run("U0ADMIN", "hero make account acme <@U0GRACE>");
    await writes({ id: "U0ADA", account: acme });
    await w.run("U0ADMIN", "hero make U0ADA <@U0BOB>");
    expect((await writes({ id: "U0ADA", account: acme }, { conversationId: "second" })).assignee).toBe(
      "U0BOB",
    );
    expect((await writes({ id: "U0ALAN", account: acme })).assignee).toBe("U0GRACE");
  });

  it("is shown, removed and refused by name", async () => {
    const { writes } = await setUp();
    await w.run("U0ADMIN", "hero make account acme <@U0GRACE>");
    expect(await w.say("U0ADMIN", "hero show acme")).toBe(
      "The Dedicated Hero of the account acme is <@U0GRACE>.",
    );
    expect(await w.say("U0ADMIN", "hero remove ACME")).toBe(
      "the account acme has no Dedicated Hero any more.",
    );
    expect((await writes({ id: "U0ADA", account: acme })).assignee).not.toBeNull();
    expect(await w.say("U0ADMIN", "hero show account nosuch")).toBe("No account is called `nosuch`.");
  });

  it("shows on the card with where it was set, and only the customer's own hero has Remove Hero", async () => {
    const { store, writes } = await setUp();
    await w.run("U0ADMIN", "hero make account acme <@U0GRACE>");
    const { number } = await writes({ id: "U0ADA", account: acme });
    const card = await store.conversations.loadCard(number, (s) => s);
    expect(card?.hero).toEqual({
      kind: "agent",
      slackUserId: "U0GRACE",
      name: "Name of U0GRACE",
      via: { account: "acme" },
    });
  });

  it("counts in the summaries' heroes and goes when the agent is removed", async () => {
    const { store, writes } = await setUp();
    await w.run("U0ADMIN", "hero make account acme <@U0GRACE>");
    await writes({ id: "U0ADA", account: acme });
    await writes({ id: "U0ALAN", account: acme });
    expect(await store.reports.heroLoads(5)).toEqual([
      expect.objectContaining({ kind: "agent", ref: "U0GRACE", open: 2, customers: 2 }),
    ]);
    await w.run("U0ADMIN", "agent remove <@U0GRACE>");
    expect(await w.say("U0ADMIN", "hero show acme")).toBe("the account acme has no Dedicated Hero.");
  });
});

describe("a customer channel's hero", () => {
  it("gets the channel's conversations ahead of the account's hero, after the customer's own", async () => {
    const { writes } = await setUp();
    await w.run("U0ADMIN", "hero make account acme <@U0GRACE>");
    expect(await w.say("U0ADMIN", `hero make ${CHANNEL_MENTION} team Enterprise`)).toContain(
      "team Enterprise is now the Dedicated Hero of <#C0ACME>.",
    );
    expect((await writes({ id: "U0ADA", account: acme }, { customerChannel: "C0ACME" })).assignee).toBe(
      "U0ERIN",
    );
    // The same account in another channel: the account's hero.
    expect(
      (await writes({ id: "U0ALAN", account: acme }, { customerChannel: "C0ACMEBILLING" })).assignee,
    ).toBe("U0GRACE");
    expect(await w.say("U0ADMIN", `hero show ${CHANNEL_MENTION}`)).toBe(
      "The Dedicated Hero of <#C0ACME> is team Enterprise.",
    );
  });
});

describe("a customer who has not written yet", () => {
  it("by email: the hero is theirs from their first message", async () => {
    const { store, writes } = await setUp();
    expect(await w.say("U0ADMIN", "hero make <mailto:Ada@Acme.com|Ada@Acme.com> <@U0GRACE>")).toBe(
      "<@U0GRACE> is now the Dedicated Hero of Ada@Acme.com (from their first message). Their conversations will go to the hero first.",
    );
    expect(await w.say("U0ADMIN", "hero show ada@acme.com")).toContain("is <@U0GRACE>");
    const first = await writes({ id: "cust-ada", name: "Ada", email: "ada@acme.com" });
    expect(first.assignee).toBe("U0GRACE");
    // Now it is the customer's own hero: shown under their name, and in their history.
    expect(await w.say("U0ADMIN", "hero show ada@acme.com")).toBe("The Dedicated Hero of Ada is <@U0GRACE>.");
    const ada = (await store.customers.ofSource("web", "cust-ada"))!;
    expect(ada.hero).toEqual({ kind: "agent", agentId: expect.any(Number) });
  });

  it("by source:id", async () => {
    const { writes } = await setUp();
    await w.run("U0ADMIN", "hero make web:cust-new team Enterprise");
    expect((await writes({ id: "cust-new" })).assignee).toBe("U0ERIN");
  });

  it("an unknown bare id with two sources asks for the source, and says how to set one ahead", async () => {
    await setUp();
    expect(await w.say("U0ADMIN", "hero make cust-new <@U0GRACE>")).toBe(
      "No customer with id or email `cust-new`. To set the hero of a customer before they write, name them by email or as `source:id`; for an organisation, `account <name>`.",
    );
    expect(await w.say("U0ADMIN", "hero show cust-new")).toBe("No customer with id or email `cust-new`.");
  });
});
