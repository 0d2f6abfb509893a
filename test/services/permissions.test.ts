// Who may do what (SPEC sections 3 and 4, issue 3 part 4), at the use cases: every /desk
// subcommand and every card button's service, for every role, on a real SQLite store. A /desk row
// runs `desk.run(ctx, parseDeskCommand(text).command)`; a button row calls the service its listener
// calls. An allowed action has its effect in the store (and a card update is queued); a refusal is
// answered in the words a person reads (present), and changes nothing at all: not the
// conversation, its audit trail, the setup, nor anything queued for Slack.
//
// The expected verdicts and reasons are written out here, from the SPEC, on purpose: they are not
// computed from src/core/permissions.ts, so a change there makes these tests fail. What the Slack
// surface adds (ephemeral answers on response_url, the Make Hero modal) is in
// test/e2e/permissions.test.ts.
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { NOT_AN_AGENT } from "../../src/core/permissions.ts";
import { cardLane, slackLane } from "../../src/outbox/jobs.ts";
import { present } from "../../src/slack/presenters/index.ts";
import {
  agent,
  BOOTSTRAP,
  CHANNEL,
  conversation,
  openDesk,
  type TestDesk,
  team,
} from "../helpers/factories.ts";

// ---------------------------------------------------------------------------------------------------
// People

const NOBODY = "U0NOBODY"; // a Slack user, never added to HeroDesk
const PLAIN = "U0PLAIN"; // agent
const MANAGER = "U0MANAGER"; // manager
const ADMIN = "U0ADMIN2"; // admin
const ASSIGNEE = "U0ASSIGNEE"; // agent, the assignee of the conversations acted on
const TARGET = "U0TARGET"; // agent: who conversations are assigned or moved to
/** Everyone here stays offline, so a manager who gives them work is told so. */
const OFFLINE = " They are offline: it waits for them until they are back, unless you move it on.";
const HERO = "U0HERO"; // agent: the customers' Dedicated Hero

type Role = "not an agent" | "agent" | "manager" | "admin" | "bootstrap admin" | "assignee (agent)";

const USER: Record<Role, string> = {
  "not an agent": NOBODY,
  agent: PLAIN,
  manager: MANAGER,
  admin: ADMIN,
  "bootstrap admin": BOOTSTRAP,
  "assignee (agent)": ASSIGNEE,
};

/** One row of a permission table: the role, and null (allowed) or the refusal shown to them. */
interface Row {
  role: Role;
  verdict: "allowed" | "refused";
  reason: string | null;
}

const OK = null;

/** A permission table, one row per role, in the order written. */
function table(verdicts: Partial<Record<Role, string | null>>): Row[] {
  return (Object.entries(verdicts) as [Role, string | null][]).map(([role, reason]) => ({
    role,
    verdict: reason === null ? "allowed" : "refused",
    reason,
  }));
}

const ONLY_MANAGERS = (does: string) => `Only managers and admins can ${does}.`;
const ONLY_ADMINS = (does: string) => `Only admins can ${does}.`;
const ONLY_ASSIGNEE = (does: string) =>
  `Only the assignee (<@${ASSIGNEE}>), managers and admins can ${does}.`;
const SETUP_REFUSED = ONLY_ADMINS("change the setup (agents, teams, rules and roles)");
const HERO_MAKE_ADMINS_ONLY =
  "Only admins can set a customer's hero; an admin can allow managers to do it too.";
const NO_AGENT_ROW = "Add yourself as an agent first: `/desk agent add @you admin`.";
const BOOTSTRAP_CANNOT_HOLD =
  "Bootstrap admins must be added as agents before they can hold conversations: `/desk agent add @you admin`.";

// ---------------------------------------------------------------------------------------------------
// Permission tables (SPEC section 3). Rows: the roles; OK = allowed, else the exact refusal.

