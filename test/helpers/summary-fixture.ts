// A support team's day, written straight into a real SQLite file with exact timestamps, so a
// summary taken at T has figures a person can work out by hand (listed in EXPECTED).
import { openDatabase } from "../../src/store/index.ts";

export const T = new Date("2026-11-23T09:00:00Z");
const at = (minutes: number) => new Date(T.getTime() + minutes * 60_000);
const H = 60;

export const PEOPLE = {
  ada: { slackUserId: "U0ADA", name: "Ada Lovelace" },
  bob: { slackUserId: "U0BOB", name: "Bob Builder" },
  cy: { slackUserId: "U0CY", name: "Cy Twombly" },
  dee: { slackUserId: "U0DEE", name: "Dee Removed" },
};

/**
 * Period: T-24h .. T (a channel's first summary).
 * Ada: open #1 #2; new #2 #3 #4; closed #4. Bob: open #3; new #3; closed none in the period.
 * Cy: nothing. Dee (removed): new #9, closed #9.
 * Queue: #6 (waiting since T-90min) and #7 (since T-20min). Waiting for a hero: #8 (Ada, until T+3min).
 * First responses in the period: #2 4 min, #3 10 min, #4 2 min, #9 60 min → median 7 min, p90
 * (nearest rank: the 4th of 4) 60 min; against a 30 min target 3 met (Ada's), 1 breached (Dee's).
 * Next responses: Ada's in #2, 30 min against a 60 min target → met. Nothing is past due (the
 * stack's source sets no targets). Oldest waiting: #6, Margaret Hamilton, in the queue.
 * Heroes: Ada looks after c1 and c4: #1 #2 #8 #6 → 4 open, 2 customers; team Spanish (c2): #3 → 1.
 */
export const EXPECTED = {
  agents: {
    ada: { open: 2, new: 3, closed: 1 },
    bob: { open: 1, new: 1, closed: 0 },
    dee: { open: 0, new: 1, closed: 1 },
  },
  totals: { open: 3, new: 5, closed: 2, agentsOnline: 1 },
  openNow: 6,
  queue: { count: 2, oldestWaitMs: 90 * 60_000 },
  heroWaits: 1,
  started: 7,
  firstResponse: { count: 4, medianMs: 7 * 60_000, p90Ms: 60 * 60_000 },
  responses: {
    answered: 5,
    first: { met: 3, breached: 1 },
    next: { met: 1, breached: 0 },
    overdue: 0,
    agents: [
      { name: "Ada Lovelace", answered: 4, median: 4 * 60_000, p90: 10 * 60_000, met: 4, breached: 0 },
      { name: "Dee Removed", answered: 1, median: 60 * 60_000, p90: 60 * 60_000, met: 0, breached: 1 },
    ],
    oldestWaiting: { conversationId: 6, customerName: "Margaret Hamilton", waitMs: 90 * 60_000 },
  },
  heroes: [
    { name: "Ada Lovelace", open: 4, customers: 2 },
    { name: "Spanish", open: 1, customers: 1 },
  ],
};

/**
 * `summariesBefore`: channels that had a scheduled summary 24 hours before T (HeroDesk served
 * them before: a slot missed while it was down is caught up). The period is the same either way.
 */
