// Agents, teams, routing rules and source subscriptions: the support team's setup.
import type { Agent, Availability, Role, Rule, Team } from "../core/domain.ts";
import type { DbClient } from "./db.ts";
import type { Agent as AgentRow } from "./generated/client.ts";

function toAgent(row: AgentRow & { memberships?: { teamId: number }[] }): Agent {
  return {
    id: row.id,
    slackUserId: row.slackUserId,
    name: row.name,
    role: row.role as Role,
    status: row.status as Availability,
    capacity: row.capacity,
    openCount: row.openCount,
    active: row.active,
    lastAssignedAt: row.lastAssignedAt,
    teamIds: row.memberships?.map((m) => m.teamId) ?? [],
  };
}

const withTeams = { memberships: { select: { teamId: true } } } as const;

export class AgentRepository {
  constructor(private readonly db: DbClient) {}

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
   * What routing decides over, in three narrow queries of plain SQL (routing runs for every new
   * conversation; see bench/routing.ts): active agents, team memberships, rules in order.
   */
  async roster(): Promise<{ agents: Agent[]; teams: Team[]; rules: Rule[] }> {
    const agentRows = await this.db.$queryRaw<
      {
        id: number;
        slackUserId: string;
        name: string;
        role: string;
        status: string;
        capacity: number;
        openCount: number;
        lastAssignedAt: Date | null;
      }[]
    >`SELECT "id", "slackUserId", "name", "role", "status", "capacity", "openCount", "lastAssignedAt"
      FROM "Agent" WHERE "active" = true ORDER BY "id"`;
    const members = await this.db.$queryRaw<{ teamId: number; agentId: number; name: string }[]>`
      SELECT m."teamId", m."agentId", t."name" FROM "TeamMember" m JOIN "Team" t ON t."id" = m."teamId"`;
    const ruleRows = await this.db.$queryRaw<
      { id: number; position: number; attribute: string; value: string; teamId: number; teamName: string }[]
    >`
      SELECT r."id", r."position", r."attribute", r."value", r."teamId", t."name" AS "teamName"
      FROM "RoutingRule" r JOIN "Team" t ON t."id" = r."teamId" ORDER BY r."position", r."id"`;
    const teams = new Map<number, Team>();
    const teamsOf = new Map<number, number[]>();
    for (const m of members) {
      const team = teams.get(m.teamId) ?? { id: m.teamId, name: m.name, memberIds: [] };
      teams.set(m.teamId, team);
      team.memberIds.push(m.agentId);
      const list = teamsOf.get(m.agentId);
      if (list) list.push(m.teamId);
      else teamsOf.set(m.agentId, [m.teamId]);
    }
    for (const r of ruleRows)
      if (!teams.has(r.teamId)) teams.set(r.teamId, { id: r.teamId, name: r.teamName, memberIds: [] });
    const agents: Agent[] = agentRows.map((a) => ({
      id: a.id,
      slackUserId: a.slackUserId,
      name: a.name,
      role: a.role as Role,
      status: a.status as Availability,
      capacity: Number(a.capacity),
      openCount: Number(a.openCount),
      active: true,
      lastAssignedAt: a.lastAssignedAt,
      teamIds: teamsOf.get(a.id) ?? [],
    }));
    return { agents, teams: [...teams.values()], rules: ruleRows };
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

  async subscribe(agentId: number, sourceId: string): Promise<void> {
    await this.db.sourceSubscription.upsert({
      where: { sourceId_agentId: { sourceId, agentId } },
      create: { sourceId, agentId },
      update: {},
    });
  }

  async unsubscribe(agentId: number, sourceId: string): Promise<void> {
    await this.db.sourceSubscription.deleteMany({ where: { sourceId, agentId } });
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

  async remove(id: number): Promise<void> {
    await this.db.customer.updateMany({ where: { heroTeamId: id }, data: { heroTeamId: null } });
    await this.db.team.delete({ where: { id } });
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
