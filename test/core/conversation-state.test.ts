import { describe, expect, it } from "vitest";
import {
  classifyAgentText,
  customerFacingText,
  onAgentMessage,
  onCustomerMessage,
} from "../../src/core/conversation-state.ts";
import type { Conversation } from "../../src/core/domain.ts";

const t0 = new Date("2026-11-21T10:00:00Z");
const t1 = new Date("2026-11-21T10:05:00Z");
const base: Conversation = {
  id: 1,
  sourceId: "web",
  externalId: "c-1",
  customerId: 1,
  slackChannel: "C1",
  status: "open",
  assigneeId: null,
  assignedAt: null,
  firstResponseAt: null,
  firstResponseMs: null,
  waitingSince: null,
  heroWaitUntil: null,
  closedAt: null,
  createdAt: t0,
  priority: "normal",
};

describe("onCustomerMessage", () => {
  it.each([
    ["nobody waiting: waiting starts, card changes", base, { waitingSince: t1 }, true],
    ["already waiting: nothing changes", { ...base, waitingSince: t0 }, {}, false],
    [
      "closed: reopens",
      { ...base, status: "closed" as const, closedAt: t0, waitingSince: t0 },
      { status: "open", closedAt: null, closeReason: null },
      true,
    ],
  ])("%s", (_n, conv, changes, cardChanged) => {
    expect(onCustomerMessage(conv, t1)).toEqual({ changes, cardChanged });
  });
});

describe("onAgentMessage", () => {
  it.each([
    [
      "answers a waiting customer",
      { ...base, waitingSince: t0 },
      false,
      { answeredAt: t1, waitingSince: null, firstResponseAt: t1, firstResponseMs: 5 * 60_000 },
      true,
    ],
    [
      "a later answer keeps the first response time (the idle clock starts again)",
      { ...base, firstResponseAt: t0 },
      false,
      { answeredAt: t1 },
      false,
    ],
    ["a note changes nothing", { ...base, waitingSince: t0 }, true, {}, false],
  ])("%s", (_n, conv, isNote, changes, cardChanged) => {
    expect(onAgentMessage(conv, t1, isNote)).toEqual({ changes, cardChanged });
  });
});

describe("classifyAgentText", () => {
  it.each([
    ["!note internal", "note"],
    ["  !NOTE x", "note"],
    ["!skip thanks", "skip"],
    ["!notes are not notes", "reply"],
    ["hello !note", "reply"],
    ["hello", "reply"],
  ])("%s → %s", (text, kind) => expect(classifyAgentText(text)).toBe(kind));
  it("drops the !skip marker from what the customer reads", () => {
    expect(customerFacingText("!skip  thanks")).toBe("thanks");
    expect(customerFacingText("no marker")).toBe("no marker");
    expect(customerFacingText("!skip\nsee below")).toBe("see below");
  });
});
