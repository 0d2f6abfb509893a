// Writes prisma/postgres/schema.prisma from prisma/schema.prisma: the models are written once, in
// the SQLite schema; the PostgreSQL one differs only in its generator's output and its datasource
// (Prisma wants the provider as a literal, so one file cannot serve both).
// `node scripts/postgres-schema.mjs`: writes it. `--check`: exits 1 when the checked-in copy is
// stale (CI and test/store/postgres-schema.test.ts run it).
import { readFileSync, writeFileSync } from "node:fs";
import { fileURLToPath } from "node:url";

const SQLITE = fileURLToPath(new URL("../prisma/schema.prisma", import.meta.url));
const POSTGRES = fileURLToPath(new URL("../prisma/postgres/schema.prisma", import.meta.url));

/** The PostgreSQL schema for the text of the SQLite one. */
export function postgresSchema(sqlite) {
  const generator = /generator client \{[^}]*\}/;
  const datasource = /datasource db \{[^}]*\}/;
  if (!generator.test(sqlite) || !datasource.test(sqlite))
    throw new Error("prisma/schema.prisma: no `generator client { … }` or `datasource db { … }` block");
  const body = sqlite
    .replace(generator, (block) =>
      block.replace(/output\s*=\s*"[^"]*"/, 'output   = "../../src/store/generated-postgres"'),
    )
    .replace(
      datasource,
      [
        "datasource db {",
        '  provider = "postgresql"',
        "  // A fixed placeholder: with env(DATABASE_URL) set to a file: URL the CLI would download an",
        "  // engine. The connection really used is the adapter's (prisma.config.ts, src/store/db.ts).",
        '  url      = "postgresql://herodesk@localhost:5432/herodesk"',
        "}",
      ].join("\n"),
    );
  return `// GENERATED from prisma/schema.prisma by scripts/postgres-schema.mjs: do not edit; edit that file\n// and run \`npm run db:schema:postgres\`.\n${body}`;
}

const wanted = postgresSchema(readFileSync(SQLITE, "utf8"));
if (process.argv.includes("--check")) {
  let current = "";
  try {
    current = readFileSync(POSTGRES, "utf8");
  } catch {}
  if (current !== wanted) {
    process.stderr.write(
      "prisma/postgres/schema.prisma is stale: run `npm run db:schema:postgres` (and `npm run db:migration:postgres -- <name>` for a schema change)\n",
    );
    process.exit(1);
  }
} else if (process.argv[1] === fileURLToPath(import.meta.url)) {
  writeFileSync(POSTGRES, wanted);
}
