// Every message and view HeroDesk builds, fed hostile input (long, `&`-heavy, emoji-heavy names,
// attributes, texts, errors), is one Slack accepts: checked with the emulator's validator
// (validateMessage for messages: per element, per block, the cumulative size of bolt-js#2509 and
// #2867, the top-level text; validateViewPayload for views). Where a builder cuts, the full data
// is reachable elsewhere, and that is checked too.
import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { type CardModel, cardCutsCustomer, customerDetailsNotices } from "../../src/core/card.ts";
import type { Role } from "../../src/core/domain.ts";
import { buildHome, type HomeInput } from "../../src/core/home.ts";
import { slackLength } from "../../src/core/slack-fit.ts";
import { escapeSlackText } from "../../src/core/slack-text.ts";
import { buildSummary } from "../../src/core/summary.ts";
import { PRIORITIES, TAG_LIMITS, tagOf } from "../../src/core/triage.ts";
import { validateMessage, validateViewPayload } from "../../src/emulator/blockkit.ts";
import { cardBlocks, cardMetadata, cardText } from "../../src/slack/blocks/card.ts";
import { agentDm, MOVED_DM_LIST, movedDm } from "../../src/slack/blocks/dm.ts";
import { heroModal, teamOfOption, teamOptionValue } from "../../src/slack/blocks/hero-modal.ts";
import { homeNoticeModal, homeView } from "../../src/slack/blocks/home.ts";
import { summaryMessage } from "../../src/slack/blocks/summary.ts";
import { deskAnswers } from "../../src/slack/listeners/commands/desk.ts";
import { anyHostile, cutUtf16, hostile } from "../helpers/hostile.ts";
import { bigResponseFigures } from "../helpers/response-figures.ts";

const now = new Date("2026-11-21T10:00:00Z");

function accepted(payload: { text?: string; blocks?: unknown[]; metadata?: unknown }) {
  const verdict = validateMessage(payload);
  if (!verdict.ok) throw new Error(`${verdict.error}: ${JSON.stringify(verdict.issues).slice(0, 600)}`);
}
function acceptedView(view: unknown, expectedType: "modal" | "home") {
  const verdict = validateViewPayload(view, { expectedType });
  if (!verdict.ok) throw new Error(`${verdict.error}: ${JSON.stringify(verdict.issues).slice(0, 600)}`);
}

/** A team name as `/desk team add` takes it: at most 80 characters (code points). */
const teamName = hostile(30, 1)
  .map((s) => Array.from(s).slice(0, 80).join(""))
  .filter((s) => s.length > 0);
const heroArb = fc.oneof(
  fc.constant(null),
  fc.constant({ kind: "agent" as const, slackUserId: "U0HERO", name: "Hero" }),
  anyHostile(2000, 1).map((name) => ({ kind: "team" as const, name })),
);

/** A tag as `/desk tag` takes it: letters (any script), digits, - and _, at most 32 characters. */
const tagArb = fc
  .array(fc.constantFrom("a", "z", "0", "-", "_", "ß", "漢", "é", "ж"), {
    minLength: 1,
    maxLength: TAG_LIMITS.length,
  })
  .map((chars) => tagOf(`x${chars.join("")}`.slice(0, TAG_LIMITS.length)))
  .filter((t): t is string => t !== undefined);

// Past what the inbound API takes (names of 200, ids of 200, emails of 320, attributes of any
// length): the card must hold whatever is in the database.
const cardArb: fc.Arbitrary<CardModel> = fc.record({
  number: fc.integer({ min: 1, max: 2_147_483_647 }),
  customerName: anyHostile(4000, 1),
  customerExternalId: anyHostile(400, 1),
  customerEmail: fc.option(anyHostile(1000, 1), { nil: null }),
  customerAttributes: fc.dictionary(anyHostile(64, 1), anyHostile(5000), { maxKeys: 50, size: "max" }),
  sourceLabel: anyHostile(400, 1),
  status: fc.constantFrom("open" as const, "closed" as const),
  assignee: fc.option(fc.constant({ slackUserId: "U0AGENT1", name: "Alice" }), { nil: null }),
  hero: heroArb,
  waitingSince: fc.option(fc.constant(now), { nil: null }),
  sourceId: fc.constant("web"),
  firstResponseAt: fc.option(fc.constant(now), { nil: null }),
  target: fc.option(
    fc.record({
      kind: fc.constantFrom("first" as const, "next" as const),
      due: fc.option(fc.constant(now), { nil: null }),
      state: fc.constantFrom("on_track" as const, "at_risk" as const, "breached" as const),
    }),
    { nil: null },
  ),
  heroWaitUntil: fc.option(fc.constant(new Date(Date.now() + 60_000)), { nil: null }),
  createdAt: fc.constant(now),
  priority: fc.constantFrom(...PRIORITIES),
  tags: fc.uniqueArray(tagArb, { maxLength: TAG_LIMITS.perConversation }),
});

