// Migrates one template database with the real `prisma migrate deploy`; every test copies it.
import { execFileSync } from "node:child_process";
import { mkdirSync, rmSync } from "node:fs";
import { resolve } from "node:path";

export const TEMPLATE_DB = resolve("test/.tmp/template.db");

export default function setup() {
  mkdirSync("test/.tmp", { recursive: true });
  rmSync(TEMPLATE_DB, { force: true });
  execFileSync("npx", ["--no-install", "prisma", "migrate", "deploy"], {
    env: { ...process.env, DATABASE_URL: `file:${TEMPLATE_DB}` },
    stdio: "pipe",
  });
}
