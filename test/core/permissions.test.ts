import { describe, expect, it } from "vitest";
import { commandAction, type DeskCommand, parseDeskCommand } from "../../src/core/desk/index.ts";
import type { Role } from "../../src/core/domain.ts";
import {
  ACTION_ROLES,
  ACTIONS,
  type Action,
  type Actor,
  can,
  effectiveRole,
  NOT_AN_AGENT,
  type PermissionContext,
} from "../../src/core/permissions.ts";

const ME = "U0ME";
const OTHER = "U0OTHER";

// The expected answers, written out by hand from SPEC sections 3 and 4 and the issue. Columns:
//   agent      an agent who is not the conversation's assignee
//   assignee   an agent who is the assignee
//   manager    a manager, managersCanSetHeroes off
//   manager+   a manager, managersCanSetHeroes on
//   admin
// Someone with no role may never do anything; that is checked separately for every action.
//                                    agent  assignee  manager  manager+  admin
const EXPECTED: Record<Action, [boolean, boolean, boolean, boolean, boolean]> = {
  assign: /*                     */ [false, false, true, true, true],
  reassign_bulk: /*              */ [false, false, true, true, true],
  unassign: /*                   */ [false, false, true, true, true],
  close: /*                      */ [false, true, true, true, true],
  reopen: /*                     */ [false, true, true, true, true],
  claim: /*                      */ [true, true, true, true, true],
  hero_make: /*                  */ [false, false, false, true, true],
  hero_reassign: /*              */ [false, true, true, true, true],
  hero_remove: /*                */ [false, false, false, false, true],
  hero_show: /*                  */ [true, true, true, true, true],
  status: /*                     */ [true, true, true, true, true],
  setup: /*                      */ [false, false, false, false, true],
  setup_read: /*                 */ [false, false, true, true, true],
  history: /*                    */ [true, true, true, true, true],
  queue: /*                      */ [true, true, true, true, true],
  triage: /*                     */ [true, true, true, true, true],
  summary: /*                    */ [false, false, true, true, true],
  subscribe: /*                  */ [true, true, true, true, true],
  team_load: /*                  */ [false, false, true, true, true],
  waiting: /*                    */ [false, false, true, true, true],
  waiting_retry: /*              */ [false, false, false, false, true],
};

const ALL_ACTIONS = Object.keys(EXPECTED) as Action[];

type Assignee = "me" | "someone else" | "nobody" | "not given";
const ASSIGNEES: Assignee[] = ["me", "someone else", "nobody", "not given"];
const context = (assignee: Assignee, managersCanSetHeroes: boolean): PermissionContext => {
  if (assignee === "not given") return { managersCanSetHeroes };
  return { managersCanSetHeroes, assigneeUserId: { me: ME, "someone else": OTHER, nobody: null }[assignee] };
};

function expected(action: Action, role: Role | null, assignee: Assignee, heroesOn: boolean): boolean {
  const [agent, asAssignee, manager, managerHeroesOn, admin] = EXPECTED[action];
  if (role === null) return false;
  if (role === "admin") return admin;
  if (role === "manager") return heroesOn ? managerHeroesOn : manager;
  return assignee === "me" ? asAssignee : agent;
}

// Every (role × action) pair, in every context: the actor as assignee, someone else as assignee,
// an unassigned conversation, no conversation at all; managersCanSetHeroes on and off.
const MATRIX = ALL_ACTIONS.flatMap((action) =>
  ([null, "agent", "manager", "admin"] as (Role | null)[]).flatMap((role) =>
    ASSIGNEES.flatMap((assignee) =>
      [false, true].map(
        (heroesOn) =>
          [
            action,
            role ?? "no role",
            assignee,
            heroesOn,
            expected(action, role, assignee, heroesOn),
          ] as const,
      ),
    ),
  ),
);

describe("can: every role and action", () => {
  it.each(MATRIX)(
    "%s by %s, assignee %s, managersCanSetHeroes %s → %s",
    (action, role, assignee, heroesOn, allowed) => {
      const actor: Actor = { userId: ME, role: role === "no role" ? null : role };
      const verdict = can(actor, action, context(assignee, heroesOn));
      expect(verdict.allowed).toBe(allowed);
      if (!verdict.allowed) expect(verdict.reason).toMatch(/^[A-Z].*[.]$/);
    },
  );

  it("the table above covers every action the module knows", () => {
    expect([...ACTIONS].sort()).toEqual([...ALL_ACTIONS].sort());
  });

  it("the matrix has every combination", () => {
    expect(MATRIX).toHaveLength(21 * 4 * 4 * 2);
  });
});