const ASSIGN = table({
  "not an agent": NOT_AN_AGENT,
  agent: ONLY_MANAGERS("assign conversations"),
  "assignee (agent)": ONLY_MANAGERS("assign conversations"),
  manager: OK,
  admin: OK,
  "bootstrap admin": OK,
});
const REASSIGN_BULK = table({
  "not an agent": NOT_AN_AGENT,
  agent: ONLY_MANAGERS("reassign conversations"),
  manager: OK,
  admin: OK,
  "bootstrap admin": OK,
});
const SUMMARY = table({
  "not an agent": NOT_AN_AGENT,
  agent: ONLY_MANAGERS("post the assignment summary"),
  manager: OK,
  admin: OK,
  "bootstrap admin": OK,
});
const UNASSIGN = table({
  "not an agent": NOT_AN_AGENT,
  agent: ONLY_MANAGERS("unassign conversations"),
  "assignee (agent)": ONLY_MANAGERS("unassign conversations"),
  manager: OK,
  admin: OK,
  "bootstrap admin": OK,
});
const CLOSE = table({
  "not an agent": NOT_AN_AGENT,
  agent: ONLY_ASSIGNEE("close this conversation"),
  "assignee (agent)": OK,
  manager: OK,
  admin: OK,
  "bootstrap admin": OK,
});
const REOPEN = table({
  "not an agent": NOT_AN_AGENT,
  agent: ONLY_ASSIGNEE("reopen this conversation"),
  "assignee (agent)": OK,
  manager: OK,
  admin: OK,
  "bootstrap admin": OK,
});
const HERO_REASSIGN = table({
  "not an agent": NOT_AN_AGENT,
  agent: ONLY_ASSIGNEE("give this conversation to the customer's hero"),
  "assignee (agent)": OK,
  manager: OK,
  admin: OK,
  "bootstrap admin": OK,
});
const HERO_MAKE_MANAGERS_OFF = table({
  "not an agent": NOT_AN_AGENT,
  agent: HERO_MAKE_ADMINS_ONLY,
  manager: HERO_MAKE_ADMINS_ONLY,
  admin: OK,
  "bootstrap admin": OK,
});
const HERO_MAKE_MANAGERS_ON = table({
  "not an agent": NOT_AN_AGENT,
  agent: ONLY_MANAGERS("set a customer's hero"),
  manager: OK,
  admin: OK,
  "bootstrap admin": OK,
});
const HERO_REMOVE = table({
  "not an agent": NOT_AN_AGENT,
  agent: ONLY_ADMINS("remove a customer's hero"),
  manager: ONLY_ADMINS("remove a customer's hero"),
  admin: OK,
  "bootstrap admin": OK,
});
const SETUP = table({
  "not an agent": NOT_AN_AGENT,
  agent: SETUP_REFUSED,
  manager: SETUP_REFUSED,
  admin: OK,
  "bootstrap admin": OK,
});
/** Any agent, for themselves; the bootstrap admin has no agent row to set it on. */
const FOR_THEMSELVES = table({
  "not an agent": NOT_AN_AGENT,
  agent: OK,
  manager: OK,
  admin: OK,
  "bootstrap admin": NO_AGENT_ROW,
});
const ANY_AGENT = table({
  "not an agent": NOT_AN_AGENT,
  agent: OK,
  manager: OK,
  admin: OK,
  "bootstrap admin": OK,
});
const CLAIM = table({
  "not an agent": NOT_AN_AGENT,
  agent: OK,
  manager: OK,
  admin: OK,
  "bootstrap admin": BOOTSTRAP_CANNOT_HOLD,
});

// ---------------------------------------------------------------------------------------------------
// The world of one test: a fresh store with the people of the tables, and what tests read back.

/** Conversation #n as the store has it, what its card is drawn from, and what waits for Slack. */
async function snapshot(w: TestDesk, n: number) {
  const { store } = w;
  const c = await store.conversations.get(n);
  if (!c) throw new Error(`no conversation #${n}`);
  const customer = await store.customers.get(c.customerId);
  const slackIdOf = async (id: number | null) =>
    id ? ((await store.agents.get(id))?.slackUserId ?? null) : null;
  return {
    status: c.status,
    assignee: await slackIdOf(c.assigneeId),
    hero: await slackIdOf(customer.hero?.kind === "agent" ? customer.hero.agentId : null),
    heroTeamId: customer.hero?.kind === "team" ? customer.hero.teamId : null,
    /** Assignment and hero events of the conversation and its customer (what /desk history shows). */
    events: (await store.events.history(n, c.customerId)).length,
    /** What the card shows (src/core/card.ts), and the updates of it queued for Slack. */
    card: await store.conversations.loadCard(n, (id) => id),
    cardUpdates: (await store.outbox.pendingPayloads(cardLane(n), "slack.update_card")).length,
    /** Everything queued for Slack and reply endpoints, by status. */
    outbox: await store.outbox.countByStatus(),
  };
}
type Snapshot = Awaited<ReturnType<typeof snapshot>>;

/** Everything /desk setup can change: agents (role, status, capacity, subscriptions), teams, rules. */
async function setup(w: TestDesk) {
  const agents = await w.store.agents.listActive();
  return {
    agents: await Promise.all(
      agents.map(async (a) => ({ ...a, subscriptions: await w.store.agents.subscriptionsOf(a.id) })),
    ),
    teams: await w.store.teams.list(),
    rules: await w.store.rules.list(),
    outbox: await w.store.outbox.countByStatus(),
  };
}

