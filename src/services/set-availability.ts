// An agent sets their own availability. Going offline keeps their open conversations (they stay
// theirs; managers can move them with `/desk reassign`); coming online takes from the queue.
import type { Availability } from "../core/domain.ts";
import { enqueueHomeRefresh, enqueueQueueCheck } from "../outbox/jobs.ts";
import type { Actor, DeskDeps } from "./desk-deps.ts";
import { allowed } from "./guard.ts";
import type { Answer } from "./results.ts";

export type Availabilities =
  | { done: "availability"; status: Availability; open: number; capacity: number }
  | { done: "availability_set"; status: Availability; open: number };

/** `/desk status`: where the person stands, and how to change it. */
export function createShowAvailability(deps: DeskDeps) {
  return (actor: Actor): Promise<Answer> =>
    allowed(deps, "status", actor.userId, async (_tx, { agent: me }) =>
      me
        ? { done: "availability", status: me.status, open: me.openCount, capacity: me.capacity }
        : { refused: "add_yourself_first" },
    );
}

export function createSetAvailability(deps: DeskDeps) {
  return (actor: Actor, input: { availability: Availability }): Promise<Answer> =>
    allowed(deps, "status", actor.userId, async (tx, { agent: me }): Promise<Answer> => {
      if (!me) return { refused: "add_yourself_first" };
      if (me.status !== input.availability) {
        await tx.agents.update(me.id, { status: input.availability });
        await enqueueHomeRefresh(tx, { agents: [me.id], team: true });
      }
      if (input.availability === "online") await enqueueQueueCheck(tx);
      return { done: "availability_set", status: input.availability, open: me.openCount };
    });
}
