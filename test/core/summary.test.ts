import { describe, expect, it } from "vitest";
import { NO_RESPONSE_FIGURES } from "../../src/core/response-figures.ts";
import {
  type AgentLoad,
  buildSummary,
  formatDuration,
  SUMMARY_LIMITS,
  type SummaryFigures,
  summaryPeriod,
  summaryTimezone,
} from "../../src/core/summary.ts";

const until = new Date("2026-11-23T09:00:00Z");
const HOUR = 3_600_000;
const DAY = 24 * HOUR;

const agent = (
  id: number,
  open: number,
  fresh = 0,
  closed = 0,
  status: AgentLoad["status"] = "online",
): AgentLoad => ({
  agentId: id,
  slackUserId: `U${id}`,
  name: `Agent ${id}`,
  status,
  capacity: 0,
  open,
  new: fresh,
  closed,
});
const figures = (agents: AgentLoad[], extra: Partial<SummaryFigures> = {}): SummaryFigures => ({
  agents,
  queue: { count: 0, oldestSince: null },
  heroWaits: { count: 0, first: [] },
  responses: NO_RESPONSE_FIGURES,
  heroes: [],
  started: 0,
  ...extra,
});

describe("summaryPeriod", () => {
  it.each([
    ["first summary: the last 24 hours", null, new Date(until.getTime() - DAY)],
    ["since the last summary", new Date(until.getTime() - 2 * HOUR), new Date(until.getTime() - 2 * HOUR)],
    ["never more than a week", new Date(until.getTime() - 30 * DAY), new Date(until.getTime() - 7 * DAY)],
    [
      "a last summary in the future: the last 24 hours",
      new Date(until.getTime() + HOUR),
      new Date(until.getTime() - DAY),
    ],
  ])("%s", (_name, last, since) => {
    expect(summaryPeriod(last, until)).toEqual({ since, until });
  });
});

describe("buildSummary", () => {
  const period = { since: new Date(until.getTime() - DAY), until };

  it("orders agents busiest first and leaves out those with nothing", () => {
    const model = buildSummary(
      figures([agent(1, 1, 5), agent(2, 3), agent(3, 0, 0, 0), agent(4, 3, 1), agent(5, 0, 0, 2)]),
      period,
    );
    expect(model.rows.map((r) => r.agentId)).toEqual([4, 2, 1, 5]);
    expect(model.chart).toEqual([
      { label: "Agent 4", value: 3 },
      { label: "Agent 2", value: 3 },
      { label: "Agent 1", value: 1 },
    ]);
    expect(model.totals).toEqual({ open: 7, new: 6, closed: 2, agentsOnline: 5 });
  });

  it("sums the agents beyond the message's room into one line", () => {
    const many = Array.from({ length: 2000 }, (_, i) => agent(i + 1, 1, 1, 1, i % 2 ? "online" : "away"));
    const model = buildSummary(figures(many), period);
    expect(model.rows).toHaveLength(SUMMARY_LIMITS.rows);
    expect(model.more).toEqual({ agents: 1980, open: 1980, new: 1980, closed: 1980 });
    expect(model.totals).toEqual({ open: 2000, new: 2000, closed: 2000, agentsOnline: 1000 });
  });

  it("measures the oldest wait from the end of the period", () => {
    const model = buildSummary(
      figures([], { queue: { count: 3, oldestSince: new Date(until.getTime() - 90 * 60_000) } }),
      period,
    );
    expect(model.queue).toEqual({ count: 3, oldestWaitMs: 90 * 60_000 });
  });

  it("keeps only heroes with open conversations, most first", () => {
    const hero = (name: string, open: number) => ({
      kind: "team" as const,
      ref: name,
      name,
      open,
      customers: 1,
    });
    const model = buildSummary(
      figures([], {
        heroes: [
          hero("B", 2),
          hero("A", 0),
          hero("C", 9),
          hero("D", 2),
          hero("E", 1),
          hero("F", 1),
          hero("G", 1),
        ],
      }),
      period,
    );
    expect(model.heroes.map((h) => h.name)).toEqual(["C", "B", "D", "E", "F"]);
  });
});

describe("formatDuration", () => {
  it.each([
    [0, "0 s"],
    [44_600, "45 s"],
    [60_000, "1 min"],
    [59 * 60_000, "59 min"],
    [90 * 60_000, "1 h 30 min"],
    [3 * HOUR + 5 * 60_000, "3 h 05 min"],
    [2 * DAY + 4 * HOUR, "2 d 4 h"],
  ])("%d ms → %s", (ms, text) => {
    expect(formatDuration(ms)).toBe(text);
  });
});

describe("summaryTimezone: the time zone a summary reads in", () => {
  const schedules = [
    { channel: "C0MANAGERS", timezone: "Europe/Berlin" },
    { channel: "C0LEADS", timezone: "America/New_York" },
  ];
  it.each([
    ["the channel's own schedule", schedules, "C0LEADS", "America/New_York"],
    ["a channel without a schedule: the first schedule's", schedules, "C0ELSEWHERE", "Europe/Berlin"],
    ["no channel (App Home's today): the first schedule's", schedules, undefined, "Europe/Berlin"],
    ["no schedules at all", [], "C0LEADS", "UTC"],
  ] as const)("%s", (_case, list, channel, zone) => {
    expect(summaryTimezone(list, channel)).toBe(zone);
  });
});
