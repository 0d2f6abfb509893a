// The report queries on a real SQLite file, seeded with exact timestamps: every figure a summary
// shows, checked against numbers worked out by hand (test/helpers/summary-fixture.ts).
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { parseFileConfig, type SourceConfig } from "../../src/config.ts";
import { NO_RESPONSE_FIGURES } from "../../src/core/response-figures.ts";
import { buildSummary, type SummaryPeriod, summaryPeriod } from "../../src/core/summary.ts";
import { readSummaryFigures } from "../../src/services/post-summary.ts";
import { createStore, openDatabase, type Store } from "../../src/store/index.ts";
import { freshDatabaseUrl } from "../helpers/db.ts";
import { inBrief } from "../helpers/response-figures.ts";
import { EXPECTED, PEOPLE, seedSummaryFixture, T } from "../helpers/summary-fixture.ts";

let store: Store;
beforeEach(async () => {
  const url = freshDatabaseUrl();
  await seedSummaryFixture(url);
  store = createStore(await openDatabase(url));
});
afterEach(() => store.close());

const period = summaryPeriod(null, T);
/** The fixture's source, as the e2e stack configures it: no targets, no business hours. */
const SOURCES: ReadonlyMap<string, SourceConfig> = new Map(
  parseFileConfig({
    sources: [{ id: "web", secret: "web-secret-0123456789", slackChannel: "C0SUPPORT" }],
  }).sources.map((s) => [s.id, s]),
);
const modelOf = async (p: SummaryPeriod) =>
  buildSummary(await store.transaction((tx) => readSummaryFigures(tx, { sources: SOURCES }, p)), p);

describe("summary figures", () => {
  it("covers the last 24 hours for a channel's first summary", () => {
    expect(period).toEqual({ since: new Date(T.getTime() - 86_400_000), until: T });
  });

  it("counts open, new and closed per agent, including a removed agent who closed work", async () => {
    const loads = await store.reports.agentLoads(period);
    const by = (p: { slackUserId: string }) => loads.find((l) => l.slackUserId === p.slackUserId);
    expect(by(PEOPLE.ada)).toMatchObject(EXPECTED.agents.ada);
    expect(by(PEOPLE.bob)).toMatchObject(EXPECTED.agents.bob);
    expect(by(PEOPLE.dee)).toMatchObject(EXPECTED.agents.dee);
    expect(by(PEOPLE.cy)).toMatchObject({ open: 0, new: 0, closed: 0 });
  });

  it("builds the whole summary model with every number right", async () => {
    const model = await modelOf(period);
    expect(model.totals).toEqual(EXPECTED.totals);
    expect(model.queue).toEqual(EXPECTED.queue);
    expect(model.heroWaits.count).toBe(EXPECTED.heroWaits);
    expect(model.heroWaits.first).toEqual([
      {
        conversationId: 8,
        customerName: "Grace Hopper",
        hero: { kind: "agent", ref: PEOPLE.ada.slackUserId, name: PEOPLE.ada.name },
        until: new Date(T.getTime() + 3 * 60_000),
      },
    ]);
    expect(model.started).toBe(EXPECTED.started);
    expect(model.firstResponse).toEqual(EXPECTED.firstResponse);
    const r = EXPECTED.responses;
    expect(model.responses.overall).toMatchObject({
      answered: r.answered,
      first: r.first,
      next: r.next,
      overdue: r.overdue,
      targeted: true, // the answers had targets, though the source sets none now
    });
    expect(model.responses.agents.map((a) => ({ name: a.name, ...inBrief(a) }))).toMatchObject(r.agents);
    expect(model.responses.sources.map((s) => [s.sourceId, s.answered])).toEqual([["web", 5]]);
    expect(model.responses.oldestWaiting).toMatchObject({
      ...r.oldestWaiting,
      sourceId: "web",
      assigneeSlackId: null,
      threadTs: null,
      target: null,
    });
    expect(model.heroes.map(({ name, open, customers }) => ({ name, open, customers }))).toEqual(
      EXPECTED.heroes,
    );
    // Busiest first; Cy had nothing and gets no line.
    expect(model.rows.map((r) => r.name)).toEqual([PEOPLE.ada.name, PEOPLE.bob.name, PEOPLE.dee.name]);
    expect(model.chart).toEqual([
      { label: PEOPLE.ada.name, value: 2 },
      { label: PEOPLE.bob.name, value: 1 },
    ]);
  });

  it("takes the median of an odd count as the middle value", async () => {
    // Without #9 (60 min): 2, 4, 10 min → 4 min; p90 is the 3rd of 3.
    const shorter = { since: new Date(T.getTime() - 10.5 * 3_600_000), until: T };
    expect((await modelOf(shorter)).firstResponse).toEqual({
      count: 3,
      medianMs: 4 * 60_000,
      p90Ms: 10 * 60_000,
    });
  });

  it("counts only what falls inside the period", async () => {
    const lastHour = { since: new Date(T.getTime() - 3_600_000), until: T };
    const model = await modelOf(lastHour);
    // #4 closed at T-1h exactly: inside (since is inclusive); nothing was assigned in the last hour.
    expect(model.totals).toMatchObject({ new: 0, closed: 1 });
    expect(model.started).toBe(2); // #7 and #8; #6 started 90 min before T
    expect(model.firstResponse).toEqual({ count: 0, medianMs: null, p90Ms: null });
    // Ada's next response in #2 at T-30min is the hour's only answer.
    expect(model.responses.overall).toMatchObject({ answered: 1, next: { met: 1, breached: 0 } });
  });
});

describe("stored summaries", () => {
  const summary = (slot: Date | null) => ({
    channel: "C0MANAGERS",
    slot,
    trigger: slot ? ("schedule" as const) : ("command" as const),
    since: new Date(T.getTime() - 86_400_000),
    until: T,
    timezone: "UTC",
    figures: {
      agents: [],
      queue: { count: 0, oldestSince: null },
      heroWaits: { count: 0, first: [] },
      responses: NO_RESPONSE_FIGURES,
      heroes: [],
      started: 0,
    },
  });

  it("takes a channel's schedule slot once; on-demand summaries never collide", async () => {
    expect(await store.summaries.create(summary(T))).toBeTypeOf("number");
    expect(await store.summaries.create(summary(T))).toBeNull();
    expect(await store.summaries.create({ ...summary(T), channel: "C0OTHER" })).toBeTypeOf("number");
    expect(await store.summaries.create(summary(null))).toBeTypeOf("number");
    expect(await store.summaries.create(summary(null))).toBeTypeOf("number");
    expect(await store.summaries.slotTaken("C0MANAGERS", T)).toBe(true);
    expect(await store.summaries.lastUntil("C0MANAGERS")).toEqual(T);
  });
});
