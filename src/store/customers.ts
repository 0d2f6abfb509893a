import { mergeAttributes } from "../core/customer-attributes.ts";
import { dedicatedHero, heroSubject } from "../core/dedicated-hero.ts";
import type { Conversation, Customer, Hero } from "../core/domain.ts";
import { AccountRepository } from "./accounts.ts";
import { type DbClient, isPostgres } from "./db.ts";
import type { Customer as CustomerRow } from "./generated/client.ts";

/** The heroes of a customer's channel and account, beside their row (ofConversation). */
interface StandInHeroes {
  channelHeroAgentId: number | null;
  channelHeroTeamId: number | null;
  accountHeroAgentId: number | null;
  accountHeroTeamId: number | null;
}

/** The Customer row's hero: at most one of the two is set. */
type HeroColumns = Pick<CustomerRow, "heroAgentId" | "heroTeamId">;

/** The hero a row's columns hold, and back: the only place where a `Hero` meets its columns. */
export function heroOf(row: HeroColumns): Hero | null {
  if (row.heroAgentId !== null) return { kind: "agent", agentId: row.heroAgentId };
  if (row.heroTeamId !== null) return { kind: "team", teamId: row.heroTeamId };
  return null;
}

export function heroColumns(hero: Hero | null): HeroColumns {
  return {
    heroAgentId: hero?.kind === "agent" ? hero.agentId : null,
    heroTeamId: hero?.kind === "team" ? hero.teamId : null,
  };
}

export function toCustomer(row: CustomerRow): Customer {
  return {
    id: row.id,
    sourceId: row.sourceId,
    externalId: row.externalId,
    linkedToId: row.linkedToId,
    name: row.name,
    email: row.email,
    attributes: JSON.parse(row.attributes) as Record<string, string>,
    hero: heroOf(row),
    accountId: row.accountId,
  };
}

export interface CustomerProfile {
  sourceId: string;
  externalId: string;
  /** As the source sent it; left out, a known customer keeps theirs. */
  name?: string;
  /** The name of a new customer whose message has none (their email, else their id). */
  fallbackName: string;
  email?: string | null;
  attributes?: Record<string, string>;
  /** The organisation they belong to (AccountRepository.forMessage); left out, they keep theirs. */
  accountId?: number;
}

export class CustomerRepository {
  constructor(private readonly db: DbClient) {}

  /**
   * The customer of `profile.sourceId` with this id. The newest profile the source sent wins;
   * attributes merge so a partial update keeps the rest, and fields left out keep their value.
   * `changed`: what a card shows may differ now. With `linkByEmail`, a customer first seen with
   * the email of a customer of another source is linked to them and takes their hero.
   */
  async upsert(
    profile: CustomerProfile,
    options: { linkByEmail: boolean },
  ): Promise<{ customer: Customer; changed: boolean; presetHero?: Hero } | { refused: string }> {
    const [existing] = await this.db.$queryRaw<CustomerRow[]>`
      SELECT * FROM "Customer"
      WHERE "sourceId" = ${profile.sourceId} AND "externalId" = ${profile.externalId}`;
    if (!existing) {
      const [match] =
        options.linkByEmail && profile.email
          ? await this.db.$queryRaw<CustomerRow[]>`
              SELECT * FROM "Customer"
              WHERE lower("email") = lower(${profile.email}) AND "sourceId" <> ${profile.sourceId}
              ORDER BY "id" DESC LIMIT 1`
          : [];
      const row = await this.db.customer.create({
        data: {
          sourceId: profile.sourceId,
          externalId: profile.externalId,
          name: profile.name ?? profile.fallbackName,
          email: profile.email ?? null,
          attributes: JSON.stringify(profile.attributes ?? {}),
          accountId: profile.accountId ?? null,
          ...(match ? { linkedToId: match.linkedToId ?? match.id, ...heroColumns(heroOf(match)) } : {}),
        },
      });
      // A hero set for them before they wrote is theirs now (a linked customer's stays theirs).
      const preset = await new AccountRepository(this.db).takeHeroSetting([
        heroSubject.customer(profile.sourceId, profile.externalId),
        ...(profile.email ? [heroSubject.email(profile.email)] : []),
      ]);
      if (preset && !match) {
        const withHero = await this.db.customer.update({ where: { id: row.id }, data: heroColumns(preset) });
        return { customer: toCustomer(withHero), changed: false, presetHero: preset };
      }
      return { customer: toCustomer(row), changed: false };
    }
    if (profile.accountId !== undefined && existing.accountId !== profile.accountId)
      await this.db.customer.update({ where: { id: existing.id }, data: { accountId: profile.accountId } });
    const merge = mergeAttributes(JSON.parse(existing.attributes), profile.attributes);
    if (!merge.ok) return { refused: merge.error };
    const { attributes } = merge;
    const name = profile.name ?? existing.name;
    const changed =
      existing.name !== name ||
      (profile.email !== undefined && existing.email !== profile.email) ||
      JSON.stringify(attributes) !== existing.attributes;
    if (!changed) return { customer: toCustomer(existing), changed: false };
    const row = await this.db.customer.update({
      where: { id: existing.id },
      data: {
        name,
        email: profile.email ?? existing.email,
        attributes: JSON.stringify(attributes),
      },
    });
    return { customer: toCustomer(row), changed: true };
  }

