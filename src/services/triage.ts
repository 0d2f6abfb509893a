// `/desk tag #42 billing`, `/desk untag #42 billing`, `/desk priority #42 high`: any agent triages.
// Each change is in the conversation's history and on its card. Rules and response-target
// overrides match tags and priority, so a change can move the due time (the reminder steps are
// set again for the new instants) and route a queued conversation again.
import type { Conversation, Rule } from "../core/domain.ts";
import { runningTarget } from "../core/response-targets.ts";
import { matchingRule } from "../core/routing.ts";
import { conversationFacts, type Priority, TAG_LIMITS } from "../core/triage.ts";
import { enqueueCardUpdate } from "../outbox/jobs.ts";
import type { Repositories } from "../store/index.ts";
import { whereItWent } from "./assign-conversation.ts";
import { factsOf } from "./conversation-facts.ts";
import type { Actor, DeskDeps } from "./desk-deps.ts";
import { onConversation } from "./guard.ts";
import { scheduleTargetChecks } from "./response-reminders.ts";
import type { Answer, WhereItWent } from "./results.ts";
import { ruleText } from "./route-conversation.ts";
import { sourceSettingsOnly } from "./target-settings.ts";

/** What a change of tags or priority led to, beyond itself. */
export interface TriageEffects {
  /** The response target that runs now has another due time (null: when the desk opens). */
  target?: { kind: "first" | "next"; due: Date | null };
  /**
   * In the queue, another rule holds now (`rule`: null when none does): routed again, and where it
   * went (to an agent, or it waits: for the rule's team, the hero, anyone).
   */
  routed?: { rule: { text: string; team: string } | null; went: WhereItWent };
}

export type Triaged =
  /** `changed`: the tags added (or removed); `tags`: all it has now. */
  | {
      done: "tags_set";
      conversation: number;
      adding: boolean;
      changed: string[];
      tags: string[];
      effects: TriageEffects;
    }
  | { done: "tags_unchanged"; conversation: number; adding: boolean; asked: string[]; tags: string[] }
  | { done: "priority_set"; conversation: number; priority: Priority; was: Priority; effects: TriageEffects }
  | { done: "priority_unchanged"; conversation: number; priority: Priority }
  | { refused: "too_many_tags"; conversation: number; tags: string[]; max: number };

