// `/desk help` in mrkdwn, from the command table (src/core/desk/): the sections, their lines, who
// may run each (read from the permission rules) and the notes of a topic. Pure.

import { show } from "../../core/desk/args.ts";
import { DESK_GROUPS, HELP_TOPICS, type HelpLine } from "../../core/desk/index.ts";
import type { Role } from "../../core/domain.ts";
import { type Action, can, whoMay } from "../../core/permissions.ts";
import { escapeSlackText } from "../../core/slack-text.ts";

export { HELP_TOPICS };

/** Who may set heroes, as the help a person is shown needs to know it (config `managersCanSetHeroes`). */
export interface HelpContext {
  managersCanSetHeroes: boolean;
}

type Group = (typeof DESK_GROUPS)[number];
interface Line extends HelpLine {
  action: Action | null;
}

const SECTIONS: readonly { group: Group; lines: readonly Line[] }[] = DESK_GROUPS.map((group) => ({
  group,
  lines: group.commands.flatMap((c) => c.help.map((line) => ({ ...line, action: c.action }))),
}));

const code = (syntax: string) => `\`/desk ${escapeSlackText(syntax)}\``;

function renderLine(line: Line): string {
  const who = line.action ? whoMay(line.action) : undefined;
  return `• ${code(line.syntax)}: ${line.meaning}${who ? ` _(${who})_` : ""}`;
}

function renderSection(group: Group, lines: readonly Line[]): string {
  const intro = "intro" in group ? ` ${group.intro}` : "";
  return [`*${group.title}*${intro}`, ...lines.map(renderLine)].join("\n");
}

/** Whether `role` may run a line; an assignee's command counts as theirs (any agent may be one). */
function mayRun(line: Line, role: Role, ctx: HelpContext): boolean {
  if (!line.action) return true;
  return can({ userId: "you", role }, line.action, { assigneeUserId: "you", ...ctx }).allowed;
}

const HEADER =
  "*HeroDesk* sends every customer conversation to the right agent. Type `/desk` and a command. " +
  "People are @mentions, conversations are the number on their card (#42), customers are their " +
  "customer id or email (`web:cust-1` when two sources use one id). Commands without a note work " +
  "for every agent.";
const FOOTER =
  "More on one topic: `/desk help hero`, `/desk help rule`, `/desk help team`, `/desk help status`.";

/**
 * What `/desk help` shows a person: the commands their role may run (everything, for an admin),
 * and where the rest is. Someone who is not an agent yet sees what an agent could run.
 */
function helpFor(role: Role | null, ctx: HelpContext): string {
  const mine = role ?? "agent";
  const mayRunHere = SECTIONS.map((s) => ({ ...s, lines: s.lines.filter((l) => mayRun(l, mine, ctx)) }));
  const hidden = SECTIONS.some((s) => s.lines.some((l) => !mayRun(l, mine, ctx)));
  const yours = role
    ? `These are the commands you can run as ${role === "manager" ? "a" : "an"} ${role}.`
    : "You're not a HeroDesk agent yet (an admin adds you with `/desk agent add @you`); these are what an agent can run.";
  return [
    `${HEADER} ${yours}`,
    ...mayRunHere.filter((s) => s.lines.length > 0).map((s) => renderSection(s.group, s.lines)),
    hidden
      ? `Every command, including those for ${mine === "manager" ? "admins" : "managers and admins"}: \`/desk help all\`. ${FOOTER}`
      : FOOTER,
  ].join("\n\n");
}

/**
 * Slack mrkdwn: one topic's lines and notes; with no topic, the commands `role` may run (the whole
 * help when no role is given, or on `/desk help all`).
 */
export function helpText(
  topic?: string,
  role?: Role | null,
  ctx: HelpContext = { managersCanSetHeroes: false },
): string {
  const full = [HEADER, ...SECTIONS.map((s) => renderSection(s.group, s.lines)), FOOTER].join("\n\n");
  const wanted = (topic ?? "")
    .trim()
    .toLowerCase()
    .replace(/^\/?desk\s+/, "");
  if (wanted === "" && role !== undefined) return helpFor(role, ctx);
  if (wanted === "" || wanted === "all") return full;
  const note = DESK_GROUPS.flatMap((g) => g.notes).find((n) => n.topics.includes(wanted));
  const noteText = note ? `\n\n${note.text}` : "";
  const whole = SECTIONS.find((s) => s.group.topics.includes(wanted));
  if (whole) return `${renderSection(whole.group, whole.lines)}${noteText}`;
  const sections = SECTIONS.map((s) => ({
    ...s,
    lines: s.lines.filter((l) => l.topics.includes(wanted)),
  })).filter((s) => s.lines.length > 0);
  if (sections.length === 0) {
    return `There's no help on ${show(escapeSlackText(wanted))}. Here is everything:\n\n${full}`;
  }
  return `${sections.map((s) => renderSection(s.group, s.lines)).join("\n\n")}${noteText}`;
}
