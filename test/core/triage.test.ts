// Triage (src/core/triage.ts): what a tag is, and the facts rules and target overrides match.
import { describe, expect, it } from "vitest";
import {
  conversationFacts,
  factsMatch,
  priorityOf,
  tagOf,
  triageConditionProblem,
} from "../../src/core/triage.ts";

describe("tagOf: short lowercase words", () => {
  it.each([
    ["billing", "billing"],
    ["  Billing ", "billing"],
    ["vip-eu", "vip-eu"],
    ["tier_2", "tier_2"],
    ["2fa", "2fa"],
    ["Rückerstattung", "rückerstattung"],
    ["a".repeat(32), "a".repeat(32)],
    ["a".repeat(33), undefined],
    ["-billing", undefined],
    ["_x", undefined],
    ["bill ing", undefined],
    ["bill$", undefined],
    ["#billing", undefined],
    ["<@U1>", undefined],
    ["", undefined],
  ] as const)("%j → %j", (text, tag) => {
    expect(tagOf(text)).toBe(tag);
  });
});

describe("conversationFacts and factsMatch: what a rule or an override matches", () => {
  const facts = conversationFacts(
    { Language: "ES", plan: "enterprise" },
    { tags: ["billing", "refund"], priority: "urgent" },
  );
  it.each([
    ["a customer attribute, any capitals", "language", "es", true],
    ["another attribute's value", "language", "enterprise", false],
    ["any of the tags", "tag", "Refund", true],
    ["a tag it does not have", "tag", "shipping", false],
    ["the priority", "priority", "urgent", true],
    ["another priority", "priority", "high", false],
    ["an attribute nobody sent", "country", "de", false],
  ] as const)("%s: %s = %s → %s", (_name, attribute, value, holds) => {
    expect(factsMatch(facts, { attribute, value })).toBe(holds);
  });

  it("a customer attribute named priority counts too", () => {
    const both = conversationFacts({ priority: "VIP" }, { tags: [], priority: "normal" });
    expect(factsMatch(both, { attribute: "priority", value: "vip" })).toBe(true);
    expect(factsMatch(both, { attribute: "priority", value: "normal" })).toBe(true);
  });
});

describe("conditions that can never hold", () => {
  it.each([
    ["priority", "hihg", "is not a priority: use low, normal, high or urgent"],
    ["Priority", "URGENT", null],
    ["tag", "bill ing", "is not a tag: use letters, digits, - and _ (at most 32 characters)"],
    ["tag", "Billing", null],
    ["plan", "anything at all", null],
  ] as const)("%s = %s", (attribute, value, problem) => {
    expect(triageConditionProblem(attribute, value)).toBe(problem);
  });

  it("priorityOf reads any capitals", () => {
    expect(priorityOf(" High ")).toBe("high");
    expect(priorityOf("highest")).toBeUndefined();
  });
});
