// Response figures on a real store: an agent's answer records the wait it ended (business time,
// target) in its own transaction, once however often Slack delivers it; `/desk summary` and the
// manager's App Home count met and breached answers, the waits past due, the median and p90 first
// response per agent and per source, and name the oldest wait.
import { afterEach, describe, expect, it } from "vitest";
import { parseFileConfig } from "../../src/config.ts";
import { zonedInstant } from "../../src/core/zoned-time.ts";
import { createHomeServices } from "../../src/services/home.ts";
import { createRecordAgentReply } from "../../src/services/record-agent-reply.ts";
import { readResponseFigures } from "../../src/services/response-figures.ts";
import { createTargetSettings } from "../../src/services/target-settings.ts";
import {
  agent,
  BOOTSTRAP,
  CHANNEL,
  conversation,
  customer,
  openDesk,
  type TestDesk,
  team,
} from "../helpers/factories.ts";
import { inBrief } from "../helpers/response-figures.ts";

let w: TestDesk | undefined;
afterEach(async () => {
  await w?.close();
  w = undefined;
});

const MIN = 60_000;
// Berlin, Monday to Friday 09:00–17:00; Friday 20 and Monday 23 November 2026.
const at = (day: number, hh: number, mm = 0) =>
  zonedInstant({ year: 2026, month: 11, day }, hh * 60 + mm, "Europe/Berlin");
const FRI = 20;
const MON = 23;
const NOW = at(MON, 11);
const WEB = {
  businessHours: {
    timezone: "Europe/Berlin",
    weekly: Object.fromEntries(["mon", "tue", "wed", "thu", "fri"].map((d) => [d, ["09:00-17:00"]])),
  },
  targets: {
    firstResponse: "60m",
    nextResponse: "4h",
    overrides: [{ attribute: "plan", value: "enterprise", firstResponse: "15m" }],
  },
};

const ts = (d: Date, n = 0) => `${Math.floor(d.getTime() / 1000)}.${String(n).padStart(6, "0")}`;
let threads = 0;

/** The conversation's card is in Slack: its thread, where agents answer. */
async function thread(desk: TestDesk, n: number) {
  const root = `1700000000.${String(++threads).padStart(6, "0")}`;
  await desk.store.slack.saveThread({ conversationId: n, channel: CHANNEL, ts: root });
  return root;
}

/** The day of the fixture: who answered what, and what still waits at Monday 11:00. */
async function day(web: Record<string, unknown> = WEB) {
  w = await openDesk({ now: () => NOW, web });
  const desk = w;
  await agent(desk.store, "U0ANN", "agent");
  await agent(desk.store, "U0BOB", "agent");
  const reply = createRecordAgentReply({ store: desk.store, sources: desk.deps.sources });
  const answer = async (
    userId: string,
    n: number,
    root: string,
    when: Date,
    text = "On it",
    eventId?: string,
  ) =>
    reply({
      channel: CHANNEL,
      threadTs: root,
      ts: ts(when, n),
      userId,
      text,
      ...(eventId ? { eventId } : {}),
    });

  // #1 Friday 16:30, answered Monday 09:20: 30 + 20 business minutes of 60, met.
  const c1 = await conversation(desk.store, { at: at(FRI, 16, 30) });
  await answer("U0ANN", c1.n, await thread(desk, c1.n), at(MON, 9, 20), "On it", "Ev1");
  // Slack delivers the same event again: nothing more is recorded.
  await answer(
    "U0ANN",
    c1.n,
    (await desk.store.slack.threadForConversation(c1.n))!.ts,
    at(MON, 9, 20),
    "On it",
    "Ev1",
  );
  // #2 Friday 15:00, answered Monday 09:30: 150 minutes, breached; the customer writes again at
  // 10:00, answered at 10:30: a next response of 30 minutes of 4 hours, met.
  const c2 = await conversation(desk.store, { at: at(FRI, 15) });
  const root2 = await thread(desk, c2.n);
  await answer("U0ANN", c2.n, root2, at(MON, 9, 30));
  await desk.store.conversations.update(c2.n, { waitingSince: at(MON, 10) });
  await answer("U0ANN", c2.n, root2, at(MON, 10, 30), "Sent it");
  // #3 an enterprise customer at 09:00, answered by Bob at 09:40: 40 of 15 minutes, breached.
  const c3 = await conversation(desk.store, { at: at(MON, 9), attributes: { plan: "enterprise" } });
  await answer("U0BOB", c3.n, await thread(desk, c3.n), at(MON, 9, 40));
  // #4 Friday 14:00, nobody answered: 5 business hours by 11:00, past due, the oldest wait.
  const c4 = await conversation(desk.store, { at: at(FRI, 14) });
  await thread(desk, c4.n);
  // #5 10:50, a note only: 10 minutes, on track; a note answers nobody.
  const c5 = await conversation(desk.store, { at: at(MON, 10, 50) });
  await answer("U0ANN", c5.n, await thread(desk, c5.n), at(MON, 10, 55), "!note checking the warehouse");
  // #6 on mail (no targets, no hours) at 10:00, answered by Bob at 10:05.
  const who = await customer(desk.store);
  const c6 = await desk.store.conversations.create({
    sourceId: "mail",
    externalId: "mail-6",
    customerId: who.id,
    slackChannel: CHANNEL,
    at: at(MON, 10),
  });
  await answer("U0BOB", c6.id, await thread(desk, c6.id), at(MON, 10, 5));
  return { desk, c1, c2, c3, c4, c5 };
}

