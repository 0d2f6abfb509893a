// The card says when the customer's answer is due: the first response from their first message,
// the next one from each message after an agent's answer, counted in business time.
import { afterEach, describe, expect, it } from "vitest";
import { AGENT, CHANNEL, type Stack, startStack } from "../helpers/stack.ts";
import { waitFor } from "../helpers/wait.ts";

let stack: Stack | undefined;
afterEach(async () => {
  await stack?.stop();
  stack = undefined;
});

/** The card's Waiting field. */
const waitingField = (s: Stack, n: number) => {
  const json = JSON.stringify(s.card(n).blocks);
  return /\*Waiting\*\\n([^"]*)"/.exec(json)?.[1] ?? "";
};

/** The card's live "waiting since … ago" element, if it shows one. */
const liveWait = (s: Stack, n: number) =>
  (s.card(n).blocks as { type: string; elements?: { elements?: Record<string, unknown>[] }[] }[])
    .filter((b) => b.type === "rich_text")
    .flatMap((b) => b.elements?.flatMap((e) => e.elements ?? []) ?? [])
    .find((e) => e.type === "date");

describe("response targets on the card", () => {
  it("first response due, nobody waiting once an agent answers, next response due when the customer writes again", async () => {
    stack = await startStack({
      web: { targets: { firstResponse: "30m", nextResponse: "2h" } },
    });
    const before = Math.floor(Date.now() / 1000);
    const n = await stack.customerWrites("cust-due", "Where is my order?");
    const field = waitingField(stack, n);
    const due = Number(/First response due <!date\^(\d+)\^/.exec(field)?.[1]);
    expect(field).toMatch(/^Since <!date\^\d+\^/);
    // 30 minutes after the customer wrote (no business hours: plain time).
    expect(due - before).toBeGreaterThanOrEqual(30 * 60 - 1);
    expect(due - before).toBeLessThanOrEqual(30 * 60 + 5);
    // And counts up in the reader's Slack: a rich text date with the {ago} token, since the wait began.
    expect(liveWait(stack, n)).toMatchObject({ type: "date", format: "{ago}" });
    expect((liveWait(stack, n)?.timestamp as number) - before).toBeLessThanOrEqual(1);

    stack.emulator.driver.message({
      userId: AGENT,
      channelId: CHANNEL,
      threadTs: stack.card(n).ts,
      text: "Looking now",
    });
    await waitFor("the card after the answer", () => waitingField(stack!, n) === "Nobody waiting");
    expect(liveWait(stack, n)).toBeUndefined();

    await stack.customerWrites("cust-due", "Any news?");
    await waitFor("the next response due", () =>
      waitingField(stack!, n).includes("Next response due <!date^"),
    );
  });

  it("without targets the card shows only since when the customer waits", async () => {
    stack = await startStack();
    const n = await stack.customerWrites("cust-plain", "Hello");
    expect(waitingField(stack, n)).toMatch(/^Since <!date\^\d+\^[^\\]*$/);
  });
});

describe("reminders and escalation through Slack", () => {
  it("at risk: the assignee gets a DM; breached: the escalation channel is told, with who holds it (the steps made due at once)", async () => {
    // HeroDesk's clock, moved on past the due time before the steps run.
    let ahead = 0;
    stack = await startStack({
      now: () => new Date(Date.now() + ahead),
      web: { targets: { firstResponse: "30m" }, escalationChannel: "C0ESCALATE" },
      beforeStart: (emu) =>
        emu.workspace.addChannel({ id: "C0ESCALATE", name: "escalations", botIsMember: false }),
    });
    const n = await stack.customerWrites("cust-late", "Hello, anyone?");
    await stack.desk("U0ADMIN", `agent add <@${AGENT}>`);
    await stack.click(AGENT, n, "conv_claim");
    await stack.drained();
    // Both steps are durable timers 22.5 and 30 minutes away: make them due now, 31 minutes on.
    ahead = 31 * 60_000;
    await stack.app.store.outbox.retryNow();
    await waitFor("the escalation", () => stack!.emulator.workspace.messages("C0ESCALATE").length === 1);
    await waitFor("the reminder", () =>
      stack!.dms(AGENT).some((m) => JSON.stringify(m).includes("needs an answer soon")),
    );
    const escalation = JSON.stringify(stack.emulator.workspace.messages("C0ESCALATE")[0]);
    // SPEC §7: the conversation (#42, linked to its thread), the customer and the assignee.
    const permalink = `https://herodesk-demo.slack.com/archives/C0SUPPORT/p${stack.card(n).ts.replace(".", "")}`;
    expect(escalation).toContain(
      `<${permalink}|#${n}> is past its target*: its first response was due <!date^`,
    );
    expect(escalation).toContain(`held by <@${AGENT}>`);
    expect(escalation).toContain("CUST-LATE via web");
    // The card shows it too: it was updated at each step.
    await waitFor("the card says breached", () => waitingField(stack!, n).includes(":red_circle: breached"));
    expect(waitingField(stack, n)).toMatch(/^Since <!date\^\d+\^[^|]*\|[^>]*>\\nFirst response due <!date\^/);
    // HeroDesk joined the escalation channel at start-up to post there.
    expect(stack.emulator.workspace.isMember("C0ESCALATE", stack.emulator.workspace.bot.userId)).toBe(true);
  });
});
