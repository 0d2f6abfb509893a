// Response figures for block tests: `count` agents and up to 30 sources named after `name`, every
// figure large, an oldest wait with a long customer name: the most a summary or home must hold.
import {
  NO_RESPONSE_FIGURES,
  type ResponseFigures,
  type ResponseStats,
} from "../../src/core/response-figures.ts";

const stats = (i: number, targeted = true): ResponseStats => ({
  answered: 100_000 + i,
  firstResponse: { count: 90_000 + i, medianMs: 3_725_000 * (i + 1), p90Ms: 86_400_000 * 40 + i },
  first: { met: 80_000 + i, breached: 10_000 + i },
  next: { met: 8_000 + i, breached: 2_000 + i },
  overdue: 1_000 + i,
  targeted,
});

/** One group's figures in brief, as a manager reads its line: met and breached first and next together. */
export const inBrief = (s: ResponseStats) => ({
  answered: s.answered,
  median: s.firstResponse.medianMs,
  p90: s.firstResponse.p90Ms,
  met: s.first.met + s.next.met,
  breached: s.first.breached + s.next.breached,
  overdue: s.overdue,
  targeted: s.targeted,
});

export function bigResponseFigures(count: number, name: string, at: Date): ResponseFigures {
  if (!count) return NO_RESPONSE_FIGURES;
  return {
    overall: stats(count),
    bySource: Array.from({ length: Math.min(count, 30) }, (_, i) => ({
      sourceId: `${name}${i}`,
      ...stats(i, i % 2 === 0),
    })),
    byAgent: Array.from({ length: count }, (_, i) => ({
      agentId: i + 1,
      name: `${name}${i}`,
      slackUserId: `U${i}`,
      ...stats(i),
    })),
    oldestWaiting: {
      conversationId: 2_147_483_647,
      customerName: name,
      sourceId: name,
      channel: "C0SUPPORT",
      threadTs: "1700000000.000001",
      waitingSince: new Date(at.getTime() - 400 * 86_400_000),
      assigneeSlackId: "U0AGENT1",
      target: { kind: "first", state: "breached" },
    },
  };
}
