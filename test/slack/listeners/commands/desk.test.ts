// The /desk listener (src/slack/listeners/commands/desk.ts), called as Bolt calls it, with fakes for
// ack, respond and the use cases: what it acknowledges, what it hands the use case, and how the
// answer reaches the person (ephemeral, on the response_url, in parts when long).
import { describe, expect, it } from "vitest";
import type { DeskCommand } from "../../../../src/core/desk/index.ts";
import type { CommandContext, DeskServices } from "../../../../src/services/desk.ts";
import type { Answer } from "../../../../src/services/results.ts";
import type { SlackDirectory } from "../../../../src/slack/directory.ts";
import { register } from "../../../../src/slack/listeners/commands/desk.ts";
import {
  afterFollowUp,
  fakeAck,
  fakeApp,
  fakeRespond,
  type Log,
  quietLogger,
  settled,
} from "../../../helpers/listener-fakes.ts";

/** Registers /desk with use cases that answer `answer`, and runs `/desk <text>` as U0ME in C0HERE. */
async function slashDesk(text: string, answer: Answer) {
  const log: Log = [];
  const runs: { ctx: CommandContext; command: DeskCommand }[] = [];
  const desk = {
    run: async (ctx: CommandContext, command: DeskCommand) => {
      log.push("run");
      runs.push({ ctx, command });
      return answer;
    },
  } as unknown as DeskServices;
  const directory = {
    person: async (id: string) => ({ name: `Name of ${id}` }),
  } as unknown as SlackDirectory;
  const slack = fakeApp();
  register(slack.app, { desk, directory });
  const { ack, calls: acks } = fakeAck(log);
  const { respond, payloads } = fakeRespond(log);
  const { logger, errors } = quietLogger();
  await slack.command("/desk")({
    command: { text, user_id: "U0ME", channel_id: "C0HERE" },
    ack,
    respond,
    client: {},
    logger,
  });
  return { log, runs, acks, payloads, errors };
}

describe("/desk listener", () => {
  it("acknowledges a command that does not parse with the usage, ephemeral, and runs nothing", async () => {
    const r = await slashDesk("assign #x", { done: "claimed", conversation: 1 });
    expect(r.acks).toEqual([
      {
        response_type: "ephemeral",
        text: "`#x` is not a conversation number like #42.\nUsage: `/desk assign #42 @agent`\nMore: `/desk help`",
      },
    ]);
    await afterFollowUp();
    expect(r.runs).toEqual([]);
    expect(r.payloads).toEqual([]);
    expect(r.log).toEqual(["ack"]);
  });

  it("acknowledges a good command with no body first, then answers it on the response_url, ephemeral", async () => {
    const r = await slashDesk("close #42", { done: "status_set", conversation: 42, status: "closed" });
    // Acknowledged before the use case runs: Slack's 3 seconds never wait for it.
    expect(r.acks).toEqual([undefined]);
    expect(r.log).toEqual(["ack"]);
    await settled("the answer", () => r.payloads.length > 0);
    expect(r.log).toEqual(["ack", "run", "respond"]);
    expect(r.runs).toEqual([
      {
        ctx: expect.objectContaining({ userId: "U0ME", channelId: "C0HERE" }),
        command: { kind: "close", conversation: 42 },
      },
    ]);
    expect(await r.runs[0]!.ctx.person("U0NEW")).toEqual({ name: "Name of U0NEW" });
    expect(r.payloads).toEqual([{ response_type: "ephemeral", text: "#42 is closed." }]);
    await afterFollowUp();
    expect(r.payloads).toHaveLength(1);
    expect(r.errors).toEqual([]);
  });

  it("answers a refusal the same way, in its words", async () => {
    const r = await slashDesk("assign #42 <@U0BOB>", {
      refused: "not_allowed",
      reason: "Only managers and admins can assign conversations.",
    });
    await settled("the answer", () => r.payloads.length > 0);
    expect(r.runs[0]!.command).toEqual({ kind: "assign", conversation: 42, agent: "U0BOB" });
    expect(r.payloads).toEqual([
      { response_type: "ephemeral", text: "Only managers and admins can assign conversations." },
    ]);
  });

  const agents = (n: number): Answer => ({
    done: "agents",
    agents: Array.from({ length: n }, (_, i) => ({
      userId: `U0AGENT${String(i).padStart(5, "0")}`,
      role: "agent" as const,
      status: "offline" as const,
      open: i % 7,
      capacity: 5,
    })),
  });
  const lineOf = (i: number) => `<@U0AGENT${String(i).padStart(5, "0")}>: agent, offline, ${i % 7} open of 5`;

  it("splits a long answer into ephemeral messages of at most 4,000 characters, in order, at line ends", async () => {
    const r = await slashDesk("agent list", agents(300));
    await settled("every part", () => r.payloads.length >= 2);
    await afterFollowUp();
    expect(r.payloads.length).toBeGreaterThan(1);
    expect(r.payloads.length).toBeLessThanOrEqual(5);
    for (const p of r.payloads) {
      expect(p.response_type).toBe("ephemeral");
      expect((p.text as string).length).toBeLessThanOrEqual(4000);
    }
    // Cut after a line break: joined, the parts are the whole answer.
    expect(r.payloads.map((p) => p.text).join("")).toBe(
      Array.from({ length: 300 }, (_, i) => lineOf(i)).join("\n"),
    );
    for (const p of r.payloads.slice(0, -1)) expect(p.text).toMatch(/ of 5\n$/);
  });

  it("cuts an answer longer than 5 messages and says where the whole list is", async () => {
    const r = await slashDesk("agent list", agents(2000));
    await settled("every part", () => r.payloads.length >= 5);
    await afterFollowUp();
    expect(r.payloads).toHaveLength(5); // response_url takes 5 posts
    const last = r.payloads.at(-1)!.text as string;
    expect(last).toMatch(
      /_…and [\d,]+ more lines \(Slack takes 5 answers to a command; the Team load on your App Home lists every agent\)\._$/,
    );
    const shown = r.payloads
      .flatMap((p) => (p.text as string).split("\n"))
      .slice(0, -1)
      .filter((line) => line !== "");
    const left = Number(/_…and ([\d,]+) more/.exec(last)![1]!.replace(/,/g, ""));
    expect(shown.length + left).toBe(2000);
    expect(shown).toEqual(Array.from({ length: shown.length }, (_, i) => lineOf(i)));
  });
});
