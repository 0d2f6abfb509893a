import { defineConfig } from "vitest/config";

export default defineConfig({
  test: {
    include: ["test/**/*.test.ts"],
    globalSetup: ["test/global-setup.ts"],
    setupFiles: ["test/setup-fast-check.ts"],
    // Every test file gets its own SQLite file and emulator on a free port, so files run in parallel.
    testTimeout: 30_000,
    hookTimeout: 30_000,
  },
});
