import { mergeAttributes } from "../core/customer-attributes.ts";
import type { Customer } from "../core/domain.ts";
import type { DbClient } from "./db.ts";
import type { Customer as CustomerRow } from "./generated/client.ts";

export function toCustomer(row: CustomerRow): Customer {
  return {
    id: row.id,
    externalId: row.externalId,
    name: row.name,
    email: row.email,
    attributes: JSON.parse(row.attributes) as Record<string, string>,
    heroAgentId: row.heroAgentId,
    heroTeamId: row.heroTeamId,
  };
}

export interface CustomerProfile {
  externalId: string;
  /** As the source sent it; left out, a known customer keeps theirs. */
  name?: string;
  /** The name of a new customer whose message has none (their email, else their id). */
  fallbackName: string;
  email?: string | null;
  attributes?: Record<string, string>;
}

export class CustomerRepository {
  constructor(private readonly db: DbClient) {}

  /**
   * The newest profile the source sent wins; attributes merge so a partial update keeps the rest,
   * and fields left out keep their value. `changed`: what a card shows may differ now.
   */
  async upsert(
    profile: CustomerProfile,
  ): Promise<{ customer: Customer; changed: boolean } | { refused: string }> {
    const [existing] = await this.db.$queryRaw<CustomerRow[]>`
      SELECT * FROM "Customer" WHERE "externalId" = ${profile.externalId}`;
    if (!existing) {
      const row = await this.db.customer.create({
        data: {
          externalId: profile.externalId,
          name: profile.name ?? profile.fallbackName,
          email: profile.email ?? null,
          attributes: JSON.stringify(profile.attributes ?? {}),
        },
      });
      return { customer: toCustomer(row), changed: false };
    }
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
   * A customer named by their `customer.id`, or else by email (the newest such customer). Emails
   * match whatever their capitals: the indexed exact match first, then one scan ignoring case.
   */
  async find(idOrEmail: string): Promise<Customer | null> {
    const byId = await this.db.customer.findUnique({ where: { externalId: idOrEmail } });
    if (byId) return toCustomer(byId);
    const byEmail = await this.db.customer.findFirst({
      where: { email: idOrEmail },
      orderBy: { id: "desc" },
    });
    if (byEmail) return toCustomer(byEmail);
    if (!idOrEmail.includes("@")) return null;
    const [anyCase] = await this.db.$queryRaw<CustomerRow[]>`
      SELECT * FROM "Customer" WHERE lower("email") = lower(${idOrEmail}) ORDER BY "id" DESC LIMIT 1`;
    return anyCase ? toCustomer(anyCase) : null;
  }

  /** Clears an agent as hero wherever they are one; returns those customers. */
  async dropHeroAgent(agentId: number): Promise<number[]> {
    const heroOf = await this.db.customer.findMany({ where: { heroAgentId: agentId }, select: { id: true } });
    await this.db.customer.updateMany({ where: { heroAgentId: agentId }, data: { heroAgentId: null } });
    return heroOf.map((c) => c.id);
  }

  async setHero(id: number, hero: { agentId: number } | { teamId: number } | null): Promise<Customer> {
    const row = await this.db.customer.update({
      where: { id },
      data: {
        heroAgentId: hero && "agentId" in hero ? hero.agentId : null,
        heroTeamId: hero && "teamId" in hero ? hero.teamId : null,
      },
    });
    return toCustomer(row);
  }

  async get(id: number): Promise<Customer> {
    const [row] = await this.db.$queryRaw<CustomerRow[]>`SELECT * FROM "Customer" WHERE "id" = ${id}`;
    if (!row) throw new Error(`customer ${id} not found`);
    return toCustomer(row);
  }
}