/** A fresh world for every test: the people of the tables (all offline) and team Tier2. */
function eachWorld(options: { managersCanSetHeroes?: boolean } = {}): () => TestDesk {
  let world: TestDesk | undefined;
  beforeEach(async () => {
    world = await openDesk(options);
    for (const [id, role] of [
      [PLAIN, "agent"],
      [MANAGER, "manager"],
      [ADMIN, "admin"],
      [ASSIGNEE, "agent"],
      [TARGET, "agent"],
      [HERO, "agent"],
    ] as const)
      await agent(world.store, id, role);
    await team(world.store, "Tier2");
  });
  afterEach(async () => {
    await world?.close();
  });
  return () => world!;
}

/**
 * A refused action says why (exactly) and leaves conversation #n as it was: status, assignee, hero,
 * audit trail, the card and everything queued for Slack.
 */
async function expectRefusedAndUnchanged(w: TestDesk, row: Row, answer: string, n: number, before: Snapshot) {
  expect(answer).toBe(row.reason);
  expect(await snapshot(w, n)).toEqual(before);
}

const shows = (slackUserId: string) => expect.objectContaining({ slackUserId });

// ---------------------------------------------------------------------------------------------------

describe("permissions, with managersCanSetHeroes off (the default)", () => {
  const world = eachWorld();

  describe("/desk on one conversation", () => {
    it.each(ASSIGN)("/desk assign #n @agent as $role: $verdict", async (row) => {
      const w = world();
      const c = await conversation(w.store, { assignee: ASSIGNEE });
      const before = await snapshot(w, c.n);
      const answer = await w.say(USER[row.role], `assign #${c.n} <@${TARGET}>`);
      if (row.reason) return expectRefusedAndUnchanged(w, row, answer, c.n, before);
      expect(answer).toBe(`#${c.n} is now with <@${TARGET}>.${OFFLINE}`);
      expect(await snapshot(w, c.n)).toMatchObject({
        assignee: TARGET,
        events: before.events + 1,
        card: { assignee: shows(TARGET) },
        cardUpdates: 1,
      });
    });

    it.each(UNASSIGN)("/desk unassign #n as $role: $verdict", async (row) => {
      const w = world();
      const c = await conversation(w.store, { assignee: ASSIGNEE });
      const before = await snapshot(w, c.n);
      const answer = await w.say(USER[row.role], `unassign #${c.n}`);
      if (row.reason) return expectRefusedAndUnchanged(w, row, answer, c.n, before);
      expect(answer).toBe(
        `#${c.n} is back in the queue: nobody else is free right now, so it goes to the next agent who is.`,
      );
      expect(await snapshot(w, c.n)).toMatchObject({
        assignee: null,
        events: before.events + 1,
        card: { assignee: null },
        cardUpdates: 1,
      });
    });

    it.each(CLOSE)("/desk close #n as $role: $verdict", async (row) => {
      const w = world();
      const c = await conversation(w.store, { assignee: ASSIGNEE });
      const before = await snapshot(w, c.n);
      const answer = await w.say(USER[row.role], `close #${c.n}`);
      if (row.reason) return expectRefusedAndUnchanged(w, row, answer, c.n, before);
      expect(answer).toBe(`#${c.n} is closed.`);
      expect(await snapshot(w, c.n)).toMatchObject({
        status: "closed",
        assignee: ASSIGNEE,
        card: { status: "closed" },
        cardUpdates: 1,
      });
    });

    it("/desk close #n as an agent, nobody assigned: refused, says to claim it first", async () => {
      const w = world();
      const c = await conversation(w.store);
      const before = await snapshot(w, c.n);
      const answer = await w.say(PLAIN, `close #${c.n}`);
      expect(answer).toBe(
        "Nobody is assigned to this conversation: claim it first, or ask a manager or admin to close it.",
      );
      expect(await snapshot(w, c.n)).toEqual(before);
    });

    it.each(REOPEN)("/desk reopen #n as $role: $verdict", async (row) => {
      const w = world();
      const c = await conversation(w.store, { assignee: ASSIGNEE, closed: true });
      const before = await snapshot(w, c.n);
      const answer = await w.say(USER[row.role], `reopen #${c.n}`);
      if (row.reason) return expectRefusedAndUnchanged(w, row, answer, c.n, before);
      expect(answer).toBe(`#${c.n} is open again.`);
      expect(await snapshot(w, c.n)).toMatchObject({
        status: "open",
        assignee: ASSIGNEE,
        card: { status: "open" },
        cardUpdates: 1,
      });
    });

    it.each(HERO_REASSIGN)("/desk hero reassign #n as $role: $verdict", async (row) => {
      const w = world();
      const c = await conversation(w.store, { hero: HERO, assignee: ASSIGNEE });
      const before = await snapshot(w, c.n);
      const answer = await w.say(USER[row.role], `hero reassign #${c.n}`);
      if (row.reason) return expectRefusedAndUnchanged(w, row, answer, c.n, before);
      expect(answer).toBe(
        `#${c.n} is back with the hero, <@${HERO}>. Heads-up: they are offline, so they may not see it soon; \`/desk assign #${c.n} @someone\` moves it again.`,
      );
      expect(await snapshot(w, c.n)).toMatchObject({
        assignee: HERO,
        hero: HERO,
        events: before.events + 1,
        card: { assignee: shows(HERO) },
        cardUpdates: 1,
      });
    });

    it.each(ANY_AGENT)("/desk history #n as $role: $verdict", async (row) => {
      const w = world();
      const c = await conversation(w.store, { assignee: ASSIGNEE });
      const before = await snapshot(w, c.n);
      const answer = await w.say(USER[row.role], `history #${c.n}`);
      if (row.reason) return expectRefusedAndUnchanged(w, row, answer, c.n, before);
      expect(answer).toMatch(new RegExp(`^\\*History of #${c.n}\\*\\n.*assigned to <@${ASSIGNEE}>`));
      expect(await snapshot(w, c.n)).toEqual(before); // reading changes nothing
    });
  });

  describe("/desk on customers' heroes", () => {
    it.each(HERO_MAKE_MANAGERS_OFF)("/desk hero make <customer> @agent as $role: $verdict", async (row) => {
      const w = world();
      const c = await conversation(w.store, { assignee: ASSIGNEE });
      const before = await snapshot(w, c.n);
      const answer = await w.say(USER[row.role], `hero make ${c.customerId} <@${HERO}>`);
      if (row.reason) return expectRefusedAndUnchanged(w, row, answer, c.n, before);
      expect(answer).toContain(`<@${HERO}> is now the Dedicated Hero of ${c.customerName}.`);
      // The hero is set; the open conversation stays where it was.
      expect(await snapshot(w, c.n)).toMatchObject({
        hero: HERO,
        assignee: ASSIGNEE,
        events: before.events + 1,
        card: { hero: shows(HERO), assignee: shows(ASSIGNEE) },
        cardUpdates: 1,
      });
    });

    it.each(HERO_MAKE_MANAGERS_OFF)(
      "/desk hero make <customer> team <name> as $role: $verdict",
      async (row) => {
        const w = world();
        const c = await conversation(w.store);
        const before = await snapshot(w, c.n);
        const answer = await w.say(USER[row.role], `hero make ${c.customerId} team Tier2`);
        if (row.reason) return expectRefusedAndUnchanged(w, row, answer, c.n, before);
        expect(answer).toContain(`team Tier2 is now the Dedicated Hero of ${c.customerName}.`);
        const after = await snapshot(w, c.n);
        expect(after.heroTeamId).not.toBeNull();
        expect(after.card?.hero).toEqual({ kind: "team", name: "Tier2" });
      },
    );

    it.each(HERO_REMOVE)("/desk hero remove <customer> as $role: $verdict", async (row) => {
      const w = world();
      const c = await conversation(w.store, { hero: HERO });
      const before = await snapshot(w, c.n);
      const answer = await w.say(USER[row.role], `hero remove ${c.customerId}`);
      if (row.reason) return expectRefusedAndUnchanged(w, row, answer, c.n, before);
      expect(answer).toBe(`${c.customerName} has no Dedicated Hero any more.`);
      expect(await snapshot(w, c.n)).toMatchObject({
        hero: null,
        events: before.events + 1,
        card: { hero: null },
        cardUpdates: 1,
      });
    });

    it.each(ANY_AGENT)("/desk hero show <customer> as $role: $verdict", async (row) => {
      const w = world();
      const c = await conversation(w.store, { hero: HERO });
      const before = await snapshot(w, c.n);
      const answer = await w.say(USER[row.role], `hero show ${c.customerId}`);
      if (row.reason) return expectRefusedAndUnchanged(w, row, answer, c.n, before);
      expect(answer).toBe(`The Dedicated Hero of ${c.customerName} is <@${HERO}>.`);
      expect(await snapshot(w, c.n)).toEqual(before); // reading changes nothing
    });
  });

  describe("/desk across conversations", () => {
    it.each(REASSIGN_BULK)("/desk reassign @from @to as $role: $verdict", async (row) => {
      const w = world();
      const from = "U0FROM";
      await agent(w.store, from);
      const c = await conversation(w.store, { assignee: from });
      const before = await snapshot(w, c.n);
      const answer = await w.say(USER[row.role], `reassign <@${from}> <@${TARGET}>`);
      if (row.reason) return expectRefusedAndUnchanged(w, row, answer, c.n, before);
      expect(answer).toBe(`Moved 1 open conversation from <@${from}> to <@${TARGET}>.${OFFLINE}`);
      expect(await snapshot(w, c.n)).toMatchObject({
        assignee: TARGET,
        events: before.events + 1,
        card: { assignee: shows(TARGET) },
        cardUpdates: 1,
      });
      expect((await w.store.agents.bySlackId(from))?.openCount).toBe(0);
    });

    it.each(SUMMARY)("/desk summary as $role: $verdict", async (row) => {
      const w = world();
      const summaries = async () =>
        (await w.store.outbox.pendingPayloads(slackLane(CHANNEL), "slack.post_summary")).length;
      const before = await setup(w);
      const answer = await w.say(USER[row.role], "summary");
      if (row.reason) {
        expect(answer).toBe(row.reason);
        expect(await setup(w)).toEqual(before);
      } else expect(answer).toBe("Posting the assignment summary in <#C0SUPPORT> now.");
      expect(await summaries()).toBe(row.reason ? 0 : 1);
    });

    it("a conversation number tells someone who is not an agent nothing", async () => {
      const w = world();
      const c = await conversation(w.store);
      expect(await w.say(USER["not an agent"], `history #${c.n}`)).toBe(NOT_AN_AGENT);
      expect(await w.say(USER["not an agent"], "history #999999")).toBe(NOT_AN_AGENT);
    });

    it("a manager's command tells an agent who may use it before whether the conversation exists", async () => {
      const w = world();
      const c = await conversation(w.store, { assignee: ASSIGNEE });
      for (const n of [c.n, 999999]) {
        expect(await w.say(PLAIN, `assign #${n} <@${TARGET}>`)).toBe(ONLY_MANAGERS("assign conversations"));
        expect(await w.say(PLAIN, `unassign #${n}`)).toBe(ONLY_MANAGERS("unassign conversations"));
      }
      // An action open to the assignee looks the conversation up first: it depends on who holds it.
      expect(await w.say(PLAIN, "close #999999")).not.toBe(ONLY_ASSIGNEE("close this conversation"));
    });

    it.each(ANY_AGENT)("/desk queue as $role: $verdict", async (row) => {
      const w = world();
      const c = await conversation(w.store); // unassigned: in the queue
      const before = await setup(w);
      const answer = await w.say(USER[row.role], "queue");
      if (row.reason) expect(answer).toBe(row.reason);
      else
        expect(answer).toMatch(
          /^\*Queue\* \(urgent and high first, then the oldest\)\n#\d+ · .+ · web · waiting \d+ s, since /,
        );
      expect(await setup(w)).toEqual(before);
      expect((await snapshot(w, c.n)).assignee).toBeNull();
    });
  });

  describe("/desk for oneself", () => {
    it.each(FOR_THEMSELVES)("/desk status away as $role: $verdict", async (row) => {
      const w = world();
      const userId = USER[row.role];
      const before = await setup(w);
      const answer = await w.say(userId, "status away");
      if (row.reason) {
        expect(answer).toBe(row.reason);
        expect(await setup(w)).toEqual(before);
        expect(await w.store.agents.bySlackId(userId)).toBeNull();
        return;
      }
      expect(answer).toMatch(/^You are away\. New conversations go to others\./);
      expect((await w.store.agents.bySlackId(userId))?.status).toBe("away");
    });

    it.each(FOR_THEMSELVES)("/desk subscribe web as $role: $verdict", async (row) => {
      const w = world();
      const userId = USER[row.role];
      const before = await setup(w);
      const answer = await w.say(userId, "subscribe web");
      if (row.reason) {
        expect(answer).toBe(row.reason);
        expect(await setup(w)).toEqual(before);
        expect(await w.store.agents.bySlackId(userId)).toBeNull();
        return;
      }
      expect(answer).toBe("You will hear about every message of `web`'s unassigned conversations.");
      const me = await w.store.agents.bySlackId(userId);
      expect(await w.store.agents.subscriptionsOf(me!.id)).toEqual(["web"]);
      expect(await w.say(userId, "unsubscribe web")).toContain("You will no longer hear");
      expect(await w.store.agents.subscriptionsOf(me!.id)).toEqual([]);
    });
  });

  describe("/desk setup", () => {
    it.each(SETUP)("/desk agent add @u manager as $role: $verdict", async (row) => {
      const w = world();
      const newcomer = "U0NEW";
      const before = await setup(w);
      const answer = await w.say(USER[row.role], `agent add <@${newcomer}> manager 3`);
      if (row.reason) {
        expect(answer).toBe(row.reason);
        expect(await setup(w)).toEqual(before);
        expect(await w.store.agents.bySlackId(newcomer)).toBeNull();
        return;
      }
      expect(answer).toContain(`<@${newcomer}> is a HeroDesk manager (up to 3 open conversations).`);
      expect(await w.store.agents.bySlackId(newcomer)).toMatchObject({
        role: "manager",
        capacity: 3,
        active: true,
      });
    });

    it.each(SETUP)("/desk role @u admin as $role: $verdict", async (row) => {
      const w = world();
      const someone = "U0ROLE";
      await agent(w.store, someone);
      const before = await setup(w);
      const answer = await w.say(USER[row.role], `role <@${someone}> admin`);
      if (row.reason) {
        expect(answer).toBe(row.reason);
        expect(await setup(w)).toEqual(before);
        expect((await w.store.agents.bySlackId(someone))?.role).toBe("agent");
        return;
      }
      expect(answer).toBe(`<@${someone}> is now an admin.`);
      expect((await w.store.agents.bySlackId(someone))?.role).toBe("admin");
    });

    // Not the bootstrap admin: they are an admin whatever they do, and have no agent row to change.
    it.each(SETUP.filter((r) => r.role !== "bootstrap admin"))(
      "/desk role @self admin (promoting oneself) as $role: $verdict",
      async (row) => {
        const w = world();
        const me = USER[row.role];
        const before = await setup(w);
        const answer = await w.say(me, `role <@${me}> admin`);
        if (row.reason) {
          expect(answer).toBe(row.reason);
          expect(await setup(w)).toEqual(before);
          expect((await w.store.agents.bySlackId(me))?.role ?? null).toBe(
            row.role === "not an agent" ? null : row.role,
          );
          return;
        }
        expect(answer).toBe(`<@${me}> is now an admin.`);
        expect((await w.store.agents.bySlackId(me))?.role).toBe("admin");
      },
    );

    it.each(SETUP)("/desk team add <name> as $role: $verdict", async (row) => {
      const w = world();
      const team = "Team New";
      const before = await setup(w);
      const answer = await w.say(USER[row.role], `team add ${team}`);
      if (row.reason) {
        expect(answer).toBe(row.reason);
        expect(await setup(w)).toEqual(before);
        expect(await w.store.teams.byName(team)).toBeNull();
        return;
      }
      expect(answer).toContain(`Team ${team} created.`);
      expect(await w.store.teams.byName(team)).not.toBeNull();
    });

    it.each(SETUP)("/desk rule add plan=<value> team <name> as $role: $verdict", async (row) => {
      const w = world();
      const value = "p-new";
      const before = await setup(w);
      const answer = await w.say(USER[row.role], `rule add plan=${value} team Tier2`);
      const rules = async () => (await w.store.rules.list()).filter((r) => r.value === value);
      if (row.reason) {
        expect(answer).toBe(row.reason);
        expect(await setup(w)).toEqual(before);
        expect(await rules()).toEqual([]);
        return;
      }
      expect(answer).toContain(`Rule added: customers with plan = ${value} go to team Tier2.`);
      expect(await rules()).toMatchObject([{ attribute: "plan", value, teamName: "Tier2" }]);
    });
  });

  // What each card button's listener calls (src/slack/listeners/actions/), with the card's conversation.
  describe("card buttons", () => {
    it.each(CLAIM)("conv_claim (Claim) as $role: $verdict", async (row) => {
      const w = world();
      const c = await conversation(w.store);
      const before = await snapshot(w, c.n);
      const userId = USER[row.role];
      const answer = present(await w.desk.claim({ userId }, { conversation: c.n }));
      if (row.reason) return expectRefusedAndUnchanged(w, row, answer, c.n, before);
      expect(answer).toBe(`You have #${c.n} now.`);
      expect(await snapshot(w, c.n)).toMatchObject({
        assignee: userId,
        events: before.events + 1,
        card: { assignee: shows(userId) },
        cardUpdates: 1,
      });
    });

    it.each(ASSIGN)("conv_assign (Assign to… select) as $role: $verdict", async (row) => {
      const w = world();
      const c = await conversation(w.store, { assignee: ASSIGNEE });
      const before = await snapshot(w, c.n);
      const answer = present(
        await w.desk.assign({ userId: USER[row.role] }, { conversation: c.n, agent: TARGET }),
      );
      if (row.reason) return expectRefusedAndUnchanged(w, row, answer, c.n, before);
      expect(answer).toBe(`#${c.n} is now with <@${TARGET}>.${OFFLINE}`);
      expect(await snapshot(w, c.n)).toMatchObject({
        assignee: TARGET,
        events: before.events + 1,
        card: { assignee: shows(TARGET) },
        cardUpdates: 1,
      });
    });

    it.each(HERO_REASSIGN)("conv_reassign_hero (Reassign to Hero) as $role: $verdict", async (row) => {
      const w = world();
      const c = await conversation(w.store, { hero: HERO, assignee: ASSIGNEE });
      const before = await snapshot(w, c.n);
      const answer = present(await w.desk.reassignToHero({ userId: USER[row.role] }, { conversation: c.n }));
      if (row.reason) return expectRefusedAndUnchanged(w, row, answer, c.n, before);
      expect(answer).toBe(
        `#${c.n} is back with the hero, <@${HERO}>. Heads-up: they are offline, so they may not see it soon; \`/desk assign #${c.n} @someone\` moves it again.`,
      );
      expect(await snapshot(w, c.n)).toMatchObject({
        assignee: HERO,
        events: before.events + 1,
        card: { assignee: shows(HERO) },
        cardUpdates: 1,
      });
    });

    it.each(HERO_REMOVE)("hero_remove (Remove Hero) as $role: $verdict", async (row) => {
      const w = world();
      const c = await conversation(w.store, { hero: HERO });
      const before = await snapshot(w, c.n);
      const answer = present(
        await w.desk.removeHero({ userId: USER[row.role] }, { customer: { conversation: c.n } }),
      );
      if (row.reason) return expectRefusedAndUnchanged(w, row, answer, c.n, before);
      expect(answer).toBe(`${c.customerName} has no Dedicated Hero any more.`);
      expect(await snapshot(w, c.n)).toMatchObject({ hero: null, card: { hero: null }, cardUpdates: 1 });
    });

    it.each(CLOSE)("conv_close (Close) as $role: $verdict", async (row) => {
      const w = world();
      const c = await conversation(w.store, { assignee: ASSIGNEE });
      const before = await snapshot(w, c.n);
      const answer = present(await w.desk.close({ userId: USER[row.role] }, { conversation: c.n }));
      if (row.reason) return expectRefusedAndUnchanged(w, row, answer, c.n, before);
      expect(answer).toBe(`#${c.n} is closed.`);
      expect(await snapshot(w, c.n)).toMatchObject({
        status: "closed",
        card: { status: "closed" },
        cardUpdates: 1,
      });
    });

    it.each(REOPEN)("conv_reopen (Reopen) as $role: $verdict", async (row) => {
      const w = world();
      const c = await conversation(w.store, { assignee: ASSIGNEE, closed: true });
      const before = await snapshot(w, c.n);
      const answer = present(await w.desk.reopen({ userId: USER[row.role] }, { conversation: c.n }));
      if (row.reason) return expectRefusedAndUnchanged(w, row, answer, c.n, before);
      expect(answer).toBe(`#${c.n} is open again.`);
      expect(await snapshot(w, c.n)).toMatchObject({
        status: "open",
        card: { status: "open" },
        cardUpdates: 1,
      });
    });

    it.each(HERO_MAKE_MANAGERS_OFF)("hero_make (Make Hero) as $role: $verdict", async (row) =>
      makeHeroByButton(world(), row),
    );
  });

  describe("a removed agent", () => {
    it("is not an agent any more, even for the conversation they still hold", async () => {
      const w = world();
      const gone = "U0GONE";
      await agent(w.store, gone);
      const c = await conversation(w.store, { assignee: gone });
      // Removing them sends their conversations back to routing; give it back to them, as if
      // nobody had taken it since, so the conversation they "still hold" is theirs.
      const held = await w.store.agents.bySlackId(gone);
      expect(await w.say(BOOTSTRAP, `agent remove <@${gone}>`)).toContain("is no longer a HeroDesk agent.");
      await w.store.conversations.update(c.n, { assigneeId: held!.id });
      const before = await snapshot(w, c.n);
      expect(before.assignee).toBe(gone);
      expect(await w.say(gone, `close #${c.n}`)).toBe(NOT_AN_AGENT);
      expect(present(await w.desk.close({ userId: gone }, { conversation: c.n }))).toBe(NOT_AN_AGENT);
      expect(present(await w.desk.claim({ userId: gone }, { conversation: c.n }))).toBe(NOT_AN_AGENT);
      expect(await w.say(gone, `history #${c.n}`)).toBe(NOT_AN_AGENT);
      expect(await snapshot(w, c.n)).toEqual(before);
    });
  });
});

