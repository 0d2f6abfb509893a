// Reminders and escalation on response targets, on a real store: the two steps of a clock are
// durable outbox jobs due at the at-risk instant (75%, business time) and the due time; each tells
// the right people once, and nothing once an agent answered.
import { afterEach, describe, expect, it } from "vitest";
import { parseFileConfig, type SourceConfig } from "../../src/config.ts";
import { zonedInstant } from "../../src/core/zoned-time.ts";
import { pendingJobs, slackLane } from "../../src/outbox/jobs.ts";
import { createReceiveCustomerMessage } from "../../src/services/receive-customer-message.ts";
import { createResponseReminders } from "../../src/services/response-reminders.ts";
import type { Store } from "../../src/store/index.ts";
import { agent, openDesk, type TestDesk } from "../helpers/factories.ts";

let w: TestDesk | undefined;
afterEach(async () => {
  await w?.close();
  w = undefined;
});

const MIN = 60_000;
const TARGETS = { firstResponse: "60m", nextResponse: "4h" };

function sourcesWith(web: Record<string, unknown>): ReadonlyMap<string, SourceConfig> {
  const file = parseFileConfig({
    sources: [{ id: "web", secret: "web-secret-0123456789", slackChannel: "C0SUPPORT", ...web }],
  });
  return new Map(file.sources.map((s) => [s.id, s]));
}

async function customerWrites(
  store: Store,
  sources: ReadonlyMap<string, SourceConfig>,
  sentAt: Date,
  text = "Hi",
) {
  const receive = createReceiveCustomerMessage({ store, sources, linkCustomersByEmail: false });
  const r = await receive({
    source: "web",
    messageId: `m-${sentAt.getTime()}-${text}`,
    customer: { id: "cust-1", name: "Ada" },
    text,
    attachments: [],
    sentAt,
  });
  if (!r.ok) throw new Error(r.error);
  return r.conversationNumber;
}

/** A step's lane: per conversation, clock, step and instant. */
const laneOf = (n: number, since: Date, step: string, at: Date) =>
  `target:${n}:${since.getTime()}:${step}:${at.getTime()}`;
/** When the step set in that lane is due (undefined: none is set there). */
const stepAt = async (store: Store, n: number, since: Date, step: string, at: Date) =>
  (await store.outbox.laneHead(laneOf(n, since, step, at)))?.nextAttemptAt;
const attempt = { attempts: 0, uncertain: false, id: 1 } as never;
const dmsTo = (store: Store, id: string) => pendingJobs(store, slackLane(id), "slack.dm_agent");

describe("the two steps of a response clock", () => {
  it("a new conversation: at risk at 45 min, breached at 60 min", async () => {
    w = await openDesk();
    const sources = sourcesWith({ targets: TARGETS });
    const since = new Date(Date.now() - 10 * MIN);
    const n = await customerWrites(w.store, sources, since);
    const in45 = new Date(since.getTime() + 45 * MIN);
    expect(await stepAt(w.store, n, since, "at_risk", in45)).toEqual(in45);
    const in60 = new Date(since.getTime() + 60 * MIN);
    expect(await stepAt(w.store, n, since, "breached", in60)).toEqual(in60);
    // A second message while the customer still waits starts no second clock.
    const later = new Date(since.getTime() + MIN);
    await customerWrites(w.store, sources, later, "again");
    expect(
      await w.store.outbox.pendingPayloads(
        laneOf(n, later, "at_risk", new Date(later.getTime() + 45 * MIN)),
        "targets.check",
      ),
    ).toEqual([]);
  });

  it("in business hours: a Friday 16:30 message is at risk on Monday 09:15 (Berlin, 9 to 5)", async () => {
    w = await openDesk();
    // The last Friday at least three days ago (the inbound API takes a sentAt up to 30 days back).
    const day = new Date(Date.now() - 3 * 86_400_000);
    while (day.getUTCDay() !== 5) day.setUTCDate(day.getUTCDate() - 1);
    const date = { year: day.getUTCFullYear(), month: day.getUTCMonth() + 1, day: day.getUTCDate() };
    const since = zonedInstant(date, 16 * 60 + 30, "Europe/Berlin");
    const monday = { ...date, day: date.day + 3 };
    const hours = ["09:00-17:00"];
    const sources = sourcesWith({
      targets: TARGETS,
      businessHours: {
        timezone: "Europe/Berlin",
        weekly: { mon: hours, tue: hours, wed: hours, thu: hours, fri: hours },
      },
    });
    const n = await customerWrites(w.store, sources, since);
    const mondayAt = (minutes: number) => {
      const d = new Date(Date.UTC(monday.year, monday.month - 1, monday.day));
      return zonedInstant(
        { year: d.getUTCFullYear(), month: d.getUTCMonth() + 1, day: d.getUTCDate() },
        minutes,
        "Europe/Berlin",
      );
    };
    expect(await stepAt(w.store, n, since, "at_risk", mondayAt(9 * 60 + 15))).toEqual(mondayAt(9 * 60 + 15));
    expect(await stepAt(w.store, n, since, "breached", mondayAt(9 * 60 + 30))).toEqual(mondayAt(9 * 60 + 30));
  });
});

