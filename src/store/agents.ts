// Agents, teams, routing rules and source subscriptions: the support team's setup.

import type { Agent, Availability, Role, Rule, Team } from "../core/domain.ts";
import type { RoutingAgent } from "../core/routing.ts";
import { AccountRepository } from "./accounts.ts";
import { heroColumns } from "./customers.ts";
import type { DbClient } from "./db.ts";
import type { Agent as AgentRow } from "./generated/client.ts";

/**
 * The availability as the program's own string, not the driver's copy of it: routing compares it
 * for every agent, and equal literals compare by reference (bench/routing.ts, 20,000 agents).
 */
const AVAILABILITY: Record<string, Availability> = { online: "online", away: "away", offline: "offline" };

function toAgent(row: AgentRow & { memberships?: { teamId: number }[] }): Agent {
  return {
    id: row.id,
    slackUserId: row.slackUserId,
    name: row.name,
    role: row.role as Role,
    status: AVAILABILITY[row.status] ?? "offline",
    capacity: row.capacity,
    openCount: row.openCount,
    active: row.active,
    lastAssignedAt: row.lastAssignedAt,
    teamIds: row.memberships?.map((m) => m.teamId) ?? [],
  };
}

const withTeams = { memberships: { select: { teamId: true } } } as const;

/** An online agent as routing sees them, and whom to tell when it picks them. */
export type RosterAgent = RoutingAgent & Pick<Agent, "slackUserId">;
export interface Roster {
  agents: RosterAgent[];
  /** Teams with their online members (a team with nobody online is absent). */
  teams: Team[];
  rules: Rule[];
}

/**
 * The roster as this process's last routing left it, and the roster version (RosterVersion) its
 * commit left the database at: while the version is still that one, nothing in the roster has
 * changed since, by any code path or replica (triggers bump it), and the roster need not be read.
 */
export class RosterMemory {
  kept: { version: number; roster: Roster } | null = null;
}

/** A roster routing may change (its agents' open counts) without changing the one kept. */
const copyOf = (r: Roster): Roster => ({
  agents: r.agents.map((a) => ({ ...a })),
  teams: r.teams,
  rules: r.rules,
});

export class AgentRepository {
  constructor(
    private readonly db: DbClient,
    private readonly hooks: { afterCommit(fn: () => void): void; roster: RosterMemory },
  ) {}

  async bySlackId(slackUserId: string): Promise<Agent | null> {
    const row = await this.db.agent.findUnique({ where: { slackUserId }, include: withTeams });
    return row ? toAgent(row) : null;
  }

  async get(id: number): Promise<Agent | null> {
    const row = await this.db.agent.findUnique({ where: { id }, include: withTeams });
    return row ? toAgent(row) : null;
  }

  /** Every active agent with their teams: what routing decides over. */
  async listActive(): Promise<Agent[]> {
    const rows = await this.db.agent.findMany({
      where: { active: true },
      include: withTeams,
      orderBy: { id: "asc" },
    });
    return rows.map(toAgent);
  }

  /**
   * What routing decides over: the roster kept in memory when nothing in it changed since this
   * process's last routing committed (see RosterMemory), else read. Takes the roster version's
   * row first (PostgreSQL holds its lock to the commit, and every change to the roster takes it
   * before its rows): a change not yet committed is either waited for and then read, or bumps the
   * version after this transaction, so a roster kept by it is never taken for current.
   */
  async onlineRoster(): Promise<Roster> {
    const version = await this.rosterVersion(0);
    const kept = this.hooks.roster.kept;
    if (version !== null && kept && version === kept.version) return copyOf(kept.roster);
    return this.readRoster();
  }

  /**
   * Routing is done with `roster`, its own assignments counted in it as it saved them: once this
   * transaction commits, the next routing may start from it. Call it right after those writes and
   * before any other change to the roster in the same transaction: a change after it bumps the
   * version again (the kept roster is then stale, as it should be); one between onlineRoster and
   * this call would be taken as counted.
   */
  async keepRoster(roster: Roster): Promise<void> {
    const version = await this.rosterVersion(1);
    if (version === null) return;
    const kept = { version, roster: copyOf(roster) };
    const memory = this.hooks.roster;
    this.hooks.afterCommit(() => {
      memory.kept = kept;
    });
  }

  /** The roster version after adding `bump`; an update either way, so that it takes the row's lock. */
  private async rosterVersion(bump: 0 | 1): Promise<number | null> {
    const [row] = await this.db.$queryRaw<{ version: number | bigint }[]>`
      UPDATE "RosterVersion" SET "version" = "version" + ${bump} WHERE "id" = 1 RETURNING "version"`;
    return row ? Number(row.version) : null;
  }

  /**
   * What routing decides over, in three narrow queries of plain SQL (routing runs for every new
   * conversation; see bench/routing.ts). Only online agents: routing treats everyone else (a hero
   * included) as not there, so they need not be read at all.
   */
  private async readRoster(): Promise<Roster> {
    const agents = await this.db.$queryRaw<RosterAgent[]>`
      SELECT "id", "slackUserId", "status", "capacity", "openCount", "lastAssignedAt"
      FROM "Agent" WHERE "active" = true AND "status" = 'online' ORDER BY "id"`;
    const members = await this.db.$queryRaw<{ teamId: number; agentId: number }[]>`
      SELECT m."teamId", m."agentId" FROM "TeamMember" m
      JOIN "Agent" a ON a."id" = m."agentId" WHERE a."active" = true AND a."status" = 'online'`;
    const rules = await this.db.$queryRaw<Rule[]>`
      SELECT r."id", r."position", r."attribute", r."value", r."teamId", t."name" AS "teamName"
      FROM "RoutingRule" r JOIN "Team" t ON t."id" = r."teamId" ORDER BY r."position", r."id"`;
    const teams = new Map<number, Team>();
    for (const m of members) {
      const team = teams.get(m.teamId) ?? { id: m.teamId, name: "", memberIds: [] };
      teams.set(m.teamId, team);
      team.memberIds.push(m.agentId);
    }
    return {
      agents: agents.map((a) => ({
        ...a,
        status: "online",
        capacity: Number(a.capacity),
        openCount: Number(a.openCount),
      })),
      teams: [...teams.values()],
      rules,
    };
  }

