// The migration that makes a customer id belong to its source (issue 15, part 9), run on a
// database as the previous HeroDesk left it: one customer with conversations on two sources
// becomes one customer per source, linked (they keep sharing the hero they had), and each
// conversation and its history moves with its customer. Run through the real migration files.
import { mkdtempSync, readdirSync, readFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import Database from "better-sqlite3";
import { describe, expect, it } from "vitest";

const MIGRATIONS = "prisma/migrations";
const THIS = "20261202090000_customers_per_source";

function migrations(): string[] {
  return readdirSync(MIGRATIONS)
    .filter((d) => /^\d{14}_/.test(d))
    .sort();
}
const sql = (name: string) => readFileSync(join(MIGRATIONS, name, "migration.sql"), "utf8");

describe(`migration ${THIS}`, () => {
  it("splits a customer shared across sources into one per source, linked, with their conversations", () => {
    const db = new Database(join(mkdtempSync(join(tmpdir(), "herodesk-migration-")), "old.db"));
    const all = migrations();
    for (const m of all.slice(0, all.indexOf(THIS))) db.exec(sql(m));

    const now = new Date().toISOString();
    db.exec(
      `INSERT INTO "Agent" ("id", "slackUserId", "name", "updatedAt") VALUES (1, 'U0BOB', 'Bob', '${now}')`,
    );
    db.exec(`INSERT INTO "Customer" ("id", "externalId", "name", "email", "attributes", "heroAgentId", "updatedAt")
      VALUES (1, 'cust-42', 'Ada', 'ada@example.com', '{"plan":"enterprise"}', 1, '${now}'),
             (2, 'cust-7', 'Grace', NULL, '{}', NULL, '${now}')`);
    const conversation = (id: number, source: string, customer: number) =>
      db.exec(`INSERT INTO "Conversation" ("id", "sourceId", "externalId", "customerId", "slackChannel", "updatedAt")
        VALUES (${id}, '${source}', 'c-${id}', ${customer}, 'C0SUPPORT', '${now}')`);
    conversation(1, "web", 1);
    conversation(2, "mail", 1);
    conversation(3, "web", 1);
    conversation(4, "mail", 2);
    db.exec(`INSERT INTO "AssignmentEvent" ("kind", "conversationId", "customerId", "reason") VALUES
      ('assignee', 2, 1, 'routed'), ('hero', NULL, 1, 'manual')`);

    db.exec(sql(THIS));

    const customers = db
      .prepare(
        `SELECT "id", "sourceId", "externalId", "linkedToId", "name", "heroAgentId", "attributes" FROM "Customer" ORDER BY "id"`,
      )
      .all();
    expect(customers).toEqual([
      {
        id: 1,
        sourceId: "web",
        externalId: "cust-42",
        linkedToId: null,
        name: "Ada",
        heroAgentId: 1,
        attributes: '{"plan":"enterprise"}',
      },
      {
        id: 2,
        sourceId: "mail",
        externalId: "cust-7",
        linkedToId: null,
        name: "Grace",
        heroAgentId: null,
        attributes: "{}",
      },
      {
        id: 3,
        sourceId: "mail",
        externalId: "cust-42",
        linkedToId: 1,
        name: "Ada",
        heroAgentId: 1,
        attributes: '{"plan":"enterprise"}',
      },
    ]);
    const owners = db.prepare(`SELECT "id", "customerId" FROM "Conversation" ORDER BY "id"`).all();
    expect(owners).toEqual([
      { id: 1, customerId: 1 },
      { id: 2, customerId: 3 },
      { id: 3, customerId: 1 },
      { id: 4, customerId: 2 },
    ]);
    const events = db
      .prepare(`SELECT "conversationId", "customerId" FROM "AssignmentEvent" ORDER BY "id"`)
      .all();
    expect(events).toEqual([
      { conversationId: 2, customerId: 3 },
      { conversationId: null, customerId: 1 },
    ]);
    // The new key holds: one customer per source and id.
    expect(() =>
      db.exec(
        `INSERT INTO "Customer" ("sourceId", "externalId", "name", "updatedAt") VALUES ('web', 'cust-42', 'X', '${now}')`,
      ),
    ).toThrow(/UNIQUE/);
    db.close();
  });
});
