// Business hours through the whole stack on a fixed HeroDesk clock (issue 12, "How it is tested"):
// signed customer messages on the inbound API, the card in the emulator's Slack, the out-of-hours
// reply at the reply endpoint, a real SQLite file. The clock is set to the instant each customer
// writes; every expected instant is worked out by hand in UTC in the comments, not by HeroDesk's
// own time-zone code.
import { afterEach, describe, expect, it } from "vitest";
import { CHANNEL, type Stack, startStack } from "../helpers/stack.ts";

let stack: Stack | undefined;
afterEach(async () => {
  await stack?.stop();
  stack = undefined;
});

const NINE_TO_FIVE = ["09:00-17:00"];
const weekdays = {
  mon: NINE_TO_FIVE,
  tue: NINE_TO_FIVE,
  wed: NINE_TO_FIVE,
  thu: NINE_TO_FIVE,
  fri: NINE_TO_FIVE,
};
const REPLY = "We are away until 9:00 on the next working day; we will answer then.";
/** A handful of posts in one thread: no test of Slack's channel pacing here. */
const FAST_POSTS = { perSecond: 20, burst: 20 };

/** HeroDesk's clock, set by the test. */
function fixedClock(iso: string) {
  const clock = { now: new Date(iso), set: (to: string) => (clock.now = new Date(to)) };
  return clock;
}

async function start(clock: { now: Date }, web: Record<string, unknown>) {
  return startStack({ now: () => clock.now, postsPerChannel: FAST_POSTS, web });
}

/** The card's Waiting field, as Slack shows it (mrkdwn with date tokens). */
const waitingField = (s: Stack, n: number) => {
  const fields = (s.card(n).blocks as { fields?: { text: string }[] }[]).flatMap((b) => b.fields ?? []);
  const field = fields.map((f) => f.text).find((t) => t.startsWith("*Waiting*\n"));
  return field?.slice("*Waiting*\n".length) ?? "";
};

/** The card's due time: the instant of its `… response due <!date^unix^…|…>` token, as ISO. */
const dueOnCard = (s: Stack, n: number) => {
  const unix = /response due <!date\^(\d+)\^/.exec(waitingField(s, n))?.[1];
  return unix ? new Date(Number(unix) * 1000).toISOString() : null;
};

/** What the reply endpoint got that no agent wrote (HeroDesk's own replies). */
const ownReplies = (s: Stack) =>
  s.reply.received.map((r) => r.body).filter((b) => b.conversationId !== undefined && b.agent === null);

const outOfHoursNotices = (s: Stack, n: number) =>
  s.emulator.workspace
    .replies(CHANNEL, s.card(n).ts)
    .map((m) => (m as { text?: string }).text ?? "")
    .filter((t) => t.includes("Out of hours"));

