// Prisma CLI configuration. `engine: "js"` with a driver adapter makes `migrate deploy` and
// `migrate diff` run on Prisma's WASM schema engine: no native engine is downloaded.
import { PrismaBetterSQLite3 } from "@prisma/adapter-better-sqlite3";
import { defineConfig } from "prisma/config";

export const DEFAULT_DATABASE_URL = "file:./data/herodesk.db";

export default defineConfig({
  experimental: { adapter: true },
  engine: "js",
  schema: "prisma/schema.prisma",
  migrations: { path: "prisma/migrations" },
  async adapter() {
    return new PrismaBetterSQLite3({ url: process.env.DATABASE_URL ?? DEFAULT_DATABASE_URL });
  },
});
