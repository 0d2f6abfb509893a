// Answers to `/desk tag`, `/desk untag` and `/desk priority`, and what the change led to.
import { escapeSlackText as esc, slackDate } from "../../core/slack-text.ts";
import { PRIORITY_LABEL, tagsText } from "../../core/triage.ts";
import type { Triaged, TriageEffects } from "../../services/triage.ts";
import { type DonePresenters, mention, type RefusalPresenters } from "./types.ts";

const tagsNow = (tags: readonly string[]) => (tags.length ? `Tags: ${tagsText(tags)}.` : "No tags now.");

/** " Its first response is now due …", " The rule … sends it to team …: it went to @bob." */
function effectsText(e: TriageEffects): string {
  const parts: string[] = [];
  if (e.target) {
    const what = e.target.kind === "first" ? "first response" : "next response";
    parts.push(`Its ${what} is now due ${e.target.due ? slackDate(e.target.due) : "when the desk opens"}.`);
  }
  if (e.routed) {
    const { rule, went } = e.routed;
    const where =
      "to" in went
        ? `it went to ${mention(went.to)} at once.`
        : went.waits === "hero"
          ? "it waits for the customer's busy hero."
          : rule
            ? "it waits there for someone free."
            : "it waits for anyone free.";
    parts.push(
      rule
        ? `The rule ${esc(rule.text)} sends it to team ${esc(rule.team)}: ${where}`
        : `No routing rule holds for it any more: ${where}`,
    );
  }
  return parts.map((p) => ` ${p}`).join("");
}

export const TRIAGE_DONE: DonePresenters<Triaged> = {
  tags_set: (a) =>
    `#${a.conversation} is ${a.adding ? "" : "no longer "}tagged ${tagsText(a.changed)}. ${tagsNow(a.tags)}${effectsText(a.effects)}`,
  tags_unchanged: (a) =>
    a.adding
      ? `#${a.conversation} already has ${a.asked.length === 1 ? "that tag" : "those tags"}; nothing changed. ${tagsNow(a.tags)}`
      : `#${a.conversation} has no tag ${tagsText(a.asked)}; nothing changed. ${a.tags.length ? `Its tags: ${tagsText(a.tags)}.` : "It has no tags."}`,
  priority_set: (a) =>
    `#${a.conversation} is now ${PRIORITY_LABEL[a.priority]} priority (it was ${a.was}).${effectsText(a.effects)}`,
  priority_unchanged: (a) => `#${a.conversation} is already ${a.priority} priority; nothing changed.`,
};

export const TRIAGE_REFUSED: RefusalPresenters<Triaged> = {
  too_many_tags: (r) =>
    `#${r.conversation} can have at most ${r.max} tags and has ${r.tags.length}: remove some first with \`/desk untag #${r.conversation} …\`. ${tagsNow(r.tags)}`,
};
