// Dedicated Heroes: make one (an agent or a team) for a customer, an account, a customer channel or
// a customer who has not written yet; remove one; give a conversation back to its hero.
// Make Hero never moves the open conversation; Reassign to Hero does (SPEC section 4).
import { accountKey, heroSubject } from "../core/dedicated-hero.ts";
import type { HeroSubjectRef } from "../core/desk/args.ts";
import type { Customer, Hero, HeroRef } from "../core/domain.ts";
import { heroAgents, teamHeroPick } from "../core/routing.ts";
import { enqueueCardUpdate } from "../outbox/jobs.ts";
import type { Account } from "../store/accounts.ts";
import type { Repositories } from "../store/index.ts";
import { agentOrRefusal } from "./assign-conversation.ts";
import { moveAssignee } from "./assignment.ts";
import type { Actor, DeskDeps } from "./desk-deps.ts";
import { allowed, onConversation } from "./guard.ts";
import type { Answer } from "./results.ts";

/**
 * Whose hero: a customer by `source:id`, `customer.id` or email (else an account of that name, else
 * a customer who has not written yet), a customer channel, an account, or the customer of
 * conversation #n (buttons). A customer id belongs to its source: when a bare id or an email names
 * unlinked customers of several sources, the answer asks which, in the `source:id` form.
 */
export type CustomerRef = HeroSubjectRef | { conversation: number };

/** A hero as the answers name them. */
export type HeroName = { agent: string } | { team: string } | { removedAgent: true };

/** Whose hero an answer is about, as people name it. */
export type SubjectName =
  | { customer: string }
  | { account: string }
  | { channel: string }
  /** An email or `source:id` of a customer who has not written yet. */
  | { pending: string };

export type Heroes =
  | {
      refused: "no_customer";
      ref: string;
      unknownSource: { source: string; sources: string[] } | null;
      /** `hero make`: how to set a hero before a customer writes. */
      presetHint: boolean;
    }
  | {
      refused: "ambiguous_customer";
      ref: string;
      count: number;
      /** The first few, as `source:id`. */
      forms: string[];
      /** An email unlinked customers share, or a customer id of several sources. */
      sharedEmail: boolean;
    }
  | { refused: "no_account"; account: string }
  | { done: "hero_set"; hero: HeroName; subject: SubjectName; linked: number }
  | { done: "hero_unchanged"; hero: HeroName; subject: SubjectName }
  | { done: "no_hero"; subject: SubjectName }
  | { done: "hero_removed"; subject: SubjectName; linked: number }
  | { refused: "team_hero_busy"; team: string; conversation: number }
  | { refused: "hero_missing"; customer: string; managersCanSet: boolean }
  | { done: "already_with_hero"; conversation: number; hero: string }
  | {
      done: "with_hero";
      conversation: number;
      hero: string;
      /** Done as asked, but they are away, or this takes them over capacity. */
      headsUp: { away: string } | { over: { open: number; capacity: number } } | null;
    }
  | { done: "hero_is"; subject: SubjectName; hero: HeroName }
  | { done: "may_make_hero" };

/** What a hero is set on. */
type Subject =
  | { kind: "customer"; customer: Customer }
  | { kind: "account"; account: Account }
  | { kind: "channel"; channelId: string }
  | { kind: "pending"; key: string; ref: string };

/**
 * The subject a reference names. `make`: an account named with `account` is made when there is
 * none, and a customer nobody has seen is one who has not written yet (by email or `source:id`,
 * or a bare id when there is one source).
 */
async function findSubject(
  tx: Repositories,
  deps: DeskDeps,
  ref: CustomerRef,
  options: { make: boolean },
): Promise<Subject | Answer> {
  if (typeof ref !== "string") {
    if ("conversation" in ref) {
      const conversation = await tx.conversations.get(ref.conversation);
      if (!conversation) return { refused: "no_conversation", conversation: ref.conversation };
      return { kind: "customer", customer: await tx.customers.get(conversation.customerId) };
    }
    if ("channel" in ref) return { kind: "channel", channelId: ref.channel };
    const account = options.make
      ? await tx.accounts.ensure(ref.account)
      : await tx.accounts.byRef(ref.account);
    return account ? { kind: "account", account } : { refused: "no_account", account: ref.account };
  }
  const sources = [...deps.sources.keys()];
  const matches = await tx.customers.find(ref, sources);
  const first = matches[0];
  if (!first) {
    // An account the config names (a customer channel's) may be given a hero before anyone wrote.
    const configured = configuredAccounts(deps.sources).get(accountKey(ref));
    const account =
      (await tx.accounts.byRef(ref)) ?? (configured ? await tx.accounts.ensure(configured) : null);
    if (account) return { kind: "account", account };
    const prefix = /^([^:@]+):./.exec(ref)?.[1];
    const pending = ref.includes("@")
      ? heroSubject.email(ref)
      : prefix && deps.sources.has(prefix)
        ? heroSubject.customer(prefix, ref.slice(prefix.length + 1))
        : !prefix && sources.length === 1
          ? heroSubject.customer(sources[0]!, ref)
          : null;
    if (pending && (options.make || (await tx.accounts.heroSetting(pending))))
      return { kind: "pending", key: pending, ref };
    // `nosuch:cust-1`: say that no source has that id, rather than only that nobody matched.
    const unknownSource = prefix && !deps.sources.has(prefix) ? { source: prefix, sources } : null;
    return { refused: "no_customer", ref, unknownSource, presetHint: options.make && !unknownSource };
  }
  // Linked customers share one hero: any of them stands for all.
  const root = (c: Customer) => c.linkedToId ?? c.id;
  if (matches.every((c) => root(c) === root(first))) return { kind: "customer", customer: first };
  return {
    refused: "ambiguous_customer",
    ref,
    count: matches.length,
    forms: matches.slice(0, 5).map((c) => `${c.sourceId}:${c.externalId}`),
    sharedEmail: ref.includes("@") && !matches.some((c) => c.externalId === ref),
  };
}

