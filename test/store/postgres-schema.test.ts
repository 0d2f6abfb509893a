// The PostgreSQL schema is derived from the SQLite one (scripts/postgres-schema.mjs): the copy
// checked in must be the one the script writes, and every SQLite migration after the PostgreSQL
// baseline needs its PostgreSQL twin of the same name (`npm run db:migration:postgres -- <name>`).
import { spawnSync } from "node:child_process";
import { readdirSync } from "node:fs";
import { describe, expect, it } from "vitest";

const migrations = (dir: string) =>
  readdirSync(dir)
    .filter((d) => /^\d{14}_/.test(d))
    .sort();
/** The last SQLite migration that the PostgreSQL baseline (20261204090000_init) stands for. */
const BASELINE = "20261203120000_auto_close";

describe("the PostgreSQL schema follows the SQLite one", () => {
  it("prisma/postgres/schema.prisma is what scripts/postgres-schema.mjs writes", () => {
    const check = spawnSync("node", ["scripts/postgres-schema.mjs", "--check"], { encoding: "utf8" });
    expect(check.stderr).toBe("");
    expect(check.status).toBe(0);
  });

  it("each SQLite migration after the baseline has a PostgreSQL migration of the same name", () => {
    const sqlite = migrations("prisma/migrations");
    expect(sqlite).toContain(BASELINE);
    const wanted = sqlite.filter((m) => m > BASELINE);
    const postgres = migrations("prisma/migrations-postgres");
    expect(wanted.filter((m) => !postgres.includes(m))).toEqual([]);
  });
});
