// Assignment summaries end to end: /desk summary and scheduled slots post through the outbox into
// the emulator, the figures are the fixture's (worked out by hand), the chart arrives as a PNG
// through Slack's upload flow, and each schedule slot is posted exactly once across restarts.
import { afterEach, describe, expect, it } from "vitest";
import { createLogger } from "../../src/logger.ts";
import { freshDatabaseUrl } from "../helpers/db.ts";
import { type Stack, startStack } from "../helpers/stack.ts";
import { PEOPLE, seedSummaryFixture, T } from "../helpers/summary-fixture.ts";

const MANAGERS = "C0MANAGERS";
const PNG_SIGNATURE = Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]);

let stack: Stack | undefined;
afterEach(async () => {
  await stack?.stop();
  stack = undefined;
});

/**
 * A stack on the fixture's database, with a clock the test moves. The managers' channel had a
 * summary the day before (HeroDesk served it), unless `newInstall`.
 */
async function start(clock: { now: Date }, summaries: unknown[] = [], { newInstall = false } = {}) {
  const databaseUrl = freshDatabaseUrl();
  await seedSummaryFixture(databaseUrl, "C0SUPPORT", { summariesBefore: newInstall ? [] : [MANAGERS] });
  const s = await startStack({ databaseUrl, now: () => clock.now, file: { summaries } });
  s.emulator.workspace.addChannel({ id: MANAGERS, name: "support-managers", members: ["U0ADMIN"] });
  return s;
}

const textOf = (m: { text?: string; blocks?: unknown }) =>
  `${m.text ?? ""}\n${JSON.stringify(m.blocks ?? [])}`;
const summaries = (s: Stack) =>
  s.emulator.workspace
    .messages(MANAGERS)
    .filter((m) => (m.metadata as { event_type?: string } | undefined)?.event_type === "herodesk_summary");
const charts = (s: Stack) => s.emulator.workspace.files().filter((f) => f.channels.includes(MANAGERS));

describe("/desk summary", () => {
  it("posts the summary with every figure, then the chart as a PNG, in the channel it was asked in", async () => {
    const clock = { now: T };
    stack = await start(clock);
    const answer = await stack.desk("U0ADMIN", "summary", MANAGERS);
    expect(answer).toContain(`Posting the assignment summary in <#${MANAGERS}>`);
    await stack.drained();

    const [posted, ...others] = summaries(stack);
    expect(others).toHaveLength(0);
    expect(posted!.text).toBe(
      "Assignment summary: 6 open, 2 in the queue (oldest waiting 1 h 30 min), 2 closed, median first response 7 min",
    );
    const body = textOf(posted!);
    expect(body).toContain("*Open now*\\n6");
    expect(body).toContain("*Unassigned queue*\\n2 · oldest waiting 1 h 30 min");
    expect(body).toContain("*Assigned to agents*\\n5");
    expect(body).toContain("*Closed*\\n2");
    expect(body).toContain("*Waiting for a hero*\\n1");
    expect(body).toContain("*Median first response*\\n7 min (4 conversations)");
    expect(body).toContain("*Conversations started*\\n7");
    expect(body).toContain("*Agents online*\\n1");
    // One line per agent with work, busiest first: name, open, new, closed.
    const table = body.slice(body.indexOf("```"), body.lastIndexOf("```"));
    const rows = table.split("\\n").slice(1);
    expect(
      rows.map((r) =>
        r
          .trim()
          .split(/\s{2,}|\s(?=\d)/)
          .filter(Boolean),
      ),
    ).toEqual([
      ["Ada Lovelace", "2", "3", "1"],
      ["Bob Builder", "1", "1", "0"],
      ["Dee Removed", "0", "1", "1"],
    ]);
    expect(table).not.toContain("Cy Twombly");
    expect(body).toContain(`#8 Grace Hopper for <@${PEOPLE.ada.slackUserId}>`);
    expect(body).toContain(`1. <@${PEOPLE.ada.slackUserId}>: 4 open conversations (2 customers)`);
    expect(body).toContain("2. Team Spanish: 1 open conversation (1 customer)");
    expect(body).toContain(`asked for by <@U0ADMIN>`);

    // The chart followed the summary through files.*.
    const calls = stack.emulator.calls.map((c) => c.method);
    const upload = calls.indexOf("files.getUploadURLExternal");
    expect(upload).toBeGreaterThan(calls.indexOf("chat.postMessage"));
    expect(calls.indexOf("files.completeUploadExternal")).toBeGreaterThan(upload);
    const [chart, ...moreCharts] = charts(stack);
    expect(moreCharts).toHaveLength(0);
    expect(chart!.bytes.subarray(0, 8)).toEqual(PNG_SIGNATURE);
    expect(chart!.mimetype).toBe("image/png");
    expect(chart!.title).toMatch(/^Open conversations per agent/);
    // A screen reader reads the same figures the bars show.
    expect(chart!.altTxt).toBe("Open conversations per agent: Ada Lovelace 2, Bob Builder 1.");
    // The chart comes after the summary in the channel.
    const channel = stack.emulator.workspace.messages(MANAGERS);
    const shareIndex = channel.findIndex((m) => (m as { files?: unknown[] }).files?.length);
    expect(shareIndex).toBeGreaterThan(channel.indexOf(posted!));
  });

  it("starts the next summary where the channel's last one ended", async () => {
    const clock = { now: T };
    stack = await start(clock);
    await stack.desk("U0ADMIN", "summary", MANAGERS);
    await stack.drained();
    clock.now = new Date(T.getTime() + 3_600_000);
    await stack.desk("U0ADMIN", "summary", MANAGERS);
    await stack.drained();
    const second = summaries(stack)[1]!;
    // Nothing was assigned, closed or answered between the two; #8's hero wait ended, so it queues.
    expect(second.text).toBe(
      "Assignment summary: 6 open, 3 in the queue (oldest waiting 2 h 30 min), 0 closed",
    );
    expect(textOf(second)).toContain("*Assigned to agents*\\n0");
    expect(textOf(second)).toContain("*Waiting for a hero*\\n0");
    expect(textOf(second)).toContain(`<!date^${Math.floor(T.getTime() / 1000)}^`);
  });

  it("is refused to agents, with the reason", async () => {
    stack = await startStack({ now: () => T });
    stack.emulator.workspace.addChannel({ id: MANAGERS, name: "support-managers", members: ["U0ADMIN"] });
    stack.addPerson("U0PLAIN", "Plain Agent");
    await stack.desk("U0ADMIN", "agent add <@U0PLAIN> agent", MANAGERS);
    expect(await stack.desk("U0PLAIN", "summary", MANAGERS)).toMatch(/manager|admin/i);
    await stack.drained();
    expect(summaries(stack)).toHaveLength(0);
  });
});

