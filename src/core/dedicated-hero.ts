// Whose Dedicated Hero a conversation goes to: a hero can be set on the customer, on the customer
// channel they wrote in, and on their account. The most specific one wins: the customer's own,
// then the channel's, then the account's (so one person of Acme can have their own hero while the
// rest of Acme goes to the account's).
import type { Hero } from "./domain.ts";

/** Where a conversation's hero was set. */
export type HeroVia = "customer" | "channel" | "account";

export interface HeroLevels {
  customer: Hero | null;
  channel: Hero | null;
  account: Hero | null;
}

export function dedicatedHero(levels: HeroLevels): { hero: Hero; via: HeroVia } | null {
  for (const via of ["customer", "channel", "account"] as const) {
    const hero = levels[via];
    if (hero) return { hero, via };
  }
  return null;
}

/**
 * What a hero setting that is not a customer row is keyed by: a customer channel, or a customer
 * who has not written yet (by email, whatever its capitals, or by `source:id`).
 */
export const heroSubject = {
  channel: (channelId: string) => `channel:${channelId}`,
  email: (email: string) => `email:${email.toLowerCase()}`,
  customer: (sourceId: string, externalId: string) => `customer:${sourceId}:${externalId}`,
};

/** Longest account name accepted. */
export const MAX_ACCOUNT_NAME = 80;

/** An account's name as people type it, whatever its capitals and spaces: its unique key. */
export const accountKey = (name: string) => name.trim().replace(/\s+/g, " ").toLowerCase();