describe("can: reasons a person understands", () => {
  const agent: Actor = { userId: ME, role: "agent" };
  const manager: Actor = { userId: ME, role: "manager" };
  const off: PermissionContext = { managersCanSetHeroes: false };
  const reason = (actor: Actor, action: Action, ctx: PermissionContext = off) => {
    const verdict = can(actor, action, ctx);
    return verdict.allowed ? "allowed" : verdict.reason;
  };

  it.each(ALL_ACTIONS)("someone who is not an agent is told how to get access (%s)", (action) => {
    expect(
      reason({ userId: ME, role: null }, action, { managersCanSetHeroes: true, assigneeUserId: ME }),
    ).toBe("You're not a HeroDesk agent yet: ask an admin to run `/desk agent add @you`.");
  });

  it("NOT_AN_AGENT is that sentence", () => {
    expect(NOT_AN_AGENT).toBe("You're not a HeroDesk agent yet: ask an admin to run `/desk agent add @you`.");
  });

  it("an unknown role counts as no role", () => {
    expect(reason({ userId: ME, role: "owner" as Role }, "queue")).toBe(NOT_AN_AGENT);
  });

  it.each([
    ["assign", "Only managers and admins can assign conversations."],
    ["reassign_bulk", "Only managers and admins can reassign conversations."],
    ["unassign", "Only managers and admins can unassign conversations."],
    ["summary", "Only managers and admins can post the assignment summary."],
    ["hero_remove", "Only admins can remove a customer's hero."],
    ["setup", "Only admins can change the setup (agents, teams, rules and roles)."],
  ] as [Action, string][])("an agent may not %s", (action, text) => {
    expect(reason(agent, action)).toBe(text);
  });

  it.each([
    ["close", "Only the assignee (<@U0OTHER>), managers and admins can close this conversation."],
    ["reopen", "Only the assignee (<@U0OTHER>), managers and admins can reopen this conversation."],
    [
      "hero_reassign",
      "Only the assignee (<@U0OTHER>), managers and admins can give this conversation to the customer's hero.",
    ],
  ] as [Action, string][])(
    "an agent may not %s someone else's conversation, and learns whose it is",
    (action, text) => {
      expect(reason(agent, action, { managersCanSetHeroes: false, assigneeUserId: OTHER })).toBe(text);
    },
  );

  it.each([
    [
      "close",
      "Nobody is assigned to this conversation: claim it first, or ask a manager or admin to close it.",
    ],
    [
      "reopen",
      "Nobody is assigned to this conversation: claim it first, or ask a manager or admin to reopen it.",
    ],
    [
      "hero_reassign",
      "Nobody is assigned to this conversation: claim it first, or ask a manager or admin to give it to the customer's hero.",
    ],
  ] as [Action, string][])(
    "an agent may not %s an unassigned conversation, and learns to claim it",
    (action, text) => {
      expect(reason(agent, action, { managersCanSetHeroes: false, assigneeUserId: null })).toBe(text);
      expect(reason(agent, action, { managersCanSetHeroes: false })).toBe(text);
    },
  );

  it("hero_make names the roles that apply with the setting off and on", () => {
    expect(reason(manager, "hero_make")).toBe(
      "Only admins can set a customer's hero; an admin can allow managers to do it too.",
    );
    expect(reason(agent, "hero_make")).toBe(
      "Only admins can set a customer's hero; an admin can allow managers to do it too.",
    );
    expect(reason(agent, "hero_make", { managersCanSetHeroes: true })).toBe(
      "Only managers and admins can set a customer's hero.",
    );
  });

  it("a manager is refused setup and hero removal with the admin-only reason", () => {
    expect(reason(manager, "setup")).toBe(
      "Only admins can change the setup (agents, teams, rules and roles).",
    );
    expect(reason(manager, "hero_remove", { managersCanSetHeroes: true })).toBe(
      "Only admins can remove a customer's hero.",
    );
  });

  it("an empty assignee id never matches an actor", () => {
    expect(
      can({ userId: "", role: "agent" }, "close", { managersCanSetHeroes: false, assigneeUserId: "" }),
    ).toEqual({
      allowed: false,
      reason:
        "Nobody is assigned to this conversation: claim it first, or ask a manager or admin to close it.",
    });
  });

  it("an unknown action is refused", () => {
    expect(can({ userId: ME, role: "admin" }, "launch" as Action, off)).toEqual({
      allowed: false,
      reason: "HeroDesk doesn't know that action.",
    });
  });
});

