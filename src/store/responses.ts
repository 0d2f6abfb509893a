// Answers that stopped a response clock: one row each, written in the answer's own transaction,
// so the figures of summaries and App Home never miss or double an answer.
import type { StoppedClock } from "../core/response-figures.ts";
import type { DbClient } from "./db.ts";

export class ResponseRepository {
  constructor(private readonly db: DbClient) {}

  async record(conversationId: number, r: StoppedClock): Promise<void> {
    await this.db.$executeRaw`
      INSERT INTO "ResponseRecord"
        ("conversationId", "sourceId", "agentId", "kind", "waitingSince", "answeredAt", "businessMs", "targetMs", "createdAt")
      VALUES (${conversationId}, ${r.sourceId}, ${r.agentId}, ${r.kind}, ${r.waitingSince}, ${r.answeredAt},
        ${Math.round(r.businessMs)}, ${r.targetMs === null ? null : Math.round(r.targetMs)}, ${new Date()})`;
  }
}