describe("the conversation card: always one message Slack accepts", () => {
  it("whatever the customer's name, email, id, attributes, the source and the hero", () => {
    fc.assert(
      fc.property(cardArb, (card) => {
        accepted({ text: cardText(card), blocks: cardBlocks(card), metadata: cardMetadata(card) });
      }),
      { numRuns: 150 },
    );
  });

  it("the Block Kit helper's cases", () => {
    const base = fc.sample(cardArb, { seed: 1, numRuns: 1 })[0]!;
    const cases: Partial<CardModel>[] = [
      { customerName: "&".repeat(31) },
      { customerName: "🎉".repeat(76) },
      { customerName: "&".repeat(200), customerEmail: `${"&".repeat(2000)}@example.com` },
      {
        customerAttributes: Object.fromEntries(
          Array.from({ length: 8 }, (_, i) => [`${"&".repeat(40)}${i}`, "&".repeat(80)]),
        ),
      },
      { hero: { kind: "team", name: "&".repeat(3000) }, sourceLabel: "&".repeat(3000) },
      // Every tag a conversation may have, each as long as a tag may be, in a wide script.
      {
        priority: "urgent",
        tags: Array.from({ length: TAG_LIMITS.perConversation }, (_, i) => `${i}${"漢".repeat(30)}`),
      },
    ];
    for (const c of cases) {
      const card = { ...base, ...c };
      accepted({ text: cardText(card), blocks: cardBlocks(card), metadata: cardMetadata(card) });
    }
  });

  it("what the card cuts of the customer is in full in the thread notices, each a message Slack accepts", () => {
    const details = fc.record({
      name: anyHostile(4000, 1),
      externalId: anyHostile(400, 1),
      email: fc.option(anyHostile(1000, 1), { nil: null }),
      attributes: fc.dictionary(anyHostile(64, 1), anyHostile(20_000), { maxKeys: 50, size: "max" }),
    });
    fc.assert(
      fc.property(details, (c) => {
        const card = cardBlocks({ ...fc.sample(cardArb, { seed: 2, numRuns: 1 })[0]!, ...cardFields(c) });
        const notices = customerDetailsNotices(c);
        for (const text of notices) {
          accepted({ text });
          expect(slackLength(text, "mrkdwn")).toBeLessThanOrEqual(4000);
        }
        const all = notices.join("");
        for (const value of [c.name, c.externalId, c.email ?? "", ...Object.entries(c.attributes).flat()])
          expect(all).toContain(escapeSlackText(value));
        // The card says where the rest is exactly when it cuts.
        expect(JSON.stringify(card).includes("details in full in the thread")).toBe(cardCutsCustomer(c));
      }),
      { numRuns: 60 },
    );
  });
});

const cardFields = (c: {
  name: string;
  externalId: string;
  email: string | null;
  attributes: Record<string, string>;
}) => ({
  customerName: c.name,
  customerExternalId: c.externalId,
  customerEmail: c.email,
  customerAttributes: c.attributes,
});

describe("DMs to agents", () => {
  it("agentDm: any name, source and message text", () => {
    fc.assert(
      fc.property(
        cardArb,
        fc.constantFrom("assigned" as const, "message" as const),
        fc.option(anyHostile(50_000), { nil: null }),
        fc.option(fc.constant("https://acme.slack.com/archives/C0SUPPORT/p1700000000000100"), { nil: null }),
        (card, kind, messageText, permalink) => {
          const dm = agentDm({ kind, card, permalink, messageText, reason: "routed" });
          accepted(dm);
        },
      ),
      { numRuns: 100 },
    );
  });

  it("movedDm: 15 conversations of any names, and the count of the rest", () => {
    fc.assert(
      fc.property(
        fc.array(cardArb, { minLength: 1, maxLength: MOVED_DM_LIST, size: "max" }),
        fc.integer({ min: 0, max: 100_000 }),
        fc.boolean(),
        (cards, extra, linked) => {
          const items = cards.map((card, i) => ({
            card,
            permalink: linked ? `https://acme.slack.com/archives/C0SUPPORT/p17000000000${i}` : null,
          }));
          const dm = movedDm({ fromUserId: "U0BOB", items, total: items.length + extra });
          accepted(dm);
          if (extra) expect(JSON.stringify(dm.blocks)).toContain("your App Home lists them all");
        },
      ),
      { numRuns: 60 },
    );
  });
});

