// The summary message within Slack's limits and safe to show: checked with the emulator's Block Kit
// validator (the limits real Slack enforces), at 2,000 agents and with hostile names.
import { describe, expect, it } from "vitest";
import { NO_RESPONSE_FIGURES } from "../../src/core/response-figures.ts";
import { type AgentLoad, buildSummary } from "../../src/core/summary.ts";
import { validateBlocks } from "../../src/emulator/blockkit.ts";
import { summaryMessage } from "../../src/slack/blocks/summary.ts";
import { bigResponseFigures } from "../helpers/response-figures.ts";

const until = new Date("2026-11-23T09:00:00Z");
const period = { since: new Date(until.getTime() - 86_400_000), until };
const agent = (id: number, name: string, open: number): AgentLoad => ({
  agentId: id,
  slackUserId: `U${id}`,
  name,
  status: "online",
  capacity: 0,
  open,
  new: 1,
  closed: 1,
});
const context = { summaryId: 7, trigger: "schedule" as const, requestedBy: null };

describe("summaryMessage", () => {
  it("fits 2,000 agents, 500 hero waits and long names into one valid message", () => {
    const agents = Array.from({ length: 2000 }, (_, i) =>
      agent(i + 1, `Agent ${"x".repeat(200)} ${i}`, i % 7),
    );
    const wait = (i: number) => ({
      conversationId: i,
      customerName: "C".repeat(500),
      hero: { kind: "team" as const, ref: "T".repeat(300), name: "T".repeat(300) },
      until,
    });
    const model = buildSummary(
      {
        agents,
        queue: { count: 1234, oldestSince: new Date(until.getTime() - 5 * 86_400_000) },
        heroWaits: { count: 500, first: Array.from({ length: 5 }, (_, i) => wait(i)) },
        responses: bigResponseFigures(2000, `Agent ${"x".repeat(200)} `, until),
        heroes: Array.from({ length: 5 }, (_, i) => ({
          kind: "team" as const,
          ref: `t${i}`,
          name: "H".repeat(400),
          open: 9,
          customers: 3,
        })),
        started: 40_000,
      },
      period,
    );
    const message = summaryMessage(model, context);
    expect(validateBlocks(message.blocks)).toEqual([]);
    expect(message.blocks.length).toBeLessThanOrEqual(50);
    const body = JSON.stringify(message.blocks);
    expect(body).toContain("…and 1,980 more agents");
    expect(body).toContain("…and 495 more.");
    expect(body).toContain("*Unassigned queue*\\n1,234 · oldest waiting 5 d 0 h");
    // Response figures: the busiest agents by name (no pings), the rest summed up.
    expect(body).toContain("*By agent*, most answers first");
    expect(body).toMatch(/_… and 1,99\d more agents: /);
    expect(body).not.toContain("<@U0>");
  });

  it("shows names as text: no pings, no broken table", () => {
    const model = buildSummary(
      {
        agents: [agent(1, "<!channel> ```& <@U999>", 2)],
        queue: { count: 0, oldestSince: null },
        heroWaits: { count: 0, first: [] },
        responses: NO_RESPONSE_FIGURES,
        heroes: [],
        started: 0,
      },
      period,
    );
    const message = summaryMessage(model, context);
    const body = JSON.stringify(message.blocks);
    expect(body).not.toContain("<!channel>");
    expect(body).not.toContain("<@U999>");
    expect(body).toContain("&lt;!channel&gt; '''&amp; &lt;@U99…"); // cut to the table's 22 characters
    // Exactly one code block: the table was not cut open by the name's backticks.
    expect(body.match(/```/g)).toHaveLength(2);
    expect(body).toContain("_no first replies in this period_");
    expect(message.text).toBe("Assignment summary: 2 open, 0 in the queue, 1 closed");
  });
});
