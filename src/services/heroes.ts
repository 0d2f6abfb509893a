// Dedicated Heroes: make one (an agent or a team), remove one, give a conversation back to its hero.
// Make Hero never moves the open conversation; Reassign to Hero does (SPEC section 4).
import type { Customer, Hero, HeroRef } from "../core/domain.ts";
import { heroAgents, teamHeroPick } from "../core/routing.ts";
import { escapeSlackText, plural } from "../core/slack-text.ts";
import { enqueueCardUpdate } from "../outbox/jobs.ts";
import type { Repositories } from "../store/index.ts";
import { moveAssignee } from "./assignment.ts";
import {
  authorize,
  conversationOrRefusal,
  type DeskDeps,
  done,
  mention,
  type Outcome,
  refused,
} from "./context.ts";

/**
 * A customer by `source:id`, `customer.id` or email, or the customer of conversation #n (buttons).
 * A customer id belongs to its source: when a bare id or an email names unlinked customers of
 * several sources, the answer asks which, in the `source:id` form.
 */
export type CustomerRef = { ref: string } | { conversationId: number };

async function findCustomer(
  tx: Repositories,
  deps: DeskDeps,
  ref: CustomerRef,
): Promise<{ ok: true; customer: Customer } | { ok: false; outcome: Outcome }> {
  if ("conversationId" in ref) {
    const found = await conversationOrRefusal(tx, ref.conversationId);
    if (!found.ok) return found;
    return { ok: true, customer: await tx.customers.get(found.conversation.customerId) };
  }
  const matches = await tx.customers.find(ref.ref, [...deps.sources.keys()]);
  const first = matches[0];
  if (!first) {
    // `nosuch:cust-1`: say that no source has that id, rather than only that nobody matched.
    const prefix = /^([^:@]+):./.exec(ref.ref)?.[1];
    const unknownSource =
      prefix && !deps.sources.has(prefix)
        ? ` There is no source \`${escapeSlackText(prefix)}\` (sources: ${[...deps.sources.keys()].map((s) => `\`${escapeSlackText(s)}\``).join(", ")}).`
        : "";
    return {
      ok: false,
      outcome: refused(`No customer with id or email \`${escapeSlackText(ref.ref)}\`.${unknownSource}`),
    };
  }
  // Linked customers share one hero: any of them stands for all.
  const root = (c: Customer) => c.linkedToId ?? c.id;
  if (matches.every((c) => root(c) === root(first))) return { ok: true, customer: first };
  const forms = matches.slice(0, 5).map((c) => `\`${escapeSlackText(`${c.sourceId}:${c.externalId}`)}\``);
  return {
    ok: false,
    outcome: refused(
      `\`${escapeSlackText(ref.ref)}\` names ${matches.length} customers (${ref.ref.includes("@") && !matches.some((c) => c.externalId === ref.ref) ? "customers who are not linked share this email" : "a customer id belongs to its source"}): say which, as ${forms.join(" or ")}.`,
    ),
  };
}

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

/** " (and the 2 customers linked with them)": linked customers share one hero. */
const linkedNote = (ids: readonly number[]) =>
  ids.length > 1 ? ` (and ${plural(ids.length - 1, "customer")} linked with them)` : "";

