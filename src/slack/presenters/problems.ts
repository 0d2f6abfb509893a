// `/desk waiting` and `/desk waiting retry`: what HeroDesk holds back, and why.
import { problemAdvice, waitingLine } from "../../core/problem-advice.ts";
import { fitEscaped } from "../../core/slack-fit.ts";
import { plural } from "../../core/slack-text.ts";
import type { Problems } from "../../services/slack-problems.ts";
import type { DonePresenters } from "./types.ts";

/** An outbox lane, in the words of the person reading `/desk waiting`. */
function laneLabel(lane: string): string {
  const [kind, id] = lane.split(":");
  if (kind === "slack" && id) return /^[UW]/.test(id) ? `DMs to <@${id}>` : `<#${id}>`;
  if (kind === "cards" && id) return `card updates in <#${id}>`;
  if (kind === "reply") return `replies of conversation #${id}`;
  if (kind === "home") return `App Home of <@${id}>`;
  return lane;
}

export const PROBLEMS_DONE: DonePresenters<Problems> = {
  waiting: ({ problems, retrying, paced }) => {
    if (!problems.length && !retrying.length && !paced.length)
      return "Nothing is waiting: everything HeroDesk has to send has gone out.";
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
      const methods = [...new Set(paced.map((r) => `\`${r.method}\``))].join(", ");
      const items = paced.reduce((n, r) => n + r.count, 0);
      lines.push(
        `*Keeping to Slack's rate limits* (${methods}): ${plural(items, "item")}, going out by itself.`,
      );
    }
    if (problems.length)
      lines.push(
        "Once it is fixed, `/desk waiting retry` sends what waits at once (it also retries by itself every few minutes).",
      );
    return lines.join("\n");
  },
  retrying: (a) =>
    a.places
      ? `Trying again now: what waited in ${plural(a.places, "place")} goes out if the problem is fixed (you will hear it is); if not, it keeps waiting and \`/desk waiting\` still lists it.`
      : "Nothing was waiting on a person.",
};
