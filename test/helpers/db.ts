import { copyFileSync, mkdtempSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterEach, inject } from "vitest";
import { createStore, openDatabase, type Store } from "../../src/store/index.ts";
import { databaseFrom, postgresTesting, urlOf } from "./postgres.ts";

/**
 * A fresh, migrated database for one test: a copy of the run's template, an SQLite file or (with
 * HERODESK_TEST_DB=postgres) a PostgreSQL database, dropped when its test file is done.
 */
export function freshDatabaseUrl(): string {
  if (postgresTesting()) {
    const template = inject("templateDb");
    return urlOf(databaseFrom(template, template.replace(/_template$/, "_")));
  }
  const dir = mkdtempSync(join(tmpdir(), "herodesk-test-"));
  const file = join(dir, "test.db");
  copyFileSync(inject("templateDb"), file);
  return `file:${file}`;
}

/** True when the suite runs on PostgreSQL (`npm run test:postgres`). */
export const onPostgres = postgresTesting;

/** Opens stores on a database (several on one: replicas); each test's are closed after it. */
export function storesClosedAfterEach(): (url: string) => Promise<Store> {
  const stores: Store[] = [];
  afterEach(async () => {
    for (const s of stores.splice(0)) await s.close();
  });
  return async (url) => {
    const store = createStore(await openDatabase(url));
    stores.push(store);
    return store;
  };
}
