// What the /desk and button use cases answer: typed results, never text. src/slack/presenters/
// turns each into the sentence a person reads (written once there).
import type { Availability, Role } from "../core/domain.ts";
import type { Conversations } from "./assign-conversation.ts";
import type { Histories } from "./conversation-history.ts";
import type { ChannelChange } from "./customer-channel-membership.ts";
import type { Heroes } from "./heroes.ts";
import type { Availabilities } from "./set-availability.ts";
import type { SetupAgents } from "./setup-agents.ts";
import type { SetupRules } from "./setup-rules.ts";
import type { SetupTeams } from "./setup-teams.ts";
import type { Problems } from "./slack-problems.ts";
import type { Subscriptions } from "./subscriptions.ts";
import type { Triaged } from "./triage.ts";

/** Why nothing was done; shared by several use cases. */
export type Refusal =
  /** Not a HeroDesk agent: they hear only that (src/services/guard.ts). */
  | { refused: "not_an_agent_yet" }
  /** Their role may not: the permission rule's own words (src/core/permissions.ts). */
  | { refused: "not_allowed"; reason: string }
  /** A bootstrap admin acting for themselves (status, subscriptions) without an agent record. */
  | { refused: "add_yourself_first" }
  | { refused: "no_conversation"; conversation: number }
  /** A button that names no conversation (a card from elsewhere, or tampered with). */
  | { refused: "no_conversation_named" }
  /** The card's assign menu sent nobody. */
  | { refused: "nobody_picked" }
  | { refused: "closed"; conversation: number }
  /** Someone else changed it between the read and the write. */
  | { refused: "changed_meanwhile"; conversation: number }
  | { refused: "not_an_agent"; person: string; fix?: NotAnAgentFix }
  | { refused: "no_team"; team: string; fix?: "create" | "list" };

/** What the answer suggests when the person named is not an agent. */
export type NotAnAgentFix =
  | { kind: "admin_can_add" }
  | { kind: "add_as"; role: Role }
  | { kind: "add_first"; team: string; join: boolean };

/** Whom a manager just gave work to, when it is news: away, or over capacity. */
export interface HeadsUp {
  status: Availability;
  /** Open conversations once this one is theirs. */
  open: number;
  capacity: number;
}

/** Where a conversation put back went (routing ran at once). */
export type WhereItWent = { to: string } | { waits: "hero" } | { waits: "anyone" };

export type Answer =
  | Refusal
  | Conversations
  | Availabilities
  | Histories
  | Heroes
  | Problems
  | SetupAgents
  | SetupTeams
  | SetupRules
  | ChannelChange
  | Subscriptions
  | Triaged
  | { done: "help"; topic?: string; role?: Role | null; managersCanSetHeroes: boolean }
  | { done: "summary_posting"; channel: string }
  | { done: "page"; page: number; team: boolean };

export type Done = Extract<Answer, { done: string }>;
/** Every refusal, shared (Refusal) or a use case's own. */
export type Refused = Extract<Answer, { refused: string }>;
export const isDone = (answer: Answer): answer is Done => "done" in answer;
