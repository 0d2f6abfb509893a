// A response target's two steps through the whole stack on a fixed HeroDesk clock (issue 12,
// "How it is tested"): at risk, one DM to the assignee; breached, one message in the source's
// escalation channel; each once, across restarts in the middle of the wait; an agent's answer
// before the due time means no escalation at all.
//
// The steps are durable outbox timers whose due times are real time. The test moves HeroDesk's
// clock and then makes due the timers due by it (stack.timersDueBy), never all at once. Asia/Tokyo
// keeps no daylight saving time (UTC+9 all year), so the instants below are worked out by hand for
// whatever Monday the test runs on; that Monday is at least a week ahead of the real date, so no
// step comes due by itself.
import { afterEach, describe, expect, it } from "vitest";
import { AGENT, CHANNEL, type Stack, startStack } from "../helpers/stack.ts";
import { waitFor } from "../helpers/wait.ts";

let stack: Stack | undefined;
afterEach(async () => {
  await stack?.stop();
  stack = undefined;
});

const MIN = 60_000;
const DAY = 86_400_000;
const ESCALATE = "C0ESCALATE";
const NINE_TO_FIVE = ["09:00-17:00"];

/** Midnight UTC of the first Monday at least a week from today. */
function aMondayAhead(): number {
  const d = new Date(Date.now() + 7 * DAY);
  d.setUTCHours(0, 0, 0, 0);
  while (d.getUTCDay() !== 1) d.setUTCDate(d.getUTCDate() + 1);
  return d.getTime();
}
const MONDAY = aMondayAhead();
/** `hh:mm` in Tokyo (UTC+9) on the test's Monday (`day` 0) or a day after it. */
const tokyo = (day: number, hh: number, mm = 0) => new Date(MONDAY + day * DAY + ((hh - 9) * 60 + mm) * MIN);
const unix = (d: Date) => d.getTime() / 1000;

async function start(clock: { now: Date }) {
  const s = await startStack({
    now: () => clock.now,
    postsPerChannel: { perSecond: 20, burst: 20 },
    web: {
      businessHours: {
        timezone: "Asia/Tokyo",
        weekly: {
          mon: NINE_TO_FIVE,
          tue: NINE_TO_FIVE,
          wed: NINE_TO_FIVE,
          thu: NINE_TO_FIVE,
          fri: NINE_TO_FIVE,
        },
      },
      targets: { firstResponse: "1h", nextResponse: "2h" },
      escalationChannel: ESCALATE,
    },
    beforeStart: (emu) => emu.workspace.addChannel({ id: ESCALATE, name: "escalations", botIsMember: false }),
  });
  await s.desk("U0ADMIN", `agent add <@${AGENT}>`);
  return s;
}

/** The card's Waiting field, as Slack shows it. */
const waitingField = (s: Stack, n: number) => {
  const fields = (s.card(n).blocks as { fields?: { text: string }[] }[]).flatMap((b) => b.fields ?? []);
  return fields.map((f) => f.text).find((t) => t.startsWith("*Waiting*\n")) ?? "";
};
/** The at-risk DMs the agent got, and the messages in the escalation channel. */
const reminders = (s: Stack) => s.dms(AGENT).filter((m) => (m.text ?? "").includes("needs an answer soon"));
const escalations = (s: Stack) => s.emulator.workspace.messages(ESCALATE);
const shown = (m: { text?: string; blocks?: unknown }) => `${m.text ?? ""} ${JSON.stringify(m.blocks ?? [])}`;

/** The clock moves to `at`; the timers due by then run, and everything they cause. */
async function clockTo(s: Stack, clock: { now: Date }, at: Date) {
  clock.now = at;
  await s.timersDueBy(at);
  await s.drained();
}

