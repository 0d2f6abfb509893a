// Which business hours and targets a conversation keeps: its source's targets, in the hours of the
// team that serves it (config `teams[].businessHours`) when that team has its own, else in the
// source's. The serving team: the customer's team hero, else the team of the first routing rule
// their attributes match (core servingTeam).
import type { FileConfig, SourceConfig } from "../config.ts";
import type { BusinessHours } from "../core/business-hours.ts";
import type { Hero } from "../core/domain.ts";
import { servingTeam, type TargetSettings } from "../core/response-targets.ts";
import type { Facts } from "../core/triage.ts";
import type { Repositories } from "../store/index.ts";

export type TargetSettingsOf = (
  tx: Pick<Repositories, "rules" | "teams">,
  sourceId: string,
  /** The customer's hero, and the facts rules match (src/services/conversation-facts.ts). */
  customer: { hero: Hero | null; facts: Facts },
) => Promise<TargetSettings | undefined>;

export function createTargetSettings(deps: {
  sources: ReadonlyMap<string, SourceConfig>;
  teams: FileConfig["teams"];
}): TargetSettingsOf {
  const hoursByTeam = new Map<string, BusinessHours>(
    deps.teams.map((t) => [t.name.trim().toLowerCase(), t.businessHours]),
  );
  return async (tx, sourceId, customer) => {
    const source = deps.sources.get(sourceId);
    // No team keeps hours of its own: nothing to look up.
    if (!source || hoursByTeam.size === 0) return source;
    const [rules, teams] = await Promise.all([tx.rules.list(), tx.teams.list()]);
    const teamId = servingTeam(customer.hero, rules, customer.facts);
    const name = teams.find((t) => t.id === teamId)?.name;
    const hours = name ? hoursByTeam.get(name.trim().toLowerCase()) : undefined;
    return hours ? { ...source, businessHours: hours } : source;
  };
}

/** Without team hours: the source's settings (tests and tools that build use cases by hand). */
export const sourceSettingsOnly =
  (sources: ReadonlyMap<string, SourceConfig>): TargetSettingsOf =>
  async (_tx, sourceId) =>
    sources.get(sourceId);
