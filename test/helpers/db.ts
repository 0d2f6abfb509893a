import { copyFileSync, mkdtempSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { inject } from "vitest";

/** A fresh, migrated SQLite database file for one test (a copy of the run's template). */
export function freshDatabaseUrl(): string {
  const dir = mkdtempSync(join(tmpdir(), "herodesk-test-"));
  const file = join(dir, "test.db");
  copyFileSync(inject("templateDb"), file);
  return `file:${file}`;
}
