// Moving work at the use cases, on a real store: what a manager hears, and what stays as it was.
import { afterEach, describe, expect, it } from "vitest";
import { agent, BOOTSTRAP, conversation, openDesk, type TestDesk } from "../helpers/factories.ts";

let w: TestDesk | undefined;
afterEach(async () => {
  await w?.close();
  w = undefined;
});

describe("/desk unassign", () => {
  it("a closed conversation someone still holds: says it is closed (not 'changed meanwhile', for ever), and keeps its holder", async () => {
    w = await openDesk();
    await agent(w.store, "U0ANN", "agent");
    const c = await conversation(w.store, { assignee: "U0ANN", closed: true });
    expect(await w.say(BOOTSTRAP, `unassign #${c.n}`)).toBe(`#${c.n} is closed; reopen it first.`);
    const after = await w.store.conversations.get(c.n);
    expect(after?.assigneeId).toBe((await w.store.agents.bySlackId("U0ANN"))!.id);
  });
});

describe("/desk queue and /desk status: each conversation at a glance", () => {
  it("the queue names the customer, how long they have waited and what for: the hero, a rule's team, anyone", async () => {
    const t0 = new Date("2026-12-01T09:00:00Z");
    let now = t0;
    w = await openDesk({ now: () => now });
    await agent(w.store, "U0ANN", "agent");
    await w.run(BOOTSTRAP, "team add Spanish");
    await w.run(BOOTSTRAP, "rule add language=es team Spanish");
    const anyone = await conversation(w.store, { at: t0 });
    const spanish = await conversation(w.store, { attributes: { language: "es" }, at: t0 });
    now = new Date(t0.getTime() + 12 * 60_000 + 30_000);
    const lines = (await w.say("U0ANN", "queue")).split("\n");
    expect(lines[0]).toBe("*Queue* (urgent and high first, then the oldest)");
    expect(lines[1]).toMatch(
      new RegExp(
        `^#${anyone.n} · ${anyone.customerName} · web · waiting 12 min, since .+ · for anyone free$`,
      ),
    );
    expect(lines[2]).toMatch(
      new RegExp(
        `^#${spanish.n} · ${spanish.customerName} · web · waiting 12 min, since .+ · for team Spanish$`,
      ),
    );
  });

  it("status lists the person's open conversations: who waits for an answer, and for how long", async () => {
    const t0 = new Date("2026-12-01T09:00:00Z");
    let now = t0;
    w = await openDesk({ now: () => now });
    await agent(w.store, "U0ANN", "agent", { capacity: 5 });
    const waiting = await conversation(w.store, { assignee: "U0ANN", at: t0 });
    const answered = await conversation(w.store, { assignee: "U0ANN", at: t0 });
    await w.store.conversations.update(answered.n, { waitingSince: null });
    now = new Date(t0.getTime() + 3 * 3_600_000);
    expect((await w.say("U0ANN", "status")).split("\n")).toEqual([
      "You are offline, with 2 open conversations of 5. Change it with `/desk status online` or `/desk status away`.",
      `#${waiting.n} · ${waiting.customerName} · web · waiting 3 h 00 min for an answer`,
      `#${answered.n} · ${answered.customerName} · web · answered, waiting on the customer`,
    ]);
  });
});

describe("response targets in /desk queue and /desk status", () => {
  const targets = {
    firstResponse: "60m",
    nextResponse: "4h",
    overrides: [{ attribute: "plan", value: "enterprise", firstResponse: "15m" }],
  };

  it("each line says which response is due when, and whether it is on track, at risk or breached", async () => {
    const t0 = new Date("2026-12-01T09:00:00Z");
    let now = t0;
    w = await openDesk({ now: () => now, web: { targets } });
    await agent(w.store, "U0ANN", "agent");
    const plain = await conversation(w.store, { at: t0 });
    const enterprise = await conversation(w.store, { attributes: { plan: "enterprise" }, at: t0 });
    now = new Date(t0.getTime() + 12 * 60_000); // 12 of 60 min; 12 of 15 min
    const lines = (await w.say("U0ANN", "queue")).split("\n");
    const due = (minutes: number) =>
      `<!date^${t0.getTime() / 1000 + minutes * 60}^{date_short_pretty} {time}|`;
    expect(lines[1]).toContain(` · first response due ${due(60)}`);
    expect(lines[1]).toMatch(/\(on track\)$/);
    expect(lines[2]).toContain(` · first response due ${due(15)}`);
    expect(lines[2]).toMatch(/\(:warning: at risk\)$/);
    now = new Date(t0.getTime() + 16 * 60_000);
    expect((await w.say("U0ANN", "queue")).split("\n")[2]).toMatch(/\(:red_circle: breached\)$/);
    expect(plain.n).toBeLessThan(enterprise.n);
  });

  it("no targets configured: no target in the lines", async () => {
    w = await openDesk();
    await agent(w.store, "U0ANN", "agent");
    await conversation(w.store);
    expect(await w.say("U0ANN", "queue")).not.toContain("response");
  });

  it("business hours: the due time skips the closed hours", async () => {
    // Tuesday 16:30 Berlin, 9 to 5: 30 minutes today, 30 tomorrow from 09:00.
    const t0 = new Date("2026-12-01T15:30:00Z");
    w = await openDesk({
      now: () => new Date("2026-12-01T20:00:00Z"),
      web: {
        targets,
        businessHours: { timezone: "Europe/Berlin", weekly: { tue: ["09:00-17:00"], wed: ["09:00-17:00"] } },
      },
    });
    await agent(w.store, "U0ANN", "agent");
    await conversation(w.store, { assignee: "U0ANN", at: t0 });
    const dueAt = new Date("2026-12-02T08:30:00Z").getTime() / 1000;
    const line = (await w.say("U0ANN", "status")).split("\n")[1];
    expect(line).toContain(`first response due <!date^${dueAt}^`);
    expect(line).toMatch(/\(on track\)$/);
  });
});
