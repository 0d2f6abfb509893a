// Databases for the benchmarks: one template migrated with the real `prisma migrate deploy` per
// benchmark run (as test/global-setup.ts does for the tests), then a copy of it for each app start.
import { execFileSync } from "node:child_process";
import { copyFileSync, mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import Database from "better-sqlite3";
import { PROJECT_ROOT } from "./paths.ts";

export interface BenchDatabases {
  /** A fresh, migrated SQLite database URL (file:...). */
  fresh(label: string): string;
  /** Removes every file made for this run. */
  cleanup(): void;
}

export function prepareDatabases(): BenchDatabases {
  const dir = mkdtempSync(join(tmpdir(), "herodesk-bench-"));
  const template = join(dir, "template.db");
  try {
    execFileSync("npx", ["--no-install", "prisma", "migrate", "deploy"], {
      cwd: PROJECT_ROOT,
      env: { ...process.env, DATABASE_URL: `file:${template}` },
      stdio: "pipe",
    });
  } catch (err) {
    const e = err as { stderr?: Buffer; stdout?: Buffer; message: string };
    rmSync(dir, { recursive: true, force: true });
    throw new Error(
      `prisma migrate deploy failed: ${e.stderr?.toString().trim() || e.stdout?.toString().trim() || e.message}`,
    );
  }
  let n = 0;
  return {
    fresh(label) {
      const file = join(dir, `${label}-${++n}.db`);
      copyFileSync(template, file);
      return `file:${file}`;
    },
    cleanup() {
      rmSync(dir, { recursive: true, force: true });
    },
  };
}

/** How many rows each inbound messageId of `sourceId` has, read straight from the SQLite file. */
export function storedMessageCounts(databaseUrl: string, sourceId: string): Map<string, number> {
  const db = new Database(databaseUrl.replace(/^file:/, ""), { readonly: true, fileMustExist: true });
  try {
    const rows = db
      .prepare(
        `SELECT externalId AS id, COUNT(*) AS n FROM "Message"
         WHERE sourceId = ? AND direction = 'inbound' GROUP BY externalId`,
      )
      .all(sourceId) as { id: string; n: number }[];
    return new Map(rows.map((r) => [r.id, r.n]));
  } finally {
    db.close();
  }
}
