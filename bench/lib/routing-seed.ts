// Seeds a migrated SQLite file straight through better-sqlite3 (before HeroDesk opens it) with a
// support team and its history at scale: agents (55 % online, 20 % away, 25 % offline; 20 % with
// unlimited capacity), teams with members, routing rules on customer attributes, customers with
// heroes (5 % an agent, 2 % a team), and conversations: the open ones (the newest) assigned within
// capacity, a few still queued, the rest closed. Every agent's openCount is the number of open
// conversations it holds. One transaction and prepared statements, so 200,000 conversations take
// seconds. Deterministic for a given seed.
import Database from "better-sqlite3";

export interface SeedPlan {
  agents: number;
  teams: number;
  rules: number;
  customers: number;
  /** Every conversation, open and closed. */
  conversations: number;
  /** Of which open (the newest ones); the rest are closed. */
  open: number;
  /** Share of the open conversations still in the queue (unassigned). */
  queuedShare: number;
  /** Sources (id, Slack channel) the conversations are spread over. */
  sources: { id: string; channel: string }[];
  /**
   * Response figures' history: an answer record for every first response (and a next one for
   * half of them), and a customer waiting on a third of the assigned open conversations.
   */
  responses?: boolean;
  seed?: number;
}

export interface SeedResult {
  agents: number;
  online: number;
  away: number;
  offline: number;
  unlimited: number;
  teams: number;
  memberships: number;
  rules: number;
  customers: number;
  agentHeroes: number;
  teamHeroes: number;
  conversations: number;
  open: number;
  queued: number;
  ms: number;
}

