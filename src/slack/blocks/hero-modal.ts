// The Make Hero modal: the hero is the clicking agent by default, another agent, or a team.
import type { View } from "@slack/types";
import { fitEscaped, fitText, SLACK_LIMITS } from "../../core/slack-fit.ts";

export const HERO_MODAL = "hero_make_modal";

/** The customer the modal is about, as the card shows them. */
export interface HeroModalCustomer {
  name: string;
  externalId: string;
}

export function heroModal(
  conversationId: number,
  clickerId: string,
  teams: string[],
  customer?: HeroModalCustomer | null,
): View {
  // Named, so nobody sets a hero for the wrong customer from a card they mistook for another.
  const whom = customer
    ? `*${fitEscaped(customer.name, 300)}* (\`${fitEscaped(customer.externalId, 300)}\`, the customer of #${conversationId})`
    : `the customer of #${conversationId}`;
  const blocks: View["blocks"] = [
    {
      type: "section",
      text: {
        type: "mrkdwn",
        text: `Who should be the Dedicated Hero of ${whom}? Their open conversation stays where it is; the next ones go to the hero first.`,
      },
    },
    {
      type: "input",
      block_id: "hero_agent",
      optional: true,
      label: { type: "plain_text", text: "Agent" },
      element: { type: "users_select", action_id: "agent", initial_user: clickerId },
    },
  ];
  if (teams.length)
    blocks.push({
      type: "input",
      block_id: "hero_team",
      optional: true,
      label: { type: "plain_text", text: "…or a team (wins over the agent)" },
      element: {
        type: "static_select",
        action_id: "team",
        placeholder: { type: "plain_text", text: "Pick a team" },
        options: teams.slice(0, 100).map((t) => ({
          text: { type: "plain_text", text: fitText(t, SLACK_LIMITS.optionText) },
          value: teamOptionValue(t),
        })),
      },
    });
  return {
    type: "modal",
    callback_id: HERO_MODAL,
    private_metadata: String(conversationId),
    title: { type: "plain_text", text: "Make Hero" },
    submit: { type: "plain_text", text: "Make Hero" },
    close: { type: "plain_text", text: "Cancel" },
    blocks,
  };
}

/**
 * An option's value holds 150 UTF-16 units (counted raw); a team name is at most 80 characters,
 * which can be 160 units of emoji. A longer one is cut on a character boundary, and teamOfOption
 * finds the team again by that start.
 */
export function teamOptionValue(team: string): string {
  return fitText(team, SLACK_LIMITS.optionValue, { kind: "raw", ellipsis: "" });
}

/** The team a submitted option names (its full name, or the one team its cut value starts). */
export function teamOfOption(value: string, teams: readonly string[]): string | undefined {
  if (teams.includes(value)) return value;
  const matches = teams.filter((t) => teamOptionValue(t) === value);
  return matches.length === 1 ? matches[0] : undefined;
}
