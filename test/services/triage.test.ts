// Tags and priority at the use cases, on a real store: what an agent hears, what the history and
// the card say, routing again when a rule starts to hold, and the reminder steps following a new
// due time (the old step does nothing, the new one fires once).
import { afterEach, describe, expect, it } from "vitest";
import type { SourceConfig } from "../../src/config.ts";
import { slackDate } from "../../src/core/slack-text.ts";
import { cardLane, pendingJobs, slackLane } from "../../src/outbox/jobs.ts";
import { createReceiveCustomerMessage } from "../../src/services/receive-customer-message.ts";
import { createResponseReminders } from "../../src/services/response-reminders.ts";
import type { Store } from "../../src/store/index.ts";
import { agent, BOOTSTRAP, conversation, openDesk, type TestDesk, team } from "../helpers/factories.ts";

let w: TestDesk | undefined;
afterEach(async () => {
  await w?.close();
  w = undefined;
});

const ANN = "U0ANN";
const cardUpdates = (store: Store, n: number) => pendingJobs(store, cardLane(n), "slack.update_card");
const historyLines = async (n: number) => (await w!.say(ANN, `history #${n}`)).split("\n").slice(1);

describe("/desk tag and /desk untag", () => {
  it("any agent tags: the answer, the stored tags, the history with who, and a card update", async () => {
    w = await openDesk();
    await agent(w.store, ANN);
    const c = await conversation(w.store);
    expect(await w.say(ANN, `tag #${c.n} Refund billing`)).toBe(
      `#${c.n} is tagged \`refund\` \`billing\`. Tags: \`billing\` \`refund\`.`,
    );
    expect(await w.store.conversations.tags(c.n)).toEqual(["billing", "refund"]);
    expect(await cardUpdates(w.store, c.n)).toEqual([{ conversationId: c.n }]);
    expect(await w.say(ANN, `untag #${c.n} billing`)).toBe(
      `#${c.n} is no longer tagged \`billing\`. Tags: \`refund\`.`,
    );
    expect(await historyLines(c.n)).toEqual([
      expect.stringMatching(new RegExp(`· tagged \`refund\` \`billing\` by <@${ANN}>$`)),
      expect.stringMatching(new RegExp(`· untagged \`billing\` by <@${ANN}>$`)),
    ]);
  });

  it("asking for what already is changes nothing and says so", async () => {
    w = await openDesk();
    await agent(w.store, ANN);
    const c = await conversation(w.store);
    await w.run(ANN, `tag #${c.n} billing`);
    expect(await w.say(ANN, `tag #${c.n} billing`)).toBe(
      `#${c.n} already has that tag; nothing changed. Tags: \`billing\`.`,
    );
    expect(await w.say(ANN, `untag #${c.n} refund`)).toBe(
      `#${c.n} has no tag \`refund\`; nothing changed. Its tags: \`billing\`.`,
    );
    expect((await historyLines(c.n)).filter((l) => l.includes("tagged"))).toHaveLength(1);
  });

  it("at most 20 tags: the 21st is refused, nothing is added", async () => {
    w = await openDesk();
    await agent(w.store, ANN);
    const c = await conversation(w.store);
    await w.run(ANN, `tag #${c.n} ${Array.from({ length: 19 }, (_, i) => `t${i}`).join(" ")}`);
    expect(await w.say(ANN, `tag #${c.n} one two`)).toMatch(
      new RegExp(`^#${c.n} can have at most 20 tags and has 19: remove some first with`),
    );
    expect(await w.store.conversations.tags(c.n)).toHaveLength(19);
  });

  it("a closed conversation can still be tagged (for the reports); refusals say why", async () => {
    w = await openDesk();
    await agent(w.store, ANN);
    const c = await conversation(w.store, { assignee: ANN, closed: true });
    expect(await w.say(ANN, `tag #${c.n} billing`)).toMatch(/is tagged `billing`/);
    expect(await w.say(ANN, "tag #999 billing")).toBe("There is no conversation #999.");
    expect(await w.say("U0STRANGER", `tag #${c.n} billing`)).toMatch(/not a HeroDesk agent yet/);
  });
});

