// Slack problems a person must fix (src/core/slack-failures.ts): the admins are told when one is
// first met and when it is fixed (DM and App Home), and `/desk waiting` shows what waits and why.
import { problemAdvice, waitingLine } from "../core/problem-advice.ts";
import { fitEscaped } from "../core/slack-fit.ts";
import { plural } from "../core/slack-text.ts";
import { PACE_PREFIX } from "../outbox/errors.ts";
import { enqueueHomeRefresh, enqueueProblemNotice } from "../outbox/jobs.ts";
import type { ProblemHooks } from "../outbox/worker.ts";
import { authorize, type DeskDeps, done, type Outcome } from "./context.ts";

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
  const waiting = (input: { userId: string }): Promise<Outcome> =>
    deps.store.transaction(async (tx) => {
      const auth = await authorize(tx, deps, input.userId, "waiting");
      if (!auth.ok) return auth.outcome;
      const problems = await tx.problems.open();
      const lanes = await tx.outbox.retrying(50);
      const retrying = lanes.filter((r) => !r.waitingOn);
      const paced = lanes.filter((r) => r.waitingOn?.startsWith(PACE_PREFIX));
      if (!problems.length && !retrying.length && !paced.length)
        return done("Nothing is waiting: everything HeroDesk has to send has gone out.");
      const lines: string[] = [];
      if (problems.length) {
        lines.push(
          `*${plural(problems.length, "problem")} ${problems.length === 1 ? "needs" : "need"} a person:*`,
        );
        for (const p of problems) lines.push(`• ${problemAdvice(p)} ${waitingLine(p.waiting)}`);
      }
      if (retrying.length) {
        lines.push("*Retrying by itself* (Slack or a reply endpoint was busy or down):");
        for (const r of retrying.slice(0, 10))
          lines.push(
            `• ${laneLabel(r.lane)}: ${plural(r.count, "item")}, last error \`${fitEscaped(r.lastError ?? "", 120).replace(/`/g, "'")}\``,
          );
        if (retrying.length > 10) lines.push(`…and ${plural(retrying.length - 10, "more lane")}.`);
      }
      if (paced.length) {
        const methods = [...new Set(paced.map((r) => `\`${r.waitingOn!.slice(PACE_PREFIX.length)}\``))].join(
          ", ",
        );
        const items = paced.reduce((n, r) => n + r.count, 0);
        lines.push(
          `*Keeping to Slack's rate limits* (${methods}): ${plural(items, "item")}, going out by itself.`,
        );
      }
      if (problems.length)
        lines.push(
          "Once it is fixed, `/desk waiting retry` sends what waits at once (it also retries by itself every few minutes).",
        );
      return done(lines.join("\n"));
    });

  /** `/desk waiting retry`: an admin fixed something; what waited on a person goes now. */
  const retryWaiting = (input: { userId: string }): Promise<Outcome> =>
    deps.store.transaction(async (tx) => {
      const auth = await authorize(tx, deps, input.userId, "waiting_retry");
      if (!auth.ok) return auth.outcome;
      const problems = await tx.problems.open();
      // Still waiting on the problem: the first to get through resolves it and wakes the rest.
      const lanes = await tx.outbox.wake(
        problems.map((p) => p.key),
        new Date(),
        { stillWaiting: true },
      );
      return done(
        lanes.length
          ? `Trying again now: what waited in ${plural(lanes.length, "place")} goes out if the problem is fixed (you will hear it is); if not, it keeps waiting and \`/desk waiting\` still lists it.`
          : "Nothing was waiting on a person.",
      );
    });

  return { hooks: tellAdmins, waiting, retryWaiting };
}

export type ProblemServices = ReturnType<typeof createProblemServices>;

/** An outbox lane, in the words of the person reading `/desk waiting`. */
function laneLabel(lane: string): string {
  const [kind, id] = lane.split(":");
  if (kind === "slack" && id) return /^[UW]/.test(id) ? `DMs to <@${id}>` : `<#${id}>`;
  if (kind === "cards" && id) return `card updates in <#${id}>`;
  if (kind === "reply") return `replies of conversation #${id}`;
  if (kind === "home") return `App Home of <@${id}>`;
  return lane;
}
