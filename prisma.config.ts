// Prisma CLI configuration. `engine: "js"` with a driver adapter makes `migrate deploy` and
// `migrate diff` run on Prisma's WASM schema engine: no native engine is downloaded.
// DATABASE_URL chooses the database: `file:` is SQLite (prisma/schema.prisma, prisma/migrations),
// `postgresql:` is PostgreSQL (prisma/postgres/schema.prisma, generated from the SQLite one by
// scripts/postgres-schema.mjs, and prisma/migrations-postgres).
import { PrismaBetterSQLite3 } from "@prisma/adapter-better-sqlite3";
import { defineConfig } from "prisma/config";
import { migrationAdapter } from "./prisma/postgres/migrate-adapter.ts";

export const DEFAULT_DATABASE_URL = "file:./data/herodesk.db";

const url = process.env.DATABASE_URL ?? DEFAULT_DATABASE_URL;
const postgres = /^postgres(ql)?:/i.test(url);

export default defineConfig({
  experimental: { adapter: true },
  engine: "js",
  schema: postgres ? "prisma/postgres/schema.prisma" : "prisma/schema.prisma",
  migrations: { path: postgres ? "prisma/migrations-postgres" : "prisma/migrations" },
  async adapter() {
    return postgres ? migrationAdapter(url) : new PrismaBetterSQLite3({ url });
  },
});
