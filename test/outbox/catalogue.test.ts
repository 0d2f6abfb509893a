// The outbox's typed catalogue (issue 9 part 9): every kind's payload is checked against its
// schema when the worker picks the job up, so a row HeroDesk cannot run (a kind it does not know,
// a payload its kind does not accept) is marked failed with a reason, and blocks nothing.
import { afterEach, describe, expect, it } from "vitest";
import { isJobKind, JOBS, PAYLOAD_SCHEMAS } from "../../src/outbox/jobs.ts";
import { CHANNEL, type Stack, startStack } from "../helpers/stack.ts";

let stack: Stack | undefined;
afterEach(async () => {
  await stack?.stop();
  stack = undefined;
});

describe("the job catalogue", () => {
  it("knows every kind it lists, and nothing else", () => {
    for (const kind of Object.keys(JOBS)) expect(isJobKind(kind)).toBe(true);
    expect(isJobKind("slack.post_everything")).toBe(false);
    expect(isJobKind("toString")).toBe(false);
  });

  it("payload schemas accept what producers write and refuse the rest", () => {
    expect(PAYLOAD_SCHEMAS["slack.post_card"].safeParse({ conversationId: 4 }).success).toBe(true);
    expect(PAYLOAD_SCHEMAS["slack.post_card"].safeParse({ conversationId: "4" }).success).toBe(false);
    expect(
      PAYLOAD_SCHEMAS["slack.dm_agent"].safeParse({ userId: "U1", conversationId: 1, kind: "assigned" })
        .success,
    ).toBe(true);
    expect(
      PAYLOAD_SCHEMAS["slack.dm_agent"].safeParse({ userId: "U1", conversationId: 1, kind: "hug" }).success,
    ).toBe(false);
  });

  it("a row of an unknown kind, or with a payload its kind refuses, fails with a reason and blocks nothing", async () => {
    stack = await startStack();
    const { outbox } = stack.app.store;
    await outbox.enqueue(`slack:${CHANNEL}`, "slack.post_everything", {});
    await outbox.enqueue(`slack:${CHANNEL}`, "slack.post_card", { conversationId: "not a number" });
    // The channel's lane goes on after them: a customer's card is posted.
    const n = await stack.customerWrites("cust-after", "still here");
    expect(stack.card(n)).toBeTruthy();
    const counts = await stack.drained();
    expect(counts.failed).toBe(2);
  });
});
