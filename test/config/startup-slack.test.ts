// `npm start` against a Slack that is not right (issue 10, part 1), as a person meets it: the
// program is spawned as `npm start` runs it, against the emulator or against something that is
// not Slack. A token Slack refuses and a SLACK_API_URL that is not Slack's Web API stop start-up
// with one line naming the setting; a Slack that does not answer, and channels HeroDesk cannot
// use, are one warning line each while HeroDesk keeps serving, and /healthz says Slack is degraded.
import { type ChildProcess, spawn } from "node:child_process";
import { mkdtempSync, writeFileSync } from "node:fs";
import { createServer, type Server } from "node:http";
import type { AddressInfo } from "node:net";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterEach, describe, expect, it } from "vitest";
import { SlackEmulator } from "../../src/emulator/index.ts";
import { freshDatabaseUrl } from "../helpers/db.ts";
import { waitFor } from "../helpers/wait.ts";

const TSX = import.meta.resolve("tsx");
const MAIN = new URL("../../src/main.ts", import.meta.url).pathname;

const cleanups: (() => Promise<void> | void)[] = [];
afterEach(async () => {
  for (const c of cleanups.splice(0).reverse()) await c();
});

function configFile(extra: Record<string, unknown> = {}) {
  const dir = mkdtempSync(join(tmpdir(), "herodesk-start-"));
  const path = join(dir, "config.json");
  writeFileSync(
    path,
    JSON.stringify({
      admins: ["U0ADMIN"],
      sources: [{ id: "web", secret: "web-secret-123", slackChannel: "C0SUPPORT" }],
      ...extra,
    }),
  );
  return path;
}

/** Starts `npm start`'s program; resolves with its stderr lines once it exits or says it is up. */
function start(env: Record<string, string>) {
  const child: ChildProcess = spawn(process.execPath, ["--import", TSX, MAIN], {
    env: {
      PATH: process.env.PATH ?? "",
      DATABASE_URL: freshDatabaseUrl(),
      SLACK_SIGNING_SECRET: "s",
      PORT: "0",
      ...env,
    },
    stdio: ["ignore", "ignore", "pipe"],
  });
  cleanups.push(() => {
    child.kill("SIGKILL");
  });
  const lines: string[] = [];
  let buffered = "";
  child.stderr!.on("data", (chunk: Buffer) => {
    buffered += chunk.toString("utf8");
    const parts = buffered.split("\n");
    buffered = parts.pop()!;
    lines.push(...parts.filter(Boolean));
  });
  const exited = new Promise<number | null>((resolve) => child.on("exit", (code) => resolve(code)));
  return { child, lines, exited };
}

/** The messages of the JSON log lines (and plain lines as they are). */
const messages = (lines: string[]) =>
  lines.map((l) => {
    try {
      return (JSON.parse(l) as { msg: string }).msg;
    } catch {
      return l;
    }
  });

async function emulator() {
  const slack = await SlackEmulator.start();
  cleanups.push(() => slack.stop());
  slack.workspace.addUser({ id: "U0ADMIN", name: "ada", realName: "Ada Admin" });
  return slack;
}

