// End to end: who may do what (SPEC sections 3 and 4, issue 3 part 4). Every /desk subcommand and
// every card button, for every role, through the real surfaces only: signed slash commands,
// block_actions and view_submissions from the emulator's driver into Bolt's HTTP receiver, on a real
// SQLite database. An allowed action has its effect (in the store and on the card); a refusal is an
// ephemeral message that says why, and changes nothing at all.
//
// The expected verdicts and reasons are written out here, from the SPEC, on purpose: they are not
// computed from src/core/permissions.ts, so a change there makes these tests fail.
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { NOT_AN_AGENT } from "../../src/core/permissions.ts";
import { CHANNEL, customerMessage, type Stack, startStack } from "../helpers/stack.ts";
import { waitFor } from "../helpers/wait.ts";

// ---------------------------------------------------------------------------------------------------
// People

const NOBODY = "U0NOBODY"; // a Slack user, never added to HeroDesk
const PLAIN = "U0PLAIN"; // agent
const MANAGER = "U0MANAGER"; // manager
const ADMIN = "U0ADMIN2"; // admin, added with /desk by the bootstrap admin
const BOOTSTRAP = "U0ADMIN"; // bootstrap admin from the config file; no agent row
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
// The world one describe block shares: a stack, the people set up once, and what tests read back.

interface Conv {
  n: number;
  customerId: string;
  customerName: string;
}

interface Snapshot {
  status: string;
  assignee: string | null;
  hero: string | null;
  heroTeamId: number | null;
  /** Assignment and hero events of the conversation and its customer (what /desk history shows). */
  events: number;
  /** What the card shows. */
  card: { status?: string; assignee?: string; hero?: string };
  cardBlocks: string;
}

type BlockJson = { type?: string; fields?: { text: string }[] };

class World {
  private seq = 0;
  constructor(readonly stack: Stack) {}

  static async start(file?: Record<string, unknown>): Promise<World> {
    // Every test here changes cards and posts notices in one channel: far more a minute than a
    // team makes, and more than chat.update's Tier 3 and a channel's 1 post a second allow.
    // Leniency, by name: chat.update gets 1000 a minute, posts 100 a second per channel.
    const w = new World(
      await startStack({
        raiseLimits: { "chat.update": 1000 },
        postsPerChannel: { perSecond: 100, burst: 100 },
        ...(file ? { file } : {}),
      }),
    );
    for (const [id, name] of [
      [NOBODY, "Nora Nobody"],
      [PLAIN, "Paul Plain"],
      [MANAGER, "Mona Manager"],
      [ADMIN, "Adam Admin"],
      [ASSIGNEE, "Asa Assignee"],
      [TARGET, "Tara Target"],
      [HERO, "Hector Hero"],
    ] as const)
      w.stack.addPerson(id, name);
    // Everyone stays offline, so routing leaves new conversations unassigned.
    for (const [id, role] of [
      [PLAIN, "agent"],
      [MANAGER, "manager"],
      [ADMIN, "admin"],
      [ASSIGNEE, "agent"],
      [TARGET, "agent"],
      [HERO, "agent"],
    ] as const)
      expect(await w.desk(BOOTSTRAP, `agent add <@${id}> ${role}`)).toContain(`is a HeroDesk ${role}`);
    expect(await w.desk(BOOTSTRAP, "team add Tier2")).toContain("Team Tier2 created");
    await w.stack.drained();
    return w;
  }

  get store() {
    return this.stack.app.store;
  }

  /** Runs `/desk <text>` as `userId`; checks the answer is an ephemeral for them alone and returns it. */
  async desk(userId: string, text: string, opts: { postsInChannel?: boolean } = {}): Promise<string> {
    const ws = this.stack.emulator.workspace;
    const shownBefore = this.stack.emulator.ephemerals.length;
    const postsBefore = ws.messages(CHANNEL).length;
    const res = await this.stack.emulator.driver.slashCommand({ userId, channelId: CHANNEL, text });
    expect(res.status).toBe(200);
    // HeroDesk acknowledges at once and answers through response_url.
    const shown = await waitFor("the ephemeral answer", () => {
      const s = this.stack.emulator.ephemerals.slice(shownBefore);
      return s.length ? s : null;
    });
    await new Promise((r) => setTimeout(r, 20)); // a second answer would show by now
    expect(this.stack.emulator.ephemerals.slice(shownBefore)).toHaveLength(1);
    expect(shown[0]).toMatchObject({ user: userId, channel: CHANNEL, source: "response_url" });
    // Nothing said in the channel (but what the command is for, like a summary).
    if (!opts.postsInChannel) expect(ws.messages(CHANNEL)).toHaveLength(postsBefore);
    return shown[0]!.text;
  }

