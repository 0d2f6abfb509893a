import { defineConfig } from "vitest/config";

export default defineConfig({
  test: {
    include: ["test/**/*.test.ts"],
    globalSetup: ["test/global-setup.ts"],
    setupFiles: ["test/setup-fast-check.ts", "test/setup-postgres.ts"],
    // Every test file gets its own database (SQLite file, or PostgreSQL database with
    // HERODESK_TEST_DB=postgres) and emulator on a free port, so files run in parallel.
    testTimeout: 30_000,
    hookTimeout: 30_000,
  },
});
