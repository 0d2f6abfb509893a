// Who may do what. Pure: the services look up the actor's role (and the conversation's assignee) and
// ask `can` before every command and button; a refusal's reason is shown to the person as it is.
import { ROLES, type Role } from "./domain.ts";

export type { Role };

export type Action =
  | "assign"
  | "reassign_bulk"
  | "unassign"
  | "close"
  | "reopen"
  | "claim"
  | "hero_make"
  | "hero_reassign"
  | "hero_remove"
  | "hero_show"
  | "status"
  | "setup" /* agent/team/rule/role */
  | "setup_read" /* agent list, team list, rule list */
  | "history"
  | "queue"
  | "triage" /* tags and priority */
  | "summary"
  | "subscribe"
  | "team_load" /* App Home: the team's load, queue and heroes */
  | "waiting" /* what HeroDesk holds back, and why */
  | "waiting_retry";

export interface Actor {
  userId: string;
  /** null = not a HeroDesk agent. */
  role: Role | null;
}

export interface PermissionContext {
  /** The conversation's assignee (Slack user id), for actions on one conversation. */
  assigneeUserId?: string | null;
  /** Set by an admin: managers may set heroes too. */
  managersCanSetHeroes: boolean;
}

export type Verdict = { allowed: true } | { allowed: false; reason: string };

export interface ActionRule {
  /** Roles that may always do it. */
  readonly roles: readonly Role[];
  /** The conversation's assignee may do it too, whatever their role. */
  readonly assignee: boolean;
  /** Managers may do it when `managersCanSetHeroes` is on. */
  readonly managersWhenAllowed: boolean;
  /** Who, in words, for the README and help. */
  readonly who: string;
  /** What the action does, to finish "Only admins can …"; `{it}` stands for the conversation. */
  readonly does: string;
}

const EVERYONE = ROLES;
const MANAGERS: readonly Role[] = ["manager", "admin"];
const ADMINS: readonly Role[] = ["admin"];

const rule = (
  roles: readonly Role[],
  does: string,
  extra: { assignee?: boolean; managersWhenAllowed?: boolean } = {},
): ActionRule => {
  const assignee = extra.assignee ?? false;
  const managersWhenAllowed = extra.managersWhenAllowed ?? false;
  const who =
    roles === EVERYONE
      ? "any agent"
      : [assignee ? "assignee" : "", ...roles, managersWhenAllowed ? "manager (when an admin allows it)" : ""]
          .filter(Boolean)
          .join(", ");
  return { roles, assignee, managersWhenAllowed, who, does };
};

/** The permission table: SPEC sections 3 and 4. */
export const ACTION_ROLES: Readonly<Record<Action, ActionRule>> = {
  assign: rule(MANAGERS, "assign conversations"),
  reassign_bulk: rule(MANAGERS, "reassign conversations"),
  unassign: rule(MANAGERS, "unassign conversations"),
  close: rule(MANAGERS, "close {it}", { assignee: true }),
  reopen: rule(MANAGERS, "reopen {it}", { assignee: true }),
  claim: rule(EVERYONE, "claim conversations"),
  hero_make: rule(ADMINS, "set a customer's hero", { managersWhenAllowed: true }),
  hero_reassign: rule(MANAGERS, "give {it} to the customer's hero", { assignee: true }),
  hero_remove: rule(ADMINS, "remove a customer's hero"),
  hero_show: rule(EVERYONE, "see a customer's hero"),
  status: rule(EVERYONE, "set their status"),
  setup: rule(ADMINS, "change the setup (agents, teams, rules and roles)"),
  // Managers steer the work: they need to see who is on the team and how it is routed.
  setup_read: rule(MANAGERS, "see the setup (agents, teams and rules)"),
  history: rule(EVERYONE, "see a conversation's history"),
  queue: rule(EVERYONE, "see the queue"),
  // Triage is everyone's job: whoever reads a conversation first can tag it and raise it.
  triage: rule(EVERYONE, "tag conversations and set their priority"),
  summary: rule(MANAGERS, "post the assignment summary"),
  subscribe: rule(EVERYONE, "subscribe to a source"),
  team_load: rule(MANAGERS, "see the team's load"),
  waiting: rule(MANAGERS, "see what is waiting to go out"),
  waiting_retry: rule(ADMINS, "retry what waits on a fix"),
};

export const ACTIONS = Object.keys(ACTION_ROLES) as readonly Action[];

export const NOT_AN_AGENT = "You're not a HeroDesk agent yet: ask an admin to run `/desk agent add @you`.";

const ALLOWED: Verdict = { allowed: true };
const deny = (reason: string): Verdict => ({ allowed: false, reason });

export function can(actor: Actor, action: Action, ctx: PermissionContext): Verdict {
  const role = actor.role;
  if (role === null || !ROLES.includes(role)) return deny(NOT_AN_AGENT);
  if (!Object.hasOwn(ACTION_ROLES, action)) return deny("HeroDesk doesn't know that action.");
  const r = ACTION_ROLES[action];
  if (r.roles.includes(role)) return ALLOWED;
  if (r.managersWhenAllowed && role === "manager" && ctx.managersCanSetHeroes) return ALLOWED;
  const assignee = ctx.assigneeUserId || null; // "" is nobody, never a match
  if (r.assignee && assignee !== null && assignee === actor.userId) return ALLOWED;
  return deny(reason(r, ctx, assignee));
}

function reason(r: ActionRule, ctx: PermissionContext, assignee: string | null): string {
  if (r.assignee) {
    // Reasons are mrkdwn: the mention shows the assignee's name.
    return assignee
      ? `Only the assignee (<@${assignee}>), managers and admins can ${r.does.replace("{it}", "this conversation")}.`
      : `Nobody is assigned to this conversation: claim it first, or ask a manager or admin to ${r.does.replace("{it}", "it")}.`;
  }
  if (r.managersWhenAllowed) {
    return ctx.managersCanSetHeroes
      ? `Only managers and admins can ${r.does}.`
      : `Only admins can ${r.does}; an admin can allow managers to do it too.`;
  }
  return r.roles.includes("manager")
    ? `Only managers and admins can ${r.does}.`
    : `Only admins can ${r.does}.`;
}

const PLURAL: Readonly<Record<Role, string>> = { agent: "agents", manager: "managers", admin: "admins" };

/**
 * Who may do it, as `/desk help` says it ("the assignee, managers and admins"); undefined when every
 * agent may.
 */
export function whoMay(action: Action): string | undefined {
  const r = ACTION_ROLES[action];
  if (r.roles.includes("agent")) return undefined;
  const names = [...(r.assignee ? ["the assignee"] : []), ...r.roles.map((role) => PLURAL[role])];
  const list = names.length > 1 ? `${names.slice(0, -1).join(", ")} and ${names.at(-1)}` : names[0]!;
  return r.managersWhenAllowed ? `${list}, and managers if an admin allows it` : list;
}

/** Bootstrap admins from the config file are always admins, whatever the database says. */
export function effectiveRole(
  storedRole: Role | null,
  userId: string,
  bootstrapAdmins: readonly string[],
): Role | null {
  return bootstrapAdmins.includes(userId) ? "admin" : storedRole;
}