  /** Clicks a card button (or picks a user in its select) as `userId`; returns the ephemeral answer. */
  async click(userId: string, n: number, actionId: string, selectedUser?: string): Promise<string> {
    const ws = this.stack.emulator.workspace;
    const shownBefore = this.stack.emulator.ephemerals.length;
    const postsBefore = ws.messages(CHANNEL).length;
    const res = await this.stack.emulator.driver.blockAction({
      userId,
      channelId: CHANNEL,
      messageTs: this.stack.card(n).ts,
      actionId,
      ...(selectedUser ? { selectedUser } : {}),
    });
    expect(res.status).toBe(200);
    const shown = await waitFor("the ephemeral answer", () => {
      const s = this.stack.emulator.ephemerals.slice(shownBefore);
      return s.length ? s : null;
    });
    await new Promise((r) => setTimeout(r, 20)); // a second answer would show by now
    expect(this.stack.emulator.ephemerals.slice(shownBefore)).toHaveLength(1);
    expect(shown[0]).toMatchObject({ user: userId, channel: CHANNEL, source: "response_url" });
    expect(ws.messages(CHANNEL)).toHaveLength(postsBefore);
    return shown[0]!.text;
  }

  /** A new conversation of a new customer, set up by the bootstrap admin; its card is posted. */
  async conversation(opts: { assignee?: string; hero?: string; closed?: boolean } = {}): Promise<Conv> {
    this.seq++;
    const customerId = `perm-${this.seq}`;
    const customerName = `Customer ${this.seq}`;
    const res = await this.stack.sendMessage(
      customerMessage({
        customer: { id: customerId, name: customerName, email: `${customerId}@example.com`, attributes: {} },
      }),
    );
    expect(res.status).toBe(202);
    const n = res.body.conversationNumber as number;
    await this.stack.drained(); // the card is posted before anyone acts on it
    if (opts.hero)
      expect(await this.desk(BOOTSTRAP, `hero make ${customerId} <@${opts.hero}>`)).toContain(
        "is now the Dedicated Hero",
      );
    if (opts.assignee)
      expect(await this.desk(BOOTSTRAP, `assign #${n} <@${opts.assignee}>`)).toBe(
        `#${n} is now with <@${opts.assignee}>.${OFFLINE}`,
      );
    if (opts.closed) expect(await this.desk(BOOTSTRAP, `close #${n}`)).toBe(`#${n} is closed.`);
    await this.stack.drained();
    const now = await this.snapshot(n);
    expect(now).toMatchObject({
      status: opts.closed ? "closed" : "open",
      assignee: opts.assignee ?? null,
      hero: opts.hero ?? null,
    });
    return { n, customerId, customerName };
  }

  /** Someone new in Slack, made a HeroDesk agent by the bootstrap admin. */
  async newAgent(id: string, name: string, role = "agent"): Promise<void> {
    this.stack.addPerson(id, name);
    expect(await this.desk(BOOTSTRAP, `agent add <@${id}> ${role}`)).toContain(`is a HeroDesk ${role}`);
  }

  async slackIdOf(agentId: number | null): Promise<string | null> {
    return agentId ? ((await this.store.agents.get(agentId))?.slackUserId ?? null) : null;
  }

  /** Conversation #n as the store has it and as its card shows it (after the outbox is drained). */
  async snapshot(n: number): Promise<Snapshot> {
    await this.stack.drained();
    const c = await this.store.conversations.get(n);
    if (!c) throw new Error(`no conversation #${n}`);
    const customer = await this.store.customers.get(c.customerId);
    const blocks = (this.stack.card(n).blocks ?? []) as BlockJson[];
    const fields = blocks.find((b) => b.type === "section" && b.fields)?.fields ?? [];
    const field = (label: string) =>
      fields.find((f) => f.text.startsWith(`*${label}*\n`))?.text.slice(label.length + 3);
    return {
      status: c.status,
      assignee: await this.slackIdOf(c.assigneeId),
      hero: await this.slackIdOf(customer.hero?.kind === "agent" ? customer.hero.agentId : null),
      heroTeamId: customer.hero?.kind === "team" ? customer.hero.teamId : null,
      events: (await this.store.events.history(n, c.customerId)).length,
      card: { status: field("Status"), assignee: field("Assignee"), hero: field("Hero") },
      cardBlocks: JSON.stringify(blocks),
    };
  }

