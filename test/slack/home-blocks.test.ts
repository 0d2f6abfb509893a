// App Home's Block Kit (src/slack/blocks/home.ts): always a view Slack accepts, whatever the figures.
import { describe, expect, it } from "vitest";
import type { Role } from "../../src/core/domain.ts";
import { buildHome, type HomeInput } from "../../src/core/home.ts";
import { validateView } from "../../src/emulator/blockkit.ts";
import {
  HOME_ACTIONS,
  homeNoticeModal,
  homeView,
  packLines,
  threadLink,
} from "../../src/slack/blocks/home.ts";
import { bigResponseFigures } from "../helpers/response-figures.ts";

const now = new Date("2026-11-21T10:00:00Z");
const URL = "https://acme.slack.com/";

/** A home with everything at its largest: long names, many of everything. */
function bigInput(role: Role | null, over: Partial<HomeInput> = {}): HomeInput {
  const long = (prefix: string, i: number) => `${prefix} ${i} <!channel> & ${"x".repeat(300)}|>`;
  const agents = Array.from({ length: 2000 }, (_, i) => ({
    agentId: i + 1,
    slackUserId: `UAGENT${i}`,
    name: long("Agent", i),
    status: (["online", "away", "offline"] as const)[i % 3]!,
    capacity: i % 5 ? 1_000_000 : 0,
    open: 1_000_000 - i,
    new: 99_999,
    closed: 99_999,
  }));
  const conversation = (i: number) => ({
    conversationId: 1_000_000 + i,
    customerName: long("Customer", i),
    sourceId: `source-${"s".repeat(60)}`,
    slackChannel: "C0SUPPORT",
    threadTs: `1700000000.${String(i).padStart(6, "0")}`,
    waitingSince: new Date(now.getTime() - i * 86_400_000),
    createdAt: now,
  });
  return {
    userId: "U1",
    role,
    me: { status: "online", capacity: 0, open: 500 },
    now,
    page: 3,
    teamPage: 7,
    mine: Array.from({ length: 15 }, (_, i) => conversation(i)),
    team: {
      dayStart: now,
      timezone: "America/Argentina/ComodRivadavia",
      agents,
      queue: { count: 123_456, oldestSince: new Date(0), heroWaiting: 9999 },
      queued: Array.from({ length: 5 }, (_, i) => conversation(100 + i)),
      heroes: Array.from({ length: 5 }, (_, i) => ({
        kind: i % 2 ? ("team" as const) : ("agent" as const),
        ref: i % 2 ? long("Team", i) : `UHERO${i}`,
        name: long("Hero", i),
        open: 1000 - i,
        customers: 10,
      })),
      heroWaits: Array.from({ length: 5 }, (_, i) => ({
        conversationId: i + 1,
        customerName: long("Waiting", i),
        hero: { kind: "team" as const, ref: "T", name: long("Team", i) },
        until: now,
      })),
      responses: bigResponseFigures(2000, long("Agent", 0), now),
    },
    setup: {
      sources: Array.from({ length: 100 }, (_, i) => ({
        id: `source-${i}-${"s".repeat(50)}`,
        name: long("Source", i),
        channel: `C0SRC${i}`,
        heroWaitSeconds: 3600,
      })),
      teams: Array.from({ length: 60 }, (_, i) => ({
        name: long("Team", i),
        memberIds: agents.slice(i * 30, i * 30 + 40).map((a) => a.agentId),
      })),
      rules: Array.from({ length: 1000 }, (_, i) => ({
        attribute: long("attr", i),
        value: long("value", i),
        teamName: long("Team", i),
      })),
      schedules: Array.from({ length: 20 }, (_, i) => ({
        channel: `C0SUM${i}`,
        cron: "0 9 * * 1-5",
        timezone: "America/Argentina/ComodRivadavia",
      })),
      recent: Array.from({ length: 3 }, () => ({
        channel: "C0SUM1",
        trigger: "schedule" as const,
        since: now,
        until: now,
        open: 1e6,
        new: 1e6,
        closed: 1e6,
        queued: 1e6,
      })),
    },
    admins: Array.from({ length: 30 }, (_, i) => `UADMIN${i}`),
    ...over,
  };
}