  async upsert(a: { slackUserId: string; name: string; role?: Role; capacity?: number }): Promise<Agent> {
    const row = await this.db.agent.upsert({
      where: { slackUserId: a.slackUserId },
      create: {
        slackUserId: a.slackUserId,
        name: a.name,
        role: a.role ?? "agent",
        capacity: a.capacity ?? 0,
      },
      update: {
        name: a.name,
        active: true,
        ...(a.role ? { role: a.role } : {}),
        ...(a.capacity !== undefined ? { capacity: a.capacity } : {}),
      },
      include: withTeams,
    });
    return toAgent(row);
  }

  async update(
    id: number,
    changes: Partial<Pick<Agent, "role" | "status" | "capacity" | "active" | "name">>,
  ): Promise<Agent> {
    return toAgent(await this.db.agent.update({ where: { id }, data: changes, include: withTeams }));
  }

  /** Subscribes the agent to the source; false when they were already. */
  async subscribe(agentId: number, sourceId: string): Promise<boolean> {
    const where = { sourceId_agentId: { sourceId, agentId } };
    if (await this.db.sourceSubscription.findUnique({ where })) return false;
    await this.db.sourceSubscription.create({ data: { sourceId, agentId } });
    return true;
  }

  /** Ends the agent's subscription to the source; false when they had none. */
  async unsubscribe(agentId: number, sourceId: string): Promise<boolean> {
    return (await this.db.sourceSubscription.deleteMany({ where: { sourceId, agentId } })).count > 0;
  }

  /** Active agents subscribed to a source, as Slack user ids. */
  async subscribers(sourceId: string): Promise<string[]> {
    const rows = await this.db.sourceSubscription.findMany({
      where: { sourceId, agent: { active: true } },
      select: { agent: { select: { slackUserId: true } } },
    });
    return rows.map((r) => r.agent.slackUserId);
  }

  async subscriptionsOf(agentId: number): Promise<string[]> {
    const rows = await this.db.sourceSubscription.findMany({
      where: { agentId },
      select: { sourceId: true },
    });
    return rows.map((r) => r.sourceId);
  }
}

export class TeamRepository {
  constructor(private readonly db: DbClient) {}

  async list(): Promise<Team[]> {
    const rows = await this.db.team.findMany({
      include: { members: { select: { agentId: true } } },
      orderBy: { name: "asc" },
    });
    return rows.map((t) => ({ id: t.id, name: t.name, memberIds: t.members.map((m) => m.agentId) }));
  }

  async byName(name: string): Promise<Team | null> {
    const all = await this.list();
    return all.find((t) => t.name.toLowerCase() === name.trim().toLowerCase()) ?? null;
  }

  async create(name: string): Promise<Team> {
    const t = await this.db.team.create({ data: { name: name.trim() } });
    return { id: t.id, name: t.name, memberIds: [] };
  }

  /** Removes the team; returns the customers it was the hero of (they have none now). */
  async remove(id: number): Promise<number[]> {
    const customers = await this.db.customer.findMany({ where: { heroTeamId: id }, select: { id: true } });
    await this.db.customer.updateMany({ where: { heroTeamId: id }, data: heroColumns(null) });
    await new AccountRepository(this.db).dropHero({ kind: "team", teamId: id });
    await this.db.team.delete({ where: { id } });
    return customers.map((c) => c.id);
  }

  async addMember(teamId: number, agentId: number): Promise<void> {
    await this.db.teamMember.upsert({
      where: { teamId_agentId: { teamId, agentId } },
      create: { teamId, agentId },
      update: {},
    });
  }

  async removeMember(teamId: number, agentId: number): Promise<void> {
    await this.db.teamMember.deleteMany({ where: { teamId, agentId } });
  }
}

export class RuleRepository {
  constructor(private readonly db: DbClient) {}

  async list(): Promise<Rule[]> {
    const rows = await this.db.routingRule.findMany({
      include: { team: { select: { name: true } } },
      orderBy: [{ position: "asc" }, { id: "asc" }],
    });
    return rows.map((r) => ({
      id: r.id,
      position: r.position,
      attribute: r.attribute,
      value: r.value,
      teamId: r.teamId,
      teamName: r.team.name,
    }));
  }

  async add(rule: { attribute: string; value: string; teamId: number }): Promise<void> {
    const last = await this.db.routingRule.aggregate({ _max: { position: true } });
    await this.db.routingRule.create({ data: { ...rule, position: (last._max.position ?? 0) + 1 } });
  }

  /** Rewrites positions 1..n in the given order of ids. */
  async reorder(ids: number[]): Promise<void> {
    for (const [i, id] of ids.entries())
      await this.db.routingRule.update({ where: { id }, data: { position: i + 1 } });
  }

  async remove(id: number): Promise<void> {
    await this.db.routingRule.delete({ where: { id } });
  }
}
