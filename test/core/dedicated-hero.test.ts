import { describe, expect, it } from "vitest";
import { accountKey, dedicatedHero, heroSubject } from "../../src/core/dedicated-hero.ts";
import type { Hero } from "../../src/core/domain.ts";

const grace: Hero = { kind: "agent", agentId: 1 };
const bob: Hero = { kind: "agent", agentId: 2 };
const enterprise: Hero = { kind: "team", teamId: 7 };

describe("dedicatedHero: the most specific hero wins", () => {
  it.each([
    ["nobody set one", { customer: null, channel: null, account: null }, null],
    ["only the account", { customer: null, channel: null, account: grace }, { hero: grace, via: "account" }],
    [
      "the channel over the account",
      { customer: null, channel: enterprise, account: grace },
      { hero: enterprise, via: "channel" },
    ],
    [
      "the customer's own over the account's",
      { customer: bob, channel: null, account: grace },
      { hero: bob, via: "customer" },
    ],
    [
      "the customer's own over both",
      { customer: bob, channel: enterprise, account: grace },
      { hero: bob, via: "customer" },
    ],
  ] as const)("%s", (_, levels, expected) => {
    expect(dedicatedHero(levels)).toEqual(expected);
  });
});

describe("hero subjects and account keys", () => {
  it("an email is one subject whatever its capitals", () => {
    expect(heroSubject.email("Ada@ACME.com")).toBe(heroSubject.email("ada@acme.com"));
  });
  it("a customer id belongs to its source", () => {
    expect(heroSubject.customer("web", "c-1")).not.toBe(heroSubject.customer("mail", "c-1"));
  });
  it.each([
    ["Acme", "acme"],
    ["  Acme   Corp ", "acme corp"],
  ])("account %j is keyed %j", (name, key) => {
    expect(accountKey(name)).toBe(key);
  });
});
