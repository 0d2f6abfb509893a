// Admin setup through /desk: agents, roles, capacities, teams, routing rules, and each agent's
// own source subscriptions.
import type { Role } from "../core/domain.ts";
import { escapeSlackText, plural } from "../core/slack-text.ts";
import { enqueueHomeRefresh, enqueueQueueCheck } from "../outbox/jobs.ts";
import type { Repositories } from "../store/index.ts";
import { whereItWent } from "./assign-conversation.ts";
import { moveAssignee } from "./assignment.ts";
import {
  ADD_YOURSELF_FIRST,
  authorize,
  type DeskDeps,
  done,
  mention,
  type Outcome,
  refused,
} from "./context.ts";
import { heroesRemoved } from "./heroes.ts";

const esc = escapeSlackText;
const article = (role: Role) => (role === "manager" ? "a" : "an");
const heroLoss = (customers: number) =>
  `the Dedicated Hero of ${plural(customers, "customer")}, who ${customers === 1 ? "has" : "have"} none now.`;
/** How many attribute names a rule's warning lists at most. */
const RULE_HINT_NAMES = 30;
const capacityText = (capacity: number) =>
  capacity ? `up to ${plural(capacity, "open conversation")}` : "no capacity limit";

export function createManageSetup(deps: DeskDeps) {
  /**
   * Runs an admin-only change in a transaction after the permission check. App Home shows the
   * setup (admins), the team's load (managers) and each agent's desk, so every change refreshes
   * the homes it concerns (enqueueHomeRefresh).
   */
  const allowed =
    (action: "setup" | "setup_read") => (fn: (tx: Repositories) => Promise<Outcome>) => (userId: string) =>
      deps.store.transaction(async (tx) => {
        const auth = await authorize(tx, deps, userId, action);
        return auth.ok ? fn(tx) : auth.outcome;
      });
  const asAdmin = allowed("setup");
  /** Reading the setup: managers too. */
  const asManager = allowed("setup_read");

  /**
   * Adds a person, or brings back one who was removed. Someone who is an agent already keeps their
   * role and capacity unless the command names new ones: adding twice never demotes a manager.
   */
  const addAgent = (input: {
    userId: string;
    agentUserId: string;
    name: string;
    role?: Role;
    capacity?: number;
    /** Why Slack says this person cannot hold conversations (a bot, deactivated, unknown). */
    unfit?: string;
  }) =>
    asAdmin(async (tx) => {
      const who = mention(input.agentUserId);
      if (input.unfit) return refused(`${who} ${input.unfit}, so they cannot be a HeroDesk agent.`);
      const before = await tx.agents.bySlackId(input.agentUserId);
      if (before?.active && input.role === undefined && input.capacity === undefined)
        return done(
          `${who} is already ${article(before.role)} ${before.role} (${capacityText(before.capacity)}). ` +
            "Change that with `/desk role @them manager` or `/desk agent capacity @them 5`.",
        );
      // Someone new gets the configured default when the command names no capacity, and hears it.
      const byDefault = input.capacity === undefined && !before;
      const agent = await tx.agents.upsert({
        slackUserId: input.agentUserId,
        name: input.name,
        role: input.role,
        capacity: byDefault ? (deps.defaultCapacity ?? 0) : input.capacity,
      });
      await enqueueQueueCheck(tx);
      await enqueueHomeRefresh(tx, { users: [input.agentUserId], team: true });
      const defaultNote = byDefault
        ? `: the default; \`/desk agent capacity @them ${agent.capacity || 5}\` changes it`
        : "";
      const what = `a HeroDesk ${agent.role} (${capacityText(agent.capacity)}${defaultNote})`;
      if (before?.active) return done(`${who} is now ${what}.`);
      return done(`${who} is ${what}${before ? " again" : ""}. They go online with \`/desk status online\`.`);
    })(input.userId);

  const removeAgent = (input: { userId: string; agentUserId: string }) =>
    asAdmin(async (tx) => {
      const agent = await tx.agents.bySlackId(input.agentUserId);
      if (!agent?.active) return refused(`${mention(input.agentUserId)} is not a HeroDesk agent.`);
      await tx.agents.update(agent.id, { active: false, status: "offline" });
      // Someone who left cannot be a hero: their customers go back to normal routing.
      const customers = await tx.customers.dropHeroAgent(agent.id);
      await heroesRemoved(tx, customers, input.userId);
      // Nor hold conversations: each goes back to routing, and the answer says where it went.
      const moves: string[] = [];
      for (const c of await tx.conversations.openOf(agent.id)) {
        const moved = await moveAssignee(tx, c, null, { reason: "manual", actorId: input.userId });
        if (moved) moves.push(`#${c.id} ${await whereItWent(tx, deps, c.id)}`);
      }
      await enqueueHomeRefresh(tx, { users: [input.agentUserId], team: true });
      const notes = [
        customers.length ? `They were ${heroLoss(customers.length)}` : "",
        moves.length
          ? `Their ${plural(moves.length, "open conversation")} went back to routing:\n${moves.map((m) => `• ${m}`).join("\n")}`
          : "",
      ].filter(Boolean);
      return done(
        `${mention(input.agentUserId)} is no longer a HeroDesk agent.${notes.map((n) => ` ${n}`).join("")}`,
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
        `${mention(input.agentUserId)} can hold ${input.capacity ? `up to ${plural(input.capacity, "open conversation")}` : "any number of open conversations"}.`,
      );
    })(input.userId);

  const setRole = (input: { userId: string; agentUserId: string; role: Role }) =>
    asAdmin(async (tx) => {
      const agent = await tx.agents.bySlackId(input.agentUserId);
      // A role belongs to an agent: adding someone is its own, explicit step.
      if (!agent?.active)
        return refused(
          `${mention(input.agentUserId)} is not a HeroDesk agent; add them with \`/desk agent add @them ${input.role}\`.`,
        );
      await tx.agents.update(agent.id, { role: input.role });
      await enqueueHomeRefresh(tx, { users: [input.agentUserId], team: true });
      return done(`${mention(input.agentUserId)} is now ${article(input.role)} ${input.role}.`);
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
      const rules = (await tx.rules.list()).filter((r) => r.teamId === team.id);
      const customers = await tx.teams.remove(team.id);
      await heroesRemoved(tx, customers, input.userId);
      await enqueueHomeRefresh(tx, { team: true });
      // Conversations that waited for this team go to whoever is free now.
      if (rules.length) await enqueueQueueCheck(tx);
      const ruleNote = rules.length
        ? `, with its ${rules.length === 1 ? "routing rule" : `${rules.length} routing rules`} (${rules
            .map((r) => `${esc(r.attribute)} = ${esc(r.value)}`)
            .join("; ")}): those customers go to all agents now`
        : " (no routing rule sent conversations to it)";
      return done(
        `Team ${esc(team.name)} removed${ruleNote}.${customers.length ? ` It was ${heroLoss(customers.length)}` : ""}`,
      );
    })(input.userId);

  const joinOrLeave = (join: boolean) => (input: { userId: string; team: string; userIds: string[] }) =>
    asAdmin(async (tx) => {
      const team = await tx.teams.byName(input.team);
      if (!team) return refused(`There is no team called ${esc(input.team)}.`);
      // Everyone is checked before anyone moves: a refusal changes nothing.
      const agents = [];
      for (const id of input.userIds) {
        const agent = await tx.agents.bySlackId(id);
        if (!agent?.active)
          return refused(
            `${mention(id)} is not a HeroDesk agent; add them first with \`/desk agent add @them\`. Nobody ${join ? "joined" : "left"} team ${esc(team.name)}.`,
          );
        agents.push(agent);
      }
      const changed: string[] = [];
      const unchanged: string[] = [];
      for (const agent of agents) {
        const member = team.memberIds.includes(agent.id);
        if (member === join) unchanged.push(mention(agent.slackUserId));
        else {
          if (join) await tx.teams.addMember(team.id, agent.id);
          else await tx.teams.removeMember(team.id, agent.id);
          changed.push(mention(agent.slackUserId));
        }
      }
      if (join && changed.length) await enqueueQueueCheck(tx);
      if (changed.length) await enqueueHomeRefresh(tx, { team: true });
      const lines = [];
      if (changed.length)
        lines.push(`${changed.join(", ")} ${join ? "joined" : "left"} team ${esc(team.name)}.`);
      if (unchanged.length)
        lines.push(`${unchanged.join(", ")} ${join ? "already in" : "not in"} team ${esc(team.name)}.`);
      return done(lines.join("\n"));
    })(input.userId);

  const addRule = (input: { userId: string; attribute: string; value: string; team: string }) =>
    asAdmin(async (tx) => {
      const team = await tx.teams.byName(input.team);
      if (!team)
        return refused(
          `There is no team called ${esc(input.team)}; create it with \`/desk team add ${esc(input.team)}\`.`,
        );
      // Rules compare names and values case-insensitively and the first match wins: a second rule
      // on the same attribute and value would never route anything.
      const same = (a: string, b: string) => a.trim().toLowerCase() === b.trim().toLowerCase();
      const rules = await tx.rules.list();
      const earlier = rules.findIndex(
        (r) => same(r.attribute, input.attribute) && same(r.value, input.value),
      );
      if (earlier >= 0) {
        const r = rules[earlier]!;
        return refused(
          `Rule ${earlier + 1} already sends ${esc(r.attribute)} = ${esc(r.value)} to team ${esc(r.teamName)}, and the first match wins; remove it first (\`/desk rule remove ${earlier + 1}\`) to send them elsewhere.`,
        );
      }
      await tx.rules.add({ attribute: input.attribute, value: input.value, teamId: team.id });
      await enqueueHomeRefresh(tx, { team: true });
      // Accepted either way (the attribute may come with tomorrow's customers), but a typo
      // (`langauge`) would route nothing, so say when no customer has sent it.
      const seen = await tx.customers.attributeNames(RULE_HINT_NAMES);
      const known = seen.some((name) => name.toLowerCase() === input.attribute.toLowerCase());
      const warning = known
        ? ""
        : `\n:warning: No customer has sent the attribute ${esc(input.attribute)} yet, so this rule matches nobody for now. ${
            seen.length
              ? `Attributes customers have sent: ${seen.map(esc).join(", ")}${seen.length === RULE_HINT_NAMES ? ", …" : ""}.`
              : "No customer has sent any attributes yet."
          }`;
      return done(
        `Rule added: customers with ${esc(input.attribute)} = ${esc(input.value)} go to team ${esc(team.name)}.${warning}\n${rulesText(await tx.rules.list())}`,
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
      if (!rules.length) return refused("There are no rules yet: `/desk rule add language=es team Spanish`.");
      if (!rule || input.to < 1 || input.to > rules.length)
        return refused(`Rules are numbered 1 to ${rules.length}.`);
      const ids = rules.map((r) => r.id).filter((id) => id !== rule.id);
      ids.splice(input.to - 1, 0, rule.id);
      await tx.rules.reorder(ids);
      await enqueueHomeRefresh(tx, { team: true });
      return done(`Rule moved.\n${rulesText(await tx.rules.list())}`);
    })(input.userId);

  const listRules = (input: { userId: string }) =>
    asManager(async (tx) => done(rulesText(await tx.rules.list())))(input.userId);

  const listTeams = (input: { userId: string }) =>
    asManager(async (tx) => {
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
    asManager(async (tx) => {
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
      if (!me) return ADD_YOURSELF_FIRST;
      // By id as configured, by id in any capitals, or by its channel.
      const wanted = input.source.toLowerCase();
      const source =
        deps.sources.get(input.source) ??
        [...deps.sources.values()].find(
          (s) => s.id.toLowerCase() === wanted || s.slackChannel === input.source,
        );
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
