// Asking for what already is: the answer says so, and nothing is written again (no second hero
// event, no second subscription).
import { afterEach, describe, expect, it } from "vitest";
import { agent, BOOTSTRAP, conversation, openDesk, type TestDesk } from "../helpers/factories.ts";

let w: TestDesk | undefined;
afterEach(async () => {
  await w?.close();
  w = undefined;
});

describe("repeats", () => {
  it("hero make with the hero the customer has: already, and no new hero event", async () => {
    w = await openDesk();
    await agent(w.store, "U0ANN");
    const c = await conversation(w.store);
    const first = await w.say(BOOTSTRAP, `hero make ${c.customerId} <@U0ANN>`);
    expect(first).toContain("is now the Dedicated Hero of");
    const events = async () =>
      (await w!.store.events.history(c.n, (await w!.store.conversations.get(c.n))!.customerId)).length;
    const before = await events();
    expect(await w.say(BOOTSTRAP, `hero make ${c.customerId} <@U0ANN>`)).toBe(
      `<@U0ANN> is already the Dedicated Hero of ${c.customerName}; nothing changed.`,
    );
    expect(await events()).toBe(before);
  });

  it("subscribe twice, unsubscribe twice: the second of each says nothing changed", async () => {
    w = await openDesk();
    await agent(w.store, "U0ANN");
    expect(await w.say("U0ANN", "subscribe web")).toBe(
      "You will hear about every message of `web`'s unassigned conversations.",
    );
    expect(await w.say("U0ANN", "subscribe web")).toBe(
      "You already hear about every message of `web`'s unassigned conversations.",
    );
    expect(await w.store.agents.subscribers("web")).toEqual(["U0ANN"]);
    expect(await w.say("U0ANN", "unsubscribe web")).toBe(
      "You will no longer hear about `web`'s unassigned conversations.",
    );
    expect(await w.say("U0ANN", "unsubscribe web")).toBe(
      "You were not subscribed to `web`; nothing changed.",
    );
    expect(await w.store.agents.subscribers("web")).toEqual([]);
  });
});