describe("the Make Hero modal", () => {
  it("any team names: valid options, and each option finds its team again", () => {
    fc.assert(
      fc.property(
        fc.uniqueArray(teamName, { maxLength: 120, selector: teamOptionValue }),
        fc.boolean(),
        (teams, emoji) => {
          const names = emoji
            ? teams.map((t) => cutUtf16(`${"🎉".repeat(80)}`, 150 + (t.length % 11)))
            : teams;
          const view = heroModal(7, "U0AGENT1", names);
          acceptedView(view, "modal");
          for (const t of names.slice(0, 100)) {
            const found = teamOfOption(teamOptionValue(t), names);
            // Names that share their first 150 units cannot be told apart: none is picked.
            if (names.filter((n) => teamOptionValue(n) === teamOptionValue(t)).length === 1)
              expect(found).toBe(t);
          }
        },
      ),
      { numRuns: 60 },
    );
  });

  it("the Block Kit helper's cases: R&D ×30, emoji names of 80", () => {
    const names = ["R&D".repeat(30), "🎉".repeat(80), `a${"🎉".repeat(79)}`];
    acceptedView(heroModal(1, "U0AGENT1", names), "modal");
    for (const n of names) expect(teamOfOption(teamOptionValue(n), names)).toBe(n);
    expect(teamOptionValue(`a${"🎉".repeat(79)}`)).toBe(`a${"🎉".repeat(74)}`);
  });
});

describe("App Home", () => {
  const homeArb = fc
    .record({
      name: anyHostile(2000, 1),
      role: fc.constantFrom<Role | null>(null, "agent", "manager", "admin"),
      detail: anyHostile(3000, 1),
      count: fc.integer({ min: 0, max: 300 }),
    })
    .map(({ name, role, detail, count }): HomeInput => {
      const conversation = (i: number) => ({
        conversationId: i + 1,
        customerName: `${name}${i}`,
        sourceId: cutUtf16(name, 64),
        slackChannel: "C0SUPPORT",
        threadTs: `1700000000.${String(i).padStart(6, "0")}`,
        waitingSince: now,
        createdAt: now,
      });
      const agents = Array.from({ length: count }, (_, i) => ({
        agentId: i + 1,
        slackUserId: `UAGENT${i}`,
        name: `${name}${i}`,
        status: (["online", "away", "offline"] as const)[i % 3]!,
        capacity: i % 4,
        open: i,
        new: 1,
        closed: 1,
      }));
      return {
        userId: "U1",
        role,
        me: role ? { status: "online", capacity: 0, open: count } : null,
        now,
        page: 0,
        teamPage: 0,
        mine: Array.from({ length: Math.min(count, 15) }, (_, i) => conversation(i)),
        team: {
          dayStart: now,
          timezone: cutUtf16(name, 60),
          agents,
          queue: { count, oldestSince: now, heroWaiting: count },
          queued: Array.from({ length: Math.min(count, 5) }, (_, i) => conversation(i)),
          heroes: Array.from({ length: Math.min(count, 5) }, (_, i) => ({
            kind: "team" as const,
            ref: `${name}${i}`,
            name: `${name}${i}`,
            open: 1,
            customers: 1,
          })),
          heroWaits: Array.from({ length: Math.min(count, 5) }, (_, i) => ({
            conversationId: i,
            customerName: name,
            hero: { kind: "team" as const, ref: "T", name },
            until: now,
          })),
          responses: bigResponseFigures(count, name, now),
        },
        setup: {
          sources: Array.from({ length: Math.min(count, 100) }, (_, i) => ({
            id: cutUtf16(name, 64),
            name,
            channel: `C0SRC${i}`,
            heroWaitSeconds: 60,
          })),
          teams: Array.from({ length: Math.min(count, 60) }, (_, i) => ({
            name: `${name}${i}`,
            memberIds: [1, 2, 3],
          })),
          rules: Array.from({ length: count }, () => ({ attribute: name, value: name, teamName: name })),
          schedules: [{ channel: "C0SUM", cron: cutUtf16(name, 60), timezone: cutUtf16(name, 60) }],
          recent: [],
        },
        problems: Array.from({ length: Math.min(count, 20) }, (_, i) => ({
          key: `k${i}`,
          error: i % 2 ? "missing_scope" : detail,
          detail,
          method: detail,
          channel: "C0SUPPORT",
          waiting: i,
          firstSeenAt: now,
        })),
        admins: ["U0ADMIN"],
      };
    });

  it("any names, texts and counts: a home view Slack accepts", () => {
    fc.assert(
      fc.property(homeArb, fc.boolean(), (input, linked) => {
        acceptedView(
          homeView(buildHome(input), { workspaceUrl: linked ? "https://acme.slack.com/" : null }),
          "home",
        );
      }),
      { numRuns: 60 },
    );
  });

  it("a refused click's modal holds any text", () => {
    fc.assert(
      fc.property(anyHostile(20_000, 1), (text) =>
        acceptedView(homeNoticeModal(escapeSlackText(text)), "modal"),
      ),
    );
  });
});

