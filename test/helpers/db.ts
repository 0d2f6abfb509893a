import { copyFileSync, mkdtempSync } from "node:fs";
import { tmpdir } from "node:os";
import { join, resolve } from "node:path";

/** A fresh, migrated SQLite database file for one test. */
export function freshDatabaseUrl(): string {
  const dir = mkdtempSync(join(tmpdir(), "herodesk-test-"));
  const file = join(dir, "test.db");
  copyFileSync(resolve("test/.tmp/template.db"), file);
  return `file:${file}`;
}
