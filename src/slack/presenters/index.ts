// A use case's answer (src/services/results.ts) as the mrkdwn a person reads. Every sentence is
// written once, in the presenter of its result.
import type { Answer, Done, Refused } from "../../services/results.ts";
import { helpText } from "../blocks/help.ts";
import { CONVERSATIONS_DONE, CONVERSATIONS_REFUSED } from "./conversations.ts";
import { HEROES_DONE, HEROES_REFUSED } from "./heroes.ts";
import { AVAILABILITY_DONE, HISTORIES_DONE, SUBSCRIPTIONS_DONE, SUBSCRIPTIONS_REFUSED } from "./me.ts";
import { PROBLEMS_DONE } from "./problems.ts";
import { REFUSALS } from "./refusals.ts";
import {
  AGENTS_DONE,
  AGENTS_REFUSED,
  CHANNELS_DONE,
  CHANNELS_REFUSED,
  RULES_DONE,
  RULES_REFUSED,
  TEAMS_DONE,
  TEAMS_REFUSED,
} from "./setup.ts";
import { TRIAGE_DONE, TRIAGE_REFUSED } from "./triage.ts";
import type { DonePresenters, RefusalPresenters } from "./types.ts";

const DONE: DonePresenters<Done> = {
  ...CONVERSATIONS_DONE,
  ...HEROES_DONE,
  ...AVAILABILITY_DONE,
  ...SUBSCRIPTIONS_DONE,
  ...HISTORIES_DONE,
  ...PROBLEMS_DONE,
  ...AGENTS_DONE,
  ...CHANNELS_DONE,
  ...TEAMS_DONE,
  ...RULES_DONE,
  ...TRIAGE_DONE,
  help: (a) => helpText(a.topic, a.role, { managersCanSetHeroes: a.managersCanSetHeroes }),
  summary_posting: (a) => `Posting the assignment summary in <#${a.channel}> now.`,
  page: (a) => (a.team ? `Page ${a.page + 1} of the team.` : `Page ${a.page + 1}.`),
};

const REFUSED: RefusalPresenters<Refused> = {
  ...REFUSALS,
  ...CONVERSATIONS_REFUSED,
  ...HEROES_REFUSED,
  ...SUBSCRIPTIONS_REFUSED,
  ...AGENTS_REFUSED,
  ...CHANNELS_REFUSED,
  ...TEAMS_REFUSED,
  ...RULES_REFUSED,
  ...TRIAGE_REFUSED,
};

/** The answer in words (Slack mrkdwn). */
export function present(answer: Answer): string {
  if ("done" in answer) return (DONE[answer.done] as (a: Answer) => string)(answer);
  return (REFUSED[answer.refused] as (a: Answer) => string)(answer);
}
