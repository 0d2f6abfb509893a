// Answers about the setup: agents, roles, capacities, teams and routing rules.

import type { Role } from "../../core/domain.ts";
import { escapeSlackText as esc, plural } from "../../core/slack-text.ts";
import { TRIAGE_ATTRIBUTES } from "../../core/triage.ts";
import type { ChannelChange } from "../../services/customer-channel-membership.ts";
import type { SetupAgents } from "../../services/setup-agents.ts";
import { RULE_HINT_NAMES, type RuleLine, type SetupRules } from "../../services/setup-rules.ts";
import type { SetupTeams } from "../../services/setup-teams.ts";
import { whereItWent } from "./conversations.ts";
import { type DonePresenters, mention, type RefusalPresenters } from "./types.ts";

const article = (role: Role) => (role === "manager" ? "a" : "an");
const heroLoss = (customers: number) =>
  `the Dedicated Hero of ${plural(customers, "customer")}, who ${customers === 1 ? "has" : "have"} none now.`;
const capacityText = (capacity: number) =>
  capacity ? `up to ${plural(capacity, "open conversation")}` : "no capacity limit";

function rulesText(rules: readonly RuleLine[]): string {
  if (!rules.length) return "No routing rules: every conversation goes to all agents.";
  return rules
    .map((r, i) => `${i + 1}. ${esc(r.attribute)} = ${esc(r.value)} → team ${esc(r.teamName)}`)
    .join("\n");
}

