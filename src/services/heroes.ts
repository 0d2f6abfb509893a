// Dedicated Heroes: make one (an agent or a team), remove one, give a conversation back to its hero.
// Make Hero never moves the open conversation; Reassign to Hero does (SPEC section 4).
import type { Customer, Hero, HeroRef } from "../core/domain.ts";
import { heroAgents, teamHeroPick } from "../core/routing.ts";
import { enqueueCardUpdate } from "../outbox/jobs.ts";
import type { Repositories } from "../store/index.ts";
import { agentOrRefusal } from "./assign-conversation.ts";
import { moveAssignee } from "./assignment.ts";
import type { Actor, DeskDeps } from "./desk-deps.ts";
import { allowed, onConversation } from "./guard.ts";
import type { Answer } from "./results.ts";

/**
 * A customer by `source:id`, `customer.id` or email, or the customer of conversation #n (buttons).
 * A customer id belongs to its source: when a bare id or an email names unlinked customers of
 * several sources, the answer asks which, in the `source:id` form.
 */
export type CustomerRef = string | { conversation: number };

/** A hero as the answers name them. */
export type HeroName = { agent: string } | { team: string } | { removedAgent: true };

export type Heroes =
  | { refused: "no_customer"; ref: string; unknownSource: { source: string; sources: string[] } | null }
  | {
      refused: "ambiguous_customer";
      ref: string;
      count: number;
      /** The first few, as `source:id`. */
      forms: string[];
      /** An email unlinked customers share, or a customer id of several sources. */
      sharedEmail: boolean;
    }
  | { done: "hero_set"; hero: HeroName; customer: string; linked: number }
  | { done: "hero_unchanged"; hero: HeroName; customer: string }
  | { done: "no_hero"; customer: string }
  | { done: "hero_removed"; customer: string; linked: number }
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
  | { done: "hero_is"; customer: string; hero: HeroName }
  | { done: "may_make_hero" };

async function findCustomer(tx: Repositories, deps: DeskDeps, ref: CustomerRef): Promise<Customer | Answer> {
  if (typeof ref !== "string") {
    const conversation = await tx.conversations.get(ref.conversation);
    if (!conversation) return { refused: "no_conversation", conversation: ref.conversation };
    return tx.customers.get(conversation.customerId);
  }
  const sources = [...deps.sources.keys()];
  const matches = await tx.customers.find(ref, sources);
  const first = matches[0];
  if (!first) {
    // `nosuch:cust-1`: say that no source has that id, rather than only that nobody matched.
    const prefix = /^([^:@]+):./.exec(ref)?.[1];
    const unknownSource = prefix && !deps.sources.has(prefix) ? { source: prefix, sources } : null;
    return { refused: "no_customer", ref, unknownSource };
  }
  // Linked customers share one hero: any of them stands for all.
  const root = (c: Customer) => c.linkedToId ?? c.id;
  if (matches.every((c) => root(c) === root(first))) return first;
  return {
    refused: "ambiguous_customer",
    ref,
    count: matches.length,
    forms: matches.slice(0, 5).map((c) => `${c.sourceId}:${c.externalId}`),
    sharedEmail: ref.includes("@") && !matches.some((c) => c.externalId === ref),
  };
}

const isAnswer = (x: Customer | Answer): x is Answer => "done" in x || "refused" in x;
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
      const customer = await findCustomer(tx, deps, input.customer);
      if (isAnswer(customer)) return customer;
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
      if (customer.hero && sameHero(customer.hero, hero))
        return { done: "hero_unchanged", hero: name, customer: customer.name };
      const ids = await tx.customers.setHero(customer.id, hero);
      for (const customerId of ids)
        await tx.events.record({
          kind: "hero",
          customerId,
          hero,
          actorSlackId: actor.userId,
          reason: "manual",
        });
      await refreshCards(tx, ids);
      return { done: "hero_set", hero: name, customer: customer.name, linked: ids.length - 1 };
    });

  const remove = (actor: Actor, input: { customer: CustomerRef }): Promise<Answer> =>
    allowed(deps, "hero_remove", actor.userId, async (tx): Promise<Answer> => {
      const customer = await findCustomer(tx, deps, input.customer);
      if (isAnswer(customer)) return customer;
      if (!customer.hero) return { done: "no_hero", customer: customer.name };
      const ids = await tx.customers.setHero(customer.id, null);
      for (const customerId of ids)
        await tx.events.record({ kind: "hero", customerId, actorSlackId: actor.userId, reason: "removed" });
      await refreshCards(tx, ids);
      return { done: "hero_removed", customer: customer.name, linked: ids.length - 1 };
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
      const customer = await tx.customers.get(conversation.customerId);
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
      const customer = await findCustomer(tx, deps, input.customer);
      if (isAnswer(customer)) return customer;
      const { hero } = customer;
      if (hero?.kind === "agent") {
        const agent = await tx.agents.get(hero.agentId);
        const name: HeroName = agent ? { agent: agent.slackUserId } : { removedAgent: true };
        return { done: "hero_is", customer: customer.name, hero: name };
      }
      if (hero?.kind === "team") {
        const team = (await tx.teams.list()).find((t) => t.id === hero.teamId);
        return { done: "hero_is", customer: customer.name, hero: { team: team?.name ?? "?" } };
      }
      return { done: "no_hero", customer: customer.name };
    });

  /** Checked on the click, before the Make Hero dialog opens (and again on submit, in make). */
  const mayMake = (actor: Actor): Promise<Answer> =>
    allowed(deps, "hero_make", actor.userId, async () => ({ done: "may_make_hero" }));

  return { make, remove, reassignToHero, show, mayMake };
}
