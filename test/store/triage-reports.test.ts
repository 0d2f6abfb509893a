// Summaries count tags and priority: open conversations per priority now, and the tags of the
// period's new conversations, on the summary fixture's real SQLite file (figures by hand below).

import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { NO_RESPONSE_FIGURES } from "../../src/core/response-figures.ts";
import { buildSummary, SUMMARY_LIMITS, summaryPeriod } from "../../src/core/summary.ts";
import { summaryMessage } from "../../src/slack/blocks/summary.ts";
import { createStore, openDatabase, type Store } from "../../src/store/index.ts";
import { freshDatabaseUrl } from "../helpers/db.ts";
import { seedSummaryFixture, T } from "../helpers/summary-fixture.ts";

let store: Store;
beforeEach(async () => {
  const url = freshDatabaseUrl();
  await seedSummaryFixture(url);
  store = createStore(await openDatabase(url));
});
afterEach(() => store.close());

const period = summaryPeriod(null, T);
const sectionTexts = (blocks: unknown[]) =>
  blocks.flatMap((b) => {
    const text = (b as { text?: { text?: string } }).text?.text;
    return text ? [text] : [];
  });

describe("tags and priority in the summary", () => {
  // #1 started before the period (T-30h); #2, #6 and #7 within it; #4 is closed.
  beforeEach(async () => {
    await store.conversations.addTags(1, ["billing"]);
    await store.conversations.addTags(2, ["billing", "refund"]);
    await store.conversations.addTags(6, ["billing"]);
    await store.conversations.addTags(7, ["refund", "shipping"]);
    await store.conversations.update(1, { priority: "urgent" });
    await store.conversations.update(2, { priority: "high" });
    await store.conversations.update(6, { priority: "high" });
    await store.conversations.update(4, { priority: "urgent" });
  });

  it("open conversations per priority, and new conversations per tag (most first, then by name)", async () => {
    const triage = await store.reports.triage(period, SUMMARY_LIMITS.tags);
    expect(triage.openByPriority).toMatchObject({ urgent: 1, high: 2 });
    expect(triage.topTags).toEqual([
      { tag: "billing", count: 2 },
      { tag: "refund", count: 2 },
      { tag: "shipping", count: 1 },
    ]);
  });

  it("one line in the summary message", async () => {
    const figures = await store.reports.summaryFigures(period, SUMMARY_LIMITS);
    const model = buildSummary({ ...figures, responses: NO_RESPONSE_FIGURES }, period);
    const message = summaryMessage(model, { summaryId: 1, trigger: "schedule", requestedBy: null });
    expect(sectionTexts(message.blocks)).toContain(
      "*Priority and tags*\nOpen now: :rotating_light: Urgent 1 · :arrow_up: High 2\nNew conversations by tag: `billing` 2 · `refund` 2 · `shipping` 1",
    );
  });

  it("a summary stored before tags existed, or a desk that uses none: no such line", async () => {
    const figures = await store.reports.summaryFigures(period, SUMMARY_LIMITS);
    const { triage: _, ...older } = figures;
    const message = summaryMessage(buildSummary({ ...older, responses: NO_RESPONSE_FIGURES }, period), {
      summaryId: 1,
      trigger: "schedule",
      requestedBy: null,
    });
    expect(sectionTexts(message.blocks).some((t) => t.includes("Priority and tags"))).toBe(false);
  });
});