/**
 * Make Hero: the click asks mayMakeHero (a refusal: no modal); the modal's submission asks
 * makeHero, checked again. Opening the modal and its Slack side are in test/e2e.
 */
async function makeHeroByButton(w: TestDesk, row: Row) {
  const userId = USER[row.role];
  const c = await conversation(w.store, { assignee: ASSIGNEE });
  const before = await snapshot(w, c.n);
  const click = await w.desk.mayMakeHero({ userId });
  const submit = () =>
    w.desk.makeHero({ userId }, { customer: { conversation: c.n }, hero: { kind: "agent", userId: HERO } });
  if (row.reason) {
    expect(present(click)).toBe(row.reason);
    // A submission that gets through anyway (a modal opened before a demotion) is refused too.
    expect(present(await submit())).toBe(row.reason);
    expect(await snapshot(w, c.n)).toEqual(before);
    return;
  }
  expect(click).toEqual({ done: "may_make_hero" });
  expect(await snapshot(w, c.n)).toEqual(before); // the click changes nothing
  expect(present(await submit())).toContain(`<@${HERO}> is now the Dedicated Hero of ${c.customerName}.`);
  expect(await snapshot(w, c.n)).toMatchObject({
    hero: HERO,
    assignee: ASSIGNEE, // Make Hero never moves the open conversation
    events: before.events + 1,
    card: { hero: shows(HERO) },
    cardUpdates: 1,
  });
}

