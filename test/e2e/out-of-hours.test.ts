// A customer who writes while the source's desk is closed gets its out-of-hours reply, through
// the replyUrl, once per conversation and closed stretch; the thread says so. Mirroring and the
// queue go on as at any hour.
import { afterEach, describe, expect, it } from "vitest";
import { CHANNEL, type Stack, startStack } from "../helpers/stack.ts";

let stack: Stack | undefined;
afterEach(async () => {
  await stack?.stop();
  stack = undefined;
});

const REPLY = "Thanks for writing! We're back Monday to Friday from 9 to 5 and will answer then.";
/** Closed whatever the clock says: no period on any day. */
const CLOSED = { timezone: "Europe/Berlin", weekly: {} };
/** Open whatever the clock says. */
const ALL_DAY = ["00:00-24:00"];
const OPEN = {
  timezone: "America/New_York",
  weekly: {
    mon: ALL_DAY,
    tue: ALL_DAY,
    wed: ALL_DAY,
    thu: ALL_DAY,
    fri: ALL_DAY,
    sat: ALL_DAY,
    sun: ALL_DAY,
  },
};

const threadTexts = (s: Stack, n: number) =>
  s.emulator.workspace.replies(CHANNEL, s.card(n).ts).map((m) => (m as { text?: string }).text ?? "");

describe("out-of-hours reply", () => {
  it("a closed desk: the customer hears it once, however often they write; the thread says so", async () => {
    stack = await startStack({ web: { businessHours: CLOSED, outOfHoursReply: REPLY } });
    const n = await stack.customerWrites("cust-night", "Is anyone there?");
    expect(await stack.customerWrites("cust-night", "Hello??")).toBe(n);
    await stack.drained();

    const replies = stack.reply.received.filter((r) => r.body.conversationId !== undefined);
    expect(replies.map((r) => r.body.text)).toEqual([REPLY]);
    expect(replies[0]!.body).toMatchObject({ customerId: "cust-night", agent: null });
    // Both messages are mirrored; one notice says what the customer got.
    const thread = threadTexts(stack, n);
    expect(thread.filter((t) => t.includes("Out of hours"))).toEqual([
      ":crescent_moon: Out of hours (never open (Europe/Berlin)): the customer got the out-of-hours reply.",
    ]);
    expect(thread.join("\n")).toContain("Is anyone there?");
    expect(thread.join("\n")).toContain("Hello??");
    // Not an agent's answer: the conversation still waits for its first response.
    expect((await stack.app.store.conversations.get(n))!.firstResponseAt).toBeNull();
  });

  it("an open desk sends none", async () => {
    stack = await startStack({ web: { businessHours: OPEN, outOfHoursReply: REPLY } });
    const n = await stack.customerWrites("cust-day", "Hi there");
    await stack.drained();
    expect(stack.reply.received).toHaveLength(0);
    expect(threadTexts(stack, n).some((t) => t.includes("Out of hours"))).toBe(false);
  });
});