describe("/desk priority", () => {
  it("sets it, records it, updates the card; the same again changes nothing; closed is refused", async () => {
    w = await openDesk();
    await agent(w.store, ANN);
    const c = await conversation(w.store);
    expect(await w.say(ANN, `priority #${c.n} urgent`)).toBe(
      `#${c.n} is now :rotating_light: Urgent priority (it was normal).`,
    );
    expect((await w.store.conversations.get(c.n))?.priority).toBe("urgent");
    expect(await cardUpdates(w.store, c.n)).toEqual([{ conversationId: c.n }]);
    expect(await w.say(ANN, `priority #${c.n} URGENT`)).toBe(
      `#${c.n} is already urgent priority; nothing changed.`,
    );
    expect((await historyLines(c.n)).at(-1)).toMatch(
      new RegExp(`· priority set to :rotating_light: Urgent by <@${ANN}>$`),
    );
    const closed = await conversation(w.store, { assignee: ANN, closed: true });
    expect(await w.say(ANN, `priority #${closed.n} high`)).toBe(`#${closed.n} is closed; reopen it first.`);
  });
});

describe("rules on tags and priority route a queued conversation again", () => {
  async function setUp() {
    w = await openDesk();
    const bob = await agent(w.store, "U0BOB");
    await agent(w.store, ANN);
    await team(w.store, "Billing", [bob]);
    await team(w.store, "Spanish");
    await w.run(BOOTSTRAP, "rule add tag=billing team Billing");
    await w.run(BOOTSTRAP, "rule add language=es team Spanish");
    // Waits for team Spanish, where nobody is.
    return conversation(w.store, { attributes: { language: "es" } });
  }

  it("a tag that makes a rule hold: routed at once to that team's free agent, and the history says by which rule", async () => {
    const c = await setUp();
    await w!.run("U0BOB", "status online");
    expect(await w!.say(ANN, `tag #${c.n} billing`)).toBe(
      `#${c.n} is tagged \`billing\`. Tags: \`billing\`. The rule tag = billing sends it to team Billing: it went to <@U0BOB> at once.`,
    );
    const bob = await w!.store.agents.bySlackId("U0BOB");
    expect((await w!.store.conversations.get(c.n))?.assigneeId).toBe(bob!.id);
    expect((await historyLines(c.n)).at(-1)).toMatch(
      /· assigned to <@U0BOB> \(from the queue, by the rule tag = billing\)$/,
    );
  });

  it("nobody free in that team: it waits for the team, and /desk queue and the history say so", async () => {
    const c = await setUp();
    expect(await w!.say(ANN, `tag #${c.n} billing`)).toMatch(
      /The rule tag = billing sends it to team Billing: it waits there for someone free\.$/,
    );
    expect((await w!.say(ANN, "queue")).split("\n")[1]).toMatch(/ · for team Billing$/);
    expect((await historyLines(c.n)).at(-1)).toMatch(/· waits for team Billing \(rule tag = billing\)$/);
    // Untagged: the language rule holds again.
    expect(await w!.say(ANN, `untag #${c.n} billing`)).toMatch(
      /The rule language = es sends it to team Spanish: it waits there for someone free\.$/,
    );
  });

  it("a rule on tag or priority is about the conversation, and needs no customer attribute", async () => {
    w = await openDesk();
    await team(w.store, "Tier 2");
    expect((await w.say(BOOTSTRAP, "rule add priority=urgent team Tier 2")).split("\n")[0]).toBe(
      "Rule added: conversations with priority = urgent go to team Tier 2.",
    );
  });

  it("a tag no rule cares about routes nothing again", async () => {
    const c = await setUp();
    expect(await w!.say(ANN, `tag #${c.n} shipping`)).toBe(
      `#${c.n} is tagged \`shipping\`. Tags: \`shipping\`.`,
    );
  });
});

describe("/desk queue and /desk status show triage; the queue lists urgent and high first", () => {
  it("urgent, then high, then the oldest; priority (unless normal) and tags on each line", async () => {
    const t0 = new Date("2026-12-01T09:00:00Z");
    w = await openDesk({ now: () => new Date(t0.getTime() + 5 * 60_000) });
    await agent(w.store, ANN);
    const oldest = await conversation(w.store, { at: t0 });
    const high = await conversation(w.store, { at: t0 });
    const urgent = await conversation(w.store, { at: t0 });
    await w.run(ANN, `priority #${high.n} high`);
    await w.run(ANN, `priority #${urgent.n} urgent`);
    await w.run(ANN, `tag #${urgent.n} outage vip`);
    const lines = (await w.say(ANN, "queue")).split("\n");
    expect(lines[0]).toBe("*Queue* (urgent and high first, then the oldest)");
    expect(lines.slice(1).map((l) => l.split(" · ").slice(0, 3).join(" · "))).toEqual([
      `#${urgent.n} · :rotating_light: Urgent · \`outage\` \`vip\``,
      `#${high.n} · :arrow_up: High · ${high.customerName}`,
      `#${oldest.n} · ${oldest.customerName} · web`,
    ]);
    await w.run(BOOTSTRAP, `agent add <@${ANN}>`);
    const mine = await conversation(w.store, { assignee: ANN, at: t0 });
    await w.run(ANN, `priority #${mine.n} low`);
    expect((await w.say(ANN, "status")).split("\n")[1]).toMatch(
      new RegExp(`^#${mine.n} · :arrow_down: Low · ${mine.customerName} · web · waiting 5 min`),
    );
  });
});

