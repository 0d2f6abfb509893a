// Slack problems a person must fix (src/core/slack-failures.ts): the admins are told when one is
// first met and when it is fixed (DM and App Home), and `/desk waiting` shows what waits and why.
import { PACE_PREFIX } from "../outbox/errors.ts";
import { enqueueHomeRefresh, enqueueProblemNotice } from "../outbox/jobs.ts";
import type { ProblemHooks } from "../outbox/worker.ts";
import type { OpenProblem } from "../store/problems.ts";
import type { Actor, DeskDeps } from "./desk-deps.ts";
import { allowed } from "./guard.ts";
import type { Answer } from "./results.ts";

/** A lane whose items failed and retry by themselves. */
export interface RetryingLane {
  lane: string;
  count: number;
  lastError: string | null;
}

export type Problems =
  | {
      done: "waiting";
      problems: OpenProblem[];
      retrying: RetryingLane[];
      /** Items held back to keep to Slack's rate limits, by Web API method. */
      paced: { method: string; count: number }[];
    }
  | { done: "retrying"; places: number };

export function createProblemServices(deps: DeskDeps) {
  /** The bootstrap admins (the config file's) are the ones who can fix Slack's side. */
  const tellAdmins: ProblemHooks = {
    async opened(tx, problem) {
      for (const userId of deps.admins)
        await enqueueProblemNotice(tx, { userId, problemKey: problem.key, state: "opened" });
      await enqueueHomeRefresh(tx, { team: true });
    },
    async resolved(tx, keys) {
      for (const problemKey of keys)
        for (const userId of deps.admins)
          await enqueueProblemNotice(tx, { userId, problemKey, state: "resolved" });
      await enqueueHomeRefresh(tx, { team: true });
    },
  };

  /** `/desk waiting`: every open problem with what to do, and the work retrying for other reasons. */
  const waiting = (actor: Actor): Promise<Answer> =>
    allowed(deps, "waiting", actor.userId, async (tx) => {
      const problems = await tx.problems.open();
      const lanes = await tx.outbox.retrying(50);
      const paced = lanes.filter((r) => r.waitingOn?.startsWith(PACE_PREFIX));
      return {
        done: "waiting",
        problems,
        retrying: lanes.filter((r) => !r.waitingOn),
        paced: paced.map((r) => ({ method: r.waitingOn!.slice(PACE_PREFIX.length), count: r.count })),
      };
    });

  /** `/desk waiting retry`: an admin fixed something; what waited on a person goes now. */
  const retryWaiting = (actor: Actor): Promise<Answer> =>
    allowed(deps, "waiting_retry", actor.userId, async (tx) => {
      const problems = await tx.problems.open();
      // Still waiting on the problem: the first to get through resolves it and wakes the rest.
      const lanes = await tx.outbox.wake(
        problems.map((p) => p.key),
        new Date(),
        { stillWaiting: true },
      );
      return { done: "retrying", places: lanes.length };
    });

  return { hooks: tellAdmins, waiting, retryWaiting };
}

export type ProblemServices = ReturnType<typeof createProblemServices>;
