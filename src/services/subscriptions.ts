// An agent's own source subscriptions: told about every message of a source's unassigned
// conversations.
import type { Actor, DeskDeps } from "./desk-deps.ts";
import { allowed } from "./guard.ts";
import type { Answer } from "./results.ts";

export type Subscriptions =
  | { refused: "no_source"; source: string; sources: string[] }
  | { done: "subscribed"; source: string; on: boolean }
  /** Already as asked: subscribed (on), or not subscribed. */
  | { done: "subscription_unchanged"; source: string; on: boolean };

export function createSubscriptions(deps: DeskDeps) {
  const subscription =
    (on: boolean) =>
    (actor: Actor, input: { source: string }): Promise<Answer> =>
      allowed(deps, "subscribe", actor.userId, async (tx, { agent: me }): Promise<Answer> => {
        if (!me) return { refused: "add_yourself_first" };
        // By id as configured, by id in any capitals, or by its channel.
        const wanted = input.source.toLowerCase();
        const source =
          deps.sources.get(input.source) ??
          [...deps.sources.values()].find(
            (s) => s.id.toLowerCase() === wanted || s.slackChannel === input.source,
          );
        if (!source) return { refused: "no_source", source: input.source, sources: [...deps.sources.keys()] };
        const changed = on
          ? await tx.agents.subscribe(me.id, source.id)
          : await tx.agents.unsubscribe(me.id, source.id);
        return { done: changed ? "subscribed" : "subscription_unchanged", source: source.id, on };
      });
  return { subscribe: subscription(true), unsubscribe: subscription(false) };
}
