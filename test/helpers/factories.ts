// Use cases on a real, migrated SQLite file (a copy of the run's template): no HTTP, no emulator.
// The people, teams, customers and conversations a test needs are written through the store's own
// repository methods; the use cases are the ones HeroDesk builds (src/services/desk.ts).
import { parseFileConfig, type SourceConfig } from "../../src/config.ts";
import { parseDeskCommand } from "../../src/core/desk/index.ts";
import type { Agent, Role } from "../../src/core/domain.ts";
import { type CommandContext, createDeskServices, type DeskServices } from "../../src/services/desk.ts";
import type { DeskDeps } from "../../src/services/desk-deps.ts";
import type { Answer } from "../../src/services/results.ts";
import { createRouting } from "../../src/services/route-conversation.ts";
import { present } from "../../src/slack/presenters/index.ts";
import { createStore, openDatabase, type Repositories, type Store } from "../../src/store/index.ts";
import { freshDatabaseUrl } from "./db.ts";

export const CHANNEL = "C0SUPPORT";
/** The bootstrap admin from the config file: always an admin, no agent row. */
export const BOOTSTRAP = "U0ADMIN";

export interface TestDesk {
  store: Store;
  deps: DeskDeps;
  desk: DeskServices;
  /** `/desk <text>` as `userId` in CHANNEL, through the parser and the use case: the typed answer. */
  run(userId: string, text: string): Promise<Answer>;
  /** The same, in words, as the person reads it. */
  say(userId: string, text: string): Promise<string>;
  close(): Promise<void>;
}

/** A fresh store and the /desk use cases on it, configured as the e2e stack is (sources web, mail). */
export async function openDesk(
  options: {
    managersCanSetHeroes?: boolean;
    defaultCapacity?: number;
    now?: () => Date;
    /** More settings of the web source (business hours, response targets…). */
    web?: Record<string, unknown>;
  } = {},
): Promise<TestDesk> {
  const store = createStore(await openDatabase(freshDatabaseUrl()));
  const file = parseFileConfig({
    admins: [BOOTSTRAP],
    sources: [
      { id: "web", secret: "web-secret-0123456789", slackChannel: CHANNEL, ...options.web },
      { id: "mail", secret: "mail-secret-0123456789", slackChannel: "C0OTHER" },
    ],
    managersCanSetHeroes: options.managersCanSetHeroes ?? false,
  });
  const sources: ReadonlyMap<string, SourceConfig> = new Map(file.sources.map((s) => [s.id, s]));
  const routing = createRouting({ store, sources });
  const deps: DeskDeps = {
    store,
    sources,
    admins: file.admins,
    managersCanSetHeroes: file.managersCanSetHeroes,
    routeNow: (tx: Repositories, id: number) => routing.routeQueue(tx, id, true),
    defaultCapacity: options.defaultCapacity ?? 0,
    ...(options.now ? { now: options.now } : {}),
  };
  const desk = createDeskServices(deps);
  const run = async (userId: string, text: string) => {
    const parsed = parseDeskCommand(text);
    if (!parsed.ok) throw new Error(`/desk ${text} does not parse: ${parsed.error}`);
    return desk.run(context(userId), parsed.command);
  };
  return {
    store,
    deps,
    desk,
    run,
    say: async (userId, text) => present(await run(userId, text)),
    close: () => store.close(),
  };
}

/** Who runs a command: Slack knows everyone, by their id. */
export function context(userId: string, channelId = CHANNEL): CommandContext {
  return { userId, channelId, person: async (id) => ({ name: `Name of ${id}` }) };
}

/** A HeroDesk agent (offline, as everyone starts). */
export async function agent(
  store: Store,
  slackUserId: string,
  role: Role = "agent",
  extra: { capacity?: number } = {},
): Promise<Agent> {
  return store.agents.upsert({ slackUserId, name: `Name of ${slackUserId}`, role, ...extra });
}

export async function team(store: Store, name: string, members: Agent[] = []) {
  const t = await store.teams.create(name);
  for (const m of members) await store.teams.addMember(t.id, m.id);
  return t;
}

let seq = 0;

/** A customer of the web source, as the inbound API would have stored them. */
export async function customer(
  store: Store,
  extra: { heroSlackId?: string; attributes?: Record<string, string> } = {},
) {
  seq++;
  const externalId = `cust-${seq}`;
  const stored = await store.customers.upsert(
    {
      sourceId: "web",
      externalId,
      name: `Customer ${seq}`,
      fallbackName: externalId,
      email: `${externalId}@example.com`,
      ...(extra.attributes ? { attributes: extra.attributes } : {}),
    },
    { linkByEmail: false },
  );
  if ("refused" in stored) throw new Error(stored.refused);
  let c = stored.customer;
  if (extra.heroSlackId) {
    const hero = await store.agents.bySlackId(extra.heroSlackId);
    if (!hero) throw new Error(`no agent ${extra.heroSlackId}`);
    await store.customers.setHero(c.id, { kind: "agent", agentId: hero.id });
    await store.events.record({
      kind: "hero",
      customerId: c.id,
      hero: { kind: "agent", agentId: hero.id },
      actorSlackId: BOOTSTRAP,
      reason: "manual",
    });
    c = await store.customers.get(c.id);
  }
  return c;
}

/**
 * A conversation of a new customer (their hero set when named), open and unassigned unless an
 * assignee (Slack id of an agent) or closed is asked for, with the audit trail a bootstrap admin's
 * `/desk hero make` and `/desk assign` leave. Nothing is enqueued for Slack.
 */
export async function conversation(
  store: Store,
  opts: {
    assignee?: string;
    hero?: string;
    closed?: boolean;
    attributes?: Record<string, string>;
    at?: Date;
  } = {},
) {
  const who = await customer(store, {
    ...(opts.hero ? { heroSlackId: opts.hero } : {}),
    ...(opts.attributes ? { attributes: opts.attributes } : {}),
  });
  let c = await store.conversations.create({
    sourceId: "web",
    externalId: `conv-${who.externalId}`,
    customerId: who.id,
    slackChannel: CHANNEL,
    at: opts.at ?? new Date(),
  });
  if (opts.assignee) {
    const holder = await store.agents.bySlackId(opts.assignee);
    if (!holder) throw new Error(`no agent ${opts.assignee}`);
    c = (await store.conversations.setAssigneeIf(c.id, null, holder.id))!;
    await store.events.record({
      kind: "assignee",
      conversationId: c.id,
      toAgentId: holder.id,
      actorSlackId: BOOTSTRAP,
      reason: "manual",
    });
  }
  if (opts.closed)
    c = await store.conversations.update(c.id, {
      status: "closed",
      closedAt: new Date(),
      waitingSince: null,
    });
  return { n: c.id, customerId: who.externalId, customerName: who.name };
}