async function notSlack(handler: (path: string) => { status: number; body: string }) {
  const server: Server = createServer((req, res) => {
    const { status, body } = handler(req.url ?? "/");
    res.writeHead(status, { "content-type": "text/html" }).end(body);
  });
  await new Promise<void>((r) => server.listen(0, "127.0.0.1", r));
  cleanups.push(() => new Promise<void>((r) => server.close(() => r())));
  return `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
}

describe("start-up against Slack", () => {
  it("a token Slack refuses: one line naming SLACK_BOT_TOKEN, exit 1, no stack", async () => {
    const slack = await emulator();
    const run = start({
      SLACK_BOT_TOKEN: "xoxb-wrong-token",
      SLACK_API_URL: slack.apiUrl,
      HERODESK_CONFIG: configFile(),
    });
    expect(await run.exited).toBe(1);
    expect(run.lines).toEqual([
      "herodesk: failed to start: SLACK_BOT_TOKEN: Slack refused it (invalid_auth). Copy the Bot User OAuth Token (xoxb-…) from your app's OAuth & Permissions page, after installing the app to the workspace.",
    ]);
  }, 30_000);

  it("a SLACK_API_URL without /api/ is named as not Slack's Web API", async () => {
    const slack = await emulator();
    const run = start({
      SLACK_BOT_TOKEN: "xoxb-emulator-token",
      SLACK_API_URL: slack.apiUrl.replace(/api\/$/, ""),
      HERODESK_CONFIG: configFile(),
    });
    expect(await run.exited).toBe(1);
    expect(run.lines).toHaveLength(1);
    expect(run.lines[0]).toMatch(
      /^herodesk: failed to start: SLACK_API_URL: http:\/\/127\.0\.0\.1:\d+\/ does not answer like Slack's Web API: auth\.test got .+ \(it must end in \/api\/, like https:\/\/slack\.com\/api\/\)\.$/,
    );
  }, 30_000);

  it("a web page that answers 200 to everything is not Slack either", async () => {
    const url = await notSlack(() => ({ status: 200, body: "<html>hello</html>" }));
    const run = start({
      SLACK_BOT_TOKEN: "xoxb-1",
      SLACK_API_URL: `${url}/api/`,
      HERODESK_CONFIG: configFile(),
    });
    expect(await run.exited).toBe(1);
    expect(run.lines).toHaveLength(1);
    expect(run.lines[0]).toMatch(
      /^herodesk: failed to start: SLACK_API_URL: .* does not answer like Slack's Web API/,
    );
  }, 30_000);

  it("Slack not answering: one warning, HeroDesk serves, /healthz says Slack is degraded", async () => {
    const closed = await notSlack(() => ({ status: 200, body: "" }));
    await cleanups.pop()!(); // the port is free again: nothing answers there
    const run = start({
      SLACK_BOT_TOKEN: "xoxb-1",
      SLACK_API_URL: `${closed}/api/`,
      HERODESK_CONFIG: configFile(),
      PORT: String(await freePort()),
    });
    await waitFor("up", () => messages(run.lines).includes("HeroDesk is up"), 20_000);
    const warnings = run.lines.filter((l) => l.includes('"level":"warn"'));
    expect(messages(warnings)).toEqual([
      expect.stringMatching(/^Slack did not answer at .*\/api\/ \(ECONNREFUSED\); HeroDesk starts anyway/),
    ]);
    const port = portOf(run.lines);
    const health = (await (await fetch(`http://127.0.0.1:${port}/healthz`)).json()) as Record<string, string>;
    expect(health).toMatchObject({ ok: true, database: "reachable", slack: "degraded" });
    expect(health.slackReason).toContain("ECONNREFUSED");
  }, 30_000);

  it("channels it cannot use: one warning each, the admins told in Slack, /healthz degraded", async () => {
    const slack = await emulator();
    slack.workspace.addChannel({ id: "C0SUPPORT", name: "support" });
    slack.workspace.addChannel({ id: "C0OLD", name: "old", isArchived: true });
    slack.workspace.addChannel({ id: "C0SECRET", name: "secret", isPrivate: true, botIsMember: false });
    const run = start({
      SLACK_BOT_TOKEN: "xoxb-emulator-token",
      SLACK_API_URL: slack.apiUrl,
      HERODESK_CONFIG: configFile({
        sources: [
          { id: "web", secret: "web-secret-123", slackChannel: "C0SUPPORT" },
          { id: "mail", secret: "mail-secret-123", slackChannel: "C0OLD" },
          { id: "chat", secret: "chat-secret-123", slackChannel: "C0GONE" },
        ],
        summaries: [{ channel: "C0SECRET", cron: "0 9 * * 1-5", timezone: "UTC" }],
      }),
      PORT: String(await freePort()),
    });
    await waitFor("up", () => messages(run.lines).includes("HeroDesk is up"), 20_000);
    const warnings = messages(run.lines.filter((l) => l.includes('"level":"warn"')));
    expect(warnings).toEqual([
      "sources[1] (mail) channel C0OLD: is archived; unarchive it or name another channel in the config file",
      expect.stringMatching(
        /^sources\[2\] \(chat\) channel C0GONE: cannot be seen: it does not exist, or it is private/,
      ),
      expect.stringMatching(/^summaries\[0\] channel C0SECRET: cannot be seen/),
    ]);
    // The admin hears of each in a DM.
    await waitFor("the admin told", () => slack.workspace.dms("U0ADMIN").length >= 3, 20_000);
    const told = slack.workspace
      .dms("U0ADMIN")
      .map((m) => m.text ?? "")
      .join("\n");
    for (const c of ["C0OLD", "C0GONE", "C0SECRET"]) expect(told).toContain(c);
    const health = (await (await fetch(`http://127.0.0.1:${portOf(run.lines)}/healthz`)).json()) as Record<
      string,
      string
    >;
    expect(health).toMatchObject({ ok: true, slack: "degraded" });
    expect(health.slackReason).toMatch(/^waiting on a person: /);
  }, 40_000);
});

/** The port from "HeroDesk is up". */
function portOf(lines: string[]): number {
  const up = lines
    .map((l) => JSON.parse(l) as { msg: string; port?: number })
    .find((l) => l.msg === "HeroDesk is up");
  return up!.port!;
}

async function freePort(): Promise<number> {
  const s = createServer();
  await new Promise<void>((r) => s.listen(0, "127.0.0.1", r));
  const { port } = s.address() as AddressInfo;
  await new Promise<void>((r) => s.close(() => r()));
  return port;
}