  /** Everything /desk setup can change: agents (role, status, capacity, subscriptions), teams, rules. */
  async setup() {
    const agents = await this.store.agents.listActive();
    return {
      agents: await Promise.all(
        agents.map(async (a) => ({ ...a, subscriptions: await this.store.agents.subscriptionsOf(a.id) })),
      ),
      teams: await this.store.teams.list(),
      rules: await this.store.rules.list(),
    };
  }

  async agent(slackUserId: string) {
    return this.store.agents.bySlackId(slackUserId);
  }

  /** The Make Hero modals open for `userId`. */
  heroModals(userId: string) {
    return this.stack.emulator.workspace.openViews.filter(
      (v) => v.userId === userId && v.view.callback_id === "hero_make_modal",
    );
  }
}

/** One World per describe block, started before its tests and stopped after them. */
function sharedWorld(file?: Record<string, unknown>): () => World {
  let world: World | undefined;
  beforeAll(async () => {
    world = await World.start(file);
  });
  afterAll(async () => {
    await world?.stack.stop();
  });
  return () => {
    if (!world) throw new Error("the stack did not start");
    return world;
  };
}

const CARD_OPEN = ":large_green_circle: Open";
const CARD_CLOSED = ":white_check_mark: Closed";
const CARD_UNASSIGNED = "_Unassigned (in the queue)_";

/**
 * A refused action says why (exactly) and leaves conversation #n as it was: status, assignee, hero,
 * audit trail and the card's every block.
 */
async function expectRefusedAndUnchanged(w: World, row: Row, answer: string, n: number, before: Snapshot) {
  expect(answer).toBe(row.reason);
  expect(await w.snapshot(n)).toEqual(before);
}

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

