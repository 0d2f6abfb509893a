// Auto-close through the real stack: an agent answers in the thread, the customer stays silent;
// the nudge reaches the reply endpoint (agent: null, SPEC §7), the conversation closes with its
// reason in the thread and the history, and the customer's next message reopens the same one.

import { afterEach, describe, expect, it } from "vitest";
import { AGENT, CHANNEL, type Stack, startStack } from "../helpers/stack.ts";
import { waitFor } from "../helpers/wait.ts";

let stack: Stack | undefined;
afterEach(async () => {
  await stack?.stop();
  stack = undefined;
});

const NUDGE = "Is there anything else we can help with?";
const threadTexts = (s: Stack, n: number) =>
  s.emulator.workspace.replies(CHANNEL, s.card(n).ts).map((m) => (m as { text?: string }).text ?? "");
const cardStatus = (s: Stack, n: number) =>
  /\*Status\*\\n([^"]*)"/.exec(JSON.stringify(s.card(n).blocks))?.[1];

describe("auto-close", () => {
  it("nudges once, closes after the idle time, and the customer's answer reopens it", async () => {
    let ahead = 0;
    stack = await startStack({
      now: () => new Date(Date.now() + ahead),
      web: { autoClose: { after: "3d", nudge: NUDGE } },
    });
    await stack.desk("U0ADMIN", `agent add <@${AGENT}>`);
    const n = await stack.customerWrites("cust-quiet", "My order is late");
    stack.emulator.driver.message({
      userId: AGENT,
      channelId: CHANNEL,
      threadTs: stack.card(n).ts,
      text: "It ships today, here is the tracking link.",
    });
    await waitFor("the answer delivered", () =>
      stack!.reply.received.some((r) => r.body.text === "It ships today, here is the tracking link."),
    );

    // The two steps are durable timers 36 h and 72 h away: make them due, 72 h on.
    ahead = 72 * 3_600_000;
    await stack.app.store.outbox.retryNow();
    await waitFor("the card closed", () => cardStatus(stack!, n)?.includes("Closed") ?? false);
    await stack.drained();
    const nudges = stack.reply.received.filter((r) => r.body.text === NUDGE);
    expect(nudges.map((r) => r.body.agent)).toEqual([null]);
    const thread = threadTexts(stack, n);
    expect(thread.filter((t) => t.startsWith(":wave:"))).toHaveLength(1);
    expect(thread.filter((t) => t.startsWith(":zzz: Closed automatically"))).toEqual([
      ":zzz: Closed automatically: no word from the customer for 3 d 0 h after the last answer. A message from them within 7 d 0 h reopens it.",
    ]);
    expect((await stack.desk("U0ADMIN", `history #${n}`)).split("\n").at(-1)).toContain(
      "closed automatically (no word from the customer for 3 d 0 h after the last answer)",
    );

    // The customer answers the nudge (no conversationId): the same conversation, open again.
    expect(await stack.customerWrites("cust-quiet", "Got it, but it is the wrong size")).toBe(n);
    await waitFor("the card open again", () => cardStatus(stack!, n)?.includes("Open") ?? false);
    // Still with the agent who answered it (the first responder).
    expect(await stack.assigneeOf(n)).toBe(AGENT);
  });
});