  /**
   * The customers a `/desk` reference names: `source:id` (a customer id of that source), else a
   * customer id of any source, else an email whatever its capitals (one scan: an admin's command,
   * and every customer with that email must be found). Several unlinked customers can answer to
   * one reference (the same id on two sources, or one email): the caller asks which.
   */
  async find(ref: string, sourceIds: readonly string[]): Promise<Customer[]> {
    const colon = ref.indexOf(":");
    if (colon > 0 && sourceIds.includes(ref.slice(0, colon))) {
      const customer = await this.ofSource(ref.slice(0, colon), ref.slice(colon + 1));
      if (customer) return [customer];
    }
    const byId = await this.db.customer.findMany({ where: { externalId: ref }, orderBy: { id: "asc" } });
    if (byId.length) return byId.map(toCustomer);
    if (!ref.includes("@")) return [];
    const anyCase = await this.db.$queryRaw<CustomerRow[]>`
      SELECT * FROM "Customer" WHERE lower("email") = lower(${ref}) ORDER BY "id"`;
    return anyCase.map(toCustomer);
  }

  /**
   * The attribute names customers have sent, sorted, at most `limit`. The attributes are a JSON
   * object in a text column: its keys by SQLite's json_each or PostgreSQL's json_object_keys; one
   * scan, for an admin's `rule add`.
   */
  async attributeNames(limit: number): Promise<string[]> {
    const rows = isPostgres(this.db)
      ? await this.db.$queryRaw<{ name: string }[]>`
          SELECT DISTINCT k AS name FROM "Customer" c, json_object_keys(c."attributes"::json) k
          ORDER BY name LIMIT ${limit}`
      : await this.db.$queryRaw<{ name: string }[]>`
          SELECT DISTINCT j."key" AS name FROM "Customer" c, json_each(c."attributes") j
          ORDER BY name LIMIT ${limit}`;
    return rows.map((r) => r.name);
  }

  /** The customer of a source with this `customer.id`. */
  async ofSource(sourceId: string, externalId: string): Promise<Customer | null> {
    const row = await this.db.customer.findUnique({
      where: { sourceId_externalId: { sourceId, externalId } },
    });
    return row ? toCustomer(row) : null;
  }

  /** The customer and every customer linked with them (one Dedicated Hero between them). */
  async linked(id: number): Promise<Customer[]> {
    const customer = await this.get(id);
    const root = customer.linkedToId ?? customer.id;
    const rows = await this.db.customer.findMany({
      where: { OR: [{ id: root }, { linkedToId: root }] },
      orderBy: { id: "asc" },
    });
    return rows.map(toCustomer);
  }

  /**
   * Clears an agent as hero wherever they are one (customers, accounts, channels, customers yet
   * to write); returns those customers.
   */
  async dropHeroAgent(agentId: number): Promise<number[]> {
    const customers = await this.db.customer.findMany({
      where: { heroAgentId: agentId },
      select: { id: true },
    });
    await this.db.customer.updateMany({ where: { heroAgentId: agentId }, data: heroColumns(null) });
    await new AccountRepository(this.db).dropHero({ kind: "agent", agentId });
    return customers.map((c) => c.id);
  }

  /**
   * The customer as a conversation of theirs sees them: `hero` is the hero that conversation
   * goes to, set on the customer, the customer channel it came from, or its account.
   */
  async ofConversation(conversation: Conversation): Promise<Customer> {
    // One query for the customer and the two heroes that may stand in for theirs, their customer
    // channel's and their account's: routing asks it for every conversation (bench/routing.ts).
    const [row] = await this.db.$queryRaw<(CustomerRow & StandInHeroes)[]>`
      SELECT cu.*,
        hs."heroAgentId" AS "channelHeroAgentId", hs."heroTeamId" AS "channelHeroTeamId",
        a."heroAgentId" AS "accountHeroAgentId", a."heroTeamId" AS "accountHeroTeamId"
      FROM "Customer" cu
      LEFT JOIN "CustomerThread" ct ON ct."conversationId" = ${conversation.id}
      LEFT JOIN "HeroSetting" hs ON hs."subject" = ${heroSubject.channel("")} || ct."channel"
      LEFT JOIN "Account" a ON a."id" = COALESCE(${conversation.accountId}, cu."accountId")
      WHERE cu."id" = ${conversation.customerId}`;
    if (!row) throw new Error(`customer ${conversation.customerId} not found`);
    const customer = toCustomer(row);
    const found = dedicatedHero({
      customer: customer.hero,
      channel: heroOf({ heroAgentId: row.channelHeroAgentId, heroTeamId: row.channelHeroTeamId }),
      account: heroOf({ heroAgentId: row.accountHeroAgentId, heroTeamId: row.accountHeroTeamId }),
    });
    return found ? { ...customer, hero: found.hero, heroVia: found.via } : customer;
  }

  /** Sets the hero of the customer and of everyone linked with them; returns their ids. */
  async setHero(id: number, hero: Hero | null): Promise<number[]> {
    const ids = (await this.linked(id)).map((c) => c.id);
    await this.db.customer.updateMany({ where: { id: { in: ids } }, data: heroColumns(hero) });
    return ids;
  }

  async get(id: number): Promise<Customer> {
    const [row] = await this.db.$queryRaw<CustomerRow[]>`SELECT * FROM "Customer" WHERE "id" = ${id}`;
    if (!row) throw new Error(`customer ${id} not found`);
    return toCustomer(row);
  }
}
