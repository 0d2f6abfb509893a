// The README's Socket Mode steps, checked: the token's scope, the env vars and the manifest switch
// they name are the ones HeroDesk and its manifest have, and HeroDesk started as they say works
// against the emulator's Socket Mode (or stops, with Slack's error, on a token Slack refuses).
import { type ChildProcess, spawn } from "node:child_process";
import { mkdtempSync, readFileSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterEach, describe, expect, it } from "vitest";
import { loadConfig, parseFileConfig } from "../../src/config.ts";
import { SlackEmulator } from "../../src/emulator/index.ts";
import { type HeroDesk, startHeroDesk } from "../../src/herodesk.ts";
import { createLogger } from "../../src/logger.ts";
import { freshDatabaseUrl } from "../helpers/db.ts";
import { waitFor } from "../helpers/wait.ts";

const readme = readFileSync("README.md", "utf8");
/** The Socket Mode steps: from their bold lead-in to the end of "Create the Slack app". */
const steps = readme.slice(
  readme.indexOf("**Socket Mode**"),
  readme.indexOf("\n## ", readme.indexOf("**Socket Mode**")),
);

function named(pattern: RegExp): string[] {
  const m = steps.replace(/\s+/g, " ").match(pattern);
  if (!m) throw new Error(`the README's Socket Mode steps no longer say ${pattern}`);
  return m.slice(1);
}
const [scope, tokenVar] = named(
  /generate a token with the scope `([a-z:.]+)` and put it \(`xapp-\.\.\.`\) in `([A-Z_]+)`/,
);
const [manifestKey, manifestParent] = named(/`"([a-z_]+)": true` under `([a-z_]+)`/);
const [botVar, appVar, notNeededVar] = named(
  /Start HeroDesk with `([A-Z_]+)` and `([A-Z_]+)`; `([A-Z_]+)` is not needed/,
);

const fileConfig = parseFileConfig({
  sources: [{ id: "web", secret: "web-secret-0123", slackChannel: "C0SUPPORT" }],
});

describe("the README's Socket Mode steps", () => {
  it("name the manifest switch the manifest has", () => {
    const manifest = JSON.parse(readFileSync("manifest/manifest.json", "utf8")) as Record<
      string,
      Record<string, unknown>
    >;
    expect(typeof manifest[manifestParent!]?.[manifestKey!]).toBe("boolean");
  });

  it("name env vars that config.ts reads (and the Configuration table lists): the app token's, the bot token's; the signing secret is not needed", () => {
    expect(tokenVar).toBe(appVar);
    for (const v of [botVar, appVar, notNeededVar]) expect(readme).toContain(`| \`${v}\``);
    const config = loadConfig({ [botVar!]: "xoxb-bot", [appVar!]: "xapp-1-app" }, { fileConfig });
    expect(config.slack).toMatchObject({ botToken: "xoxb-bot", appToken: "xapp-1-app" });
    expect(config.slack.signingSecret).toBeUndefined();
    // Without the app token the signing secret is needed again: it is the switch.
    expect(() => loadConfig({ [botVar!]: "xoxb-bot" }, { fileConfig })).toThrow(notNeededVar!);
  });
});

describe("HeroDesk started as the steps say", () => {
  let emulator: SlackEmulator | undefined;
  let app: HeroDesk | undefined;
  let child: ChildProcess | undefined;
  afterEach(async () => {
    child?.kill("SIGKILL");
    await app?.stop();
    await emulator?.stop();
    app = emulator = child = undefined;
  });

  /** The env of step 3, pointed at the emulator (SLACK_API_URL: apps.connections.open too). */
  const env = (emu: SlackEmulator) => ({
    [botVar!]: emu.botToken,
    [appVar!]: emu.appToken,
    SLACK_API_URL: emu.apiUrl,
    DATABASE_URL: freshDatabaseUrl(),
    PORT: "0",
    LOG_LEVEL: "error",
  });

  it(`connects over Socket Mode with a token with ${scope}, and answers /desk`, async () => {
    emulator = await SlackEmulator.start({ delivery: "socket", appTokenScopes: [scope!] });
    emulator.workspace.addChannel({ id: "C0SUPPORT", name: "support", members: ["U0ALICE"] });
    emulator.workspace.addUser({ id: "U0ALICE", name: "alice", realName: "Alice" });
    app = await startHeroDesk(loadConfig(env(emulator), { fileConfig }), { logger: createLogger("error") });
    expect(emulator.socketMode.openConnections).toHaveLength(1);
    const res = await emulator.driver.slashCommand({
      userId: "U0ALICE",
      channelId: "C0SUPPORT",
      text: "help",
    });
    expect(res.status).toBe(200);
    const emu = emulator;
    const answer = await waitFor("the answer", () =>
      emu.responseUrlPosts.find((p) => p.url === res.responseUrl),
    );
    expect((answer.body as { text?: string }).text).toContain("/desk");
  });

  it(`stops \`npm start\` with Slack's error when the app-level token lacks ${scope}`, async () => {
    emulator = await SlackEmulator.start({ delivery: "socket", appTokenScopes: ["authorizations:read"] });
    const dir = mkdtempSync(join(tmpdir(), "herodesk-socket-"));
    const configPath = join(dir, "herodesk.config.json");
    writeFileSync(
      configPath,
      JSON.stringify({ sources: [{ id: "web", secret: "web-secret-0123", slackChannel: "C0SUPPORT" }] }),
    );
    const proc = spawn(process.execPath, ["--import", "tsx", "src/main.ts"], {
      env: { PATH: process.env.PATH ?? "", ...env(emulator), HERODESK_CONFIG: configPath },
      stdio: ["ignore", "ignore", "pipe"],
    });
    child = proc;
    let stderr = "";
    proc.stderr?.on("data", (d: Buffer) => {
      stderr += d.toString();
    });
    const code = await new Promise<number | null>((resolve) => proc.once("exit", resolve));
    expect(code).toBe(1);
    expect(stderr).toContain(
      "herodesk: failed to start: SLACK_APP_TOKEN: Slack refused it for Socket Mode (missing_scope: needs connections:write).",
    );
  });
});
