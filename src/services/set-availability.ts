// An agent sets their own availability. Going offline keeps their open conversations (they stay
// theirs; managers can move them with `/desk reassign`); coming online takes from the queue.
import type { Availability } from "../core/domain.ts";
import { authorize, type DeskDeps, done, type Outcome, refused } from "./context.ts";
import { enqueueHomeRefresh, enqueueQueueCheck } from "./outbox/jobs.ts";

export function createSetAvailability(deps: DeskDeps) {
  return (input: { userId: string; availability: Availability }): Promise<Outcome> =>
    deps.store.transaction(async (tx) => {
      const auth = await authorize(tx, deps, input.userId, "status");
      if (!auth.ok) return auth.outcome;
      const me = auth.actor.agent;
      if (!me) return refused("Add yourself as an agent first: `/desk agent add @you admin`.");
      if (me.status !== input.availability) {
        await tx.agents.update(me.id, { status: input.availability });
        await enqueueHomeRefresh(tx, { agents: [me.id], team: true });
      }
      if (input.availability === "online") await enqueueQueueCheck(tx);
      const open = me.openCount;
      const note =
        input.availability === "online"
          ? "New conversations can reach you."
          : `New conversations go to others.${open ? ` Your ${open} open conversation${open === 1 ? "" : "s"} stay yours.` : ""}`;
      return done(`You are ${input.availability}. ${note}`);
    });
}