describe("targets.check: who hears, once, and never after an answer", () => {
  async function setUp(web: Record<string, unknown> = {}) {
    w = await openDesk();
    const sources = sourcesWith({ targets: TARGETS, ...web });
    const since = new Date(Date.now() - 50 * MIN);
    const n = await customerWrites(w.store, sources, since);
    const check = createResponseReminders({ store: w.store, sources }).handlers["targets.check"];
    /** A step of the clock `at`; `instant`: the ms it was set for (steps set before tags had none). */
    const run = (step: "at_risk" | "breached", at = since, instant?: number) =>
      check.perform(
        { conversationId: n, since: at.getTime(), step, ...(instant === undefined ? {} : { at: instant }) },
        attempt,
      );
    return { n, since, run, store: w.store };
  }

  it("at risk, held: the assignee gets one DM naming the response and its due time", async () => {
    const { n, run, store, since } = await setUp();
    const ann = await agent(store, "U0ANN");
    await store.conversations.setAssigneeIf(n, null, ann.id);
    await run("at_risk");
    expect(await dmsTo(store, "U0ANN")).toEqual([
      {
        conversationId: n,
        userId: "U0ANN",
        kind: "at_risk",
        target: "first",
        due: since.getTime() + 60 * MIN,
      },
    ]);
  });

  it("at risk, unassigned: the source's subscribers hear it", async () => {
    const { run, store } = await setUp();
    const bob = await agent(store, "U0BOB");
    await store.agents.subscribe(bob.id, "web");
    await run("at_risk");
    expect((await dmsTo(store, "U0BOB")).map((d) => d.kind)).toEqual(["at_risk"]);
  });

  it("answered before the step: nobody hears anything", async () => {
    const { n, run, store } = await setUp({ escalationChannel: "C0ESCALATE" });
    const ann = await agent(store, "U0ANN");
    await store.conversations.setAssigneeIf(n, null, ann.id);
    await store.conversations.update(n, {
      waitingSince: null,
      firstResponseAt: new Date(),
      firstResponseMs: 1,
    });
    await run("at_risk");
    await run("breached");
    expect(await dmsTo(store, "U0ANN")).toEqual([]);
    expect(await dmsTo(store, "C0ESCALATE")).toEqual([]);
  });

  it("a step of an older clock does nothing (the customer waits on a newer one)", async () => {
    const { run, store, since } = await setUp({ escalationChannel: "C0ESCALATE" });
    await run("breached", new Date(since.getTime() - 3_600_000));
    expect(await dmsTo(store, "C0ESCALATE")).toEqual([]);
  });

  it("a step set for an instant the clock no longer has (a new priority moved it) does nothing", async () => {
    const { run, store, since } = await setUp({ escalationChannel: "C0ESCALATE" });
    await run("breached", since, since.getTime() + 10 * MIN);
    expect(await dmsTo(store, "C0ESCALATE")).toEqual([]);
    await run("breached", since, since.getTime() + 60 * MIN);
    expect((await dmsTo(store, "C0ESCALATE")).map((d) => d.kind)).toEqual(["breached"]);
  });

  it("breached: the escalation channel gets it; without one, nothing is posted", async () => {
    const withChannel = await setUp({ escalationChannel: "C0ESCALATE" });
    await withChannel.run("breached");
    expect((await dmsTo(withChannel.store, "C0ESCALATE")).map((d) => d.kind)).toEqual(["breached"]);
    await w?.close();
    const without = await setUp();
    await without.run("breached");
    expect(await without.store.outbox.countByStatus()).not.toHaveProperty("failed");
  });
});

describe("the second step: reassign after a further delay", () => {
  async function setUp() {
    w = await openDesk();
    const sources = sourcesWith({
      targets: { ...TARGETS, reassignAfter: "30m" },
      escalationChannel: "C0ESCALATE",
    });
    const since = new Date(Date.now() - 100 * MIN);
    const n = await customerWrites(w.store, sources, since);
    const check = createResponseReminders({ store: w.store, sources }).handlers["targets.check"];
    const run = () => check.perform({ conversationId: n, since: since.getTime(), step: "reassign" }, attempt);
    return { n, since, run, store: w.store };
  }

  it("is set 30 minutes (business time) after the due time", async () => {
    const { n, since, store } = await setUp();
    const at = new Date(since.getTime() + 90 * MIN);
    expect((await store.outbox.laneHead(laneOf(n, since, "reassign", at)))?.nextAttemptAt).toEqual(at);
  });

  it("held and unanswered: taken from the assignee, routed again, the holder and the channel told, history says why", async () => {
    const { n, run, store } = await setUp();
    const ann = await agent(store, "U0ANN");
    await store.conversations.setAssigneeIf(n, null, ann.id);
    await run();
    await run(); // once: the second finds nobody holding it
    const c = await store.conversations.get(n);
    expect([c?.assigneeId, c?.unassignedFromId]).toEqual([null, ann.id]);
    expect((await dmsTo(store, "U0ANN")).map((d) => [d.kind, d.from])).toEqual([["reassigned", "U0ANN"]]);
    expect((await dmsTo(store, "C0ESCALATE")).map((d) => d.kind)).toEqual(["reassigned"]);
    expect(await pendingJobs(store, "routing", "routing.route")).toContainEqual({ conversationId: n });
    expect((await w!.say("U0ADMIN", `history #${n}`)).split("\n").at(-1)).toContain(
      "back to the queue (taken back: unanswered past its response target)",
    );
  });

  it("answered, or nobody holds it: nothing moves and nobody is told", async () => {
    const { n, run, store } = await setUp();
    await run(); // unassigned: it waits in the queue already
    expect(await dmsTo(store, "C0ESCALATE")).toEqual([]);
    const ann = await agent(store, "U0ANN");
    await store.conversations.setAssigneeIf(n, null, ann.id);
    await store.conversations.update(n, {
      waitingSince: null,
      firstResponseAt: new Date(),
      firstResponseMs: 1,
    });
    await run();
    expect((await store.conversations.get(n))?.assigneeId).toBe(ann.id);
    expect(await dmsTo(store, "U0ANN")).toEqual([]);
  });
});