export async function seedSummaryFixture(
  databaseUrl: string,
  channel = "C0SUPPORT",
  options: { summariesBefore?: string[] } = {},
): Promise<void> {
  const db = await openDatabase(databaseUrl);
  try {
    for (const c of options.summariesBefore ?? [])
      await db.summary.create({
        data: {
          channel: c,
          slot: at(-48 * H),
          trigger: "schedule",
          since: at(-48 * H),
          until: at(-24 * H),
          // As HeroDesk stored figures before it had response figures.
          figures: JSON.stringify({
            agents: [],
            queue: { count: 0, oldestSince: null },
            heroWaits: { count: 0, first: [] },
            firstResponse: { count: 0, medianMs: null },
            heroes: [],
            started: 0,
          }),
          timezone: "UTC",
        },
      });
    const agent = (p: { slackUserId: string; name: string }, extra: Record<string, unknown>) =>
      db.agent.create({ data: { ...p, ...extra } });
    const ada = await agent(PEOPLE.ada, { status: "online", capacity: 5 });
    const bob = await agent(PEOPLE.bob, { status: "away" });
    await agent(PEOPLE.cy, { status: "offline" });
    const dee = await agent(PEOPLE.dee, { status: "offline", active: false });
    const spanish = await db.team.create({ data: { name: "Spanish" } });
    await db.teamMember.create({ data: { teamId: spanish.id, agentId: bob.id } });

    const customer = (externalId: string, name: string, hero: Record<string, number>) =>
      db.customer.create({ data: { sourceId: "web", externalId, name, ...hero } });
    const c1 = await customer("c1", "Grace Hopper", { heroAgentId: ada.id });
    const c2 = await customer("c2", "Ana Pérez", { heroTeamId: spanish.id });
    const c3 = await customer("c3", "Linus", {});
    const c4 = await customer("c4", "Margaret Hamilton", { heroAgentId: ada.id });

    let n = 0;
    const conversation = async (c: {
      customerId: number;
      createdAt: Date;
      status?: "open" | "closed";
      assigneeId?: number;
      firstResponseAt?: Date;
      waitingSince?: Date;
      heroWaitUntil?: Date;
      closedAt?: Date;
    }) =>
      db.conversation.create({
        data: {
          sourceId: "web",
          externalId: `fixture-${++n}`,
          slackChannel: channel,
          status: c.status ?? "open",
          customerId: c.customerId,
          assigneeId: c.assigneeId ?? null,
          createdAt: c.createdAt,
          firstResponseAt: c.firstResponseAt ?? null,
          firstResponseMs: c.firstResponseAt ? c.firstResponseAt.getTime() - c.createdAt.getTime() : null,
          waitingSince: c.waitingSince ?? null,
          heroWaitUntil: c.heroWaitUntil ?? null,
          closedAt: c.closedAt ?? null,
        },
      });
    // What an agent's answer records (services/record-agent-reply.ts): no business hours here, so
    // the business-time wait is the plain one; a 30 min first and 60 min next response target.
    const answered = (
      conversationId: number,
      agentId: number,
      kind: "first" | "next",
      since: Date,
      at: Date,
    ) =>
      db.responseRecord.create({
        data: {
          conversationId,
          sourceId: "web",
          agentId,
          kind,
          waitingSince: since,
          answeredAt: at,
          businessMs: at.getTime() - since.getTime(),
          targetMs: (kind === "first" ? 30 : 60) * 60_000,
        },
      });
    const assigned = (conversationId: number, toAgentId: number, when: Date, fromAgentId?: number) =>
      db.assignmentEvent.create({
        data: {
          kind: "assignee",
          conversationId,
          toAgentId,
          fromAgentId: fromAgentId ?? null,
          reason: "routed",
          createdAt: when,
        },
      });

    const c1a = await conversation({
      customerId: c1.id,
      createdAt: at(-30 * H),
      assigneeId: ada.id,
      firstResponseAt: at(-29 * H),
    });
    await assigned(c1a.id, ada.id, at(-30 * H));
    await answered(c1a.id, ada.id, "first", at(-30 * H), at(-29 * H)); // before the period
    const c2a = await conversation({
      customerId: c1.id,
      createdAt: at(-2 * H),
      assigneeId: ada.id,
      firstResponseAt: at(-2 * H + 4),
    });
    await assigned(c2a.id, ada.id, at(-2 * H));
    await answered(c2a.id, ada.id, "first", at(-2 * H), at(-2 * H + 4));
    await answered(c2a.id, ada.id, "next", at(-60), at(-30));
    const c3a = await conversation({
      customerId: c2.id,
      createdAt: at(-5 * H),
      assigneeId: bob.id,
      firstResponseAt: at(-5 * H + 10),
    });
    await assigned(c3a.id, ada.id, at(-5 * H));
    await assigned(c3a.id, bob.id, at(-4 * H), ada.id);
    await answered(c3a.id, ada.id, "first", at(-5 * H), at(-5 * H + 10));
    const c4a = await conversation({
      customerId: c3.id,
      createdAt: at(-3 * H),
      status: "closed",
      assigneeId: ada.id,
      firstResponseAt: at(-3 * H + 2),
      closedAt: at(-1 * H),
    });
    await assigned(c4a.id, ada.id, at(-3 * H));
    await answered(c4a.id, ada.id, "first", at(-3 * H), at(-3 * H + 2));
    // Closed before the period: not counted anywhere.
    await conversation({
      customerId: c3.id,
      createdAt: at(-30 * H),
      status: "closed",
      assigneeId: bob.id,
      closedAt: at(-26 * H),
    });
    await conversation({ customerId: c4.id, createdAt: at(-90), waitingSince: at(-90) });
    await conversation({ customerId: c3.id, createdAt: at(-20) });
    await conversation({ customerId: c1.id, createdAt: at(-2), waitingSince: at(-2), heroWaitUntil: at(3) });
    const c9 = await conversation({
      customerId: c2.id,
      createdAt: at(-12 * H),
      status: "closed",
      assigneeId: dee.id,
      firstResponseAt: at(-11 * H),
      closedAt: at(-10 * H),
    });
    await assigned(c9.id, dee.id, at(-12 * H));
    await answered(c9.id, dee.id, "first", at(-12 * H), at(-11 * H));
    // Keep the stored open counts true to the conversations, as the app keeps them.
    await db.agent.update({ where: { id: ada.id }, data: { openCount: 2 } });
    await db.agent.update({ where: { id: bob.id }, data: { openCount: 1 } });
  } finally {
    await db.$disconnect();
  }
}
