// The connection keeps its prepared statements for Prisma's adapter, which would otherwise prepare
// each query anew. Driven the way the adapter drives it (prepare → bind → run / raw().all()), on a
// real SQLite file.
import Database from "better-sqlite3";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { cacheStatements } from "../../src/store/statement-cache.ts";
import { freshDatabaseUrl, onPostgres } from "../helpers/db.ts";

interface AdapterView {
  prepare(sql: string): {
    reader: boolean;
    run(): { changes: number };
    bind(args: unknown[]): {
      reader: boolean;
      run(): { changes: number };
      columns(): { name: string }[];
      raw(): { all(): unknown[][] };
    };
  };
}

let db: Database.Database;
let prepared: string[];
let columnLookups: number;

function open(size?: number): AdapterView {
  db = new Database(freshDatabaseUrl().replace(/^file:/, ""));
  const prepare = db.prepare.bind(db);
  prepared = [];
  columnLookups = 0;
  // Counts what SQLite really prepares, and how often a statement is asked for its columns.
  db.prepare = ((sql: string) => {
    prepared.push(sql);
    const stmt = prepare(sql);
    const columns = stmt.columns.bind(stmt);
    stmt.columns = () => {
      columnLookups++;
      return columns();
    };
    return stmt;
  }) as typeof db.prepare;
  cacheStatements(db, size);
  db.exec('CREATE TABLE "Note" ("id" INTEGER PRIMARY KEY, "text" TEXT NOT NULL UNIQUE)');
  return db as unknown as AdapterView;
}

const select = 'SELECT "text" FROM "Note" WHERE "id" = ?';
const insert = 'INSERT INTO "Note" ("text") VALUES (?)';

// SQLite's own connection: PostgreSQL prepares through pg, which needs no cache of this kind.
describe.skipIf(onPostgres())("statement cache (SQLite only)", () => {
  let conn: AdapterView;
  beforeEach(() => {
    conn = open();
  });
  afterEach(() => db.close());

  it("prepares a query once and runs it again with each call's own parameters", () => {
    for (const text of ["first", "second", "third"]) conn.prepare(insert).bind([text]).run();
    const read = (id: number) => conn.prepare(select).bind([id]).raw().all();
    expect([read(1), read(3), read(2), read(9)]).toEqual([[["first"]], [["third"]], [["second"]], []]);
    expect(prepared.filter((sql) => sql === insert)).toHaveLength(1);
    expect(prepared.filter((sql) => sql === select)).toHaveLength(1);
  });

  it("looks a statement's columns up once", () => {
    const names = () =>
      conn
        .prepare(select)
        .bind([1])
        .columns()
        .map((c) => c.name);
    expect([names(), names(), names()]).toEqual([["text"], ["text"], ["text"]]);
    expect(columnLookups).toBe(1);
  });

  it("says whether a statement reads, as the adapter asks before it runs one", () => {
    expect(conn.prepare(select).bind([1]).reader).toBe(true);
    expect(conn.prepare(insert).bind(["x"]).reader).toBe(false);
    expect(conn.prepare("BEGIN").reader).toBe(false);
  });

  it("a statement that failed serves the next call", () => {
    conn.prepare(insert).bind(["same"]).run();
    expect(() => conn.prepare(insert).bind(["same"]).run()).toThrow(/UNIQUE/);
    expect(conn.prepare(insert).bind(["other"]).run().changes).toBe(1);
    expect(conn.prepare('SELECT COUNT(*) FROM "Note"').bind([]).raw().all()).toEqual([[2]]);
  });

  it("keeps the most recently used statements when it is full", () => {
    db.close();
    conn = open(2);
    const queries = ["SELECT 1", "SELECT 2", "SELECT 1", "SELECT 3", "SELECT 1", "SELECT 2"];
    for (const sql of queries) conn.prepare(sql).bind([]).raw().all();
    // SELECT 1 stays (used again before each eviction); SELECT 2 was evicted by SELECT 3.
    expect(prepared.filter((sql) => sql.startsWith("SELECT "))).toEqual([
      "SELECT 1",
      "SELECT 2",
      "SELECT 3",
      "SELECT 2",
    ]);
  });
});
