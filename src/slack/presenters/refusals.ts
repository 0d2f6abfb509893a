// The refusals several use cases share (src/services/results.ts).
import { NOT_AN_AGENT } from "../../core/permissions.ts";
import { escapeSlackText as esc } from "../../core/slack-text.ts";
import type { NotAnAgentFix, Refusal } from "../../services/results.ts";
import { mention, type RefusalPresenters } from "./types.ts";

const notAnAgentFix = (fix: NotAnAgentFix | undefined): string => {
  if (!fix) return ".";
  if (fix.kind === "admin_can_add") return "; an admin can add them with `/desk agent add @them`.";
  if (fix.kind === "add_as") return `; add them with \`/desk agent add @them ${fix.role}\`.`;
  return `; add them first with \`/desk agent add @them\`. Nobody ${fix.join ? "joined" : "left"} team ${esc(fix.team)}.`;
};

export const REFUSALS: RefusalPresenters<Refusal> = {
  not_an_agent_yet: () => NOT_AN_AGENT,
  not_allowed: (r) => r.reason,
  add_yourself_first: () => "Add yourself as an agent first: `/desk agent add @you admin`.",
  no_conversation: (r) => `There is no conversation #${r.conversation}.`,
  no_conversation_named: () => "This button does not name a conversation.",
  nobody_picked: () => "Pick someone to assign it to.",
  closed: (r) => `#${r.conversation} is closed; reopen it first.`,
  changed_meanwhile: (r) => `#${r.conversation} changed meanwhile; try again.`,
  not_an_agent: (r) => `${mention(r.person)} is not a HeroDesk agent${notAnAgentFix(r.fix)}`,
  no_team: (r) =>
    `There is no team called ${esc(r.team)}${
      r.fix === "create"
        ? `; create it with \`/desk team add ${esc(r.team)}\`.`
        : r.fix === "list"
          ? "; `/desk team list` shows them."
          : "."
    }`,
};