describe("the assignment summary", () => {
  it("any agent, hero and customer names: one message Slack accepts", () => {
    fc.assert(
      fc.property(anyHostile(3000, 1), fc.integer({ min: 0, max: 500 }), (name, count) => {
        const model = buildSummary(
          {
            agents: Array.from({ length: count }, (_, i) => ({
              agentId: i + 1,
              slackUserId: `U${i}`,
              name: `${name}${i}`,
              status: "online" as const,
              capacity: 0,
              open: i,
              new: 1,
              closed: 1,
            })),
            queue: { count, oldestSince: now },
            heroWaits: {
              count,
              first: Array.from({ length: Math.min(count, 5) }, (_, i) => ({
                conversationId: i,
                customerName: name,
                hero: { kind: "team" as const, ref: name, name },
                until: now,
              })),
            },
            responses: bigResponseFigures(count, name, now),
            heroes: Array.from({ length: Math.min(count, 5) }, (_, i) => ({
              kind: "team" as const,
              ref: `${name}${i}`,
              name: `${name}${i}`,
              open: 1,
              customers: 1,
            })),
            started: count,
            triage: {
              openByPriority: { urgent: count, high: count },
              topTags: Array.from({ length: 5 }, (_, i) => ({ tag: `${i}${"漢".repeat(31)}`, count })),
            },
          },
          { since: new Date(now.getTime() - 86_400_000), until: now },
        );
        accepted(summaryMessage(model, { summaryId: 1, trigger: "command", requestedBy: "U0ADMIN" }));
      }),
      { numRuns: 60 },
    );
  });
});

describe("/desk answers through response_url", () => {
  it("any list: at most 5 messages Slack accepts, and all of it while it fits them", () => {
    const lines = fc.array(anyHostile(3000).map(escapeSlackText), { maxLength: 300, size: "max" });
    fc.assert(
      fc.property(lines, (ls) => {
        const text = ls.join("\n");
        fc.pre(text.length > 0); // every /desk answer says something
        const answers = deskAnswers(text, "agent_list");
        expect(answers.length).toBeGreaterThan(0);
        expect(answers.length).toBeLessThanOrEqual(5);
        for (const a of answers) {
          accepted({ text: a });
          expect(slackLength(a, "mrkdwn")).toBeLessThanOrEqual(4000);
        }
        if (slackLength(text, "mrkdwn") <= 4000) expect(answers).toEqual([text]);
        else if (answers.join("") !== text) expect(answers.at(-1)).toContain("App Home lists every agent");
      }),
      { numRuns: 60 },
    );
  });

  it("a list of 1,000 agents is cut with where to read it all", () => {
    const text = Array.from({ length: 1000 }, (_, i) => `<@U${i}>: agent, online, 3 open of 5`).join("\n");
    const answers = deskAnswers(text, "agent_list");
    expect(answers).toHaveLength(5);
    expect(answers.at(-1)).toMatch(
      /…and [\d,]+ more lines \(Slack takes 5 answers to a command; the Team load/,
    );
  });
});
