// Accounts (the organisations customers belong to) and hero settings that are not on a customer
// row: on a customer channel, or on a customer who has not written yet.
import { accountKey } from "../core/dedicated-hero.ts";
import type { Hero } from "../core/domain.ts";
import { heroColumns, heroOf } from "./customers.ts";
import { type DbClient, isUniqueViolation } from "./db.ts";
import type { Account as AccountRow } from "./generated/client.ts";

export interface Account {
  id: number;
  name: string;
  slackTeamId: string | null;
  hero: Hero | null;
}

const toAccount = (row: AccountRow): Account => ({
  id: row.id,
  name: row.name,
  slackTeamId: row.slackTeamId,
  hero: heroOf(row),
});

/** What a message says about whose account it is: the channel's configured account, the member's team. */
export interface AccountHint {
  name?: string;
  slackTeamId?: string;
}

export class AccountRepository {
  constructor(private readonly db: DbClient) {}

  async get(id: number): Promise<Account | null> {
    const row = await this.db.account.findUnique({ where: { id } });
    return row ? toAccount(row) : null;
  }

  /** The account `/desk` names: by name whatever its capitals, or by Slack team id. */
  async byRef(ref: string): Promise<Account | null> {
    const row =
      (await this.db.account.findUnique({ where: { nameKey: accountKey(ref) } })) ??
      (await this.db.account.findUnique({ where: { slackTeamId: ref } }));
    return row ? toAccount(row) : null;
  }

  /** The account of this name, made when there is none yet (a hero set before anyone writes). */
  async ensure(name: string): Promise<Account> {
    const nameKey = accountKey(name);
    const found = await this.db.account.findUnique({ where: { nameKey } });
    if (found) return toAccount(found);
    return toAccount(await this.db.account.create({ data: { name: name.trim(), nameKey } }));
  }

  /**
   * The accounts a message belongs to. The member's organisation (by Slack team id) is the
   * customer's account; the channel's configured account, when there is one, is the
   * conversation's, else the customer's. An organisation seen for the first time in a channel
   * whose account has no team yet is that account (the team set it up by name before).
   */
  async forMessage(hint: AccountHint): Promise<{ customer: Account | null; conversation: Account | null }> {
    const named = hint.name ? await this.ensure(hint.name) : null;
    let org: Account | null = null;
    if (hint.slackTeamId) {
      const row = await this.db.account.findUnique({ where: { slackTeamId: hint.slackTeamId } });
      if (row) org = toAccount(row);
      else if (named && named.slackTeamId === null) {
        await this.db.account.update({ where: { id: named.id }, data: { slackTeamId: hint.slackTeamId } });
        org = { ...named, slackTeamId: hint.slackTeamId };
      } else org = await this.createForTeam(hint.slackTeamId);
    }
    return { customer: org ?? named, conversation: named ?? org };
  }

  /** A new organisation: named after its team id until someone renames it (names are unique). */
  private async createForTeam(slackTeamId: string): Promise<Account> {
    try {
      const row = await this.db.account.create({
        data: { name: slackTeamId, nameKey: accountKey(slackTeamId), slackTeamId },
      });
      return toAccount(row);
    } catch (err) {
      if (!isUniqueViolation(err)) throw err;
      const row = await this.db.account.findUniqueOrThrow({ where: { nameKey: accountKey(slackTeamId) } });
      return toAccount(await this.db.account.update({ where: { id: row.id }, data: { slackTeamId } }));
    }
  }

  async setHero(id: number, hero: Hero | null): Promise<void> {
    await this.db.account.update({ where: { id }, data: heroColumns(hero) });
  }

  /** Clears an agent or a team as hero of every account and hero setting. */
  async dropHero(hero: Hero): Promise<void> {
    const where = hero.kind === "agent" ? { heroAgentId: hero.agentId } : { heroTeamId: hero.teamId };
    await this.db.account.updateMany({ where, data: heroColumns(null) });
    await this.db.heroSetting.deleteMany({ where });
  }

  /** The hero set on a subject (core/dedicated-hero.ts heroSubject), if any. */
  async heroSetting(subject: string): Promise<Hero | null> {
    const row = await this.db.heroSetting.findUnique({ where: { subject } });
    return row ? heroOf(row) : null;
  }

  async setHeroSetting(subject: string, hero: Hero | null): Promise<void> {
    if (!hero) {
      await this.db.heroSetting.deleteMany({ where: { subject } });
      return;
    }
    await this.db.heroSetting.upsert({
      where: { subject },
      create: { subject, ...heroColumns(hero) },
      update: heroColumns(hero),
    });
  }

  /**
   * The hero set for a customer before they wrote (the first subject that has one wins), taken:
   * it becomes the customer's own, and the setting is gone.
   */
  async takeHeroSetting(subjects: readonly string[]): Promise<Hero | null> {
    const rows = await this.db.heroSetting.findMany({ where: { subject: { in: [...subjects] } } });
    if (!rows.length) return null;
    await this.db.heroSetting.deleteMany({ where: { subject: { in: rows.map((r) => r.subject) } } });
    for (const subject of subjects) {
      const row = rows.find((r) => r.subject === subject);
      if (row) return heroOf(row);
    }
    return null;
  }
}