/** The accounts customer channels are configured with, by key. */
function configuredAccounts(sources: DeskDeps["sources"]): Map<string, string> {
  const names = new Map<string, string>();
  for (const source of sources.values())
    if (Array.isArray(source.customerChannels))
      for (const { account } of source.customerChannels) if (account) names.set(accountKey(account), account);
  return names;
}

const nameOfSubject = (s: Subject): SubjectName =>
  s.kind === "customer"
    ? { customer: s.customer.name }
    : s.kind === "account"
      ? { account: s.account.name }
      : s.kind === "channel"
        ? { channel: s.channelId }
        : { pending: s.ref };

/** The hero set on the subject itself (not one it gets from its channel or account). */
async function heroSetOn(tx: Repositories, s: Subject): Promise<Hero | null> {
  if (s.kind === "customer") return s.customer.hero;
  if (s.kind === "account") return s.account.hero;
  return tx.accounts.heroSetting(s.kind === "channel" ? heroSubject.channel(s.channelId) : s.key);
}

/**
 * Sets (or with null, removes) the subject's hero; the cards it changes show it. Returns the
 * customers whose own hero it is (a customer and those linked with them; none for the others).
 */
async function setHeroOn(tx: Repositories, s: Subject, hero: Hero | null): Promise<number[]> {
  if (s.kind === "customer") {
    const ids = await tx.customers.setHero(s.customer.id, hero);
    await refreshCards(tx, ids);
    return ids;
  }
  if (s.kind === "account") await tx.accounts.setHero(s.account.id, hero);
  else
    await tx.accounts.setHeroSetting(s.kind === "channel" ? heroSubject.channel(s.channelId) : s.key, hero);
  if (s.kind !== "pending") {
    const open = await tx.conversations.openFor(
      s.kind === "account" ? { accountId: s.account.id } : { customerChannel: s.channelId },
    );
    for (const c of open) await enqueueCardUpdate(tx, c);
  }
  return [];
}

/** Customers linked with the one a hero was set on. */
const linkedOf = (ids: readonly number[]) => Math.max(0, ids.length - 1);

async function heroName(tx: Repositories, hero: Hero): Promise<HeroName> {
  if (hero.kind === "agent") {
    const agent = await tx.agents.get(hero.agentId);
    return agent ? { agent: agent.slackUserId } : { removedAgent: true };
  }
  const team = (await tx.teams.list()).find((t) => t.id === hero.teamId);
  return { team: team?.name ?? "?" };
}

const isAnswer = (x: Subject | Answer): x is Answer => "done" in x || "refused" in x;
const sameHero = (a: Hero, b: Hero) =>
  a.kind === "agent"
    ? b.kind === "agent" && a.agentId === b.agentId
    : b.kind === "team" && a.teamId === b.teamId;

/** Refresh the cards of the customers' open conversations: they show the hero. */
async function refreshCards(tx: Repositories, customerIds: readonly number[]) {
  for (const id of customerIds)
    for (const c of await tx.conversations.openOfCustomer(id)) await enqueueCardUpdate(tx, c);
}

/**
 * Customers who lost their hero because the hero (an agent or a team) was removed: each loss goes
 * in the customer's history, and their cards stop showing the hero.
 */
export async function heroesRemoved(tx: Repositories, customerIds: number[], actorSlackId: string) {
  for (const customerId of customerIds) {
    await tx.events.record({ kind: "hero", customerId, actorSlackId, reason: "removed" });
    await refreshCards(tx, [customerId]);
  }
}

