// Admin setup of routing rules: add, remove, move; the rule list for managers.
import type { Rule } from "../core/domain.ts";
import { TRIAGE_ATTRIBUTES } from "../core/triage.ts";
import { enqueueHomeRefresh } from "../outbox/jobs.ts";
import type { Actor, DeskDeps } from "./desk-deps.ts";
import { allowed } from "./guard.ts";
import type { Answer } from "./results.ts";

/** How many attribute names a rule's warning lists at most. */
export const RULE_HINT_NAMES = 30;

/** A rule as the lists show it, in the order rules are checked. */
export type RuleLine = Pick<Rule, "attribute" | "value" | "teamName">;

export type SetupRules =
  | { refused: "rule_repeats"; position: number; rule: RuleLine }
  | {
      done: "rule_added";
      rule: RuleLine;
      /** No customer has sent the attribute yet: those who have sent attributes sent these. */
      unseen: { seen: string[] } | null;
      rules: RuleLine[];
    }
  | { refused: "no_rule"; position: number; rules: RuleLine[] }
  | { done: "rule_removed"; position: number; rules: RuleLine[] }
  | { refused: "no_rules" }
  | { refused: "no_such_position"; count: number }
  | { done: "rule_moved"; rules: RuleLine[] }
  | { done: "rules"; rules: RuleLine[] };

const lines = (rules: readonly Rule[]): RuleLine[] =>
  rules.map(({ attribute, value, teamName }) => ({ attribute, value, teamName }));

export function createSetupRules(deps: DeskDeps) {
  const addRule = (
    actor: Actor,
    input: { attribute: string; value: string; team: string },
  ): Promise<Answer> =>
    allowed(deps, "setup", actor.userId, async (tx): Promise<Answer> => {
      const team = await tx.teams.byName(input.team);
      if (!team) return { refused: "no_team", team: input.team, fix: "create" };
      // Rules compare names and values case-insensitively and the first match wins: a second rule
      // on the same attribute and value would never route anything.
      const same = (a: string, b: string) => a.trim().toLowerCase() === b.trim().toLowerCase();
      const rules = await tx.rules.list();
      const earlier = rules.findIndex(
        (r) => same(r.attribute, input.attribute) && same(r.value, input.value),
      );
      if (earlier >= 0)
        return { refused: "rule_repeats", position: earlier + 1, rule: lines(rules)[earlier]! };
      await tx.rules.add({ attribute: input.attribute, value: input.value, teamId: team.id });
      await enqueueHomeRefresh(tx, { team: true });
      // Accepted either way (the attribute may come with tomorrow's customers), but a typo
      // (`langauge`) would route nothing, so say when no customer has sent it.
      const seen = await tx.customers.attributeNames(RULE_HINT_NAMES);
      const name = input.attribute.toLowerCase();
      const known =
        (TRIAGE_ATTRIBUTES as readonly string[]).includes(name) || seen.some((n) => n.toLowerCase() === name);
      return {
        done: "rule_added",
        rule: { attribute: input.attribute, value: input.value, teamName: team.name },
        unseen: known ? null : { seen },
        rules: lines(await tx.rules.list()),
      };
    });

  const removeRule = (actor: Actor, input: { position: number }): Promise<Answer> =>
    allowed(deps, "setup", actor.userId, async (tx): Promise<Answer> => {
      const rules = await tx.rules.list();
      const rule = rules[input.position - 1];
      if (!rule) return { refused: "no_rule", position: input.position, rules: lines(rules) };
      await tx.rules.remove(rule.id);
      await tx.rules.reorder(rules.filter((r) => r.id !== rule.id).map((r) => r.id));
      await enqueueHomeRefresh(tx, { team: true });
      return { done: "rule_removed", position: input.position, rules: lines(await tx.rules.list()) };
    });

  const moveRule = (actor: Actor, input: { from: number; to: number }): Promise<Answer> =>
    allowed(deps, "setup", actor.userId, async (tx): Promise<Answer> => {
      const rules = await tx.rules.list();
      const rule = rules[input.from - 1];
      if (!rules.length) return { refused: "no_rules" };
      if (!rule || input.to < 1 || input.to > rules.length)
        return { refused: "no_such_position", count: rules.length };
      const ids = rules.map((r) => r.id).filter((id) => id !== rule.id);
      ids.splice(input.to - 1, 0, rule.id);
      await tx.rules.reorder(ids);
      await enqueueHomeRefresh(tx, { team: true });
      return { done: "rule_moved", rules: lines(await tx.rules.list()) };
    });

  /** Managers see how work is routed, too. */
  const listRules = (actor: Actor): Promise<Answer> =>
    allowed(deps, "setup_read", actor.userId, async (tx) => ({
      done: "rules",
      rules: lines(await tx.rules.list()),
    }));

  return { addRule, removeRule, moveRule, listRules };
}