describe("an agent's answer records the wait it ended", () => {
  it("kind, business-time wait and target, once per answer; notes and duplicates record nothing", async () => {
    const { desk, c1, c2, c3 } = await day();
    const records = await desk.store.transaction((tx) =>
      tx.reports.answeredWaits({ since: at(FRI, 0), until: NOW }),
    );
    expect(records).toEqual([
      { kind: "first", sourceId: "web", agentId: 1, businessMs: 50 * MIN, targetMs: 60 * MIN },
      { kind: "first", sourceId: "web", agentId: 1, businessMs: 150 * MIN, targetMs: 60 * MIN },
      { kind: "first", sourceId: "web", agentId: 2, businessMs: 40 * MIN, targetMs: 15 * MIN },
      { kind: "first", sourceId: "mail", agentId: 2, businessMs: 5 * MIN, targetMs: null },
      { kind: "next", sourceId: "web", agentId: 1, businessMs: 30 * MIN, targetMs: 240 * MIN },
    ]);
    // The clock stopped: nobody waits in the answered ones.
    for (const c of [c1, c2, c3]) expect((await desk.store.conversations.get(c.n))!.waitingSince).toBeNull();
  });
});

describe("/desk summary's response figures", () => {
  it("met and breached, past due, median and p90 per agent and per source, the oldest wait", async () => {
    const { desk, c4 } = await day();
    await desk.run(BOOTSTRAP, "summary");
    const [summary] = await desk.store.summaries.recent(1);
    const r = summary!.figures.responses;
    expect(r.overall).toEqual({
      answered: 5,
      // 5, 40, 50, 150 minutes: the mean of the middle two; p90 the 4th of 4.
      firstResponse: { count: 4, medianMs: 45 * MIN, p90Ms: 150 * MIN },
      first: { met: 1, breached: 2 },
      next: { met: 1, breached: 0 },
      overdue: 1,
      targeted: true,
    });
    expect(
      r.bySource.map((s) => [s.sourceId, s.answered, s.firstResponse.medianMs, s.overdue, s.targeted]),
    ).toEqual([
      ["web", 4, 50 * MIN, 1, true],
      ["mail", 1, 5 * MIN, 0, false],
    ]);
    expect(r.byAgent.map((a) => ({ who: a.slackUserId, ...inBrief(a) }))).toMatchObject([
      { who: "U0ANN", answered: 3, median: 100 * MIN, p90: 150 * MIN, met: 2, breached: 1 },
      { who: "U0BOB", answered: 2, median: 22.5 * MIN, p90: 40 * MIN, met: 0, breached: 1 },
    ]);
    expect(r.oldestWaiting).toEqual({
      conversationId: c4.n,
      customerName: c4.customerName,
      sourceId: "web",
      channel: CHANNEL,
      threadTs: expect.stringMatching(/^1700000000\./),
      waitingSince: at(FRI, 14),
      assigneeSlackId: null,
      target: { kind: "first", state: "breached" },
    });
  });
});

