// `npm install` runs this: generate the Prisma client, then bring the database up to date.
// `node scripts/setup.mjs migrate` only migrates (npm start and npm run demo do that first);
// `node scripts/setup.mjs generate` only generates.
// Both steps run Prisma's WASM engines (see prisma.config.ts), so nothing is downloaded.
import { execFileSync } from "node:child_process";
import { existsSync, mkdirSync } from "node:fs";
import { dirname } from "node:path";

if (!existsSync("prisma/schema.prisma")) process.exit(0); // installed as a dependency elsewhere

const url = process.env.DATABASE_URL ?? "file:./data/herodesk.db";
// The CLI needs DATABASE_URL set, or it falls back to downloading a native engine.
const env = { ...process.env, DATABASE_URL: url };
const run = (args) => execFileSync("npx", ["--no-install", "prisma", ...args], { stdio: "inherit", env });
if (url.startsWith("file:")) mkdirSync(dirname(url.slice("file:".length)), { recursive: true });

const step = process.argv[2]; // "generate", "migrate", or both when absent
if (step !== "migrate") run(["generate"]);
if (step !== "generate") run(["migrate", "deploy"]);