/** mulberry32: small, fast and reproducible. */
export function prng(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

/** How the Prisma SQLite adapter stores a DateTime (its default "iso8601" format). */
export const sqlDate = (ms: number) => new Date(ms).toISOString().replace("Z", "+00:00");

// Customer attributes and how many values each takes. Rules pick (attribute, value) pairs from the
// common ones first, then from `partner` (a long tail, so 1,000 rules stay distinct).
const ATTRIBUTES: { name: string; values: string[]; present: number }[] = [
  {
    name: "language",
    values: words("lang", 30, ["en", "es", "de", "fr", "pt", "it", "nl", "ja"]),
    present: 0.9,
  },
  { name: "country", values: words("c", 60, ["US", "ES", "DE", "FR", "BR", "GB", "MX", "JP"]), present: 0.8 },
  { name: "plan", values: ["free", "starter", "pro", "business", "enterprise"], present: 0.95 },
  { name: "region", values: ["amer", "emea", "apac", "latam"], present: 0.6 },
  { name: "segment", values: ["smb", "midmarket", "enterprise"], present: 0.5 },
  { name: "product", values: words("product", 12, []), present: 0.7 },
  { name: "partner", values: words("partner", 2000, []), present: 0.3 },
];

function words(prefix: string, n: number, first: string[]): string[] {
  const out = [...first];
  for (let i = out.length; i < n; i++) out.push(`${prefix}${i}`);
  return out;
}

/** Skewed pick: low indexes are much more common (as real languages and countries are). */
function skewed(rand: () => number, n: number): number {
  return Math.min(n - 1, Math.floor(n * rand() ** 2.2));
}

function shuffle<T>(rand: () => number, xs: T[]): T[] {
  for (let i = xs.length - 1; i > 0; i--) {
    const j = Math.floor(rand() * (i + 1));
    [xs[i], xs[j]] = [xs[j]!, xs[i]!];
  }
  return xs;
}

export function seedRoutingData(file: string, plan: SeedPlan): SeedResult {
  const started = performance.now();
  const rand = prng(plan.seed ?? 42);
  const now = Date.now();
  const db = new Database(file);
  db.pragma("journal_mode = WAL");
  db.pragma("synchronous = OFF");
  try {
    const result = db.transaction(() => seed(db, plan, rand, now))();
    // No ANALYZE: HeroDesk never runs it, so the planner sees what it sees in production.
    db.pragma("wal_checkpoint(TRUNCATE)");
    return { ...result, ms: performance.now() - started };
  } finally {
    db.close();
  }
}

function seed(
  db: Database.Database,
  plan: SeedPlan,
  rand: () => number,
  now: number,
): Omit<SeedResult, "ms"> {
  const DAY = 86_400_000;
  const created = sqlDate(now - 400 * DAY);

  // --- Conversations first (in memory), so each agent's open count is known before it is written.
  const assignedOpen = Math.round(plan.open * (1 - plan.queuedShare));
  const avgLoad = assignedOpen / plan.agents;
  const statuses = ["online", "away", "offline"] as const;
  const agents = Array.from({ length: plan.agents }, (_, i) => {
    const r = rand();
    const status = r < 0.55 ? statuses[0] : r < 0.75 ? statuses[1] : statuses[2];
    // 20 % unlimited; the others hold 1.3x to 3x the average load, so some are nearly full.
    const c = rand();
    const capacity = c < 0.2 ? 0 : Math.max(1, Math.ceil(avgLoad * (c < 0.5 ? 1.3 : c < 0.8 ? 2 : 3)));
    const lastAssignedAt = rand() < 0.1 ? null : now - Math.floor(rand() * 30 * DAY);
    return { id: i + 1, status, capacity, open: 0, lastAssignedAt };
  });

  const pickAgentWithRoom = (): number => {
    for (;;) {
      const a = agents[Math.floor(rand() * agents.length)]!;
      if (a.capacity === 0 || a.open < a.capacity) {
        a.open++;
        return a.id;
      }
    }
  };

  // --- Agents.
  const insertAgent = db.prepare(
    `INSERT INTO "Agent" ("id","slackUserId","name","role","status","capacity","openCount","active","lastAssignedAt","createdAt","updatedAt")
     VALUES (?,?,?,?,?,?,?,1,?,?,?)`,
  );
  // Open conversations are assigned before agents are written (their counts go in the row).
  const closedCount = plan.conversations - plan.open;
  const openAssignees: (number | null)[] = [];
  for (let i = 0; i < plan.open; i++) openAssignees.push(i < assignedOpen ? pickAgentWithRoom() : null);
  shuffle(rand, openAssignees);
  for (const a of agents) {
    const role = a.id % 50 === 0 ? "admin" : a.id % 10 === 0 ? "manager" : "agent";
    insertAgent.run(
      a.id,
      `UB${a.id.toString(36).toUpperCase().padStart(6, "0")}`,
      `Agent ${a.id}`,
      role,
      a.status,
      a.capacity,
      a.open,
      a.lastAssignedAt === null ? null : sqlDate(a.lastAssignedAt),
      created,
      created,
    );
  }

  // --- Teams: every agent in one team, a third in a second one.
  const insertTeam = db.prepare(`INSERT INTO "Team" ("id","name","createdAt") VALUES (?,?,?)`);
  for (let t = 1; t <= plan.teams; t++) insertTeam.run(t, `team-${t}`, created);
  const insertMember = db.prepare(`INSERT OR IGNORE INTO "TeamMember" ("teamId","agentId") VALUES (?,?)`);
  let memberships = 0;
  for (const a of agents) {
    memberships += insertMember.run(((a.id - 1) % plan.teams) + 1, a.id).changes;
    if (rand() < 0.33) memberships += insertMember.run(1 + Math.floor(rand() * plan.teams), a.id).changes;
  }

  // --- Rules: distinct (attribute, value) pairs, common attributes first, in random order.
  const common = shuffle(
    rand,
    ATTRIBUTES.filter((x) => x.name !== "partner").flatMap((x) => x.values.map((v) => [x.name, v] as const)),
  );
  const tail = ATTRIBUTES.find((x) => x.name === "partner")!.values.map((v) => ["partner", v] as const);
  const pairs = shuffle(rand, [...common, ...tail].slice(0, plan.rules));
  const insertRule = db.prepare(
    `INSERT INTO "RoutingRule" ("position","attribute","value","teamId","createdAt") VALUES (?,?,?,?,?)`,
  );
  pairs.forEach(([attribute, value], i) => {
    insertRule.run(i + 1, attribute, value, 1 + Math.floor(rand() * plan.teams), created);
  });

  // --- Customers: attributes, and a hero for some (5 % an agent, 2 % a team).
  const insertCustomer = db.prepare(
    `INSERT INTO "Customer" ("id","sourceId","externalId","name","email","attributes","heroAgentId","heroTeamId","createdAt","updatedAt")
     VALUES (?,?,?,?,?,?,?,?,?,?)`,
  );
  let agentHeroes = 0;
  let teamHeroes = 0;
  for (let c = 1; c <= plan.customers; c++) {
    // 40 % are known by name only (no attributes, so no rule matches them: they go to the fairest
    // agent of all, the part of routing that grows with the agents).
    const attributes: Record<string, string> = {};
    if (rand() >= 0.4)
      for (const attr of ATTRIBUTES)
        if (rand() < attr.present) attributes[attr.name] = attr.values[skewed(rand, attr.values.length)]!;
    const h = rand();
    const heroAgentId = h < 0.05 ? 1 + Math.floor(rand() * plan.agents) : null;
    const heroTeamId = h >= 0.05 && h < 0.07 ? 1 + Math.floor(rand() * plan.teams) : null;
    if (heroAgentId) agentHeroes++;
    if (heroTeamId) teamHeroes++;
    insertCustomer.run(
      c,
      "web",
      `cust-${c}`,
      `Customer ${c}`,
      `customer${c}@example.com`,
      JSON.stringify(attributes),
      heroAgentId,
      heroTeamId,
      created,
      created,
    );
  }

  // --- Conversations, oldest first: the closed history, then the open ones (the newest).
  const insertConversation = db.prepare(
    `INSERT INTO "Conversation" ("id","sourceId","externalId","customerId","slackChannel","status","assigneeId",
       "assignedAt","firstResponseAt","firstResponseMs","waitingSince","heroWaitUntil","closedAt","createdAt","updatedAt")
     VALUES (?,?,?,?,?,?,?,?,?,?,?,NULL,?,?,?)`,
  );
  // The audit trail the summaries read: one routing event per assigned conversation.
  const insertEvent = db.prepare(
    `INSERT INTO "AssignmentEvent" ("kind","conversationId","customerId","toAgentId","reason","createdAt")
     VALUES ('assignee',?,?,?,'routed',?)`,
  );
  const insertResponse = db.prepare(
    `INSERT INTO "ResponseRecord" ("conversationId","sourceId","agentId","kind","waitingSince","answeredAt","businessMs","targetMs","createdAt")
     VALUES (?,?,?,?,?,?,?,?,?)`,
  );
  const span = 365 * DAY;
  for (let i = 0; i < plan.conversations; i++) {
    const id = i + 1;
    const open = i >= closedCount;
    const at = now - span + Math.floor((i / plan.conversations) * span);
    const source = plan.sources[i % plan.sources.length]!;
    const customerId = 1 + Math.floor(rand() * plan.customers);
    const assignee = open
      ? openAssignees[i - closedCount]!
      : rand() < 0.97
        ? 1 + Math.floor(rand() * plan.agents)
        : null;
    const createdAt = sqlDate(at);
    const assignedAt = assignee ? sqlDate(at + 60_000) : null;
    // First replies from 30 s to about 2 h after the start, most within minutes.
    const firstResponseMs = assignee ? 30_000 + Math.floor(7_200_000 * rand() ** 3) : null;
    const firstResponseAt = firstResponseMs !== null ? sqlDate(at + firstResponseMs) : null;
    const closedAt = open ? null : sqlDate(at + 3_600_000);
    insertConversation.run(
      id,
      source.id,
      `ext-${id}`,
      customerId,
      source.channel,
      open ? "open" : "closed",
      assignee,
      assignedAt,
      firstResponseAt,
      firstResponseMs,
      open && (!assignee || (plan.responses && rand() < 0.33)) ? createdAt : null,
      closedAt,
      createdAt,
      closedAt ?? assignedAt ?? createdAt,
    );
    if (assignee) insertEvent.run(id, customerId, assignee, assignedAt);
    if (plan.responses && firstResponseMs !== null) {
      const record = (kind: string, from: number, ms: number, targetMs: number) =>
        insertResponse.run(
          id,
          source.id,
          assignee,
          kind,
          sqlDate(from),
          sqlDate(from + ms),
          ms,
          targetMs,
          createdAt,
        );
      record("first", at, firstResponseMs, 3_600_000);
      if (rand() < 0.5)
        record(
          "next",
          at + firstResponseMs + 600_000,
          60_000 + Math.floor(7_200_000 * rand() ** 3),
          7_200_000,
        );
    }
  }

  return {
    agents: plan.agents,
    online: agents.filter((a) => a.status === "online").length,
    away: agents.filter((a) => a.status === "away").length,
    offline: agents.filter((a) => a.status === "offline").length,
    unlimited: agents.filter((a) => a.capacity === 0).length,
    teams: plan.teams,
    memberships,
    rules: pairs.length,
    customers: plan.customers,
    agentHeroes,
    teamHeroes,
    conversations: plan.conversations,
    open: plan.open,
    queued: plan.open - assignedOpen,
  };
}

/**
 * Agents whose stored openCount differs from the open conversations they hold (should be none),
 * read straight from the file.
 */
export function openCountMismatches(file: string): { agentId: number; stored: number; actual: number }[] {
  const db = new Database(file, { readonly: true, fileMustExist: true });
  try {
    return db
      .prepare(
        `SELECT a."id" AS agentId, a."openCount" AS stored, COALESCE(c.n, 0) AS actual
         FROM "Agent" a
         LEFT JOIN (SELECT "assigneeId", COUNT(*) AS n FROM "Conversation"
                    WHERE "status" = 'open' AND "assigneeId" IS NOT NULL GROUP BY "assigneeId") c
           ON c."assigneeId" = a."id"
         WHERE a."openCount" != COALESCE(c.n, 0)`,
      )
      .all() as { agentId: number; stored: number; actual: number }[];
  } finally {
    db.close();
  }
}
