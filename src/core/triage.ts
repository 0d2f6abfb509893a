// Triage: a conversation's priority and tags, and the facts routing rules and response-target
// overrides match (the customer's attributes, and the conversation's `tag`s and `priority`). Pure.

export const PRIORITIES = ["low", "normal", "high", "urgent"] as const;
export type Priority = (typeof PRIORITIES)[number];
export const DEFAULT_PRIORITY: Priority = "normal";

/** Urgent first, then high, normal, low: the order `/desk queue` and routing take the queue in. */
export const QUEUE_ORDER: readonly Priority[] = ["urgent", "high", "normal", "low"];

export const TAG_LIMITS = { length: 32, perConversation: 20 } as const;

const TAG = /^[\p{L}\p{N}][\p{L}\p{N}_-]*$/u;

/** The priorities and what a tag is, in words, for refusals. */
export const PRIORITY_CHOICES = `${PRIORITIES.slice(0, -1).join(", ")} or ${PRIORITIES.at(-1)}`;
export const TAG_RULE = `letters, digits, - and _ (at most ${TAG_LIMITS.length} characters)`;

export function priorityOf(text: string): Priority | undefined {
  const w = text.trim().toLowerCase();
  return PRIORITIES.find((p) => p === w);
}

/** A tag as stored (trimmed, lower case), or undefined when it is not one: letters, digits, - and _. */
export function tagOf(text: string): string | undefined {
  const tag = text.trim().toLowerCase();
  return TAG.test(tag) && Array.from(tag).length <= TAG_LIMITS.length ? tag : undefined;
}

/** What the conversation itself adds to its customer's attributes. */
export interface Triage {
  tags: readonly string[];
  priority: Priority;
}

/**
 * What a routing rule or a target override (`attribute = value`) is matched against: the
 * customer's attributes, plus `tag` (each of the conversation's tags) and `priority`. Names and
 * values trimmed and lower case; a customer attribute named `tag` or `priority` counts too.
 */
export type Facts = ReadonlyMap<string, ReadonlySet<string>>;

const norm = (s: string) => s.trim().toLowerCase();

export function conversationFacts(attributes: Readonly<Record<string, string>>, triage?: Triage): Facts {
  const facts = new Map<string, Set<string>>();
  const add = (name: string, value: string) => {
    const key = norm(name);
    const values = facts.get(key) ?? new Set<string>();
    values.add(norm(value));
    facts.set(key, values);
  };
  for (const [name, value] of Object.entries(attributes)) add(name, String(value));
  if (triage) {
    for (const tag of triage.tags) add("tag", tag);
    add("priority", triage.priority);
  }
  return facts;
}

/** Whether `attribute = value` holds ("ES" matches "es"; `tag = billing` matches any tag). */
export function factsMatch(facts: Facts, condition: { attribute: string; value: string }): boolean {
  return facts.get(norm(condition.attribute))?.has(norm(condition.value)) ?? false;
}

/** The names rules may use whatever customers send. */
export const TRIAGE_ATTRIBUTES = ["tag", "priority"] as const;

/**
 * Why a rule or override condition on `tag` or `priority` can never hold (a priority that is not
 * one, a tag no one can set), to follow the value as the caller quotes it; or null.
 */
export function triageConditionProblem(attribute: string, value: string): string | null {
  const name = norm(attribute);
  if (name === "priority" && !priorityOf(value)) return `is not a priority: use ${PRIORITY_CHOICES}`;
  if (name === "tag" && !tagOf(value)) return `is not a tag: use ${TAG_RULE}`;
  return null;
}

/** The priority in words, as the card and the lists show it (normal goes without saying). */
export const PRIORITY_LABEL: Readonly<Record<Priority, string>> = {
  urgent: ":rotating_light: Urgent",
  high: ":arrow_up: High",
  normal: "Normal",
  low: ":arrow_down: Low",
};

/** Tags in mrkdwn: each in a code span (letters, digits, - and _ only: nothing to escape). */
export const tagsText = (tags: readonly string[]) => tags.map((t) => `\`${t}\``).join(" ");