describe("permissions, with managersCanSetHeroes off (the default)", () => {
  const world = sharedWorld();

  describe("/desk on one conversation", () => {
    it.each(ASSIGN)("/desk assign #n @agent as $role: $verdict", async (row) => {
      const w = world();
      const c = await w.conversation({ assignee: ASSIGNEE });
      const before = await w.snapshot(c.n);
      const answer = await w.desk(USER[row.role], `assign #${c.n} <@${TARGET}>`);
      if (row.reason) return expectRefusedAndUnchanged(w, row, answer, c.n, before);
      expect(answer).toBe(`#${c.n} is now with <@${TARGET}>.${OFFLINE}`);
      expect(await w.snapshot(c.n)).toMatchObject({
        assignee: TARGET,
        events: before.events + 1,
        card: { assignee: `<@${TARGET}>` },
      });
    });

    it.each(UNASSIGN)("/desk unassign #n as $role: $verdict", async (row) => {
      const w = world();
      const c = await w.conversation({ assignee: ASSIGNEE });
      const before = await w.snapshot(c.n);
      const answer = await w.desk(USER[row.role], `unassign #${c.n}`);
      if (row.reason) return expectRefusedAndUnchanged(w, row, answer, c.n, before);
      expect(answer).toBe(
        `#${c.n} is back in the queue: nobody else is free right now, so it goes to the next agent who is.`,
      );
      expect(await w.snapshot(c.n)).toMatchObject({
        assignee: null,
        events: before.events + 1,
        card: { assignee: CARD_UNASSIGNED },
      });
    });

    it.each(CLOSE)("/desk close #n as $role: $verdict", async (row) => {
      const w = world();
      const c = await w.conversation({ assignee: ASSIGNEE });
      const before = await w.snapshot(c.n);
      const answer = await w.desk(USER[row.role], `close #${c.n}`);
      if (row.reason) return expectRefusedAndUnchanged(w, row, answer, c.n, before);
      expect(answer).toBe(`#${c.n} is closed.`);
      expect(await w.snapshot(c.n)).toMatchObject({
        status: "closed",
        assignee: ASSIGNEE,
        card: { status: CARD_CLOSED },
      });
    });

    it("/desk close #n as an agent, nobody assigned: refused, says to claim it first", async () => {
      const w = world();
      const c = await w.conversation();
      const before = await w.snapshot(c.n);
      const answer = await w.desk(PLAIN, `close #${c.n}`);
      expect(answer).toBe(
        "Nobody is assigned to this conversation: claim it first, or ask a manager or admin to close it.",
      );
      expect(await w.snapshot(c.n)).toEqual(before);
    });

    it.each(REOPEN)("/desk reopen #n as $role: $verdict", async (row) => {
      const w = world();
      const c = await w.conversation({ assignee: ASSIGNEE, closed: true });
      const before = await w.snapshot(c.n);
      const answer = await w.desk(USER[row.role], `reopen #${c.n}`);
      if (row.reason) return expectRefusedAndUnchanged(w, row, answer, c.n, before);
      expect(answer).toBe(`#${c.n} is open again.`);
      expect(await w.snapshot(c.n)).toMatchObject({
        status: "open",
        assignee: ASSIGNEE,
        card: { status: CARD_OPEN },
      });
    });

    it.each(HERO_REASSIGN)("/desk hero reassign #n as $role: $verdict", async (row) => {
      const w = world();
      const c = await w.conversation({ hero: HERO, assignee: ASSIGNEE });
      const before = await w.snapshot(c.n);
      const answer = await w.desk(USER[row.role], `hero reassign #${c.n}`);
      if (row.reason) return expectRefusedAndUnchanged(w, row, answer, c.n, before);
      expect(answer).toBe(
        `#${c.n} is back with the hero, <@${HERO}>. Heads-up: they are offline, so they may not see it soon; \`/desk assign #${c.n} @someone\` moves it again.`,
      );
      expect(await w.snapshot(c.n)).toMatchObject({
        assignee: HERO,
        hero: HERO,
        events: before.events + 1,
        card: { assignee: `<@${HERO}>` },
      });
    });

    it.each(ANY_AGENT)("/desk history #n as $role: $verdict", async (row) => {
      const w = world();
      const c = await w.conversation({ assignee: ASSIGNEE });
      const before = await w.snapshot(c.n);
      const answer = await w.desk(USER[row.role], `history #${c.n}`);
      if (row.reason) return expectRefusedAndUnchanged(w, row, answer, c.n, before);
      expect(answer).toMatch(new RegExp(`^\\*History of #${c.n}\\*\\n.*assigned to <@${ASSIGNEE}>`));
      expect(await w.snapshot(c.n)).toEqual(before); // reading changes nothing
    });
  });

  describe("/desk on customers' heroes", () => {
    it.each(HERO_MAKE_MANAGERS_OFF)("/desk hero make <customer> @agent as $role: $verdict", async (row) => {
      const w = world();
      const c = await w.conversation({ assignee: ASSIGNEE });
      const before = await w.snapshot(c.n);
      const answer = await w.desk(USER[row.role], `hero make ${c.customerId} <@${HERO}>`);
      if (row.reason) return expectRefusedAndUnchanged(w, row, answer, c.n, before);
      expect(answer).toContain(`<@${HERO}> is now the Dedicated Hero of ${c.customerName}.`);
      // The hero is set; the open conversation stays where it was.
      expect(await w.snapshot(c.n)).toMatchObject({
        hero: HERO,
        assignee: ASSIGNEE,
        events: before.events + 1,
        card: { hero: `<@${HERO}>`, assignee: `<@${ASSIGNEE}>` },
      });
    });

    it.each(HERO_MAKE_MANAGERS_OFF)(
      "/desk hero make <customer> team <name> as $role: $verdict",
      async (row) => {
        const w = world();
        const c = await w.conversation();
        const before = await w.snapshot(c.n);
        const answer = await w.desk(USER[row.role], `hero make ${c.customerId} team Tier2`);
        if (row.reason) return expectRefusedAndUnchanged(w, row, answer, c.n, before);
        expect(answer).toContain(`team Tier2 is now the Dedicated Hero of ${c.customerName}.`);
        const after = await w.snapshot(c.n);
        expect(after.heroTeamId).not.toBeNull();
        expect(after.card.hero).toBe("Team Tier2");
      },
    );

    it.each(HERO_REMOVE)("/desk hero remove <customer> as $role: $verdict", async (row) => {
      const w = world();
      const c = await w.conversation({ hero: HERO });
      const before = await w.snapshot(c.n);
      const answer = await w.desk(USER[row.role], `hero remove ${c.customerId}`);
      if (row.reason) return expectRefusedAndUnchanged(w, row, answer, c.n, before);
      expect(answer).toBe(`${c.customerName} has no Dedicated Hero any more.`);
      expect(await w.snapshot(c.n)).toMatchObject({
        hero: null,
        events: before.events + 1,
        card: { hero: "_None_" },
      });
    });
    it.each(ANY_AGENT)("/desk hero show <customer> as $role: $verdict", async (row) => {
      const w = world();
      const c = await w.conversation({ hero: HERO });
      const before = await w.snapshot(c.n);
      const answer = await w.desk(USER[row.role], `hero show ${c.customerId}`);
      if (row.reason) return expectRefusedAndUnchanged(w, row, answer, c.n, before);
      expect(answer).toBe(`The Dedicated Hero of ${c.customerName} is <@${HERO}>.`);
      expect(await w.snapshot(c.n)).toEqual(before); // reading changes nothing
    });
  });

  describe("/desk across conversations", () => {
    it.each(REASSIGN_BULK)("/desk reassign @from @to as $role: $verdict", async (row) => {
      const w = world();
      // Someone of their own, so no other test's conversations are moved.
      const from = `U0FROM${row.role.replace(/\W/g, "").toUpperCase()}`;
      await w.newAgent(from, `From ${row.role}`);
      const c = await w.conversation({ assignee: from });
      const before = await w.snapshot(c.n);
      const answer = await w.desk(USER[row.role], `reassign <@${from}> <@${TARGET}>`);
      if (row.reason) return expectRefusedAndUnchanged(w, row, answer, c.n, before);
      expect(answer).toBe(`Moved 1 open conversation from <@${from}> to <@${TARGET}>.${OFFLINE}`);
      expect(await w.snapshot(c.n)).toMatchObject({
        assignee: TARGET,
        events: before.events + 1,
        card: { assignee: `<@${TARGET}>` },
      });
      expect((await w.agent(from))?.openCount).toBe(0);
    });

    it.each(SUMMARY)("/desk summary as $role: $verdict", async (row) => {
      const w = world();
      const summaries = () =>
        w.stack.emulator.workspace
          .messages(CHANNEL)
          .filter(
            (m) => (m.metadata as { event_type?: string } | undefined)?.event_type === "herodesk_summary",
          ).length;
      const before = summaries();
      const answer = await w.desk(USER[row.role], "summary", { postsInChannel: true });
      if (row.reason) expect(answer).toBe(row.reason);
      else expect(answer).toBe("Posting the assignment summary in <#C0SUPPORT> now.");
      await w.stack.drained();
      expect(summaries() - before).toBe(row.reason ? 0 : 1);
    });

    it("a conversation number tells someone who is not an agent nothing", async () => {
      const w = world();
      const c = await w.conversation();
      expect(await w.desk(USER["not an agent"], `history #${c.n}`)).toBe(NOT_AN_AGENT);
      expect(await w.desk(USER["not an agent"], "history #999999")).toBe(NOT_AN_AGENT);
    });

    it.each(ANY_AGENT)("/desk queue as $role: $verdict", async (row) => {
      const w = world();
      const c = await w.conversation(); // unassigned: in the queue
      const before = await w.setup();
      const answer = await w.desk(USER[row.role], "queue");
      if (row.reason) expect(answer).toBe(row.reason);
      else expect(answer).toMatch(/^\*Queue\* \(oldest first\)\n#\d+ · web · waiting since /);
      expect(await w.setup()).toEqual(before);
      expect((await w.snapshot(c.n)).assignee).toBeNull();
    });
  });

  describe("/desk for oneself", () => {
    it.each(FOR_THEMSELVES)("/desk status away as $role: $verdict", async (row) => {
      const w = world();
      const userId = USER[row.role];
      const before = await w.setup();
      const answer = await w.desk(userId, "status away");
      if (row.reason) {
        expect(answer).toBe(row.reason);
        expect(await w.setup()).toEqual(before);
        expect(await w.agent(userId)).toBeNull();
        return;
      }
      expect(answer).toMatch(/^You are away\. New conversations go to others\./);
      expect((await w.agent(userId))?.status).toBe("away");
    });

    it.each(FOR_THEMSELVES)("/desk subscribe web as $role: $verdict", async (row) => {
      const w = world();
      const userId = USER[row.role];
      const before = await w.setup();
      const answer = await w.desk(userId, "subscribe web");
      if (row.reason) {
        expect(answer).toBe(row.reason);
        expect(await w.setup()).toEqual(before);
        expect(await w.agent(userId)).toBeNull();
        return;
      }
      expect(answer).toBe("You will hear about every message of `web`'s unassigned conversations.");
      const me = await w.agent(userId);
      expect(await w.store.agents.subscriptionsOf(me!.id)).toEqual(["web"]);
      // Unsubscribe again, so the tests after this one do not DM them about every new conversation.
      expect(await w.desk(userId, "unsubscribe web")).toContain("You will no longer hear");
      expect(await w.store.agents.subscriptionsOf(me!.id)).toEqual([]);
    });
  });

  describe("/desk setup", () => {
    const tag = (role: Role) => role.replace(/\W/g, "").toUpperCase();

    it.each(SETUP)("/desk agent add @u manager as $role: $verdict", async (row) => {
      const w = world();
      const newcomer = `U0NEW${tag(row.role)}`;
      w.stack.addPerson(newcomer, `New ${row.role}`);
      const before = await w.setup();
      const answer = await w.desk(USER[row.role], `agent add <@${newcomer}> manager 3`);
      if (row.reason) {
        expect(answer).toBe(row.reason);
        expect(await w.setup()).toEqual(before);
        expect(await w.agent(newcomer)).toBeNull();
        return;
      }
      expect(answer).toContain(`<@${newcomer}> is a HeroDesk manager (up to 3 open conversations).`);
      expect(await w.agent(newcomer)).toMatchObject({ role: "manager", capacity: 3, active: true });
    });

    it.each(SETUP)("/desk role @u admin as $role: $verdict", async (row) => {
      const w = world();
      const someone = `U0ROLE${tag(row.role)}`;
      await w.newAgent(someone, `Role ${row.role}`);
      const before = await w.setup();
      const answer = await w.desk(USER[row.role], `role <@${someone}> admin`);
      if (row.reason) {
        expect(answer).toBe(row.reason);
        expect(await w.setup()).toEqual(before);
        expect((await w.agent(someone))?.role).toBe("agent");
        return;
      }
      expect(answer).toBe(`<@${someone}> is now an admin.`);
      expect((await w.agent(someone))?.role).toBe("admin");
    });

    // Someone new of that role each time, so a wrongly allowed promotion cannot spill into other tests.
    // (Not the bootstrap admin: they are an admin whatever they do, and have no agent row to change.)
    it.each(SETUP.filter((r) => r.role !== "bootstrap admin"))(
      "/desk role @self admin (promoting oneself) as $role: $verdict",
      async (row) => {
        const w = world();
        const me = `U0SELF${tag(row.role)}`;
        if (row.role === "not an agent") w.stack.addPerson(me, `Self ${row.role}`);
        else await w.newAgent(me, `Self ${row.role}`, row.role);
        const before = await w.setup();
        const answer = await w.desk(me, `role <@${me}> admin`);
        if (row.reason) {
          expect(answer).toBe(row.reason);
          expect(await w.setup()).toEqual(before);
          expect((await w.agent(me))?.role ?? null).toBe(row.role === "not an agent" ? null : row.role);
          return;
        }
        expect(answer).toBe(`<@${me}> is now an admin.`);
        expect((await w.agent(me))?.role).toBe("admin");
      },
    );

    it.each(SETUP)("/desk team add <name> as $role: $verdict", async (row) => {
      const w = world();
      const team = `Team ${tag(row.role)}`;
      const before = await w.setup();
      const answer = await w.desk(USER[row.role], `team add ${team}`);
      if (row.reason) {
        expect(answer).toBe(row.reason);
        expect(await w.setup()).toEqual(before);
        expect(await w.store.teams.byName(team)).toBeNull();
        return;
      }
      expect(answer).toContain(`Team ${team} created.`);
      expect(await w.store.teams.byName(team)).not.toBeNull();
    });

    it.each(SETUP)("/desk rule add plan=<value> team <name> as $role: $verdict", async (row) => {
      const w = world();
      const value = `p-${tag(row.role).toLowerCase()}`;
      const before = await w.setup();
      const answer = await w.desk(USER[row.role], `rule add plan=${value} team Tier2`);
      const rules = async () => (await w.store.rules.list()).filter((r) => r.value === value);
      if (row.reason) {
        expect(answer).toBe(row.reason);
        expect(await w.setup()).toEqual(before);
        expect(await rules()).toEqual([]);
        return;
      }
      expect(answer).toContain(`Rule added: customers with plan = ${value} go to team Tier2.`);
      expect(await rules()).toMatchObject([{ attribute: "plan", value, teamName: "Tier2" }]);
    });
  });

  describe("card buttons", () => {
    it.each(CLAIM)("conv_claim (Claim) as $role: $verdict", async (row) => {
      const w = world();
      const c = await w.conversation();
      const before = await w.snapshot(c.n);
      const userId = USER[row.role];
      const answer = await w.click(userId, c.n, "conv_claim");
      if (row.reason) return expectRefusedAndUnchanged(w, row, answer, c.n, before);
      expect(answer).toBe(`You have #${c.n} now.`);
      expect(await w.snapshot(c.n)).toMatchObject({
        assignee: userId,
        events: before.events + 1,
        card: { assignee: `<@${userId}>` },
      });
    });

    it.each(ASSIGN)("conv_assign (Assign to… select) as $role: $verdict", async (row) => {
      const w = world();
      const c = await w.conversation({ assignee: ASSIGNEE });
      const before = await w.snapshot(c.n);
      const answer = await w.click(USER[row.role], c.n, "conv_assign", TARGET);
      if (row.reason) return expectRefusedAndUnchanged(w, row, answer, c.n, before);
      expect(answer).toBe(`#${c.n} is now with <@${TARGET}>.${OFFLINE}`);
      expect(await w.snapshot(c.n)).toMatchObject({
        assignee: TARGET,
        events: before.events + 1,
        card: { assignee: `<@${TARGET}>` },
      });
    });

    it.each(HERO_REASSIGN)("conv_reassign_hero (Reassign to Hero) as $role: $verdict", async (row) => {
      const w = world();
      const c = await w.conversation({ hero: HERO, assignee: ASSIGNEE });
      const before = await w.snapshot(c.n);
      const answer = await w.click(USER[row.role], c.n, "conv_reassign_hero");
      if (row.reason) return expectRefusedAndUnchanged(w, row, answer, c.n, before);
      expect(answer).toBe(
        `#${c.n} is back with the hero, <@${HERO}>. Heads-up: they are offline, so they may not see it soon; \`/desk assign #${c.n} @someone\` moves it again.`,
      );
      expect(await w.snapshot(c.n)).toMatchObject({
        assignee: HERO,
        events: before.events + 1,
        card: { assignee: `<@${HERO}>` },
      });
    });

    it.each(HERO_REMOVE)("hero_remove (Remove Hero) as $role: $verdict", async (row) => {
      const w = world();
      const c = await w.conversation({ hero: HERO });
      const before = await w.snapshot(c.n);
      const answer = await w.click(USER[row.role], c.n, "hero_remove");
      if (row.reason) return expectRefusedAndUnchanged(w, row, answer, c.n, before);
      expect(answer).toBe(`${c.customerName} has no Dedicated Hero any more.`);
      expect(await w.snapshot(c.n)).toMatchObject({ hero: null, card: { hero: "_None_" } });
    });

    it.each(CLOSE)("conv_close (Close) as $role: $verdict", async (row) => {
      const w = world();
      const c = await w.conversation({ assignee: ASSIGNEE });
      const before = await w.snapshot(c.n);
      const answer = await w.click(USER[row.role], c.n, "conv_close");
      if (row.reason) return expectRefusedAndUnchanged(w, row, answer, c.n, before);
      expect(answer).toBe(`#${c.n} is closed.`);
      const after = await w.snapshot(c.n);
      expect(after).toMatchObject({ status: "closed", card: { status: CARD_CLOSED } });
      expect(after.cardBlocks).toContain('"action_id":"conv_reopen"');
    });

    it.each(REOPEN)("conv_reopen (Reopen) as $role: $verdict", async (row) => {
      const w = world();
      const c = await w.conversation({ assignee: ASSIGNEE, closed: true });
      const before = await w.snapshot(c.n);
      expect(before.cardBlocks).toContain('"action_id":"conv_reopen"');
      const answer = await w.click(USER[row.role], c.n, "conv_reopen");
      if (row.reason) return expectRefusedAndUnchanged(w, row, answer, c.n, before);
      expect(answer).toBe(`#${c.n} is open again.`);
      expect(await w.snapshot(c.n)).toMatchObject({ status: "open", card: { status: CARD_OPEN } });
    });

    it.each(HERO_MAKE_MANAGERS_OFF)("hero_make (Make Hero) as $role: $verdict", async (row) =>
      makeHeroThroughModal(world(), row),
    );
  });

  describe("a removed agent", () => {
    it("is not an agent any more, even for the conversation they still hold", async () => {
      const w = world();
      const gone = "U0GONE";
      await w.newAgent(gone, "Gus Gone");
      const c = await w.conversation({ assignee: gone });
      expect(await w.desk(BOOTSTRAP, `agent remove <@${gone}>`)).toContain("is no longer a HeroDesk agent.");
      const before = await w.snapshot(c.n);
      expect(await w.desk(gone, `close #${c.n}`)).toBe(NOT_AN_AGENT);
      expect(await w.click(gone, c.n, "conv_close")).toBe(NOT_AN_AGENT);
      expect(await w.click(gone, c.n, "conv_claim")).toBe(NOT_AN_AGENT);
      expect(await w.desk(gone, `history #${c.n}`)).toBe(NOT_AN_AGENT);
      expect(await w.snapshot(c.n)).toEqual(before);
    });
  });
});

/**
 * Make Hero: the click is checked on the server; a refusal is an ephemeral message and no modal
 * opens. An allowed click opens the modal, and its submission is checked again.
 */
async function makeHeroThroughModal(w: World, row: Row) {
  const userId = USER[row.role];
  const c = await w.conversation({ assignee: ASSIGNEE });
  const before = await w.snapshot(c.n);
  const emu = w.stack.emulator;
  const modalsBefore = w.heroModals(userId).length;
  if (row.reason) {
    expect(await w.click(userId, c.n, "hero_make")).toBe(row.reason);
    expect(w.heroModals(userId)).toHaveLength(modalsBefore);
    expect(await w.snapshot(c.n)).toEqual(before);
    return;
  }
  const shownBefore = emu.ephemerals.length;
  const click = await w.stack.emulator.driver.blockAction({
    userId,
    channelId: CHANNEL,
    messageTs: w.stack.card(c.n).ts,
    actionId: "hero_make",
  });
  expect(click.status).toBe(200);
  // The modal opens just after the click is acknowledged (views.open is not awaited before it).
  await waitFor("the Make Hero modal", () => w.heroModals(userId).length > modalsBefore);
  const modals = w.heroModals(userId);
  expect(modals).toHaveLength(modalsBefore + 1);
  const modal = modals.at(-1)!;
  expect(modal).toMatchObject({ isOpen: true, view: { private_metadata: String(c.n) } });
  expect(emu.ephemerals).toHaveLength(shownBefore);
  expect(await w.snapshot(c.n)).toEqual(before); // opening it changes nothing

  const submit = await w.stack.emulator.driver.viewSubmission({
    userId,
    viewId: modal.view.id,
    values: { hero_agent: { agent: HERO } },
  });
  expect(submit.status).toBe(200);
  expect(modal.isOpen).toBe(false);
  expect(await w.snapshot(c.n)).toMatchObject({
    hero: HERO,
    assignee: ASSIGNEE, // Make Hero never moves the open conversation
    events: before.events + 1,
    card: { hero: `<@${HERO}>` },
  });
  // The DM saying so is sent after the submission's acknowledgement.
  await waitFor("the DM saying so", () =>
    w.stack.dms(userId).at(-1)?.text?.includes(`<@${HERO}> is now the Dedicated Hero of ${c.customerName}.`),
  );
}

describe("permissions, with managersCanSetHeroes on", () => {
  const world = sharedWorld({ managersCanSetHeroes: true });

  it.each(HERO_MAKE_MANAGERS_ON)("/desk hero make <customer> @agent as $role: $verdict", async (row) => {
    const w = world();
    const c = await w.conversation({ assignee: ASSIGNEE });
    const before = await w.snapshot(c.n);
    const answer = await w.desk(USER[row.role], `hero make ${c.customerId} <@${HERO}>`);
    if (row.reason) return expectRefusedAndUnchanged(w, row, answer, c.n, before);
    expect(answer).toContain(`<@${HERO}> is now the Dedicated Hero of ${c.customerName}.`);
    expect(await w.snapshot(c.n)).toMatchObject({
      hero: HERO,
      assignee: ASSIGNEE,
      card: { hero: `<@${HERO}>` },
    });
  });

  it.each(HERO_MAKE_MANAGERS_ON)("hero_make (Make Hero) as $role: $verdict", async (row) =>
    makeHeroThroughModal(world(), row),
  );

  // Only making heroes is opened to managers: removing one stays with admins.
  it.each(HERO_REMOVE)("/desk hero remove <customer> as $role: $verdict", async (row) => {
    const w = world();
    const c = await w.conversation({ hero: HERO });
    const before = await w.snapshot(c.n);
    const answer = await w.desk(USER[row.role], `hero remove ${c.customerId}`);
    if (row.reason) return expectRefusedAndUnchanged(w, row, answer, c.n, before);
    expect(answer).toBe(`${c.customerName} has no Dedicated Hero any more.`);
    expect(await w.snapshot(c.n)).toMatchObject({ hero: null, card: { hero: "_None_" } });
  });

  it.each(HERO_REMOVE)("hero_remove (Remove Hero) as $role: $verdict", async (row) => {
    const w = world();
    const c = await w.conversation({ hero: HERO });
    const before = await w.snapshot(c.n);
    const answer = await w.click(USER[row.role], c.n, "hero_remove");
    if (row.reason) return expectRefusedAndUnchanged(w, row, answer, c.n, before);
    expect(answer).toBe(`${c.customerName} has no Dedicated Hero any more.`);
    expect(await w.snapshot(c.n)).toMatchObject({ hero: null, card: { hero: "_None_" } });
  });

  // The rest of the setup stays with admins.
  it.each(SETUP)("/desk team add <name> as $role: $verdict", async (row) => {
    const w = world();
    const team = `On ${row.role.replace(/\W/g, "")}`;
    const before = await w.setup();
    const answer = await w.desk(USER[row.role], `team add ${team}`);
    if (row.reason) {
      expect(answer).toBe(row.reason);
      expect(await w.setup()).toEqual(before);
      return;
    }
    expect(await w.store.teams.byName(team)).not.toBeNull();
  });
});