describe("a weekend (Europe/Berlin, Mon–Fri 9–17, a 1 h first-response target)", () => {
  it("Friday 16:30 is due Monday 09:30; the out-of-hours reply goes once per closed stretch, not per message", async () => {
    // Friday 2026-11-27 16:30 in Berlin (CET, UTC+1) is 15:30Z.
    const clock = fixedClock("2026-11-27T15:30:00Z");
    stack = await start(clock, {
      businessHours: { timezone: "Europe/Berlin", weekly: weekdays },
      targets: { firstResponse: "1h" },
      outOfHoursReply: REPLY,
    });
    const n = await stack.customerWrites("cust-fri", "My invoice is wrong");
    // 30 minutes on Friday (16:30–17:00), the other 30 on Monday from 09:00: Monday 2026-11-30
    // 09:30 CET is 08:30Z. The desk is open on Friday at 16:30: no out-of-hours reply.
    expect(dueOnCard(stack, n)).toBe("2026-11-30T08:30:00.000Z");
    expect(waitingField(stack, n)).toMatch(/^Since <!date\^1795793400\^[^>]*>\nFirst response due </); // 15:30Z
    expect(ownReplies(stack)).toEqual([]);

    // Saturday 10:00 CET (09:00Z): closed since Friday 17:00 CET (16:00Z). The reply goes, once.
    clock.set("2026-11-28T09:00:00Z");
    expect(await stack.customerWrites("cust-fri", "Hello?")).toBe(n);
    // Saturday 15:00 and Sunday 20:00 CET: the same closed stretch, no second reply.
    clock.set("2026-11-28T14:00:00Z");
    await stack.customerWrites("cust-fri", "Anyone?");
    clock.set("2026-11-29T19:00:00Z");
    await stack.customerWrites("cust-fri", "Still waiting");
    const friday17 = Date.parse("2026-11-27T16:00:00Z");
    expect(ownReplies(stack)).toEqual([
      expect.objectContaining({
        messageId: `out-of-hours-${n}-${friday17}`,
        text: REPLY,
        customerId: "cust-fri",
        agent: null,
        // Sent when the customer wrote on Saturday, by HeroDesk's clock.
        sentAt: "2026-11-28T09:00:00.000Z",
      }),
    ]);
    // Writing again does not move the due time: the customer has waited since Friday.
    expect(dueOnCard(stack, n)).toBe("2026-11-30T08:30:00.000Z");

    // Monday 10:00 CET (09:00Z): open, nothing. Monday 18:00 CET (17:00Z): a new closed stretch,
    // since 17:00 CET (16:00Z), and a second reply.
    clock.set("2026-11-30T09:00:00Z");
    await stack.customerWrites("cust-fri", "Good morning");
    expect(ownReplies(stack)).toHaveLength(1);
    clock.set("2026-11-30T17:00:00Z");
    await stack.customerWrites("cust-fri", "Evening");
    await stack.drained();
    expect(ownReplies(stack).map((b) => [b.messageId, b.sentAt])).toEqual([
      [`out-of-hours-${n}-${friday17}`, "2026-11-28T09:00:00.000Z"],
      [`out-of-hours-${n}-${Date.parse("2026-11-30T16:00:00Z")}`, "2026-11-30T17:00:00.000Z"],
    ]);
    // The thread says so each time, with the hours.
    expect(outOfHoursNotices(stack, n)).toEqual([
      ":crescent_moon: Out of hours (Mon–Fri 09:00–17:00 (Europe/Berlin)): the customer got the out-of-hours reply.",
      ":crescent_moon: Out of hours (Mon–Fri 09:00–17:00 (Europe/Berlin)): the customer got the out-of-hours reply.",
    ]);
  });
});

describe("a holiday (Europe/Berlin, 2026-12-25 closed)", () => {
  it("Thursday 24 December 16:30 is due Monday 28 December 09:30, and the holiday is out of hours", async () => {
    // Thursday 2026-12-24 16:30 CET is 15:30Z.
    const clock = fixedClock("2026-12-24T15:30:00Z");
    stack = await start(clock, {
      businessHours: { timezone: "Europe/Berlin", weekly: weekdays, holidays: ["2026-12-25"] },
      targets: { firstResponse: "1h" },
      outOfHoursReply: REPLY,
    });
    const n = await stack.customerWrites("cust-xmas", "Where is my present?");
    // 30 minutes on the 24th; Friday the 25th is a holiday, the 26th and 27th a weekend; the other
    // 30 minutes on Monday the 28th from 09:00 CET: 09:30 CET is 08:30Z. (Without the holiday it
    // would be Friday 2026-12-25T08:30Z.)
    expect(dueOnCard(stack, n)).toBe("2026-12-28T08:30:00.000Z");
    expect(ownReplies(stack)).toEqual([]);

    // Friday the 25th, 11:00 CET (10:00Z): a weekday within the weekly hours, but a holiday. The
    // desk has been closed since Thursday 17:00 CET (16:00Z).
    clock.set("2026-12-25T10:00:00Z");
    await stack.customerWrites("cust-xmas", "Hello? It's Christmas");
    await stack.drained();
    expect(ownReplies(stack).map((b) => [b.messageId, b.text, b.sentAt])).toEqual([
      [`out-of-hours-${n}-${Date.parse("2026-12-24T16:00:00Z")}`, REPLY, "2026-12-25T10:00:00.000Z"],
    ]);
    expect(dueOnCard(stack, n)).toBe("2026-12-28T08:30:00.000Z");
  });
});

