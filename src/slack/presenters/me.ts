// Answers about oneself (status, subscriptions) and the lists any agent reads (history, queue).
import { AVAILABILITIES } from "../../core/domain.ts";
import type { TargetNow, TargetState } from "../../core/response-targets.ts";
import { escapeSlackText as esc, plural, slackDate } from "../../core/slack-text.ts";
import { formatDuration } from "../../core/summary.ts";
import { PRIORITY_LABEL, priorityOf, type Triage, tagsText } from "../../core/triage.ts";
import type { Histories } from "../../services/conversation-history.ts";
import type { Availabilities } from "../../services/set-availability.ts";
import type { Subscriptions } from "../../services/subscriptions.ts";
import type { HistoryEntry } from "../../store/events.ts";
import { type DonePresenters, mention, type RefusalPresenters } from "./types.ts";

/** `#42`, linked to its thread when the link is known. */
const numbered = (c: { conversation: number; link: string | null }) =>
  c.link ? `<${c.link}|#${c.conversation}>` : `#${c.conversation}`;

export const AVAILABILITY_DONE: DonePresenters<Availabilities> = {
  availability: (a) => {
    const held = `${plural(a.open, "open conversation")}${a.capacity ? ` of ${a.capacity}` : " (no capacity limit)"}`;
    const others = AVAILABILITIES.filter((s) => s !== a.status);
    const lines = a.conversations.map(
      (c) =>
        `${numbered(c)}${triageText(c.triage)} · ${esc(c.customer)} · ${c.source} · ${c.waitedMs === null ? "answered, waiting on the customer" : `waiting ${formatDuration(c.waitedMs)} for an answer`}${targetText(c.target)}`,
    );
    const more = a.open > lines.length && lines.length ? [`_…and ${a.open - lines.length} more_`] : [];
    return [
      `You are ${a.status}, with ${held}. Change it with ${others.map((s) => `\`/desk status ${s}\``).join(" or ")}.`,
      ...lines,
      ...more,
    ].join("\n");
  },
  availability_set: (a) => {
    const note =
      a.status === "online"
        ? "New conversations can reach you."
        : `New conversations go to others.${a.open ? ` ${a.open === 1 ? "Your open conversation stays" : `Your ${plural(a.open, "open conversation")} stay`} yours.` : ""}`;
    return `You are ${a.status}. ${note}`;
  },
};

export const SUBSCRIPTIONS_DONE: DonePresenters<Subscriptions> = {
  subscription_unchanged: (a) =>
    a.on
      ? `You already hear about every message of \`${a.source}\`'s unassigned conversations.`
      : `You were not subscribed to \`${a.source}\`; nothing changed.`,
  subscribed: (a) =>
    a.on
      ? `You will hear about every message of \`${a.source}\`'s unassigned conversations.`
      : `You will no longer hear about \`${a.source}\`'s unassigned conversations.`,
};

export const SUBSCRIPTIONS_REFUSED: RefusalPresenters<Subscriptions> = {
  no_source: (r) =>
    `There is no source \`${esc(r.source)}\`. Sources: ${r.sources.map((k) => `\`${k}\``).join(", ")}.`,
};

const STATES: Readonly<Record<TargetState, string>> = {
  on_track: "on track",
  at_risk: ":warning: at risk",
  breached: ":red_circle: breached",
};

/** " · :rotating_light: Urgent · `billing`": the priority unless normal, and the tags. */
function triageText(t: Triage): string {
  const parts = [
    ...(t.priority === "normal" ? [] : [PRIORITY_LABEL[t.priority]]),
    ...(t.tags.length ? [tagsText(t.tags)] : []),
  ];
  return parts.map((p) => ` · ${p}`).join("");
}

/** " · first response due <date> (at risk)", when a target runs. */
function targetText(target: TargetNow | null): string {
  if (!target) return "";
  const what = target.kind === "first" ? "first response" : "next response";
  const due = target.due ? `due ${slackDate(target.due)}` : "no due time (the desk never opens)";
  return ` · ${what} ${due} (${STATES[target.state]})`;
}

const REASONS: Record<string, string> = {
  routed: "routed",
  rule: "routed by a rule",
  hero: "to the hero",
  claimed: "claimed",
  manual: "by hand",
  bulk: "bulk reassign",
  queue: "from the queue",
  escalated: "taken back: unanswered past its response target",
  removed: "removed",
};

function historyLine(e: HistoryEntry): string {
  const who = e.actorSlackId ? ` by ${mention(e.actorSlackId)}` : "";
  const when = slackDate(e.createdAt);
  const to = e.toSlackId
    ? mention(e.toSlackId)
    : e.toTeamId !== null
      ? e.teamName
        ? `team ${esc(e.teamName)}`
        : "a team since removed"
      : null;
  const rule = e.detail ? ` ${esc(e.detail)}` : "";
  if (e.kind === "hero") return `${when} · hero ${e.reason === "removed" ? "removed" : `set to ${to}`}${who}`;
  if (e.kind === "status")
    return e.reason === "auto_closed"
      ? `${when} · closed automatically${rule ? ` (${rule.trim()})` : ""}`
      : `${when} · ${e.reason === "closed" ? "closed" : "reopened"}${who || (e.reason === "reopened" ? ` (${e.detail ? esc(e.detail) : "the customer wrote again"})` : "")}`;
  if (e.kind === "queue") return `${when} · waits for ${to ?? "a team"} (rule${rule})`;
  if (e.kind === "tags") {
    const tags = tagsText((e.detail ?? "").split(" ").filter(Boolean));
    return `${when} · ${e.reason === "untagged" ? "untagged" : "tagged"} ${tags}${who}`;
  }
  if (e.kind === "priority") {
    const priority = priorityOf(e.detail ?? "");
    return `${when} · priority set to ${priority ? PRIORITY_LABEL[priority] : esc(e.detail ?? "?")}${who}`;
  }
  const why =
    e.reason === "rule" && rule
      ? `routed by the rule${rule}`
      : e.reason === "queue" && rule
        ? `from the queue, by the rule${rule}`
        : (REASONS[e.reason] ?? e.reason);
  return `${when} · ${to ? `assigned to ${to}` : "back to the queue"} (${why})${who}`;
}

export const HISTORIES_DONE: DonePresenters<Histories> = {
  history: (a) =>
    `*History of #${a.conversation}*\n${a.entries.length ? a.entries.map(historyLine).join("\n") : "_No assignment yet._"}`,
  queue: (a) =>
    a.waiting.length
      ? `*Queue* (urgent and high first, then the oldest)\n${a.waiting
          .map(
            (c) =>
              `${numbered(c)}${triageText(c.triage)} · ${esc(c.customer)} · ${c.source} · waiting ${formatDuration(c.waitedMs)}, since ${slackDate(c.since)} · for ${
                "hero" in c.waitsFor
                  ? "the customer's hero"
                  : "team" in c.waitsFor
                    ? `team ${esc(c.waitsFor.team)}`
                    : "anyone free"
              }${targetText(c.target)}`,
          )
          .join("\n")}`
      : "The queue is empty: every open conversation has someone.",
};