describe("homeView: within Slack's limits, whatever the figures", () => {
  const cases: [string, HomeInput][] = [
    ["someone who is not an agent", bigInput(null, { me: null })],
    ["an agent", bigInput("agent")],
    ["a manager", bigInput("manager")],
    ["an admin who is an agent", bigInput("admin")],
    ["an admin who is not an agent", bigInput("admin", { me: null, mine: [] })],
    [
      "an admin with nothing set up",
      bigInput("admin", { me: { status: "away", capacity: 3, open: 0 }, mine: [] }),
    ],
  ];
  it.each(cases)("%s", (_name, input) => {
    const view = homeView(buildHome(input), { workspaceUrl: URL });
    expect(validateView(view, { expectedType: "home" })).toEqual([]);
    expect(view.blocks.length).toBeLessThanOrEqual(100);
    const json = JSON.stringify(view);
    // Untrusted names never become markup.
    expect(json).not.toContain("<!channel>");
    if (input.role) expect(json).toContain("&lt;!channel&gt;");
  });

  it("the admin's setup says when each source is open", () => {
    const input = bigInput("admin");
    const sources = [
      { id: "web", name: "Web chat", channel: "C0SUPPORT", heroWaitSeconds: 300 },
      {
        id: "mail",
        name: "Email",
        channel: "C0OTHER",
        heroWaitSeconds: 300,
        businessHours: {
          timezone: "Europe/Berlin",
          weekly: { mon: [{ from: 540, to: 1020 }], tue: [{ from: 540, to: 1020 }] },
          holidays: new Set(["2026-12-25"]),
        },
      },
    ];
    const text = JSON.stringify(
      homeView(buildHome({ ...input, setup: { ...input.setup!, sources } }), { workspaceUrl: URL }),
    );
    expect(text).toContain("hero wait 5 min · always open");
    expect(text).toContain("hero wait 5 min · Mon–Tue 09:00–17:00 (Europe/Berlin), 1 holiday");
  });

  it("links each conversation to its thread, and leaves the link out without a workspace URL", () => {
    const input = bigInput("agent");
    const linked = JSON.stringify(homeView(buildHome(input), { workspaceUrl: URL }));
    expect(linked).toContain(
      "<https://acme.slack.com/archives/C0SUPPORT/p1700000000000000|#1000000 Customer 0",
    );
    const plain = JSON.stringify(homeView(buildHome(input), { workspaceUrl: null }));
    expect(plain).not.toContain("archives");
    expect(plain).toContain("*#1000000 Customer 0");
  });

  it("a manager reads today's response figures: targets, times, the oldest wait linked, ten agents and the rest summed", () => {
    const text = JSON.stringify(homeView(buildHome(bigInput("manager")), { workspaceUrl: URL }));
    expect(text).toContain('"text":"Response targets today"');
    expect(text).toContain("*Median first response*\\n");
    expect(text).toContain("*First responses*\\n82,000 met · 12,000 breached");
    expect(text).toContain(
      "*Oldest waiting* <https://acme.slack.com/archives/C0SUPPORT/p1700000000000001|#2147483647",
    );
    // Mentions on a home (they ping nobody there): the busiest ten, the other 1,990 summed.
    expect(text).toContain("• <@U0> · 100,000 answers · median 1 h 02 min · p90 40 d 0 h · 88,000 met");
    expect(text).toContain("_… and 1,990 more agents:");
    const plain = JSON.stringify(homeView(buildHome(bigInput("manager")), { workspaceUrl: null }));
    expect(plain).toContain("*Oldest waiting* #2147483647");
  });

  it("page buttons carry the page to turn to; none on a single page", () => {
    const ids = (input: HomeInput) =>
      homeView(buildHome(input), { workspaceUrl: URL })
        .blocks.filter((b) => b.type === "actions")
        .flatMap((b) => (b as { elements: { action_id: string; value?: string }[] }).elements)
        .map((e) => `${e.action_id}=${e.value}`);
    expect(ids(bigInput("agent"))).toEqual([
      "home_status_online=online",
      "home_status_away=away",
      "home_status_offline=offline",
      "home_page_prev=2",
      "home_page_next=4",
    ]);
    expect(ids(bigInput("manager", { page: 0, teamPage: 0 }))).toEqual([
      "home_status_online=online",
      "home_status_away=away",
      "home_status_offline=offline",
      "home_page_next=1",
      "home_team_page_next=1",
    ]);
    expect(
      ids(
        bigInput("agent", {
          me: { status: "online", capacity: 3, open: 2 },
          mine: bigInput("agent").mine.slice(0, 2),
        }),
      ),
    ).toEqual(["home_status_online=online", "home_status_away=away", "home_status_offline=offline"]);
  });

  it("the action_ids are the documented ones", () => {
    expect(HOME_ACTIONS).toEqual({
      status: { online: "home_status_online", away: "home_status_away", offline: "home_status_offline" },
      pagePrev: "home_page_prev",
      pageNext: "home_page_next",
      teamPagePrev: "home_team_page_prev",
      teamPageNext: "home_team_page_next",
    });
  });
});

describe("packLines", () => {
  const line = (i: number, size = 100) => `${i}:${"x".repeat(size - String(i).length - 1)}`;
  // lines, size of each, max blocks → sections, the last one says how many more
  // 28 lines of 100 characters fill a section (room is kept for the "more" line).
  const cases: [number, number, number, number, string | null][] = [
    [0, 100, 2, 0, null],
    [10, 100, 2, 1, null],
    [28, 100, 2, 1, null],
    [29, 100, 2, 2, null],
    [56, 100, 2, 2, null],
    [57, 100, 2, 2, "… and 1 more"],
    [60, 100, 2, 2, "… and 4 more"],
    [1000, 100, 3, 3, "… and 916 more"],
    // Lines longer than a section are cut to fit.
    [5, 5000, 2, 2, "… and 3 more"],
  ];
  it.each(cases)(
    "%s lines of %s characters in at most %s sections",
    (count, size, maxBlocks, sections, more) => {
      const blocks = packLines(
        Array.from({ length: count }, (_, i) => line(i, size)),
        { maxBlocks },
      );
      expect(blocks).toHaveLength(sections);
      for (const b of blocks) expect(b.text!.text.length).toBeLessThanOrEqual(3000);
      const last = blocks.at(-1)?.text?.text ?? "";
      if (more) expect(last).toContain(more);
      else expect(last).not.toContain("more");
    },
  );

  it("starts with the title", () => {
    expect(packLines(["a", "b"], { title: "*T*", maxBlocks: 1 })[0]!.text!.text).toBe("*T*\na\nb");
  });
});

describe("small pieces", () => {
  it.each([
    [
      "https://acme.slack.com/",
      "C1",
      "1700000000.000100",
      "https://acme.slack.com/archives/C1/p1700000000000100",
    ],
    [
      "https://acme.slack.com",
      "C1",
      "1700000000.000100",
      "https://acme.slack.com/archives/C1/p1700000000000100",
    ],
  ])("threadLink(%s, %s, %s)", (url, channel, ts, link) => {
    expect(threadLink(url, channel, ts)).toBe(link);
  });

  it("a refusal modal is a valid modal", () => {
    expect(validateView(homeNoticeModal("x".repeat(5000)), { expectedType: "modal" })).toEqual([]);
  });
});