describe("the manager's App Home", () => {
  it("shows today's figures from midnight in the summaries' time zone", async () => {
    const { desk } = await day();
    const home = createHomeServices({
      ...desk.deps,
      summaries: [{ channel: "C0MANAGERS", cron: "0 9 * * 1-5", timezone: "Europe/Berlin" }],
    });
    const model = await home.load(BOOTSTRAP);
    const r = model.team!.responses;
    expect(r.overall).toMatchObject({ answered: 5, first: { met: 1, breached: 2 }, overdue: 1 });
    expect(r.agents.map((a) => a.slackUserId)).toEqual(["U0ANN", "U0BOB"]);
    // 11:00 Monday, since Friday 14:00: wall-clock time, as the customer lived it.
    expect(r.oldestWaiting?.waitMs).toBe((2 * 24 + 21) * 60 * MIN);

    // Tuesday's home: Monday's answers are yesterday's; #4 still waits, and #5 is past due now.
    const tuesday = createHomeServices({
      ...desk.deps,
      now: () => at(24, 9, 30),
      summaries: [{ channel: "C0MANAGERS", cron: "0 9 * * 1-5", timezone: "Europe/Berlin" }],
    });
    const next = (await tuesday.load(BOOTSTRAP)).team!.responses;
    expect(next.overall).toMatchObject({
      answered: 0,
      overdue: 2,
      firstResponse: { count: 0, medianMs: null },
    });
  });

  it("counts the waits past due in the store where no override needs the customer's attributes", async () => {
    const { desk } = await day({ ...WEB, targets: { firstResponse: "60m", nextResponse: "4h" } });
    const summaries = [{ channel: "C0MANAGERS", cron: "0 9 * * 1-5", timezone: "Europe/Berlin" }];
    const load = async (now: Date) =>
      (await createHomeServices({ ...desk.deps, now: () => now, summaries }).load(BOOTSTRAP)).team!.responses;
    // Monday 11:00: #4 (Friday 14:00) only; Tuesday 09:30: #5 (Monday 10:50) too.
    expect((await load(NOW)).overall.overdue).toBe(1);
    expect((await load(at(24, 9, 30))).overall.overdue).toBe(2);
    // Nobody holds them: they count for their source, for no agent.
    const tuesday = await load(at(24, 9, 30));
    expect(tuesday.sources.map((x) => [x.sourceId, x.overdue])).toEqual([["web", 2]]);
    expect(tuesday.agents).toEqual([]);
  });
});

describe("a conversation its team serves keeps the team's hours", () => {
  it("its answer's wait and its past-due state count the team's business time, not the source's", async () => {
    const allWeek = (hours: string[]) =>
      Object.fromEntries(["mon", "tue", "wed", "thu", "fri", "sat", "sun"].map((d) => [d, hours]));
    // The source is open around the clock; team Spanish 09:00-10:00 Madrid (08:00-09:00 UTC).
    const file = parseFileConfig({
      sources: [
        {
          id: "web",
          secret: "web-secret-0123456789",
          slackChannel: CHANNEL,
          targets: { firstResponse: "1h" },
          businessHours: { timezone: "UTC", weekly: allWeek(["00:00-24:00"]) },
        },
      ],
      teams: [
        { name: "spanish", businessHours: { timezone: "Europe/Madrid", weekly: allWeek(["09:00-10:00"]) } },
      ],
    });
    const sources = new Map(file.sources.map((s) => [s.id, s]));
    const targetSettings = createTargetSettings({ sources, teams: file.teams });
    const utc = (hh: number, mm = 0) => new Date(Date.UTC(2026, 10, 23, hh, mm));
    w = await openDesk({ now: () => utc(11) });
    const desk = w;
    await agent(desk.store, "U0ANN", "agent");
    const spanish = await team(desk.store, "Spanish");
    await desk.store.rules.add({ attribute: "language", value: "es", teamId: spanish.id });
    const reply = createRecordAgentReply({ store: desk.store, sources, targetSettings });

    // Written 08:00 UTC, answered 10:30: 150 minutes by the clock, the team's whole hour of 60.
    const answered = await conversation(desk.store, { at: utc(8), attributes: { language: "es" } });
    await reply({
      channel: CHANNEL,
      threadTs: await thread(desk, answered.n),
      ts: ts(utc(10, 30)),
      userId: "U0ANN",
      text: "Hola",
    });
    // Waiting since 08:30: 30 of the team's minutes by 11:00, on track; the same wait on the
    // source's hours (another customer) is 150 minutes, past due.
    await conversation(desk.store, { at: utc(8, 30), attributes: { language: "es" } });
    await conversation(desk.store, { at: utc(8, 30), attributes: { language: "en" } });

    const f = await desk.store.transaction((tx) =>
      readResponseFigures(
        tx,
        { sources, targetSettings, teamHours: file.teams },
        { since: utc(0), until: utc(11) },
      ),
    );
    expect(
      await desk.store.transaction((tx) => tx.reports.answeredWaits({ since: utc(0), until: utc(11) })),
    ).toEqual([{ kind: "first", sourceId: "web", agentId: 1, businessMs: 60 * MIN, targetMs: 60 * MIN }]);
    expect(f.overall).toMatchObject({ first: { met: 1, breached: 0 }, overdue: 1 });
  });
});
