// Admin setup through /desk: agents, roles, capacities, teams, routing rules, and each agent's
// own source subscriptions.
import type { Role } from "../core/domain.ts";
import { escapeSlackText } from "../core/slack-text.ts";
import type { Repositories } from "../store/index.ts";
import { authorize, type DeskDeps, done, mention, type Outcome, refused } from "./context.ts";
import { enqueueHomeRefresh, enqueueQueueCheck } from "./outbox/jobs.ts";

const esc = escapeSlackText;

export function createManageSetup(deps: DeskDeps) {
  /**
   * Runs an admin-only change in a transaction after the permission check. App Home shows the
   * setup (admins), the team's load (managers) and each agent's desk, so every change refreshes
   * the homes it concerns (enqueueHomeRefresh).
   */
  const asAdmin = (fn: (tx: Repositories) => Promise<Outcome>) => (userId: string) =>
    deps.store.transaction(async (tx) => {
      const auth = await authorize(tx, deps, userId, "setup");
      return auth.ok ? fn(tx) : auth.outcome;
    });

  const addAgent = (input: {
    userId: string;
    agentUserId: string;
    name: string;
    role: Role;
    capacity: number;
  }) =>
    asAdmin(async (tx) => {
      await tx.agents.upsert({
        slackUserId: input.agentUserId,
        name: input.name,
        role: input.role,
        capacity: input.capacity,
      });
      await enqueueQueueCheck(tx);
      const cap = input.capacity ? `up to ${input.capacity} open conversations` : "no capacity limit";
      await enqueueHomeRefresh(tx, { users: [input.agentUserId], team: true });
      return done(
        `${mention(input.agentUserId)} is a HeroDesk ${input.role} (${cap}). They go online with \`/desk status online\`.`,
      );
    })(input.userId);

  const removeAgent = (input: { userId: string; agentUserId: string }) =>
    asAdmin(async (tx) => {
      const agent = await tx.agents.bySlackId(input.agentUserId);
      if (!agent?.active) return refused(`${mention(input.agentUserId)} is not a HeroDesk agent.`);
      await tx.agents.update(agent.id, { active: false, status: "offline" });
      const open = agent.openCount;
      await enqueueHomeRefresh(tx, { users: [input.agentUserId], team: true });
      return done(
        `${mention(input.agentUserId)} is no longer a HeroDesk agent.${open ? ` They still hold ${open} open conversation${open === 1 ? "" : "s"}: move them with \`/desk reassign @them @someone\`.` : ""}`,
      );
    })(input.userId);

  const setCapacity = (input: { userId: string; agentUserId: string; capacity: number }) =>
    asAdmin(async (tx) => {
      const agent = await tx.agents.bySlackId(input.agentUserId);
      if (!agent?.active) return refused(`${mention(input.agentUserId)} is not a HeroDesk agent.`);
      await tx.agents.update(agent.id, { capacity: input.capacity });
      await enqueueQueueCheck(tx);
      await enqueueHomeRefresh(tx, { users: [input.agentUserId], team: true });
      return done(
        `${mention(input.agentUserId)} can hold ${input.capacity ? `up to ${input.capacity}` : "any number of"} open conversations.`,
      );
    })(input.userId);

  const setRole = (input: { userId: string; agentUserId: string; role: Role; name: string }) =>
    asAdmin(async (tx) => {
      const agent = await tx.agents.bySlackId(input.agentUserId);
      if (!agent?.active)
        await tx.agents.upsert({ slackUserId: input.agentUserId, name: input.name, role: input.role });
      else await tx.agents.update(agent.id, { role: input.role });
      await enqueueHomeRefresh(tx, { users: [input.agentUserId], team: true });
      return done(
        `${mention(input.agentUserId)} is now ${input.role === "admin" ? "an" : "a"} ${input.role}.`,
      );
    })(input.userId);

  const addTeam = (input: { userId: string; team: string }) =>
    asAdmin(async (tx) => {
      if (await tx.teams.byName(input.team)) return refused(`Team ${esc(input.team)} exists already.`);
      await tx.teams.create(input.team);
      await enqueueHomeRefresh(tx, { team: true });
      return done(
        `Team ${esc(input.team)} created. Add people with \`/desk team join ${esc(input.team)} @someone\`.`,
      );
    })(input.userId);

  const removeTeam = (input: { userId: string; team: string }) =>
    asAdmin(async (tx) => {
      const team = await tx.teams.byName(input.team);
      if (!team) return refused(`There is no team called ${esc(input.team)}.`);
      await tx.teams.remove(team.id);
      await enqueueHomeRefresh(tx, { team: true });
      return done(
        `Team ${esc(team.name)} removed, with its routing rules; customers it was hero of have no hero now.`,
      );
    })(input.userId);

  const joinOrLeave = (join: boolean) => (input: { userId: string; team: string; userIds: string[] }) =>
    asAdmin(async (tx) => {
      const team = await tx.teams.byName(input.team);
      if (!team) return refused(`There is no team called ${esc(input.team)}.`);
      const names: string[] = [];
      for (const id of input.userIds) {
        const agent = await tx.agents.bySlackId(id);
        if (!agent?.active)
          return refused(
            `${mention(id)} is not a HeroDesk agent; add them first with \`/desk agent add @them\`.`,
          );
        if (join) await tx.teams.addMember(team.id, agent.id);
        else await tx.teams.removeMember(team.id, agent.id);
        names.push(mention(id));
      }
      if (join) await enqueueQueueCheck(tx);
      await enqueueHomeRefresh(tx, { team: true });
      return done(`${names.join(", ")} ${join ? "joined" : "left"} team ${esc(team.name)}.`);
    })(input.userId);

  const addRule = (input: { userId: string; attribute: string; value: string; team: string }) =>
    asAdmin(async (tx) => {
      const team = await tx.teams.byName(input.team);
      if (!team)
        return refused(
          `There is no team called ${esc(input.team)}; create it with \`/desk team add ${esc(input.team)}\`.`,
        );
      await tx.rules.add({ attribute: input.attribute, value: input.value, teamId: team.id });
      await enqueueHomeRefresh(tx, { team: true });
      return done(
        `Rule added: customers with ${esc(input.attribute)} = ${esc(input.value)} go to team ${esc(team.name)}.\n${rulesText(await tx.rules.list())}`,
      );
    })(input.userId);

  const removeRule = (input: { userId: string; position: number }) =>
    asAdmin(async (tx) => {
      const rules = await tx.rules.list();
      const rule = rules[input.position - 1];
      if (!rule) return refused(`There is no rule ${input.position}.\n${rulesText(rules)}`);
      await tx.rules.remove(rule.id);
      await tx.rules.reorder(rules.filter((r) => r.id !== rule.id).map((r) => r.id));
      await enqueueHomeRefresh(tx, { team: true });
      return done(`Rule ${input.position} removed.\n${rulesText(await tx.rules.list())}`);
    })(input.userId);

  const moveRule = (input: { userId: string; from: number; to: number }) =>
    asAdmin(async (tx) => {
      const rules = await tx.rules.list();
      const rule = rules[input.from - 1];
      if (!rule || input.to < 1 || input.to > rules.length)
        return refused(`Rules are numbered 1 to ${rules.length}.`);
      const ids = rules.map((r) => r.id).filter((id) => id !== rule.id);
      ids.splice(input.to - 1, 0, rule.id);
      await tx.rules.reorder(ids);
      await enqueueHomeRefresh(tx, { team: true });
      return done(`Rule moved.\n${rulesText(await tx.rules.list())}`);
    })(input.userId);

  const listRules = (input: { userId: string }) =>
    asAdmin(async (tx) => done(rulesText(await tx.rules.list())))(input.userId);

  const listTeams = (input: { userId: string }) =>
    asAdmin(async (tx) => {
      const [teams, agents] = await Promise.all([tx.teams.list(), tx.agents.listActive()]);
      if (!teams.length) return done("No teams yet: `/desk team add Tier 2`.");
      const byId = new Map(agents.map((a) => [a.id, a]));
      return done(
        teams
          .map(
            (t) =>
              `*${esc(t.name)}*: ${
                t.memberIds
                  .map((id) => (byId.get(id) ? mention(byId.get(id)!.slackUserId) : ""))
                  .filter(Boolean)
                  .join(", ") || "_nobody yet_"
              }`,
          )
          .join("\n"),
      );
    })(input.userId);

  const listAgents = (input: { userId: string }) =>
    asAdmin(async (tx) => {
      const agents = await tx.agents.listActive();
      if (!agents.length) return done("No agents yet: `/desk agent add @someone`.");
      return done(
        agents
          .map(
            (a) =>
              `${mention(a.slackUserId)}: ${a.role}, ${a.status}, ${a.openCount} open${a.capacity ? ` of ${a.capacity}` : ""}`,
          )
          .join("\n"),
      );
    })(input.userId);

  const subscribe = (input: { userId: string; source: string; on: boolean }) =>
    deps.store.transaction(async (tx) => {
      const auth = await authorize(tx, deps, input.userId, "subscribe");
      if (!auth.ok) return auth.outcome;
      const me = auth.actor.agent;
      if (!me) return refused("Add yourself as an agent first: `/desk agent add @you admin`.");
      const source =
        deps.sources.get(input.source) ??
        [...deps.sources.values()].find((s) => s.slackChannel === input.source);
      if (!source)
        return refused(
          `There is no source \`${esc(input.source)}\`. Sources: ${[...deps.sources.keys()].map((k) => `\`${k}\``).join(", ")}.`,
        );
      if (input.on) await tx.agents.subscribe(me.id, source.id);
      else await tx.agents.unsubscribe(me.id, source.id);
      return done(
        input.on
          ? `You will hear about every message of \`${source.id}\`'s unassigned conversations.`
          : `You will no longer hear about \`${source.id}\`'s unassigned conversations.`,
      );
    });

  return {
    addAgent,
    removeAgent,
    setCapacity,
    setRole,
    addTeam,
    removeTeam,
    joinTeam: joinOrLeave(true),
    leaveTeam: joinOrLeave(false),
    addRule,
    removeRule,
    moveRule,
    listRules,
    listTeams,
    listAgents,
    subscribe,
  };
}

function rulesText(rules: { attribute: string; value: string; teamName: string }[]): string {
  if (!rules.length) return "No routing rules: every conversation goes to all agents.";
  return rules
    .map((r, i) => `${i + 1}. ${esc(r.attribute)} = ${esc(r.value)} → team ${esc(r.teamName)}`)
    .join("\n");
}