export const AGENTS_DONE: DonePresenters<SetupAgents> = {
  agent_unchanged: (a) =>
    `${mention(a.person)} is already ${article(a.role)} ${a.role} (${capacityText(a.capacity)}). ` +
    "Change that with `/desk role @them manager` or `/desk agent capacity @them 5`.",
  agent_added: (a) => {
    const defaultNote = a.byDefault
      ? `: the default; \`/desk agent capacity @them ${a.capacity || 5}\` changes it`
      : "";
    const what = `a HeroDesk ${a.role} (${capacityText(a.capacity)}${defaultNote})`;
    if (a.was === "active") return `${mention(a.person)} is now ${what}.`;
    return `${mention(a.person)} is ${what}${a.was === "removed" ? " again" : ""}. They go online with \`/desk status online\`.`;
  },
  agent_removed: (a) => {
    const notes = [
      a.heroOf ? `They were ${heroLoss(a.heroOf)}` : "",
      a.moves.length
        ? `Their ${plural(a.moves.length, "open conversation")} went back to routing:\n${a.moves
            .map((m) => `• #${m.conversation} ${whereItWent(m.went)}`)
            .join("\n")}`
        : "",
    ].filter(Boolean);
    return `${mention(a.person)} is no longer a HeroDesk agent.${notes.map((n) => ` ${n}`).join("")}`;
  },
  capacity_set: (a) =>
    `${mention(a.person)} can hold ${a.capacity ? `up to ${plural(a.capacity, "open conversation")}` : "any number of open conversations"}.`,
  role_set: (a) => `${mention(a.person)} is now ${article(a.role)} ${a.role}.`,
  agents: (a) =>
    a.agents.length
      ? a.agents
          .map(
            (x) =>
              `${mention(x.userId)}: ${x.role}, ${x.status}, ${x.open} open${x.capacity ? ` of ${x.capacity}` : ""}`,
          )
          .join("\n")
      : "No agents yet: `/desk agent add @someone`.",
};

export const AGENTS_REFUSED: RefusalPresenters<SetupAgents> = {
  unfit: (r) => `${mention(r.person)} ${r.why}, so they cannot be a HeroDesk agent.`,
};

export const TEAMS_DONE: DonePresenters<SetupTeams> = {
  team_added: (a) =>
    `Team ${esc(a.team)} created. Add people with \`/desk team join ${esc(a.team)} @someone\`.`,
  team_removed: (a) => {
    const ruleNote = a.rules.length
      ? `, with its ${a.rules.length === 1 ? "routing rule" : `${a.rules.length} routing rules`} (${a.rules
          .map((r) => `${esc(r.attribute)} = ${esc(r.value)}`)
          .join("; ")}): those customers go to all agents now`
      : " (no routing rule sent conversations to it)";
    return `Team ${esc(a.team)} removed${ruleNote}.${a.heroOf ? ` It was ${heroLoss(a.heroOf)}` : ""}`;
  },
  team_members: (a) => {
    const lines: string[] = [];
    if (a.changed.length)
      lines.push(`${a.changed.map(mention).join(", ")} ${a.join ? "joined" : "left"} team ${esc(a.team)}.`);
    if (a.unchanged.length)
      lines.push(
        `${a.unchanged.map(mention).join(", ")} ${a.join ? "already in" : "not in"} team ${esc(a.team)}.`,
      );
    return lines.join("\n");
  },
  teams: (a) =>
    a.teams.length
      ? a.teams
          .map((t) => `*${esc(t.name)}*: ${t.members.map(mention).join(", ") || "_nobody yet_"}`)
          .join("\n")
      : "No teams yet: `/desk team add Tier 2`.",
};

export const TEAMS_REFUSED: RefusalPresenters<SetupTeams> = {
  team_exists: (r) => `Team ${esc(r.team)} exists already.`,
};

export const RULES_DONE: DonePresenters<SetupRules> = {
  rule_added: (a) => {
    const { attribute, value, teamName } = a.rule;
    const seen = a.unseen?.seen;
    const warning = !seen
      ? ""
      : `\n:warning: No customer has sent the attribute ${esc(attribute)} yet, so this rule matches nobody for now. ${
          seen.length
            ? `Attributes customers have sent: ${seen.map(esc).join(", ")}${seen.length === RULE_HINT_NAMES ? ", …" : ""}.`
            : "No customer has sent any attributes yet."
        }`;
    // `tag` and `priority` are the conversation's, not the customer's.
    const who = (TRIAGE_ATTRIBUTES as readonly string[]).includes(attribute.toLowerCase())
      ? "conversations"
      : "customers";
    return `Rule added: ${who} with ${esc(attribute)} = ${esc(value)} go to team ${esc(teamName)}.${warning}\n${rulesText(a.rules)}`;
  },
  rule_removed: (a) => `Rule ${a.position} removed.\n${rulesText(a.rules)}`,
  rule_moved: (a) => `Rule moved.\n${rulesText(a.rules)}`,
  rules: (a) => rulesText(a.rules),
};

export const RULES_REFUSED: RefusalPresenters<SetupRules> = {
  rule_repeats: (r) =>
    `Rule ${r.position} already sends ${esc(r.rule.attribute)} = ${esc(r.rule.value)} to team ${esc(r.rule.teamName)}, and the first match wins; remove it first (\`/desk rule remove ${r.position}\`) to send them elsewhere.`,
  no_rule: (r) => `There is no rule ${r.position}.\n${rulesText(r.rules)}`,
  no_rules: () => "There are no rules yet: `/desk rule add language=es team Spanish`.",
  no_such_position: (r) => `Rules are numbered 1 to ${r.count}.`,
};

export const CHANNELS_DONE: DonePresenters<ChannelChange> = {
  channel_added: (a) =>
    `<#${a.channel}> is now a customer channel of \`${a.source}\`: customers' messages there become conversations. HeroDesk must be in it (invite it with \`/invite @HeroDesk\`).`,
  channel_removed: (a) =>
    `<#${a.channel}> is no longer a customer channel of \`${a.source}\`; its open conversations go on.`,
  channel_unchanged: (a) => `<#${a.channel}> was already as asked for \`${a.source}\`; nothing changed.`,
};

export const CHANNELS_REFUSED: RefusalPresenters<ChannelChange> = {
  no_invited_source: () =>
    'No source takes channels by invitation: give a source of kind slack `"customerChannels": "invited"` in the config file (listed channels are changed there).',
  internal_channel: (r) =>
    `<#${r.channel}> is listed in the config file, or a triage or escalation channel: customers must never see HeroDesk's own channels.`,
};
