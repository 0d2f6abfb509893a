// Stored summaries: a scheduled slot is claimed by inserting its row, so it is posted once however
// often the app restarts (or however many replicas run).
import { NO_RESPONSE_FIGURES, type ResponseFigures } from "../core/response-figures.ts";
import type { SummaryFigures } from "../core/summary.ts";
import type { DbClient } from "./db.ts";
import type { Summary as SummaryRow } from "./generated/client.ts";

export interface StoredSummary {
  id: number;
  channel: string;
  slot: Date | null;
  trigger: "schedule" | "command";
  requestedBy: string | null;
  since: Date;
  until: Date;
  timezone: string;
  figures: SummaryFigures;
  createdAt: Date;
}

export interface NewSummary {
  channel: string;
  slot: Date | null;
  trigger: "schedule" | "command";
  requestedBy?: string | null;
  since: Date;
  until: Date;
  timezone: string;
  figures: SummaryFigures;
}

/**
 * JSON keeps dates as strings: these fields come back as Dates. A summary stored before response
 * figures existed has none.
 */
function reviveFigures(json: string): SummaryFigures {
  const f = JSON.parse(json) as SummaryFigures;
  const responses: ResponseFigures = f.responses ?? NO_RESPONSE_FIGURES;
  const oldest = responses.oldestWaiting;
  return {
    ...f,
    responses: {
      ...responses,
      oldestWaiting: oldest ? { ...oldest, waitingSince: new Date(oldest.waitingSince) } : null,
    },
    queue: { ...f.queue, oldestSince: f.queue.oldestSince ? new Date(f.queue.oldestSince) : null },
    heroWaits: { ...f.heroWaits, first: f.heroWaits.first.map((w) => ({ ...w, until: new Date(w.until) })) },
  };
}

function toSummary(row: SummaryRow): StoredSummary {
  return {
    id: row.id,
    channel: row.channel,
    slot: row.slot,
    trigger: row.trigger as StoredSummary["trigger"],
    requestedBy: row.requestedBy,
    since: row.since,
    until: row.until,
    timezone: row.timezone,
    figures: reviveFigures(row.figures),
    createdAt: row.createdAt,
  };
}

export class SummaryRepository {
  constructor(private readonly db: DbClient) {}

  /** Whether a scheduled slot of this channel is already taken. */
  async slotTaken(channel: string, slot: Date): Promise<boolean> {
    const [row] = await this.db.$queryRaw<{ id: number }[]>`
      SELECT "id" FROM "Summary" WHERE "channel" = ${channel} AND "slot" = ${slot}`;
    return Boolean(row);
  }

  /**
   * Stores a summary. For a scheduled slot that is already taken, stores nothing and returns null:
   * the unique (channel, slot) index decides, not a read before the write.
   */
  async create(s: NewSummary, at = new Date()): Promise<number | null> {
    const [row] = await this.db.$queryRaw<{ id: number }[]>`
      INSERT INTO "Summary" ("channel", "slot", "trigger", "requestedBy", "since", "until", "figures", "timezone", "createdAt")
      VALUES (${s.channel}, ${s.slot}, ${s.trigger}, ${s.requestedBy ?? null}, ${s.since}, ${s.until},
        ${JSON.stringify(s.figures)}, ${s.timezone}, ${at})
      ON CONFLICT ("channel", "slot") DO NOTHING
      RETURNING "id"`;
    return row ? Number(row.id) : null;
  }

  async get(id: number): Promise<StoredSummary | null> {
    const row = await this.db.summary.findUnique({ where: { id } });
    return row ? toSummary(row) : null;
  }

  /** Where the channel's next summary starts: the end of its last one. */
  async lastUntil(channel: string): Promise<Date | null> {
    const row = await this.db.summary.findFirst({
      where: { channel },
      orderBy: { until: "desc" },
      select: { until: true },
    });
    return row?.until ?? null;
  }

  /** The newest summaries, for the admin's App Home. */
  async recent(limit: number): Promise<StoredSummary[]> {
    const rows = await this.db.summary.findMany({ orderBy: { id: "desc" }, take: limit });
    return rows.map(toSummary);
  }
}
