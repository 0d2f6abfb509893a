// Every /desk and button use case, built once from the same dependencies, for the Slack layer.
import { effectiveRole } from "../core/permissions.ts";
import { createAssignConversation } from "./assign-conversation.ts";
import { createClaimConversation } from "./claim-conversation.ts";
import { createCloseConversation } from "./close-conversation.ts";
import type { DeskDeps } from "./context.ts";
import { createConversationHistory } from "./conversation-history.ts";
import { createHeroes } from "./heroes.ts";
import { createManageSetup } from "./manage-setup.ts";
import { createPostSummary } from "./post-summary.ts";
import { createSetAvailability, createShowAvailability } from "./set-availability.ts";
import { createProblemServices } from "./slack-problems.ts";

export function createDeskServices(deps: DeskDeps & { timezoneOf?: (channel: string) => string }) {
  const assignment = createAssignConversation(deps);
  const closing = createCloseConversation(deps);
  const heroes = createHeroes(deps);
  const history = createConversationHistory(deps);
  const problems = createProblemServices(deps);
  return {
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
    setAvailability: createSetAvailability(deps),
    showAvailability: createShowAvailability(deps),
    setup: createManageSetup(deps),
    history: history.history,
    queue: history.queue,
    summary: createPostSummary({ ...deps, timezoneOf: deps.timezoneOf ?? (() => "UTC") }).onDemand,
    waiting: problems.waiting,
    retryWaiting: problems.retryWaiting,
    /** Whether managers may set heroes, for the help a manager is shown. */
    managersCanSetHeroes: deps.managersCanSetHeroes,
    /** A person's role (null: not an agent), for the help they are shown. */
    roleOf: async (userId: string) => {
      const agent = await deps.store.agents.bySlackId(userId);
      return effectiveRole(agent?.active ? agent.role : null, userId, deps.admins);
    },
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