export function createTriage(deps: DeskDeps) {
  const now = () => deps.now?.() ?? new Date();

  /** Checks, then `change` inside the same transaction; its answer comes back as it is. */
  const triage = (
    actor: Actor,
    input: { conversation: number },
    change: (tx: Repositories, c: Conversation, tags: string[]) => Promise<Answer>,
  ) =>
    deps.store.transaction(async (tx): Promise<Answer> => {
      const found = await onConversation(tx, deps, {
        userId: actor.userId,
        action: "triage",
        conversation: input.conversation,
      });
      if (!("checked" in found)) return found;
      const { conversation } = found;
      return change(tx, conversation, await tx.conversations.tags(conversation.id));
    });

  /** `/desk tag` (adding) and `/desk untag`. */
  const retag =
    (adding: boolean) =>
    (actor: Actor, input: { conversation: number; tags: string[] }): Promise<Answer> =>
      triage(actor, input, async (tx, c, had) => {
        const asked = input.tags.filter((t) => had.includes(t) !== adding);
        if (!asked.length)
          return { done: "tags_unchanged", conversation: c.id, adding, asked: input.tags, tags: had };
        if (adding && had.length + asked.length > TAG_LIMITS.perConversation)
          return { refused: "too_many_tags", conversation: c.id, tags: had, max: TAG_LIMITS.perConversation };
        const at = now();
        const moved = adding
          ? await tx.conversations.addTags(c.id, asked, at)
          : await tx.conversations.removeTags(c.id, asked);
        const effects = await changed(
          tx,
          c,
          { tags: had, priority: c.priority },
          { reason: adding ? "tagged" : "untagged", detail: moved, actor, at },
        );
        const tags = await tx.conversations.tags(c.id);
        return { done: "tags_set", conversation: c.id, adding, changed: moved, tags, effects };
      });

  const priority = (actor: Actor, input: { conversation: number; priority: Priority }) =>
    triage(actor, input, async (tx, c, tags) => {
      if (c.priority === input.priority)
        return { done: "priority_unchanged", conversation: c.id, priority: c.priority };
      // A closed conversation waits for nobody: its priority would change nothing.
      if (c.status !== "open") return { refused: "closed", conversation: c.id };
      const at = now();
      await tx.conversations.update(c.id, { priority: input.priority }, at);
      const effects = await changed(
        tx,
        c,
        { tags, priority: c.priority },
        { reason: "priority", detail: [input.priority], actor, at },
      );
      return { done: "priority_set", conversation: c.id, priority: input.priority, was: c.priority, effects };
    });

  /**
   * After a change of tags or priority (`before`: as they were): the history, the card, the
   * response target's steps when its due time moved, and routing again when another rule holds.
   */
  async function changed(
    tx: Repositories,
    was: Conversation,
    before: { tags: string[]; priority: Priority },
    event: { reason: "tagged" | "untagged" | "priority"; detail: string[]; actor: Actor; at: Date },
  ): Promise<TriageEffects> {
    await tx.events.record({
      kind: event.reason === "priority" ? "priority" : "tags",
      conversationId: was.id,
      actorSlackId: event.actor.userId,
      reason: event.reason,
      detail: event.detail.join(" "),
      at: event.at,
    });
    const conversation = (await tx.conversations.get(was.id))!;
    await enqueueCardUpdate(tx, conversation);
    const { customer, facts } = await factsOf(tx, conversation);
    const factsBefore = conversationFacts(customer.attributes, before);
    const effects: TriageEffects = {};

    // A tag can change the target, and the team that serves it (its hours): compare due times.
    const settingsOf = deps.targetSettings ?? sourceSettingsOnly(deps.sources);
    const hero = customer.hero;
    const then = runningTarget(
      await settingsOf(tx, was.sourceId, { hero, facts: factsBefore }),
      was,
      factsBefore,
    );
    const settings = await settingsOf(tx, conversation.sourceId, { hero, facts });
    const running = runningTarget(settings, conversation, facts);
    if (
      running &&
      (running.clock.targetMs !== then?.clock.targetMs || running.due?.getTime() !== then?.due?.getTime())
    ) {
      // The steps set for the old instants find them moved and do nothing.
      await scheduleTargetChecks(tx, settings, conversation, facts);
      effects.target = { kind: running.clock.kind, due: running.due };
    }

    const waitsForHero = conversation.heroWaitUntil !== null && conversation.heroWaitUntil > event.at;
    if (conversation.status === "open" && conversation.assigneeId === null && !waitsForHero) {
      const rules = await tx.rules.list();
      const rule = matchingRule(rules, facts);
      if (rule?.id !== matchingRule(rules, factsBefore)?.id)
        effects.routed = {
          rule: rule ? ruleLine(rule) : null,
          went: await routeAgain(tx, conversation, rule),
        };
    }
    return effects;
  }

  /** Routes a queued conversation again under the rule that holds now, and says where it went. */
  async function routeAgain(tx: Repositories, c: Conversation, rule: Rule | undefined): Promise<WhereItWent> {
    const went = await whereItWent(tx, deps, c.id);
    // Still waiting, now for the rule's team: the history says so, as for a new conversation.
    if (rule && "waits" in went && went.waits === "anyone")
      await tx.events.record({
        kind: "queue",
        conversationId: c.id,
        toTeamId: rule.teamId,
        reason: "rule",
        detail: ruleText(rule),
        at: now(),
      });
    return went;
  }

  return { tag: retag(true), untag: retag(false), priority };
}

const ruleLine = (rule: Rule) => ({ text: ruleText(rule), team: rule.teamName });
