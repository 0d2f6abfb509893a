// Answers about Dedicated Heroes.
import { escapeSlackText as esc, plural } from "../../core/slack-text.ts";
import type { Heroes, HeroName, SubjectName } from "../../services/heroes.ts";
import { type DonePresenters, mention, type RefusalPresenters } from "./types.ts";

/** " (and 2 customers linked with them)": linked customers share one hero. */
const linkedNote = (linked: number) =>
  linked > 0 ? ` (and ${plural(linked, "customer")} linked with them)` : "";

const heroText = (hero: HeroName) =>
  "agent" in hero ? mention(hero.agent) : "team" in hero ? `team ${esc(hero.team)}` : "a removed agent";

const subjectText = (s: SubjectName) =>
  "customer" in s
    ? esc(s.customer)
    : "account" in s
      ? `the account ${esc(s.account)}`
      : "channel" in s
        ? `<#${s.channel}>`
        : `${esc(s.pending)} (from their first message)`;

/** What follows a new hero: for a customer, their open conversations stay put. */
const nextOnes = (s: SubjectName) =>
  "customer" in s
    ? "Their open conversations stay where they are; the next ones go to the hero first."
    : "pending" in s
      ? "Their conversations will go to the hero first."
      : "Open conversations stay where they are; the next ones go to the hero first, unless the customer has a hero of their own.";

export const HEROES_DONE: DonePresenters<Heroes> = {
  hero_set: (a) =>
    `${heroText(a.hero)} is now the Dedicated Hero of ${subjectText(a.subject)}${linkedNote(a.linked)}. ${nextOnes(a.subject)}`,
  hero_unchanged: (a) =>
    `${heroText(a.hero)} is already the Dedicated Hero of ${subjectText(a.subject)}; nothing changed.`,
  no_hero: (a) => `${subjectText(a.subject)} has no Dedicated Hero.`,
  hero_removed: (a) => `${subjectText(a.subject)}${linkedNote(a.linked)} has no Dedicated Hero any more.`,
  already_with_hero: (a) => `#${a.conversation} is already with the hero, ${mention(a.hero)}.`,
  with_hero: (a) => {
    const h = a.headsUp;
    const warning = !h
      ? ""
      : "away" in h
        ? ` Heads-up: they are ${h.away}, so they may not see it soon; \`/desk assign #${a.conversation} @someone\` moves it again.`
        : ` Heads-up: that takes them over their capacity (${h.over.open} open of ${h.over.capacity}).`;
    return `#${a.conversation} is back with the hero, ${mention(a.hero)}.${warning}`;
  },
  hero_is: (a) => `The Dedicated Hero of ${subjectText(a.subject)} is ${heroText(a.hero)}.`,
  may_make_hero: () => "",
};

export const HEROES_REFUSED: RefusalPresenters<Heroes> = {
  no_customer: (r) =>
    `No customer with id or email \`${esc(r.ref)}\`.${
      r.unknownSource
        ? ` There is no source \`${esc(r.unknownSource.source)}\` (sources: ${r.unknownSource.sources.map((s) => `\`${esc(s)}\``).join(", ")}).`
        : ""
    }${
      r.presetHint
        ? " To set the hero of a customer before they write, name them by email or as `source:id`; for an organisation, `account <name>`."
        : ""
    }`,
  no_account: (r) => `No account is called \`${esc(r.account)}\`.`,
  ambiguous_customer: (r) =>
    `\`${esc(r.ref)}\` names ${r.count} customers (${r.sharedEmail ? "customers who are not linked share this email" : "a customer id belongs to its source"}): say which, as ${r.forms.map((f) => `\`${esc(f)}\``).join(" or ")}.`,
  team_hero_busy: (r) => `Nobody in team ${esc(r.team)} is online with room for #${r.conversation}.`,
  hero_missing: (r) =>
    `${esc(r.customer)} has no Dedicated Hero; ${r.managersCanSet ? "a manager or an admin" : "an admin"} can set one with Make Hero.`,
};
