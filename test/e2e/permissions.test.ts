// End to end: who may do what, through the real surfaces (SPEC sections 3 and 4): signed slash
// commands, block_actions and view_submissions from the emulator's driver into Bolt's HTTP receiver,
// on a real SQLite database. The paths a person walks: a /desk command and a card button, each
// refused and allowed; the Make Hero modal; someone who is not an agent. A refusal is an ephemeral
// message on the response_url that says why and changes nothing, not even the card; an allowed
// action has its effect in the store and on the card.
//
// Every role against every command and button (the permission tables) is checked at the use cases,
// on a real store without HTTP: test/services/permissions.test.ts.
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

type Role = "not an agent" | "agent" | "manager" | "admin" | "assignee (agent)";

const USER: Record<Role, string> = {
  "not an agent": NOBODY,
  agent: PLAIN,
  manager: MANAGER,
  admin: ADMIN,
  "assignee (agent)": ASSIGNEE,
};

/** A role, and null (allowed) or the refusal shown to them. */
interface Row {
  role: Role;
  reason: string | null;
}

const ONLY_MANAGERS = (does: string) => `Only managers and admins can ${does}.`;
const ONLY_ASSIGNEE = (does: string) =>
  `Only the assignee (<@${ASSIGNEE}>), managers and admins can ${does}.`;
const HERO_MAKE_ADMINS_ONLY =
  "Only admins can set a customer's hero; an admin can allow managers to do it too.";

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
  async conversation(opts: { assignee?: string } = {}): Promise<Conv> {
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
    if (opts.assignee)
      expect(await this.desk(BOOTSTRAP, `assign #${n} <@${opts.assignee}>`)).toBe(
        `#${n} is now with <@${opts.assignee}>.${OFFLINE}`,
      );
    await this.stack.drained();
    const now = await this.snapshot(n);
    expect(now).toMatchObject({ status: "open", assignee: opts.assignee ?? null, hero: null });
    return { n, customerId, customerName };
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

const CARD_CLOSED = ":white_check_mark: Closed";

/**
 * A refused action says why (exactly) and leaves conversation #n as it was: status, assignee, hero,
 * audit trail and the card's every block.
 */
async function expectRefusedAndUnchanged(w: World, row: Row, answer: string, n: number, before: Snapshot) {
  expect(answer).toBe(row.reason);
  expect(await w.snapshot(n)).toEqual(before);
}

// ---------------------------------------------------------------------------------------------------

describe("permissions, through Slack", () => {
  const world = sharedWorld();

  describe("a /desk command", () => {
    it.each<Row>([
      { role: "agent", reason: ONLY_MANAGERS("assign conversations") },
      { role: "manager", reason: null },
    ])("/desk assign #n @agent as $role", async (row) => {
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

    it("someone who is not an agent hears only that, whether the conversation exists or not", async () => {
      const w = world();
      const c = await w.conversation();
      const before = await w.snapshot(c.n);
      expect(await w.desk(NOBODY, `history #${c.n}`)).toBe(NOT_AN_AGENT);
      expect(await w.desk(NOBODY, "history #999999")).toBe(NOT_AN_AGENT);
      expect(await w.snapshot(c.n)).toEqual(before);
    });
  });

  describe("a card button", () => {
    it.each<Row>([
      { role: "agent", reason: ONLY_ASSIGNEE("close this conversation") },
      { role: "assignee (agent)", reason: null },
    ])("conv_close (Close) as $role", async (row) => {
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

    it("conv_claim (Claim) by someone who is not an agent: they hear only that", async () => {
      const w = world();
      const c = await w.conversation();
      const before = await w.snapshot(c.n);
      expect(await w.click(NOBODY, c.n, "conv_claim")).toBe(NOT_AN_AGENT);
      expect(await w.snapshot(c.n)).toEqual(before);
    });

    it.each<Row>([
      { role: "agent", reason: HERO_MAKE_ADMINS_ONLY },
      { role: "admin", reason: null },
    ])("hero_make (Make Hero) as $role", async (row) => makeHeroThroughModal(world(), row));
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
