// Moving work at the use cases, on a real store: what a manager hears, and what stays as it was.
import { afterEach, describe, expect, it } from "vitest";
import { agent, BOOTSTRAP, conversation, openDesk, type TestDesk } from "../helpers/factories.ts";

let w: TestDesk | undefined;
afterEach(async () => {
  await w?.close();
  w = undefined;
});

describe("/desk unassign", () => {
  it("a closed conversation someone still holds: says it is closed (not 'changed meanwhile', for ever), and keeps its holder", async () => {
    w = await openDesk();
    await agent(w.store, "U0ANN", "agent");
    const c = await conversation(w.store, { assignee: "U0ANN", closed: true });
    expect(await w.say(BOOTSTRAP, `unassign #${c.n}`)).toBe(`#${c.n} is closed; reopen it first.`);
    const after = await w.store.conversations.get(c.n);
    expect(after?.assigneeId).toBe((await w.store.agents.bySlackId("U0ANN"))!.id);
  });
});
