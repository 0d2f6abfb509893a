// Response figures through the real stack: customers write through the inbound API, an agent
// answers in the Slack thread, and `/desk summary` posts what a manager reads: answers that met
// and breached the 30 minute target, the one still waiting past due with its link, the median and
// p90 first response, and the agent's line.
import { afterEach, describe, expect, it } from "vitest";
import { AGENT, CHANNEL, type Stack, startStack } from "../helpers/stack.ts";
import { waitFor } from "../helpers/wait.ts";

const MANAGERS = "C0MANAGERS";
const HOUR = 3_600_000;

let stack: Stack | undefined;
afterEach(async () => {
  await stack?.stop();
  stack = undefined;
});

const summaries = (s: Stack) =>
  s.emulator.workspace
    .messages(MANAGERS)
    .filter((m) => (m.metadata as { event_type?: string } | undefined)?.event_type === "herodesk_summary");

describe("response figures in /desk summary", () => {
  it("met, breached and past due against the target, the median and p90 first response, the oldest wait linked", async () => {
    stack = await startStack({ web: { targets: { firstResponse: "30m" } } });
    const s = stack;
    s.emulator.workspace.addChannel({ id: MANAGERS, name: "support-managers", members: ["U0ADMIN"] });
    await s.desk("U0ADMIN", `agent add <@${AGENT}>`);
    const answer = async (n: number) => {
      s.emulator.driver.message({ userId: AGENT, channelId: CHANNEL, threadTs: s.card(n).ts, text: "On it" });
      await waitFor(
        `#${n} answered`,
        async () => (await s.app.store.conversations.get(n))?.waitingSince === null,
      );
    };
    const ago = (ms: number) => new Date(Date.now() - ms).toISOString();

    // Answered within seconds: met. Answered after two hours: breached. One hour, unanswered: past due.
    const quick = await s.customerWrites("cust-quick", "Where is my order?", { name: "Quinn Quick" });
    await answer(quick);
    const slow = await s.customerWrites("cust-slow", "Hello?", { name: "Sam Slow", sentAt: ago(2 * HOUR) });
    await answer(slow);
    const waiting = await s.customerWrites("cust-wait", "Anyone there?", {
      name: "Wes Wait",
      sentAt: ago(HOUR),
    });

    expect(await s.desk("U0ADMIN", "summary", MANAGERS)).toContain("Posting the assignment summary");
    await waitFor("the summary", () => summaries(s).length === 1);
    const [posted] = summaries(s);
    const body = JSON.stringify(posted!.blocks);

    // Two first responses, a few seconds and two hours: the median is their mean, p90 the longer.
    expect(posted!.text).toContain("median first response 1 h 00 min");
    expect(body).toContain("*Median first response*\\n1 h 00 min (2 conversations)");
    expect(body).toContain("*Response targets* (business time; answers in this period)");
    expect(body).toContain("*p90 first response*\\n2 h 00 min");
    expect(body).toContain("*First responses*\\n1 met · 1 breached");
    expect(body).toContain("*Past due, still waiting*\\n1");
    // The oldest wait, linked to its thread as Slack's permalink, with the customer and who holds it.
    const permalink = `https://herodesk-demo.slack.com/archives/${CHANNEL}/p${s.card(waiting).ts.replace(".", "")}`;
    expect(body).toContain(
      `*Oldest waiting* <${permalink}|#${waiting} Wes Wait> · web · waiting 1 h 00 min · in the queue · first response :red_circle: breached`,
    );
    expect(body).toContain(
      "• *web* · 2 answers · median 1 h 00 min · p90 2 h 00 min · 1 met · 1 breached · 1 past due",
    );
    // The agent by name (a channel's summary pings nobody), with their own figures.
    expect(body).toMatch(
      /• \*[^*<]+\* · 2 answers · median 1 h 00 min · p90 2 h 00 min · 1 met · 1 breached/,
    );
    expect(body).not.toContain(`<@${AGENT}>`);
    expect(slow).toBeGreaterThan(quick);
  });
});