describe("effectiveRole: bootstrap admins come from the config file", () => {
  const admins = ["U0BOOT", "U0BOOT2"];
  it.each([
    ["a bootstrap admin with no stored role", null, "U0BOOT", "admin"],
    ["a bootstrap admin stored as agent", "agent", "U0BOOT2", "admin"],
    ["a bootstrap admin stored as manager", "manager", "U0BOOT", "admin"],
    ["a bootstrap admin stored as admin", "admin", "U0BOOT", "admin"],
    ["someone else with no role", null, "U0ME", null],
    ["an agent", "agent", "U0ME", "agent"],
    ["a manager", "manager", "U0ME", "manager"],
    ["an admin from the database", "admin", "U0ME", "admin"],
    ["ids are exact: case matters", null, "u0boot", null],
  ] as [string, Role | null, string, Role | null][])("%s", (_name, stored, userId, role) => {
    expect(effectiveRole(stored, userId, admins)).toBe(role);
  });

  it("with no bootstrap admins, the stored role stands", () => {
    expect(effectiveRole("manager", "U0BOOT", [])).toBe("manager");
    expect(effectiveRole(null, "U0BOOT", [])).toBeNull();
  });

  it("a bootstrap admin may do everything, even with no stored role", () => {
    const actor: Actor = { userId: "U0BOOT", role: effectiveRole(null, "U0BOOT", admins) };
    for (const action of ALL_ACTIONS) {
      expect(can(actor, action, { managersCanSetHeroes: false, assigneeUserId: OTHER }).allowed, action).toBe(
        true,
      );
    }
  });
});

describe("ACTION_ROLES: the table for the README", () => {
  it.each([
    ["assign", "manager, admin"],
    ["reassign_bulk", "manager, admin"],
    ["unassign", "manager, admin"],
    ["close", "assignee, manager, admin"],
    ["reopen", "assignee, manager, admin"],
    ["claim", "any agent"],
    ["hero_make", "admin, manager (when an admin allows it)"],
    ["hero_reassign", "assignee, manager, admin"],
    ["hero_remove", "admin"],
    ["hero_show", "any agent"],
    ["status", "any agent"],
    ["setup", "admin"],
    ["history", "any agent"],
    ["queue", "any agent"],
    ["triage", "any agent"],
    ["summary", "manager, admin"],
    ["subscribe", "any agent"],
    ["team_load", "manager, admin"],
    ["waiting", "manager, admin"],
    ["waiting_retry", "admin"],
  ] as [Action, string][])("%s: %s", (action, who) => {
    expect(ACTION_ROLES[action].who).toBe(who);
  });
});

describe("commandAction: the permission each /desk command needs", () => {
  const cases: [string, Action | null][] = [
    ["help", null],
    ["assign #1 <@U1>", "assign"],
    ["reassign <@U1> <@U2>", "reassign_bulk"],
    ["unassign #1", "unassign"],
    ["close #1", "close"],
    ["reopen #1", "reopen"],
    ["hero make c <@U1>", "hero_make"],
    ["hero make c team T", "hero_make"],
    ["hero reassign #1", "hero_reassign"],
    ["hero remove c", "hero_remove"],
    ["hero show c", "hero_show"],
    ["status away", "status"],
    ["status", "status"],
    ["agent add <@U1>", "setup"],
    ["agent remove <@U1>", "setup"],
    ["agent capacity <@U1> 3", "setup"],
    ["agent list", "setup_read"],
    ["role <@U1> admin", "setup"],
    ["team add T", "setup"],
    ["team remove T", "setup"],
    ["team join T <@U1>", "setup"],
    ["team leave T <@U1>", "setup"],
    ["team list", "setup_read"],
    ["rule add a=b team T", "setup"],
    ["rule remove 1", "setup"],
    ["rule move 1 2", "setup"],
    ["rule list", "setup_read"],
    ["subscribe web", "subscribe"],
    ["unsubscribe web", "subscribe"],
    ["history #1", "history"],
    ["queue", "queue"],
    ["tag #1 billing", "triage"],
    ["untag #1 billing", "triage"],
    ["priority #1 high", "triage"],
    ["summary", "summary"],
  ];

  it.each(cases)("/desk %s needs %s", (text, action) => {
    const result = parseDeskCommand(text);
    if (!result.ok) throw new Error(`${text}: ${result.error}`);
    expect(commandAction(result.command)).toBe(action);
  });

  it("covers every kind of command", () => {
    const kinds = new Set(
      cases.map(([text]) => (parseDeskCommand(text) as { ok: true; command: DeskCommand }).command.kind),
    );
    expect(kinds.size).toBe(34);
  });
});
