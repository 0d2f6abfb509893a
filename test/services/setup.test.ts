// Admin set-up at the use cases, on a real store: what `/desk agent add`, `team join` and
// `rule add` leave in the store, by their typed answers. The sentences people read, and the
// paths through Slack, are in test/e2e/setup-commands.test.ts.
import { afterEach, describe, expect, it } from "vitest";
import type { Role } from "../../src/core/domain.ts";
import { agent, BOOTSTRAP, openDesk, type TestDesk, team } from "../helpers/factories.ts";

let w: TestDesk | undefined;
afterEach(async () => {
  await w?.close();
  w = undefined;
});

const NEW = "U0NEW";

/** Everything set-up can change, and what is queued because of it. */
async function everything(d: TestDesk) {
  return {
    agents: await d.store.agents.listActive(),
    teams: await d.store.teams.list(),
    rules: await d.store.rules.list(),
    outbox: await d.store.outbox.countByStatus(),
  };
}

describe("/desk agent add", () => {
  interface Row {
    what: string;
    /** Who they are before: nobody, an active manager with 4, or one removed. */
    before: "nobody" | "manager 4" | "removed manager 4";
    args: string;
    defaultCapacity: number;
    role: Role;
    capacity: number;
    /** The answer's own account of it. */
    answer: { done: string; byDefault?: boolean; was?: string };
  }
  const ROWS: Row[] = [
    // Someone new: the role named, else agent; the capacity named, else the configured default.
    {
      what: "new, nothing named",
      before: "nobody",
      args: "",
      defaultCapacity: 0,
      role: "agent",
      capacity: 0,
      answer: { done: "agent_added", byDefault: true, was: "new" },
    },
    {
      what: "new, default 3",
      before: "nobody",
      args: "",
      defaultCapacity: 3,
      role: "agent",
      capacity: 3,
      answer: { done: "agent_added", byDefault: true, was: "new" },
    },
    {
      what: "new, a role",
      before: "nobody",
      args: "manager",
      defaultCapacity: 3,
      role: "manager",
      capacity: 3,
      answer: { done: "agent_added", byDefault: true, was: "new" },
    },
    {
      what: "new, a capacity",
      before: "nobody",
      args: "5",
      defaultCapacity: 3,
      role: "agent",
      capacity: 5,
      answer: { done: "agent_added", byDefault: false, was: "new" },
    },
    {
      what: "new, both",
      before: "nobody",
      args: "admin 2",
      defaultCapacity: 3,
      role: "admin",
      capacity: 2,
      answer: { done: "agent_added", byDefault: false, was: "new" },
    },
    // Someone already an agent: only what the command names changes; nothing named, nothing does.
    {
      what: "again, nothing named",
      before: "manager 4",
      args: "",
      defaultCapacity: 3,
      role: "manager",
      capacity: 4,
      answer: { done: "agent_unchanged" },
    },
    {
      what: "again, a capacity",
      before: "manager 4",
      args: "7",
      defaultCapacity: 3,
      role: "manager",
      capacity: 7,
      answer: { done: "agent_added", byDefault: false, was: "active" },
    },
    {
      what: "again, a role",
      before: "manager 4",
      args: "admin",
      defaultCapacity: 3,
      role: "admin",
      capacity: 4,
      answer: { done: "agent_added", byDefault: false, was: "active" },
    },
    // Someone removed comes back as they were, not with the default.
    {
      what: "back, nothing named",
      before: "removed manager 4",
      args: "",
      defaultCapacity: 3,
      role: "manager",
      capacity: 4,
      answer: { done: "agent_added", byDefault: false, was: "removed" },
    },
  ];

  it.each(ROWS)("$what ($before, `agent add @u $args`): $role, capacity $capacity", async (row) => {
    w = await openDesk({ defaultCapacity: row.defaultCapacity });
    if (row.before !== "nobody") {
      const a = await agent(w.store, NEW, "manager", { capacity: 4 });
      if (row.before.startsWith("removed")) await w.store.agents.update(a.id, { active: false });
    }
    const before = await everything(w);
    const answer = await w.run(BOOTSTRAP, `agent add <@${NEW}> ${row.args}`.trim());
    expect(answer).toMatchObject({
      ...row.answer,
      ...(row.answer.done === "agent_added" ? { role: row.role, capacity: row.capacity } : {}),
    });
    expect(await w.store.agents.bySlackId(NEW)).toMatchObject({
      role: row.role,
      capacity: row.capacity,
      active: true,
    });
    // Nothing named: nothing written, nothing queued.
    if (row.answer.done === "agent_unchanged") expect(await everything(w)).toEqual(before);
  });
});

describe("/desk team join", () => {
  it("a refusal for one person changes nothing for the others", async () => {
    w = await openDesk();
    const bob = await agent(w.store, "U0BOB");
    const mona = await agent(w.store, "U0MONA");
    await team(w.store, "Silver", [mona]);
    const before = await everything(w);
    expect(await w.run(BOOTSTRAP, "team join Silver <@U0BOB> <@U0NOBODY>")).toEqual({
      refused: "not_an_agent",
      person: "U0NOBODY",
      fix: { kind: "add_first", team: "Silver", join: true },
    });
    expect(await everything(w)).toEqual(before);
    expect((await w.store.teams.byName("Silver"))?.memberIds).toEqual([mona.id]);
    expect((await w.store.agents.get(bob.id))?.teamIds).toEqual([]);
    // The same leave is refused the same way, and Mona stays in.
    expect(await w.run(BOOTSTRAP, "team leave Silver <@U0MONA> <@U0NOBODY>")).toMatchObject({
      refused: "not_an_agent",
      person: "U0NOBODY",
    });
    expect((await w.store.teams.byName("Silver"))?.memberIds).toEqual([mona.id]);
  });
});

describe("/desk rule add", () => {
  // The first matching rule wins, so one that repeats an earlier one could never match.
  it.each([
    { what: "the same", args: "language=es team Spanish", added: null },
    { what: "other capitals", args: "Language=ES team Spanish", added: null },
    { what: "the same, another team", args: "language=es team Gold", added: null },
    { what: "another value", args: "language=pt team Gold", added: ["language", "pt", "Gold"] },
    { what: "another attribute", args: "country=es team Gold", added: ["country", "es", "Gold"] },
  ])("after `language=es team Spanish`, $what ($args)", async (row) => {
    w = await openDesk();
    await team(w.store, "Spanish");
    await team(w.store, "Gold");
    expect(await w.run(BOOTSTRAP, "rule add language=es team Spanish")).toMatchObject({ done: "rule_added" });
    const before = await everything(w);
    const answer = await w.run(BOOTSTRAP, `rule add ${row.args}`);
    if (!row.added) {
      expect(answer).toMatchObject({
        refused: "rule_repeats",
        position: 1,
        rule: { attribute: "language", value: "es", teamName: "Spanish" },
      });
      expect(await everything(w)).toEqual(before);
      return;
    }
    expect(answer).toMatchObject({ done: "rule_added" });
    const rules = await w.store.rules.list();
    expect(rules.map((r) => [r.position, r.attribute, r.value, r.teamName])).toEqual([
      [1, "language", "es", "Spanish"],
      [
        2,
        ...row.args
          .replace(" team ", "=")
          .split("=")
          .map((s, i) => (i < 2 ? s.toLowerCase() : s)),
      ],
    ]);
  });
});
