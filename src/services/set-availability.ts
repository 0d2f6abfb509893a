// An agent sets their own availability. Going offline keeps their open conversations (they stay
// theirs; managers can move them with `/desk reassign`); coming online takes from the queue.
import type { Availability } from "../core/domain.ts";
import { plural } from "../core/slack-text.ts";
import { enqueueHomeRefresh, enqueueQueueCheck } from "../outbox/jobs.ts";
import { ADD_YOURSELF_FIRST, authorize, type DeskDeps, done, type Outcome } from "./context.ts";

/** `/desk status`: where the person stands, and how to change it. */
export function createShowAvailability(deps: DeskDeps) {
  return (input: { userId: string }): Promise<Outcome> =>
    deps.store.transaction(async (tx) => {
      const auth = await authorize(tx, deps, input.userId, "status");
      if (!auth.ok) return auth.outcome;
      const me = auth.actor.agent;
      if (!me) return ADD_YOURSELF_FIRST;
      const held = `${plural(me.openCount, "open conversation")}${me.capacity ? ` of ${me.capacity}` : " (no capacity limit)"}`;
      const others = (["online", "away", "offline"] as const).filter((s) => s !== me.status);
      return done(
        `You are ${me.status}, with ${held}. Change it with ${others.map((s) => `\`/desk status ${s}\``).join(" or ")}.`,
      );
    });
}

export function createSetAvailability(deps: DeskDeps) {
  return (input: { userId: string; availability: Availability }): Promise<Outcome> =>
    deps.store.transaction(async (tx) => {
      const auth = await authorize(tx, deps, input.userId, "status");
      if (!auth.ok) return auth.outcome;
      const me = auth.actor.agent;
      if (!me) return ADD_YOURSELF_FIRST;
      if (me.status !== input.availability) {
        await tx.agents.update(me.id, { status: input.availability });
        await enqueueHomeRefresh(tx, { agents: [me.id], team: true });
      }
      if (input.availability === "online") await enqueueQueueCheck(tx);
      const open = me.openCount;
      const note =
        input.availability === "online"
          ? "New conversations can reach you."
          : `New conversations go to others.${open ? ` ${open === 1 ? "Your open conversation stays" : `Your ${plural(open, "open conversation")} stay`} yours.` : ""}`;
      return done(`You are ${input.availability}. ${note}`);
    });
}
