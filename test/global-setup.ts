// Migrates one template database with the real `prisma migrate deploy`; every test copies it.
// The name is unique per run, so runs side by side (a watcher and CI, say) never share one.
// HERODESK_TEST_DB=postgres (`npm run test:postgres`): the template is a PostgreSQL database on
// HERODESK_TEST_PG (default the local server), and each test gets a database made from it.
import { execFileSync } from "node:child_process";
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import type { TestProject } from "vitest/node";
import { dropDatabasesLike, postgresTesting, psql, urlOf } from "./helpers/postgres.ts";

declare module "vitest" {
  export interface ProvidedContext {
    /** SQLite: the template file. PostgreSQL: the template database's name. */
    templateDb: string;
  }
}

export default function setup(project: TestProject) {
  if (postgresTesting()) {
    const run = `herodesk_t${process.pid}_${Date.now().toString(36)}`;
    const templateDb = `${run}_template`;
    psql(`CREATE DATABASE "${templateDb}"`);
    execFileSync("npx", ["--no-install", "prisma", "migrate", "deploy"], {
      env: { ...process.env, DATABASE_URL: urlOf(templateDb) },
      stdio: "pipe",
    });
    project.provide("templateDb", templateDb);
    return () => dropDatabasesLike(`${run}_`);
  }
  const dir = mkdtempSync(join(tmpdir(), "herodesk-template-"));
  const templateDb = join(dir, "template.db");
  execFileSync("npx", ["--no-install", "prisma", "migrate", "deploy"], {
    env: { ...process.env, DATABASE_URL: `file:${templateDb}` },
    stdio: "pipe",
  });
  project.provide("templateDb", templateDb);
  return () => rmSync(dir, { recursive: true, force: true });
}