export function createHeroes(deps: DeskDeps) {
  const make = (input: { userId: string; customer: CustomerRef; hero: HeroRef }): Promise<Outcome> =>
    deps.store.transaction(async (tx) => {
      const auth = await authorize(tx, deps, input.userId, "hero_make");
      if (!auth.ok) return auth.outcome;
      const found = await findCustomer(tx, deps, input.customer);
      if (!found.ok) return found.outcome;
      const { customer } = found;
      let heroText: string;
      let hero: Hero;
      if (input.hero.kind === "agent") {
        const agent = await tx.agents.bySlackId(input.hero.userId);
        if (!agent?.active) return refused(`${mention(input.hero.userId)} is not a HeroDesk agent.`);
        hero = { kind: "agent", agentId: agent.id };
        heroText = mention(agent.slackUserId);
      } else {
        const team = await tx.teams.byName(input.hero.team);
        if (!team)
          return refused(
            `There is no team called ${escapeSlackText(input.hero.team)}; \`/desk team list\` shows them.`,
          );
        hero = { kind: "team", teamId: team.id };
        heroText = `team ${escapeSlackText(team.name)}`;
      }
      const ids = await tx.customers.setHero(customer.id, hero);
      for (const customerId of ids)
        await tx.events.record({
          kind: "hero",
          customerId,
          hero,
          actorSlackId: input.userId,
          reason: "manual",
        });
      await refreshCards(tx, ids);
      return done(
        `${heroText} is now the Dedicated Hero of ${escapeSlackText(customer.name)}${linkedNote(ids)}. Their open conversations stay where they are; the next ones go to the hero first.`,
      );
    });

  const remove = (input: { userId: string; customer: CustomerRef }): Promise<Outcome> =>
    deps.store.transaction(async (tx) => {
      const auth = await authorize(tx, deps, input.userId, "hero_remove");
      if (!auth.ok) return auth.outcome;
      const found = await findCustomer(tx, deps, input.customer);
      if (!found.ok) return found.outcome;
      const { customer } = found;
      if (!customer.hero) return done(`${escapeSlackText(customer.name)} has no Dedicated Hero.`);
      const ids = await tx.customers.setHero(customer.id, null);
      for (const customerId of ids)
        await tx.events.record({ kind: "hero", customerId, actorSlackId: input.userId, reason: "removed" });
      await refreshCards(tx, ids);
      return done(`${escapeSlackText(customer.name)}${linkedNote(ids)} has no Dedicated Hero any more.`);
    });

  const reassignToHero = (input: { userId: string; conversationId: number }): Promise<Outcome> =>
    deps.store.transaction(async (tx) => {
      const found = await conversationOrRefusal(tx, input.conversationId, { deps, userId: input.userId });
      if (!found.ok) return found.outcome;
      const { conversation } = found;
      const auth = await authorize(tx, deps, input.userId, "hero_reassign", conversation);
      if (!auth.ok) return auth.outcome;
      if (conversation.status !== "open") return refused(`#${conversation.id} is closed; reopen it first.`);
      const customer = await tx.customers.get(conversation.customerId);
      const customerHero = customer.hero;
      let hero = customerHero?.kind === "agent" ? await tx.agents.get(customerHero.agentId) : null;
      if (customerHero?.kind === "team") {
        // A person asked for the team: whom routing's team-hero rule picks among its active members.
        const teams = await tx.teams.list();
        const active = new Map((await tx.agents.listActive()).map((a) => [a.id, a]));
        hero = teamHeroPick(heroAgents(customerHero, teams, active)) ?? null;
        if (!hero)
          return refused(
            `Nobody in team ${escapeSlackText(teams.find((t) => t.id === customerHero.teamId)?.name ?? "?")} is online with room for #${conversation.id}.`,
          );
      }
      if (!hero?.active)
        return refused(
          `${escapeSlackText(customer.name)} has no Dedicated Hero; ${deps.managersCanSetHeroes ? "a manager or an admin" : "an admin"} can set one with Make Hero.`,
        );
      if (conversation.assigneeId === hero.id)
        return done(`#${conversation.id} is already with the hero, ${mention(hero.slackUserId)}.`);
      // Done as asked (a person chose the hero for this one), but never silently onto someone who
      // is away or full: the answer says so, so the asker can move it again.
      const warning =
        hero.status !== "online"
          ? ` Heads-up: they are ${hero.status}, so they may not see it soon; \`/desk assign #${conversation.id} @someone\` moves it again.`
          : hero.capacity && hero.openCount >= hero.capacity
            ? ` Heads-up: that takes them over their capacity (${hero.openCount + 1} open of ${hero.capacity}).`
            : "";
      const moved = await moveAssignee(tx, conversation, hero, { reason: "hero", actorId: input.userId });
      if (!moved) return refused(`#${conversation.id} changed meanwhile; try again.`);
      return done(`#${conversation.id} is back with the hero, ${mention(hero.slackUserId)}.${warning}`);
    });

  const show = (input: { userId: string; customer: CustomerRef }): Promise<Outcome> =>
    deps.store.transaction(async (tx) => {
      const auth = await authorize(tx, deps, input.userId, "hero_show");
      if (!auth.ok) return auth.outcome;
      const found = await findCustomer(tx, deps, input.customer);
      if (!found.ok) return found.outcome;
      const { customer } = found;
      const name = escapeSlackText(customer.name);
      const { hero } = customer;
      if (hero?.kind === "agent") {
        const agent = await tx.agents.get(hero.agentId);
        return done(
          `The Dedicated Hero of ${name} is ${agent ? mention(agent.slackUserId) : "a removed agent"}.`,
        );
      }
      if (hero?.kind === "team") {
        const team = (await tx.teams.list()).find((t) => t.id === hero.teamId);
        return done(`The Dedicated Hero of ${name} is team ${escapeSlackText(team?.name ?? "?")}.`);
      }
      return done(`${name} has no Dedicated Hero.`);
    });

  /** Checked on the click, before the Make Hero dialog opens (and again on submit, in make). */
  const mayMake = (input: { userId: string }): Promise<Outcome> =>
    deps.store.transaction(async (tx) => {
      const auth = await authorize(tx, deps, input.userId, "hero_make");
      return auth.ok ? done("") : auth.outcome;
    });

  return { make, remove, reassignToHero, show, mayMake };
}
