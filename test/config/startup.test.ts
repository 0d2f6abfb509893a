// `npm start` with a bad setting: it stops with one clear line per problem and never echoes a secret.
import { spawnSync } from "node:child_process";
import { mkdtempSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { describe, expect, it } from "vitest";

const TSX = import.meta.resolve("tsx");
const MAIN = new URL("../../src/main.ts", import.meta.url).pathname;

/** `npm start`'s program with this environment, in `cwd` (default: the repository). */
function start(env: Record<string, string>, cwd?: string) {
  const res = spawnSync(process.execPath, ["--import", TSX, MAIN], {
    ...(cwd ? { cwd } : {}),
    env: { PATH: process.env.PATH ?? "", ...env },
    encoding: "utf8",
    timeout: 20_000,
  });
  return { status: res.status, lines: res.stderr.trim().split("\n").filter(Boolean) };
}

it("stops with one line naming each bad setting, without echoing secrets", () => {
  const dir = mkdtempSync(join(tmpdir(), "herodesk-cfg-"));
  const path = join(dir, "config.json");
  writeFileSync(path, JSON.stringify({ sources: [{ id: "web", secret: "short", slackChannel: "support" }] }));
  const { status, lines } = start({ SLACK_BOT_TOKEN: "xoxp-super-secret-token", HERODESK_CONFIG: path });
  expect(status).toBe(1);
  expect(lines).toEqual([
    "herodesk: config error: env SLACK_BOT_TOKEN: expected a bot token starting with xoxb-",
    "herodesk: config error: env SLACK_SIGNING_SECRET: required in HTTP mode (or set SLACK_APP_TOKEN for Socket Mode)",
  ]);
  expect(lines.join("\n")).not.toContain("super-secret");
});

it("names the config file's problems with their paths", () => {
  const dir = mkdtempSync(join(tmpdir(), "herodesk-cfg-"));
  const path = join(dir, "config.json");
  writeFileSync(path, JSON.stringify({ sources: [{ id: "web", secret: "short", slackChannel: "support" }] }));
  const { status, lines } = start({
    SLACK_BOT_TOKEN: "xoxb-1",
    SLACK_SIGNING_SECRET: "s",
    HERODESK_CONFIG: path,
  });
  expect(status).toBe(1);
  expect(lines).toEqual([
    `herodesk: config error: ${path} sources[0].secret: at least 8 characters`,
    `herodesk: config error: ${path} sources[0].slackChannel: expected a Slack channel ID such as C0123ABCD`,
  ]);
});

it("says what to do when the config file is missing", () => {
  const { status, lines } = start({
    SLACK_BOT_TOKEN: "xoxb-1",
    SLACK_SIGNING_SECRET: "s",
    HERODESK_CONFIG: "/nope/x.json",
  });
  expect(status).toBe(1);
  expect(lines).toEqual([
    "herodesk: config error: HERODESK_CONFIG: cannot read /nope/x.json (ENOENT); copy herodesk.config.example.json",
  ]);
});

// `npm start` reads .env from its working directory (issue 10, part 3): run from a folder holding
// one, HeroDesk sees its settings; the environment's own values win over the file's.
describe(".env", () => {
  it("is read when it exists, with empty lines meaning unset", () => {
    const dir = mkdtempSync(join(tmpdir(), "herodesk-env-"));
    writeFileSync(
      join(dir, ".env"),
      "SLACK_BOT_TOKEN=xoxp-from-dotenv\nSLACK_SIGNING_SECRET=\nSLACK_APP_TOKEN=\nHERODESK_CONFIG=/nope/x.json\n",
    );
    const { status, lines } = start({}, dir);
    expect(status).toBe(1);
    expect(lines).toEqual([
      "herodesk: config error: env SLACK_BOT_TOKEN: expected a bot token starting with xoxb-",
      "herodesk: config error: env SLACK_SIGNING_SECRET: required in HTTP mode (or set SLACK_APP_TOKEN for Socket Mode)",
    ]);
  });
  it("the environment wins over the file", () => {
    const dir = mkdtempSync(join(tmpdir(), "herodesk-env-"));
    writeFileSync(
      join(dir, ".env"),
      "SLACK_BOT_TOKEN=xoxp-from-dotenv\nSLACK_SIGNING_SECRET=s\nHERODESK_CONFIG=/nope/x.json\n",
    );
    const { status, lines } = start({ SLACK_BOT_TOKEN: "xoxb-from-env" }, dir);
    expect(status).toBe(1);
    expect(lines).toEqual([
      "herodesk: config error: HERODESK_CONFIG: cannot read /nope/x.json (ENOENT); copy herodesk.config.example.json",
    ]);
  });
});