describe("daylight saving time changes in two time zones (Mon–Fri 9–17, a 1 h first-response target)", () => {
  // Each wait starts on a Friday at 16:30 (30 minutes of the target that day) and falls due on
  // Monday at 09:30 local time, after the weekend on which the clocks changed: the due instant
  // is in the offset after the change, one hour off from the offset the wait began in.
  const cases = [
    {
      zone: "Europe/Berlin",
      waits: [
        {
          // Clocks go forward on the last Sunday of March, 2026-03-29 (02:00 CET → 03:00 CEST).
          what: "spring forward (last Sunday of March)",
          // Friday 2026-03-27 16:30 CET (UTC+1) = 15:30Z.
          since: "2026-03-27T15:30:00Z",
          // Monday 2026-03-30 09:30 CEST (UTC+2) = 07:30Z (in CET it would be 08:30Z).
          due: "2026-03-30T07:30:00.000Z",
        },
        {
          // Clocks go back on the last Sunday of October, 2026-10-25 (03:00 CEST → 02:00 CET).
          what: "fall back (last Sunday of October)",
          // Friday 2026-10-23 16:30 CEST (UTC+2) = 14:30Z.
          since: "2026-10-23T14:30:00Z",
          // Monday 2026-10-26 09:30 CET (UTC+1) = 08:30Z (in CEST it would be 07:30Z).
          due: "2026-10-26T08:30:00.000Z",
        },
      ],
    },
    {
      zone: "America/New_York",
      waits: [
        {
          // Clocks go forward on the second Sunday of March, 2026-03-08 (02:00 EST → 03:00 EDT).
          what: "spring forward (second Sunday of March)",
          // Friday 2026-03-06 16:30 EST (UTC−5) = 21:30Z.
          since: "2026-03-06T21:30:00Z",
          // Monday 2026-03-09 09:30 EDT (UTC−4) = 13:30Z (in EST it would be 14:30Z).
          due: "2026-03-09T13:30:00.000Z",
        },
        {
          // Clocks go back on the first Sunday of November, 2026-11-01 (02:00 EDT → 01:00 EST).
          what: "fall back (first Sunday of November)",
          // Friday 2026-10-30 16:30 EDT (UTC−4) = 20:30Z.
          since: "2026-10-30T20:30:00Z",
          // Monday 2026-11-02 09:30 EST (UTC−5) = 14:30Z (in EDT it would be 13:30Z).
          due: "2026-11-02T14:30:00.000Z",
        },
      ],
    },
  ];

  it.each(cases)(
    "$zone: a wait across each change falls due at the right UTC instant",
    async ({ zone, waits }) => {
      const clock = fixedClock(waits[0]!.since);
      stack = await start(clock, {
        businessHours: { timezone: zone, weekly: weekdays },
        targets: { firstResponse: "1h" },
      });
      const seen: Record<string, string | null> = {};
      for (const [i, wait] of waits.entries()) {
        clock.set(wait.since);
        const n = await stack.customerWrites(`cust-dst-${i}`, `Hello before the ${wait.what}`);
        // The card says since when the customer waits: HeroDesk's clock at the message.
        expect(waitingField(stack, n)).toContain(`Since <!date^${Date.parse(wait.since) / 1000}^`);
        seen[wait.what] = dueOnCard(stack, n);
      }
      expect(seen).toEqual(Object.fromEntries(waits.map((w) => [w.what, w.due])));
    },
  );
});
