// Admin setup of teams: create, remove, members; the team list for managers.
import { enqueueHomeRefresh, enqueueQueueCheck } from "../outbox/jobs.ts";
import type { Actor, DeskDeps } from "./desk-deps.ts";
import { allowed } from "./guard.ts";
import { heroesRemoved } from "./heroes.ts";
import type { Answer } from "./results.ts";

export type SetupTeams =
  | { refused: "team_exists"; team: string }
  | { done: "team_added"; team: string }
  | {
      done: "team_removed";
      team: string;
      /** The routing rules that sent conversations to it (removed with it). */
      rules: { attribute: string; value: string }[];
      /** How many customers had it as their hero (they have none now). */
      heroOf: number;
    }
  | { done: "team_members"; team: string; join: boolean; changed: string[]; unchanged: string[] }
  | { done: "teams"; teams: { name: string; members: string[] }[] };

export function createSetupTeams(deps: DeskDeps) {
  const addTeam = (actor: Actor, input: { team: string }): Promise<Answer> =>
    allowed(deps, "setup", actor.userId, async (tx): Promise<Answer> => {
      if (await tx.teams.byName(input.team)) return { refused: "team_exists", team: input.team };
      await tx.teams.create(input.team);
      await enqueueHomeRefresh(tx, { team: true });
      return { done: "team_added", team: input.team };
    });

  const removeTeam = (actor: Actor, input: { team: string }): Promise<Answer> =>
    allowed(deps, "setup", actor.userId, async (tx): Promise<Answer> => {
      const team = await tx.teams.byName(input.team);
      if (!team) return { refused: "no_team", team: input.team };
      const rules = (await tx.rules.list()).filter((r) => r.teamId === team.id);
      const customers = await tx.teams.remove(team.id);
      await heroesRemoved(tx, customers, actor.userId);
      await enqueueHomeRefresh(tx, { team: true });
      // Conversations that waited for this team go to whoever is free now.
      if (rules.length) await enqueueQueueCheck(tx);
      return {
        done: "team_removed",
        team: team.name,
        rules: rules.map(({ attribute, value }) => ({ attribute, value })),
        heroOf: customers.length,
      };
    });

  const joinOrLeave =
    (join: boolean) =>
    (actor: Actor, input: { team: string; userIds: string[] }): Promise<Answer> =>
      allowed(deps, "setup", actor.userId, async (tx): Promise<Answer> => {
        const team = await tx.teams.byName(input.team);
        if (!team) return { refused: "no_team", team: input.team };
        // Everyone is checked before anyone moves: a refusal changes nothing.
        const agents = [];
        for (const id of input.userIds) {
          const agent = await tx.agents.bySlackId(id);
          if (!agent?.active)
            return { refused: "not_an_agent", person: id, fix: { kind: "add_first", team: team.name, join } };
          agents.push(agent);
        }
        const changed: string[] = [];
        const unchanged: string[] = [];
        for (const agent of agents) {
          const member = team.memberIds.includes(agent.id);
          if (member === join) unchanged.push(agent.slackUserId);
          else {
            if (join) await tx.teams.addMember(team.id, agent.id);
            else await tx.teams.removeMember(team.id, agent.id);
            changed.push(agent.slackUserId);
          }
        }
        if (join && changed.length) await enqueueQueueCheck(tx);
        if (changed.length) await enqueueHomeRefresh(tx, { team: true });
        return { done: "team_members", team: team.name, join, changed, unchanged };
      });

  /** Managers see the teams, too. */
  const listTeams = (actor: Actor): Promise<Answer> =>
    allowed(deps, "setup_read", actor.userId, async (tx) => {
      const [teams, agents] = await Promise.all([tx.teams.list(), tx.agents.listActive()]);
      const byId = new Map(agents.map((a) => [a.id, a.slackUserId]));
      return {
        done: "teams",
        teams: teams.map((t) => ({
          name: t.name,
          members: t.memberIds.flatMap((id) => (byId.has(id) ? [byId.get(id)!] : [])),
        })),
      };
    });

  return { addTeam, removeTeam, joinTeam: joinOrLeave(true), leaveTeam: joinOrLeave(false), listTeams };
}
