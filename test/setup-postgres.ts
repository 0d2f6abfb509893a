// On PostgreSQL, the databases a test file made are dropped once it is done (each test's own,
// copies of the template: test/helpers/db.ts), so a run keeps a few at a time, not hundreds.
import { afterAll, inject } from "vitest";
import { dropDatabasesLike, postgresTesting } from "./helpers/postgres.ts";

// A file of 172 tests leaves 172 databases: dropped in one psql run, given the time that takes.
if (postgresTesting())
  afterAll(
    () => dropDatabasesLike(`${inject("templateDb").replace(/_template$/, "_")}${process.pid}_`),
    300_000,
  );
