// Seeds a migrated SQLite file straight through better-sqlite3 (before HeroDesk opens it) with a
// desk whose customers all wait: agents online, open conversations each assigned and waiting for
// a first response, and each conversation's two response-target timers (targets.check at the
// at-risk instant and at the due time) pending in the outbox, as enqueueTargetChecks writes them.
// A chosen few timers fall due at given offsets from `start` (the end of the seed plus a lead, so
// that HeroDesk can open the file first); the rest hours ahead. One transaction.
import Database from "better-sqlite3";
import { prng, sqlDate } from "./routing-seed.ts";

export interface TimerSeedPlan {
  agents: number;
  conversations: number;
  source: { id: string; channel: string };
  /** Offsets (ms) from `start` at which a timer falls due, one timer each, on random conversations. */
  dueIn: number[];
  /** How long after the seed `start` is. */
  leadMs: number;
  seed?: number;
}

export interface SeededTimer {
  conversationId: number;
  since: number;
  step: "at_risk" | "breached";
  dueAt: number;
}

export interface TimerSeedResult {
  /** When the offsets count from (ms since the epoch). */
  start: number;
  /** The timers that fall due, soonest first. */
  due: SeededTimer[];
  /** Every pending timer. */
  timers: number;
  ms: number;
}

const HOUR = 3_600_000;

export function seedTimers(file: string, plan: TimerSeedPlan): TimerSeedResult {
  const started = performance.now();
  const rand = prng(plan.seed ?? 11);
  const now = Date.now();
  const db = new Database(file);
  db.pragma("journal_mode = WAL");
  db.pragma("synchronous = OFF");
  try {
    const { start, due } = db.transaction(() => seed(db, plan, rand, now))();
    db.pragma("wal_checkpoint(TRUNCATE)");
    return { start, due, timers: 2 * plan.conversations, ms: performance.now() - started };
  } finally {
    db.close();
  }
}

function seed(
  db: Database.Database,
  plan: TimerSeedPlan,
  rand: () => number,
  now: number,
): { start: number; due: SeededTimer[] } {
  const created = sqlDate(now - 30 * 86_400_000);
  const insertAgent = db.prepare(
    `INSERT INTO "Agent" ("id","slackUserId","name","role","status","capacity","openCount","active","createdAt","updatedAt")
     VALUES (?,?,?,'agent','online',0,?,1,?,?)`,
  );
  const perAgent = (id: number) =>
    Math.floor(plan.conversations / plan.agents) + (id <= plan.conversations % plan.agents ? 1 : 0);
  for (let a = 1; a <= plan.agents; a++)
    insertAgent.run(
      a,
      `UT${a.toString(36).toUpperCase().padStart(6, "0")}`,
      `Agent ${a}`,
      perAgent(a),
      created,
      created,
    );

  // Which conversations hold the timers that fall due (distinct, random), and which step.
  const ids = Array.from({ length: plan.conversations }, (_, i) => i + 1);
  for (let i = ids.length - 1; i > 0; i--) {
    const j = Math.floor(rand() * (i + 1));
    [ids[i], ids[j]] = [ids[j]!, ids[i]!];
  }
  const dueOf = new Map<number, { step: "at_risk" | "breached"; in: number }>();
  plan.dueIn.forEach((ms, i) => {
    dueOf.set(ids[i]!, { step: rand() < 0.5 ? "at_risk" : "breached", in: ms });
  });

  const insertCustomer = db.prepare(
    `INSERT INTO "Customer" ("id","sourceId","externalId","name","attributes","createdAt","updatedAt")
     VALUES (?,?,?,?,'{}',?,?)`,
  );
  const insertConversation = db.prepare(
    `INSERT INTO "Conversation" ("id","sourceId","externalId","customerId","slackChannel","status","assigneeId",
       "assignedAt","waitingSince","createdAt","updatedAt")
     VALUES (?,?,?,?,?,'open',?,?,?,?,?)`,
  );
  const insertTimer = db.prepare(
    `INSERT INTO "OutboxItem" ("lane","kind","payload","status","attempts","nextAttemptAt","createdAt")
     VALUES (?,'targets.check',?,'pending',0,?,?)`,
  );
  const chosenRows: { row: number | bigint; timer: Omit<SeededTimer, "dueAt">; in: number }[] = [];
  for (let id = 1; id <= plan.conversations; id++) {
    // Waits that started over the last minutes; the timers it set are hours ahead (the targets
    // are long, or the desk is closed), unless chosen to fall due now.
    const since = now - Math.floor(rand() * 600_000);
    const at = sqlDate(since);
    insertCustomer.run(id, plan.source.id, `cust-${id}`, `Customer ${id}`, created, created);
    const assignee = ((id - 1) % plan.agents) + 1;
    insertConversation.run(
      id,
      plan.source.id,
      `ext-${id}`,
      id,
      plan.source.channel,
      assignee,
      at,
      at,
      at,
      at,
    );
    const chosen = dueOf.get(id);
    for (const [step, later] of [
      ["at_risk", 1 + rand() * 4],
      ["breached", 5 + rand() * 4],
    ] as const) {
      const { lastInsertRowid } = insertTimer.run(
        `target:${id}:${since}:${step}`,
        JSON.stringify({ conversationId: id, since, step }),
        sqlDate(now + Math.floor(later * HOUR)),
        at,
      );
      if (chosen?.step === step)
        chosenRows.push({ row: lastInsertRowid, timer: { conversationId: id, since, step }, in: chosen.in });
    }
  }
  // The chosen timers' instants count from the end of the seed.
  const start = Date.now() + plan.leadMs;
  const setDue = db.prepare(`UPDATE "OutboxItem" SET "nextAttemptAt" = ? WHERE "id" = ?`);
  const due = chosenRows.map((c) => {
    setDue.run(sqlDate(start + c.in), c.row);
    return { ...c.timer, dueAt: start + c.in };
  });
  return { start, due: due.sort((a, b) => a.dueAt - b.dueAt) };
}
