// Every /desk and button use case, built once from the same dependencies, for the Slack layer.
import type { DeskCommand, DeskCommandKind, DeskCommandOf } from "../core/desk/index.ts";
import { effectiveRole } from "../core/permissions.ts";
import { createAssignConversation } from "./assign-conversation.ts";
import { createClaimConversation } from "./claim-conversation.ts";
import { createCloseConversation } from "./close-conversation.ts";
import { createConversationHistory } from "./conversation-history.ts";
import type { Actor, DeskDeps } from "./desk-deps.ts";
import { allowed } from "./guard.ts";
import { createHeroes } from "./heroes.ts";
import { createPostSummary, type PostSummary } from "./post-summary.ts";
import type { Answer } from "./results.ts";
import { createSetAvailability, createShowAvailability } from "./set-availability.ts";
import { createSetupAgents } from "./setup-agents.ts";
import { createSetupRules } from "./setup-rules.ts";
import { createSetupTeams } from "./setup-teams.ts";
import { createProblemServices } from "./slack-problems.ts";
import { createSubscriptions } from "./subscriptions.ts";
import { createTriage } from "./triage.ts";

/** Who runs a /desk command, where, and what Slack can tell about a person (for `agent add`). */
export interface CommandContext extends Actor {
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
  const subscriptions = createSubscriptions(deps);
  const triage = createTriage(deps);
  const summary = (deps.postSummary ?? createPostSummary({ ...deps, schedules: [] })).onDemand;
  const setAvailability = createSetAvailability(deps);
  const showAvailability = createShowAvailability(deps);
  const roleOf = async (userId: string) => {
    const agent = await deps.store.agents.bySlackId(userId);
    return effectiveRole(agent?.active ? agent.role : null, userId, deps.admins);
  };
  // The parsed command is the use case's input; only what Slack adds (the channel a summary is
  // asked in, the name of a person being added) is looked up here.
  const customerChannel = (userId: string, channel: string, add: boolean) =>
    allowed(
      deps,
      "setup",
      userId,
      (tx): Promise<Answer> =>
        deps.customerChannels
          ? deps.customerChannels.change(tx, channel, add, userId)
          : Promise.resolve({ refused: "no_invited_source", channel }),
    );
  const commands: DeskCommandServices = {
    help: async ({ userId }, { topic }) => ({
      done: "help",
      ...(topic ? { topic } : { role: await roleOf(userId) }),
      managersCanSetHeroes: deps.managersCanSetHeroes,
    }),
    assign: assignment.assign,
    reassign: assignment.reassignAll,
    unassign: assignment.unassign,
    close: closing.close,
    reopen: closing.reopen,
    tag: triage.tag,
    untag: triage.untag,
    priority: triage.priority,
    history: history.history,
    queue: history.queue,
    summary: (actor) => summary(actor, { channel: actor.channelId }),
    waiting: problems.waiting,
    waiting_retry: problems.retryWaiting,
    hero_make: heroes.make,
    hero_reassign: heroes.reassignToHero,
    hero_remove: heroes.remove,
    hero_show: heroes.show,
    status: setAvailability,
    status_show: showAvailability,
    channel_add: (actor, { channel }) => customerChannel(actor.userId, channel, true),
    channel_remove: (actor, { channel }) => customerChannel(actor.userId, channel, false),
    subscribe: subscriptions.subscribe,
    unsubscribe: subscriptions.unsubscribe,
    agent_add: async (actor, command) =>
      agents.addAgent(actor, { ...command, ...(await actor.person(command.userId)) }),
    agent_capacity: agents.setCapacity,
    agent_remove: agents.removeAgent,
    agent_list: agents.listAgents,
    role: agents.setRole,
    team_add: teams.addTeam,
    team_remove: teams.removeTeam,
    team_join: teams.joinTeam,
    team_leave: teams.leaveTeam,
    team_list: teams.listTeams,
    rule_add: rules.addRule,
    rule_move: rules.moveRule,
    rule_remove: rules.removeRule,
    rule_list: rules.listRules,
  };
  return {
    /** Runs a parsed /desk command through its use case. */
    run: (ctx: CommandContext, command: DeskCommand) =>
      (commands[command.kind] as (ctx: CommandContext, command: DeskCommand) => Promise<Answer>)(
        ctx,
        command,
      ),
    // The card buttons' and App Home's use cases.
    claim: createClaimConversation(deps),
    assign: assignment.assign,
    close: closing.close,
    reopen: closing.reopen,
    makeHero: heroes.make,
    removeHero: heroes.remove,
    reassignToHero: heroes.reassignToHero,
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
