// Admin setup of people: add, remove, capacity and role; the agent list for managers.
import type { Availability, Role } from "../core/domain.ts";
import { enqueueHomeRefresh, enqueueQueueCheck } from "../outbox/jobs.ts";
import { agentOrRefusal, whereItWent } from "./assign-conversation.ts";
import { moveAssignee } from "./assignment.ts";
import type { Actor, DeskDeps } from "./desk-deps.ts";
import { allowed } from "./guard.ts";
import { heroesRemoved } from "./heroes.ts";
import type { Answer, WhereItWent } from "./results.ts";

/** An agent as `/desk agent list` shows them. */
export interface AgentLine {
  userId: string;
  role: Role;
  status: Availability;
  open: number;
  capacity: number;
}

export type SetupAgents =
  | { refused: "unfit"; person: string; why: string }
  | { done: "agent_unchanged"; person: string; role: Role; capacity: number }
  | {
      done: "agent_added";
      person: string;
      role: Role;
      capacity: number;
      /** The config's defaultCapacity was given (the command named none). */
      byDefault: boolean;
      /** Active before (a new role or capacity), removed before (back again), or new. */
      was: "active" | "removed" | "new";
    }
  | {
      done: "agent_removed";
      person: string;
      heroOf: number;
      moves: { conversation: number; went: WhereItWent }[];
    }
  | { done: "capacity_set"; person: string; capacity: number }
  | { done: "role_set"; person: string; role: Role }
  | { done: "agents"; agents: AgentLine[] };

export function createSetupAgents(deps: DeskDeps) {
  /**
   * Adds a person, or brings back one who was removed. Someone who is an agent already keeps their
   * role and capacity unless the command names new ones: adding twice never demotes a manager.
   */
  const addAgent = (
    actor: Actor,
    input: {
      userId: string;
      name: string;
      role?: Role;
      capacity?: number;
      /** Why Slack says this person cannot hold conversations (a bot, deactivated, unknown). */
      unfit?: string;
    },
  ): Promise<Answer> =>
    allowed(deps, "setup", actor.userId, async (tx): Promise<Answer> => {
      const person = input.userId;
      if (input.unfit) return { refused: "unfit", person, why: input.unfit };
      const before = await tx.agents.bySlackId(person);
      if (before?.active && input.role === undefined && input.capacity === undefined)
        return { done: "agent_unchanged", person, role: before.role, capacity: before.capacity };
      // Someone new gets the configured default when the command names no capacity, and hears it.
      const byDefault = input.capacity === undefined && !before;
      const agent = await tx.agents.upsert({
        slackUserId: person,
        name: input.name,
        role: input.role,
        capacity: byDefault ? (deps.defaultCapacity ?? 0) : input.capacity,
      });
      await enqueueQueueCheck(tx);
      await enqueueHomeRefresh(tx, { users: [person], team: true });
      return {
        done: "agent_added",
        person,
        role: agent.role,
        capacity: agent.capacity,
        byDefault,
        was: before?.active ? "active" : before ? "removed" : "new",
      };
    });

  const removeAgent = (actor: Actor, input: { userId: string }): Promise<Answer> =>
    allowed(deps, "setup", actor.userId, async (tx): Promise<Answer> => {
      const agent = await agentOrRefusal(tx, input.userId);
      if ("refused" in agent) return agent;
      await tx.agents.update(agent.id, { active: false, status: "offline" });
      // Someone who left cannot be a hero: their customers go back to normal routing.
      const customers = await tx.customers.dropHeroAgent(agent.id);
      await heroesRemoved(tx, customers, actor.userId);
      // Nor hold conversations: each goes back to routing, and the answer says where it went.
      const moves: { conversation: number; went: WhereItWent }[] = [];
      for (const c of await tx.conversations.openOf(agent.id)) {
        const moved = await moveAssignee(tx, c, null, { reason: "manual", actorId: actor.userId });
        if (moved) moves.push({ conversation: c.id, went: await whereItWent(tx, deps, c.id) });
      }
      await enqueueHomeRefresh(tx, { users: [input.userId], team: true });
      return { done: "agent_removed", person: input.userId, heroOf: customers.length, moves };
    });

  const setCapacity = (actor: Actor, input: { userId: string; capacity: number }): Promise<Answer> =>
    allowed(deps, "setup", actor.userId, async (tx): Promise<Answer> => {
      const agent = await agentOrRefusal(tx, input.userId);
      if ("refused" in agent) return agent;
      await tx.agents.update(agent.id, { capacity: input.capacity });
      await enqueueQueueCheck(tx);
      await enqueueHomeRefresh(tx, { users: [input.userId], team: true });
      return { done: "capacity_set", person: input.userId, capacity: input.capacity };
    });

  const setRole = (actor: Actor, input: { userId: string; role: Role }): Promise<Answer> =>
    allowed(deps, "setup", actor.userId, async (tx): Promise<Answer> => {
      // A role belongs to an agent: adding someone is its own, explicit step.
      const agent = await agentOrRefusal(tx, input.userId, { kind: "add_as", role: input.role });
      if ("refused" in agent) return agent;
      await tx.agents.update(agent.id, { role: input.role });
      await enqueueHomeRefresh(tx, { users: [input.userId], team: true });
      return { done: "role_set", person: input.userId, role: input.role };
    });

  /** Managers see who is on the team, too. */
  const listAgents = (actor: Actor): Promise<Answer> =>
    allowed(deps, "setup_read", actor.userId, async (tx) => ({
      done: "agents",
      agents: (await tx.agents.listActive()).map((a) => ({
        userId: a.slackUserId,
        role: a.role,
        status: a.status,
        open: a.openCount,
        capacity: a.capacity,
      })),
    }));

  return { addAgent, removeAgent, setCapacity, setRole, listAgents };
}