describe("permissions, with managersCanSetHeroes on", () => {
  const world = eachWorld({ managersCanSetHeroes: true });

  it.each(HERO_MAKE_MANAGERS_ON)("/desk hero make <customer> @agent as $role: $verdict", async (row) => {
    const w = world();
    const c = await conversation(w.store, { assignee: ASSIGNEE });
    const before = await snapshot(w, c.n);
    const answer = await w.say(USER[row.role], `hero make ${c.customerId} <@${HERO}>`);
    if (row.reason) return expectRefusedAndUnchanged(w, row, answer, c.n, before);
    expect(answer).toContain(`<@${HERO}> is now the Dedicated Hero of ${c.customerName}.`);
    expect(await snapshot(w, c.n)).toMatchObject({
      hero: HERO,
      assignee: ASSIGNEE,
      card: { hero: shows(HERO) },
      cardUpdates: 1,
    });
  });

  it.each(HERO_MAKE_MANAGERS_ON)("hero_make (Make Hero) as $role: $verdict", async (row) =>
    makeHeroByButton(world(), row),
  );

  // Only making heroes is opened to managers: removing one stays with admins.
  it.each(HERO_REMOVE)("/desk hero remove <customer> as $role: $verdict", async (row) => {
    const w = world();
    const c = await conversation(w.store, { hero: HERO });
    const before = await snapshot(w, c.n);
    const answer = await w.say(USER[row.role], `hero remove ${c.customerId}`);
    if (row.reason) return expectRefusedAndUnchanged(w, row, answer, c.n, before);
    expect(answer).toBe(`${c.customerName} has no Dedicated Hero any more.`);
    expect(await snapshot(w, c.n)).toMatchObject({ hero: null, card: { hero: null }, cardUpdates: 1 });
  });

  it.each(HERO_REMOVE)("hero_remove (Remove Hero) as $role: $verdict", async (row) => {
    const w = world();
    const c = await conversation(w.store, { hero: HERO });
    const before = await snapshot(w, c.n);
    const answer = present(
      await w.desk.removeHero({ userId: USER[row.role] }, { customer: { conversation: c.n } }),
    );
    if (row.reason) return expectRefusedAndUnchanged(w, row, answer, c.n, before);
    expect(answer).toBe(`${c.customerName} has no Dedicated Hero any more.`);
    expect(await snapshot(w, c.n)).toMatchObject({ hero: null, card: { hero: null }, cardUpdates: 1 });
  });

  // The rest of the setup stays with admins.
  it.each(SETUP)("/desk team add <name> as $role: $verdict", async (row) => {
    const w = world();
    const team = "On New";
    const before = await setup(w);
    const answer = await w.say(USER[row.role], `team add ${team}`);
    if (row.reason) {
      expect(answer).toBe(row.reason);
      expect(await setup(w)).toEqual(before);
      return;
    }
    expect(await w.store.teams.byName(team)).not.toBeNull();
  });
});