describe("at risk and breached, once each, across restarts", () => {
  it("Monday 16:30 with a 1 h target: one reminder at Tuesday 09:15, one escalation at 09:30, none again after two restarts", async () => {
    // Monday 16:30 in Tokyo (07:30Z): 30 minutes of business time that day, so at risk (45 min)
    // on Tuesday at 09:15 and due at 09:30 (Tuesday 00:15Z and 00:30Z).
    const clock = { now: tokyo(0, 16, 30) };
    stack = await start(clock);
    const n = await stack.customerWrites("cust-late", "Is my order lost?");
    await stack.click(AGENT, n, "conv_claim");
    await stack.drained();
    const due = tokyo(1, 9, 30);
    expect(waitingField(stack, n)).toContain(`First response due <!date^${unix(due)}^`);
    // Writing again while waiting starts no second clock: the same due time, the same steps.
    clock.now = tokyo(0, 16, 45);
    await stack.customerWrites("cust-late", "Hello??");
    expect(waitingField(stack, n)).toContain(`First response due <!date^${unix(due)}^`);

    // Monday 20:00: the desk closed at 17:00, so in plain time the wait would be long past 45
    // minutes; in business time it is at 30. Nothing is due.
    await clockTo(stack, clock, tokyo(0, 20));
    expect(reminders(stack)).toHaveLength(0);
    expect(waitingField(stack, n)).not.toContain("at risk");

    // Tuesday 09:20: at risk. The assignee hears, once; the card says so; nothing escalated yet.
    await clockTo(stack, clock, tokyo(1, 9, 20));
    await waitFor("the reminder", () => reminders(stack!).length > 0);
    expect(reminders(stack)).toHaveLength(1);
    expect(shown(reminders(stack)[0]!)).toContain(
      `needs an answer soon*: its first response is due <!date^${unix(due)}^{time}`,
    );
    await waitFor("the card at risk", () => waitingField(stack!, n).endsWith(":warning: at risk"));
    expect(escalations(stack)).toHaveLength(0);

    // A restart in the middle of the wait: the breach is still ahead; the reminder is not sent again.
    await stack.restart();
    await clockTo(stack, clock, tokyo(1, 9, 20));
    expect(reminders(stack)).toHaveLength(1);
    expect(escalations(stack)).toHaveLength(0);

    // Tuesday 09:31: breached. One message in the escalation channel, naming the holder.
    await clockTo(stack, clock, tokyo(1, 9, 31));
    await waitFor("the escalation", () => escalations(stack!).length > 0);
    expect(escalations(stack)).toHaveLength(1);
    expect(shown(escalations(stack)[0]!)).toContain(
      `is past its target*: its first response was due <!date^${unix(due)}^{time}`,
    );
    expect(shown(escalations(stack)[0]!)).toContain(`held by <@${AGENT}>`);
    await waitFor("the card breached", () => waitingField(stack!, n).endsWith(":red_circle: breached"));

    // Another restart, and every waiting timer made due: still one of each.
    await stack.restart();
    await stack.app.store.outbox.retryNow();
    await stack.drained();
    expect(reminders(stack)).toHaveLength(1);
    expect(escalations(stack)).toHaveLength(1);
    // Only the assignee was reminded; the escalation went to the channel alone.
    expect(stack.dms("U0ADMIN").filter((m) => (m.text ?? "").includes("response"))).toEqual([]);
  });

  it("a restart before either step: the timers the first process set still fire, once each", async () => {
    const clock = { now: tokyo(0, 16, 30) };
    stack = await start(clock);
    const n = await stack.customerWrites("cust-restart", "Hello?");
    await stack.click(AGENT, n, "conv_claim");
    await stack.drained();
    await stack.restart();
    // Past the due time at once: both steps run, the reminder and the escalation, one each.
    await clockTo(stack, clock, tokyo(1, 10));
    await waitFor("the reminder", () => reminders(stack!).length > 0);
    expect(reminders(stack)).toHaveLength(1);
    await waitFor("the escalation", () => escalations(stack!).length > 0);
    expect(escalations(stack)).toHaveLength(1);
    await stack.app.store.outbox.retryNow();
    await stack.drained();
    expect(reminders(stack)).toHaveLength(1);
    expect(escalations(stack)).toHaveLength(1);
  });
});

describe("an agent answers before the due time", () => {
  it("after the reminder, an answer at 09:25 (and a restart) means no escalation at all", async () => {
    const clock = { now: tokyo(0, 16, 30) };
    stack = await start(clock);
    const n = await stack.customerWrites("cust-answered", "Can you help?");
    await stack.click(AGENT, n, "conv_claim");
    await stack.drained();

    await clockTo(stack, clock, tokyo(1, 9, 20));
    await waitFor("the reminder", () => reminders(stack!).length > 0);
    expect(reminders(stack)).toHaveLength(1);

    // Tuesday 09:25: the agent answers in the thread, five minutes before the due time.
    clock.now = tokyo(1, 9, 25);
    stack.emulator.driver.message({
      userId: AGENT,
      channelId: CHANNEL,
      threadTs: stack.card(n).ts,
      text: "On it",
    });
    await waitFor("the card after the answer", () => waitingField(stack!, n) === "*Waiting*\nNobody waiting");
    await waitFor("the answer delivered", () => stack!.reply.received.some((r) => r.body.text === "On it"));
    await stack.restart();

    // Past the due time, and then every waiting timer made due: the breach step finds the wait
    // over and says nothing; the card keeps saying nobody waits.
    await clockTo(stack, clock, tokyo(1, 9, 31));
    await stack.app.store.outbox.retryNow();
    await stack.drained();
    const since = tokyo(0, 16, 30).getTime();
    // The step did run (it is no longer waiting), and did nothing.
    expect(await stack.app.store.outbox.laneHead(`target:${n}:${since}:breached`)).toBeNull();
    expect(escalations(stack)).toHaveLength(0);
    expect(reminders(stack)).toHaveLength(1);
    expect(waitingField(stack, n)).toBe("*Waiting*\nNobody waiting");
  });

  it("an answer before the at-risk instant: neither a reminder nor an escalation", async () => {
    const clock = { now: tokyo(0, 16, 30) };
    stack = await start(clock);
    const n = await stack.customerWrites("cust-quick", "Quick question");
    await stack.click(AGENT, n, "conv_claim");
    await stack.drained();
    // Monday 16:40: answered ten minutes in.
    clock.now = tokyo(0, 16, 40);
    stack.emulator.driver.message({
      userId: AGENT,
      channelId: CHANNEL,
      threadTs: stack.card(n).ts,
      text: "Sure",
    });
    await waitFor("the card after the answer", () => waitingField(stack!, n) === "*Waiting*\nNobody waiting");
    await clockTo(stack, clock, tokyo(1, 12));
    await stack.app.store.outbox.retryNow();
    await stack.drained();
    const since = tokyo(0, 16, 30).getTime();
    for (const step of ["at_risk", "breached"])
      expect(await stack.app.store.outbox.laneHead(`target:${n}:${since}:${step}`)).toBeNull();
    expect(reminders(stack)).toHaveLength(0);
    expect(escalations(stack)).toHaveLength(0);
  });
});
