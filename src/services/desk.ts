// Every /desk and button use case, built once from the same dependencies, for the Slack layer.
import type { DeskCommand, DeskCommandKind, DeskCommandOf } from "../core/desk/index.ts";
import { effectiveRole } from "../core/permissions.ts";
import { createAssignConversation } from "./assign-conversation.ts";
import { createClaimConversation } from "./claim-conversation.ts";
import { createCloseConversation } from "./close-conversation.ts";
import { createConversationHistory } from "./conversation-history.ts";
import type { DeskDeps } from "./desk-deps.ts";
import { createHeroes } from "./heroes.ts";
import { createPostSummary, type PostSummary } from "./post-summary.ts";
import type { Answer } from "./results.ts";
import { createSetAvailability, createShowAvailability } from "./set-availability.ts";
import { createSetupAgents } from "./setup-agents.ts";
import { createSetupRules } from "./setup-rules.ts";
import { createSetupTeams } from "./setup-teams.ts";
import { createProblemServices } from "./slack-problems.ts";
import { createSubscriptions } from "./subscriptions.ts";

/** Who runs a /desk command, where, and what Slack can tell about a person (for `agent add`). */
export interface CommandContext {
  userId: string;
  channelId: string;
  person: (userId: string) => Promise<{ name: string; unfit?: string }>;
}

/** One use case per /desk command kind: the parsed command is its input. */
export type DeskCommandServices = {
  readonly [K in DeskCommandKind]: (ctx: CommandContext, command: DeskCommandOf<K>) => Promise<Answer>;
};

/** `postSummary`: the summary use case the schedules share (built once, in src/herodesk.ts). */
export function createDeskServices(deps: DeskDeps & { postSummary?: PostSummary }) {
  const assignment = createAssignConversation(deps);
  const closing = createCloseConversation(deps);
  const heroes = createHeroes(deps);
  const history = createConversationHistory(deps);
  const problems = createProblemServices(deps);
  const agents = createSetupAgents(deps);
  const teams = createSetupTeams(deps);
  const rules = createSetupRules(deps);
  const subscribe = createSubscriptions(deps);
  const summary = (deps.postSummary ?? createPostSummary({ ...deps, schedules: [] })).onDemand;
  const setAvailability = createSetAvailability(deps);
  const showAvailability = createShowAvailability(deps);
  const roleOf = async (userId: string) => {
    const agent = await deps.store.agents.bySlackId(userId);
    return effectiveRole(agent?.active ? agent.role : null, userId, deps.admins);
  };
  const commands: DeskCommandServices = {
    help: async ({ userId }, { topic }) => ({
      done: "help",
      ...(topic ? { topic } : { role: await roleOf(userId) }),
      managersCanSetHeroes: deps.managersCanSetHeroes,
    }),
    assign: ({ userId }, c) =>
      assignment.assign({ userId, conversationId: c.conversation, agentUserId: c.agent }),
    reassign: ({ userId }, c) => assignment.reassignAll({ userId, fromUserId: c.from, toUserId: c.to }),
    unassign: ({ userId }, c) => assignment.unassign({ userId, conversationId: c.conversation }),
    close: ({ userId }, c) => closing.close({ userId, conversationId: c.conversation }),
    reopen: ({ userId }, c) => closing.reopen({ userId, conversationId: c.conversation }),
    history: ({ userId }, c) => history.history({ userId, conversationId: c.conversation }),
    queue: ({ userId }) => history.queue({ userId }),
    summary: ({ userId, channelId }) => summary({ userId, channelId }),
    waiting: ({ userId }) => problems.waiting({ userId }),
    waiting_retry: ({ userId }) => problems.retryWaiting({ userId }),
    hero_make: ({ userId }, c) => heroes.make({ userId, customer: { ref: c.customer }, hero: c.hero }),
    hero_reassign: ({ userId }, c) => heroes.reassignToHero({ userId, conversationId: c.conversation }),
    hero_remove: ({ userId }, c) => heroes.remove({ userId, customer: { ref: c.customer } }),
    hero_show: ({ userId }, c) => heroes.show({ userId, customer: { ref: c.customer } }),
    status: ({ userId }, c) => setAvailability({ userId, availability: c.availability }),
    status_show: ({ userId }) => showAvailability({ userId }),
    subscribe: ({ userId }, c) => subscribe({ userId, source: c.source, on: true }),
    unsubscribe: ({ userId }, c) => subscribe({ userId, source: c.source, on: false }),
    agent_add: async ({ userId, person }, { kind: _, userId: agentUserId, ...given }) => {
      const { name, unfit } = await person(agentUserId);
      return agents.addAgent({ userId, agentUserId, name, ...(unfit ? { unfit } : {}), ...given });
    },
    agent_capacity: ({ userId }, c) =>
      agents.setCapacity({ userId, agentUserId: c.userId, capacity: c.capacity }),
    agent_remove: ({ userId }, c) => agents.removeAgent({ userId, agentUserId: c.userId }),
    agent_list: ({ userId }) => agents.listAgents({ userId }),
    role: ({ userId }, c) => agents.setRole({ userId, agentUserId: c.userId, role: c.role }),
    team_add: ({ userId }, c) => teams.addTeam({ userId, team: c.team }),
    team_remove: ({ userId }, c) => teams.removeTeam({ userId, team: c.team }),
    team_join: ({ userId }, c) => teams.joinTeam({ userId, team: c.team, userIds: c.userIds }),
    team_leave: ({ userId }, c) => teams.leaveTeam({ userId, team: c.team, userIds: c.userIds }),
    team_list: ({ userId }) => teams.listTeams({ userId }),
    rule_add: ({ userId }, c) =>
      rules.addRule({ userId, attribute: c.attribute, value: c.value, team: c.team }),
    rule_move: ({ userId }, c) => rules.moveRule({ userId, from: c.from, to: c.to }),
    rule_remove: ({ userId }, c) => rules.removeRule({ userId, position: c.position }),
    rule_list: ({ userId }) => rules.listRules({ userId }),
  };
  return {
    /** Runs a parsed /desk command through its use case. */
    run: (ctx: CommandContext, command: DeskCommand) =>
      (commands[command.kind] as (ctx: CommandContext, command: DeskCommand) => Promise<Answer>)(
        ctx,
        command,
      ),
    claim: createClaimConversation(deps),
    assign: assignment.assign,
    unassign: assignment.unassign,
    reassignAll: assignment.reassignAll,
    close: closing.close,
    reopen: closing.reopen,
    makeHero: heroes.make,
    removeHero: heroes.remove,
    reassignToHero: heroes.reassignToHero,
    showHero: heroes.show,
    mayMakeHero: heroes.mayMake,
    setAvailability,
    /** The customer of conversation #n, for the Make Hero modal's question. */
    customerOf: async (conversationId: number) => {
      const conversation = await deps.store.conversations.get(conversationId);
      return conversation ? deps.store.customers.get(conversation.customerId) : null;
    },
    /** Teams, for the Make Hero modal's choices. */
    teamNames: async () => (await deps.store.teams.list()).map((t) => t.name),
  };
}

export type DeskServices = ReturnType<typeof createDeskServices>;