describe("scheduled summaries", () => {
  const daily = [{ channel: MANAGERS, cron: "0 9 * * *", timezone: "UTC" }];
  const at = (iso: string) => new Date(iso);

  it("a restart at 09:00:30 does not post the 09:00 summary twice", async () => {
    const clock = { now: at("2026-11-23T09:00:00.200Z") };
    stack = await start(clock, daily);
    await stack.drained();
    expect(summaries(stack)).toHaveLength(1);

    clock.now = at("2026-11-23T09:00:30Z");
    await stack.restart();
    await stack.app.summaries.catchUp();
    await stack.drained();
    expect(summaries(stack)).toHaveLength(1);
    expect(charts(stack)).toHaveLength(1);
    expect(summaries(stack)[0]!.text).toContain("6 open");
  });

  it("posts a slot missed while down when it is less than 15 minutes late", async () => {
    stack = await start({ now: at("2026-11-23T09:14:00Z") }, daily);
    await stack.drained();
    const [posted] = summaries(stack);
    // The period ends at the slot, not at the late start.
    expect(textOf(posted!)).toContain(`→ <!date^${Math.floor(T.getTime() / 1000)}^`);
    expect(summaries(stack)).toHaveLength(1);
  });

  it("skips a slot missed by 15 minutes or more", async () => {
    stack = await start({ now: at("2026-11-23T09:15:00Z") }, daily);
    await stack.drained();
    expect(summaries(stack)).toHaveLength(0);
    // Only the day before's.
    expect(await stack.app.store.summaries.recent(5)).toHaveLength(1);
  });

  /** A brand-new install: no fixture, no summary before; returns its log lines as they come. */
  async function newInstall(clock: { now: Date }): Promise<{ lines: string[]; s: Stack }> {
    const lines: string[] = [];
    const s = await startStack({
      databaseUrl: freshDatabaseUrl(),
      now: () => clock.now,
      file: { summaries: daily },
      logger: createLogger("info", "herodesk", (l) => lines.push(l)),
    });
    stack = s;
    s.emulator.workspace.addChannel({ id: MANAGERS, name: "support-managers", members: ["U0ADMIN"] });
    return { lines, s };
  }

  // Issue 10, part 5: a brand-new install has missed nothing, and has nothing to report.
  it("a brand-new install neither catches up nor logs a slot from before it ran", async () => {
    const clock = { now: at("2026-11-23T09:05:00Z") };
    const { lines, s } = await newInstall(clock);
    await s.drained();
    clock.now = at("2026-11-23T09:20:00Z");
    await s.app.summaries.catchUp();
    await s.drained();
    expect(summaries(s)).toHaveLength(0);
    expect(lines.join("\n")).not.toContain("summary slot missed");
    expect(await s.app.store.summaries.recent(5)).toHaveLength(0);
  });

  it("a slot with nothing to report is not posted, and the log says so", async () => {
    const clock = { now: at("2026-11-24T09:00:10Z") };
    const { lines, s } = await newInstall(clock);
    // An on-demand summary first (it always posts), so the slot is not a new install's.
    clock.now = at("2026-11-24T08:00:00Z");
    await s.desk("U0ADMIN", "summary", MANAGERS);
    await s.drained();
    expect(summaries(s)).toHaveLength(1);
    clock.now = at("2026-11-24T09:00:10Z");
    await s.app.summaries.catchUp();
    await s.drained();
    expect(summaries(s)).toHaveLength(1);
    expect(lines.some((l) => l.includes("summary slot with nothing to report; not posted"))).toBe(true);
  });

  it("reads the cron in the schedule's time zone", async () => {
    // 09:00 in Berlin is 08:00 UTC in November.
    const berlin = [{ channel: MANAGERS, cron: "0 9 * * *", timezone: "Europe/Berlin" }];
    const clock = { now: at("2026-11-23T09:00:10Z") };
    stack = await start(clock, berlin);
    await stack.drained();
    expect(summaries(stack)).toHaveLength(0);
    clock.now = at("2026-11-23T08:00:10Z");
    await stack.app.summaries.catchUp();
    await stack.drained();
    const [stored] = await stack.app.store.summaries.recent(1);
    expect(stored!.slot).toEqual(at("2026-11-23T08:00:00Z"));
    expect(summaries(stack)).toHaveLength(1);
  });
});