export function createHeroes(deps: DeskDeps) {
  const make = (actor: Actor, input: { customer: CustomerRef; hero: HeroRef }): Promise<Answer> =>
    allowed(deps, "hero_make", actor.userId, async (tx): Promise<Answer> => {
      let name: HeroName;
      let hero: Hero;
      if (input.hero.kind === "agent") {
        const agent = await agentOrRefusal(tx, input.hero.userId);
        if ("refused" in agent) return agent;
        hero = { kind: "agent", agentId: agent.id };
        name = { agent: agent.slackUserId };
      } else {
        const team = await tx.teams.byName(input.hero.team);
        if (!team) return { refused: "no_team", team: input.hero.team, fix: "list" };
        hero = { kind: "team", teamId: team.id };
        name = { team: team.name };
      }
      const subject = await findSubject(tx, deps, input.customer, { make: true });
      if (isAnswer(subject)) return subject;
      const before = await heroSetOn(tx, subject);
      if (before && sameHero(before, hero))
        return { done: "hero_unchanged", hero: name, subject: nameOfSubject(subject) };
      const ids = await setHeroOn(tx, subject, hero);
      for (const customerId of ids)
        await tx.events.record({
          kind: "hero",
          customerId,
          hero,
          actorSlackId: actor.userId,
          reason: "manual",
        });
      return { done: "hero_set", hero: name, subject: nameOfSubject(subject), linked: linkedOf(ids) };
    });

  const remove = (actor: Actor, input: { customer: CustomerRef }): Promise<Answer> =>
    allowed(deps, "hero_remove", actor.userId, async (tx): Promise<Answer> => {
      const subject = await findSubject(tx, deps, input.customer, { make: false });
      if (isAnswer(subject)) return subject;
      if (!(await heroSetOn(tx, subject))) return { done: "no_hero", subject: nameOfSubject(subject) };
      const ids = await setHeroOn(tx, subject, null);
      for (const customerId of ids)
        await tx.events.record({ kind: "hero", customerId, actorSlackId: actor.userId, reason: "removed" });
      return { done: "hero_removed", subject: nameOfSubject(subject), linked: linkedOf(ids) };
    });

  const reassignToHero = (actor: Actor, input: { conversation: number }): Promise<Answer> =>
    deps.store.transaction(async (tx) => {
      const found = await onConversation(tx, deps, {
        userId: actor.userId,
        action: "hero_reassign",
        conversation: input.conversation,
      });
      if (!("checked" in found)) return found;
      const { conversation } = found;
      if (conversation.status !== "open") return { refused: "closed", conversation: conversation.id };
      const customer = await tx.customers.ofConversation(conversation);
      const customerHero = customer.hero;
      let hero = customerHero?.kind === "agent" ? await tx.agents.get(customerHero.agentId) : null;
      if (customerHero?.kind === "team") {
        // A person asked for the team: whom routing's team-hero rule picks among its active members.
        const teams = await tx.teams.list();
        const active = new Map((await tx.agents.listActive()).map((a) => [a.id, a]));
        hero = teamHeroPick(heroAgents(customerHero, teams, active)) ?? null;
        if (!hero) {
          const team = teams.find((t) => t.id === customerHero.teamId)?.name ?? "?";
          return { refused: "team_hero_busy", team, conversation: conversation.id };
        }
      }
      if (!hero?.active)
        return {
          refused: "hero_missing",
          customer: customer.name,
          managersCanSet: deps.managersCanSetHeroes,
        };
      if (conversation.assigneeId === hero.id)
        return { done: "already_with_hero", conversation: conversation.id, hero: hero.slackUserId };
      // Done as asked (a person chose the hero for this one), but never silently onto someone who
      // is away or full: the answer says so, so the asker can move it again.
      const headsUp =
        hero.status !== "online"
          ? { away: hero.status }
          : hero.capacity && hero.openCount >= hero.capacity
            ? { over: { open: hero.openCount + 1, capacity: hero.capacity } }
            : null;
      const moved = await moveAssignee(tx, conversation, hero, { reason: "hero", actorId: actor.userId });
      if (!moved) return { refused: "changed_meanwhile", conversation: conversation.id };
      return { done: "with_hero", conversation: conversation.id, hero: hero.slackUserId, headsUp };
    });

  const show = (actor: Actor, input: { customer: CustomerRef }): Promise<Answer> =>
    allowed(deps, "hero_show", actor.userId, async (tx): Promise<Answer> => {
      const subject = await findSubject(tx, deps, input.customer, { make: false });
      if (isAnswer(subject)) return subject;
      const hero = await heroSetOn(tx, subject);
      if (!hero) return { done: "no_hero", subject: nameOfSubject(subject) };
      return { done: "hero_is", subject: nameOfSubject(subject), hero: await heroName(tx, hero) };
    });

  /** Checked on the click, before the Make Hero dialog opens (and again on submit, in make). */
  const mayMake = (actor: Actor): Promise<Answer> =>
    allowed(deps, "hero_make", actor.userId, async () => ({ done: "may_make_hero" }));

  return { make, remove, reassignToHero, show, mayMake };
}
