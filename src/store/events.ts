// The audit trail: every change of assignee or hero, with who, when and why.
import type { AssignmentEvent, EventKind, Hero } from "../core/domain.ts";
import { heroColumns } from "./customers.ts";
import type { DbClient } from "./db.ts";

interface NewEvent {
  conversationId?: number | null;
  customerId?: number | null;
  fromAgentId?: number | null;
  actorSlackId?: string | null;
  reason: AssignmentEvent["reason"];
  detail?: string | null;
  at?: Date;
}

/** A hero event names the hero (none: removed); the others, the agent or team it went to. */
export type NewAssignmentEvent =
  | (NewEvent & { kind: "hero"; hero?: Hero | null })
  | (NewEvent & { kind: Exclude<EventKind, "hero">; toAgentId?: number | null; toTeamId?: number | null });

/** The event's "to" columns: a hero event keeps its hero there, mapped as the customer's are. */
function toColumns(e: NewAssignmentEvent): [number | null, number | null] {
  if (e.kind !== "hero") return [e.toAgentId ?? null, e.toTeamId ?? null];
  const { heroAgentId, heroTeamId } = heroColumns(e.hero ?? null);
  return [heroAgentId, heroTeamId];
}

export interface HistoryEntry extends AssignmentEvent {
  fromName: string | null;
  toName: string | null;
  toSlackId: string | null;
  teamName: string | null;
}

export class EventRepository {
  constructor(private readonly db: DbClient) {}

  async record(e: NewAssignmentEvent): Promise<void> {
    const [toAgentId, toTeamId] = toColumns(e);
    // Plain SQL: every assignment records one (routing's hot path).
    await this.db.$executeRaw`
      INSERT INTO "AssignmentEvent"
        ("kind", "conversationId", "customerId", "fromAgentId", "toAgentId", "toTeamId", "actorSlackId", "reason", "detail", "createdAt")
      VALUES (${e.kind}, ${e.conversationId ?? null}, ${e.customerId ?? null}, ${e.fromAgentId ?? null},
        ${toAgentId}, ${toTeamId}, ${e.actorSlackId ?? null}, ${e.reason}, ${e.detail ?? null},
        ${e.at ?? new Date()})`;
  }

  /** A conversation's events (assignee, queue, status) and its customer's hero changes, oldest first. */
  async history(conversationId: number, customerId: number): Promise<HistoryEntry[]> {
    const rows = await this.db.assignmentEvent.findMany({
      where: { OR: [{ conversationId }, { kind: "hero", customerId }] },
      orderBy: { id: "asc" },
    });
    const agentIds = [
      ...new Set(rows.flatMap((r) => [r.fromAgentId, r.toAgentId]).filter((x): x is number => x !== null)),
    ];
    const teamIds = [...new Set(rows.map((r) => r.toTeamId).filter((x): x is number => x !== null))];
    const agents = new Map(
      (
        await this.db.agent.findMany({
          where: { id: { in: agentIds } },
          select: { id: true, name: true, slackUserId: true },
        })
      ).map((a) => [a.id, a]),
    );
    const teams = new Map(
      (await this.db.team.findMany({ where: { id: { in: teamIds } } })).map((t) => [t.id, t.name]),
    );
    return rows.map((r) => ({
      id: r.id,
      kind: r.kind as EventKind,
      conversationId: r.conversationId,
      customerId: r.customerId,
      fromAgentId: r.fromAgentId,
      toAgentId: r.toAgentId,
      toTeamId: r.toTeamId,
      actorSlackId: r.actorSlackId,
      reason: r.reason as HistoryEntry["reason"],
      detail: r.detail,
      createdAt: r.createdAt,
      fromName: r.fromAgentId ? (agents.get(r.fromAgentId)?.name ?? null) : null,
      toName: r.toAgentId ? (agents.get(r.toAgentId)?.name ?? null) : null,
      toSlackId: r.toAgentId ? (agents.get(r.toAgentId)?.slackUserId ?? null) : null,
      teamName: r.toTeamId ? (teams.get(r.toTeamId) ?? null) : null,
    }));
  }
}
