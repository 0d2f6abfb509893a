// HeroDesk killed with SIGKILL in the middle of a queue, as a crash or an OOM kill would: after it
// starts again, every customer message is in its thread exactly once, in order.
import { type ChildProcess, spawn } from "node:child_process";
import { mkdtempSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterEach, expect, it } from "vitest";
import { sign } from "../../src/core/signature.ts";
import { SlackEmulator } from "../../src/emulator/index.ts";
import { freshDatabaseUrl } from "../helpers/db.ts";
import { shownText } from "../helpers/slack-view.ts";
import { waitFor } from "../helpers/wait.ts";

const children: ChildProcess[] = [];
let emulator: SlackEmulator | undefined;
afterEach(async () => {
  for (const c of children.splice(0)) c.kill("SIGKILL");
  await emulator?.stop();
});

function startApp(env: Record<string, string>): ChildProcess {
  const child = spawn(process.execPath, ["--import", "tsx", "src/main.ts"], {
    env: { ...process.env, ...env },
    stdio: ["ignore", "ignore", "pipe"],
  });
  children.push(child);
  return child;
}

async function healthy(url: string) {
  await waitFor("HeroDesk up", async () => (await fetch(`${url}/healthz`).catch(() => null))?.ok, 20_000);
}

it("survives SIGKILL mid-queue with nothing lost or duplicated", async () => {
  emulator = await SlackEmulator.start({ rateLimit: { perSecond: 4, burst: 1 } });
  emulator.workspace.addChannel({ id: "C0SUPPORT", name: "support" });
  const dir = mkdtempSync(join(tmpdir(), "herodesk-crash-"));
  const configPath = join(dir, "herodesk.config.json");
  const secret = "crash-secret-0123456789";
  writeFileSync(
    configPath,
    JSON.stringify({
      sources: [{ id: "web", secret, slackChannel: "C0SUPPORT" }],
      slack: { postsPerSecondPerChannel: 4, burstPerChannel: 1 },
    }),
  );
  const port = 30_000 + Math.floor(Math.random() * 20_000);
  const url = `http://127.0.0.1:${port}`;
  const env = {
    DATABASE_URL: freshDatabaseUrl(),
    SLACK_BOT_TOKEN: "xoxb-emulator-token",
    SLACK_SIGNING_SECRET: "emulator-signing-secret",
    SLACK_API_URL: emulator.apiUrl,
    PORT: String(port),
    HERODESK_CONFIG: configPath,
    LOG_LEVEL: "error",
  };
  emulator.setAppUrl(`${url}/slack/events`);

  const first = startApp(env);
  await healthy(url);
  const texts = Array.from({ length: 16 }, (_, i) => `message ${i}`);
  for (const [i, text] of texts.entries()) {
    const body = JSON.stringify({
      source: "web",
      messageId: `m-${i}`,
      customer: { id: "cust-9", name: "Grace" },
      text,
    });
    const ts = Math.floor(Date.now() / 1000);
    const res = await fetch(`${url}/api/v1/messages`, {
      method: "POST",
      headers: { "x-herodesk-timestamp": String(ts), "x-herodesk-signature": sign(secret, ts, body) },
      body,
    });
    expect(res.status).toBe(202);
  }
  const replies = () => {
    const card = emulator!.workspace.messages("C0SUPPORT")[0];
    return card ? emulator!.workspace.replies("C0SUPPORT", card.ts) : [];
  };
  await waitFor("a few mirrored", () => replies().length >= 4);
  first.kill("SIGKILL");
  await new Promise((r) => first.once("exit", r));
  const mirroredBeforeCrash = replies().length;
  expect(mirroredBeforeCrash).toBeLessThan(texts.length);

  startApp(env);
  await healthy(url);
  await waitFor("all mirrored", () => replies().length >= texts.length, 20_000);
  await new Promise((r) => setTimeout(r, 500)); // a duplicate would arrive within this
  const shown = replies().map(shownText);
  expect(shown).toEqual(texts);
  expect(emulator.workspace.messages("C0SUPPORT")).toHaveLength(1);
});