describe("a new priority moves the response target's due time and its reminder steps", () => {
  const MIN = 60_000;
  const web = {
    targets: {
      firstResponse: "60m",
      overrides: [{ attribute: "priority", value: "urgent", firstResponse: "10m" }],
    },
    escalationChannel: "C0ESCALATE",
  };

  async function customerWrites(store: Store, sources: ReadonlyMap<string, SourceConfig>, sentAt: Date) {
    const receive = createReceiveCustomerMessage({ store, sources, linkCustomersByEmail: false });
    const r = await receive({
      source: "web",
      messageId: `m-${sentAt.getTime()}`,
      customer: { id: "cust-1", name: "Ada" },
      text: "The site is down",
      attachments: [],
      sentAt,
    });
    if (!r.ok) throw new Error(r.error);
    return r.conversationNumber;
  }

  it("urgent: due in 10 minutes, not 60; the old steps do nothing, the new ones fire once each", async () => {
    w = await openDesk({ web });
    const { sources } = w.deps;
    const since = new Date(Date.now() - 2 * MIN);
    const n = await customerWrites(w.store, sources, since);
    const bob = await agent(w.store, "U0BOB");
    await w.store.agents.subscribe(bob.id, "web");
    await agent(w.store, ANN);

    const due = new Date(since.getTime() + 10 * MIN);
    expect(await w.say(ANN, `priority #${n} urgent`)).toBe(
      `#${n} is now :rotating_light: Urgent priority (it was normal). Its first response is now due ${slackDate(due)}.`,
    );

    const lane = (step: string, at: Date) => `target:${n}:${since.getTime()}:${step}:${at.getTime()}`;
    const atMin = (m: number) => new Date(since.getTime() + m * MIN);
    // The new steps, at 7.5 and 10 minutes, beside the old ones at 45 and 60.
    expect((await w.store.outbox.laneHead(lane("at_risk", atMin(7.5))))?.nextAttemptAt).toEqual(atMin(7.5));
    expect((await w.store.outbox.laneHead(lane("breached", atMin(10))))?.nextAttemptAt).toEqual(atMin(10));
    expect(await w.store.outbox.laneHead(lane("at_risk", atMin(45)))).not.toBeNull();

    const check = createResponseReminders({ store: w.store, sources }).handlers["targets.check"];
    const attempt = { attempts: 0, uncertain: false, id: 1 } as never;
    const run = (step: "at_risk" | "breached", at: Date) =>
      check.perform({ conversationId: n, since: since.getTime(), step, at: at.getTime() }, attempt);
    const dms = (id: string) => pendingJobs(w!.store, slackLane(id), "slack.dm_agent");

    await run("at_risk", atMin(45));
    await run("breached", atMin(60));
    expect(await dms("U0BOB")).toEqual([]);
    expect(await dms("C0ESCALATE")).toEqual([]);

    await run("at_risk", atMin(7.5));
    await run("breached", atMin(10));
    expect(await dms("U0BOB")).toEqual([
      { conversationId: n, userId: "U0BOB", kind: "at_risk", target: "first", due: due.getTime() },
    ]);
    expect((await dms("C0ESCALATE")).map((d) => d.kind)).toEqual(["breached"]);

    // Back to normal: the 60-minute steps count again, the 10-minute ones do nothing.
    await w.run(ANN, `priority #${n} normal`);
    await run("breached", atMin(10));
    expect(await dms("C0ESCALATE")).toHaveLength(1);
    expect(await w.store.outbox.laneHead(lane("breached", atMin(60)))).not.toBeNull();
  });

  it("a priority no override names: the due time stays, and the answer says nothing of it", async () => {
    w = await openDesk({ web });
    const n = await customerWrites(w.store, w.deps.sources, new Date());
    await agent(w.store, ANN);
    expect(await w.say(ANN, `priority #${n} high`)).toBe(
      `#${n} is now :arrow_up: High priority (it was normal).`,
    );
  });
});
