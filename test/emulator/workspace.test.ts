// Workspace bookkeeping, the inspection endpoints (state JSON, transcript viewer), the demo seed,
// the CLI, and the emulator's lifecycle helpers.
import { spawn } from "node:child_process";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { SlackEmulator, seedDemoWorkspace } from "../../src/emulator/index.ts";
import { Workspace } from "../../src/emulator/workspace.ts";
import { client } from "./helpers.ts";

let emu: SlackEmulator;

beforeAll(async () => {
  emu = await SlackEmulator.start({ rateLimit: false });
  seedDemoWorkspace(emu.workspace);
});

afterAll(async () => {
  await emu.stop();
});

const newWorkspace = () =>
  new Workspace({
    teamId: "T1",
    teamName: "T",
    teamDomain: "t",
    botUserId: "UB",
    botId: "BB",
    appId: "AA",
    botName: "Bot",
  });

describe("Workspace", () => {
  it("starts with the bot user and Slackbot", () => {
    const ws = newWorkspace();
    expect(ws.user("UB")).toMatchObject({ is_bot: true, profile: { bot_id: "BB" } });
    expect(ws.user("USLACKBOT")?.is_bot).toBe(false);
  });

  it("adds users and channels in Slack's shape, generating IDs", () => {
    const ws = newWorkspace();
    const user = ws.addUser({ name: "zoe", realName: "Zoë Zed", email: "zoe@example.com" });
    expect(user.id).toMatch(/^U[A-Z0-9]{10}$/);
    expect(user).toMatchObject({
      team_id: "T1",
      real_name: "Zoë Zed",
      profile: { real_name_normalized: "Zoe Zed", email: "zoe@example.com" },
    });
    const channel = ws.addChannel({ name: "#triage", isPrivate: true, members: [user.id] });
    expect(channel).toMatchObject({ name: "triage", is_private: true, is_group: true, is_member: true });
    expect(channel.id).toMatch(/^C[A-Z0-9]{10}$/);
    expect(ws.channel("#triage")?.id).toBe(channel.id);
    expect(ws.members(channel.id).sort()).toEqual([user.id, "UB"].sort());
    expect(() => ws.addChannel({ name: "triage" })).toThrow(/already exists/);
  });

  it("keeps thread counters right when replies are deleted, and leaves a tombstone for a deleted root", () => {
    const ws = newWorkspace();
    ws.addUser({ id: "U1", name: "a" });
    ws.addChannel({ id: "C1", name: "c", members: ["U1"] });
    const root = ws.postMessage({ channel: "C1", from: { kind: "bot" }, text: "root" }).message;
    const r1 = ws.postMessage({
      channel: "C1",
      from: { kind: "user", userId: "U1" },
      text: "r1",
      threadTs: root.ts,
    }).message;
    const r2 = ws.postMessage({
      channel: "C1",
      from: { kind: "bot" },
      text: "r2",
      threadTs: root.ts,
    }).message;
    expect(root).toMatchObject({ reply_count: 2, reply_users: ["U1", "UB"], latest_reply: r2.ts });
    ws.deleteMessage("C1", r2.ts);
    expect(root).toMatchObject({ reply_count: 1, reply_users: ["U1"], latest_reply: r1.ts });
    ws.deleteMessage("C1", root.ts);
    expect(ws.message("C1", root.ts)).toMatchObject({
      subtype: "tombstone",
      text: "This message was deleted.",
    });
    ws.deleteMessage("C1", r1.ts);
    expect(ws.message("C1", root.ts)?.reply_count).toBeUndefined();
  });

  it("posting with a reply's ts lands in that reply's thread", () => {
    const ws = newWorkspace();
    ws.addChannel({ id: "C1", name: "c" });
    const root = ws.postMessage({ channel: "C1", from: { kind: "bot" }, text: "root" }).message;
    const r1 = ws.postMessage({
      channel: "C1",
      from: { kind: "bot" },
      text: "r1",
      threadTs: root.ts,
    }).message;
    const r2 = ws.postMessage({ channel: "C1", from: { kind: "bot" }, text: "r2", threadTs: r1.ts }).message;
    expect(r2.thread_ts).toBe(root.ts);
    expect(ws.replies("C1", root.ts).map((m) => m.text)).toEqual(["r1", "r2"]);
  });

  it("never repeats a timestamp, even within one millisecond", () => {
    const ws = newWorkspace();
    const seen = new Set<string>();
    let last = 0;
    for (let i = 0; i < 2000; i++) {
      const ts = ws.nextTs();
      expect(ts).toMatch(/^\d{10}\.\d{6}$/);
      expect(Number(ts)).toBeGreaterThan(last);
      last = Number(ts);
      seen.add(ts);
    }
    expect(seen.size).toBe(2000);
  });
});

describe("demo seed", () => {
  it("has the spec's admin, agents, manager and channels", () => {
    const ws = emu.workspace;
    expect(ws.user("U0ADMIN")).toMatchObject({ real_name: "Ada Admin", is_admin: true });
    for (const id of ["U0AGENT1", "U0AGENT2", "U0AGENT3", "U0MANAGER"]) expect(ws.user(id)).toBeDefined();
    expect(ws.channel("C0SUPPORT")).toMatchObject({ name: "support", is_member: true });
    expect(ws.members("C0SUPPORT")).toEqual(
      expect.arrayContaining(["U0ADMIN", "U0AGENT1", "U0AGENT2", "U0AGENT3", "U0MANAGER"]),
    );
    expect(ws.channel("C0MANAGERS")).toMatchObject({ name: "managers" });
    seedDemoWorkspace(ws); // idempotent
    expect(ws.channels.filter((c) => c.id === "C0SUPPORT")).toHaveLength(1);
  });
});

describe("inspection endpoints", () => {
  it("serves the workspace as JSON and a transcript page that escapes content", async () => {
    const slack = client(emu);
    const card = await slack.chat.postMessage({
      channel: "C0SUPPORT",
      text: "Card <script>alert(1)</script>",
    });
    emu.driver.message({
      userId: "U0AGENT1",
      channelId: "C0SUPPORT",
      threadTs: card.ts as string,
      text: "On it, <@U0AGENT2>",
    });

    const state = (await (await fetch(`${emu.baseUrl}/_emulator/state`)).json()) as {
      team: { id: string };
      channels: { id: string; messages: { ts: string; replies: { text: string }[] }[] }[];
    };
    expect(state.team.id).toBe("T0HERODESK");
    const support = state.channels.find((c) => c.id === "C0SUPPORT");
    expect(support?.messages.find((m) => m.ts === card.ts)?.replies.map((r) => r.text)).toEqual([
      "On it, <@U0AGENT2>",
    ]);

    const page = await fetch(`${emu.baseUrl}/?channel=C0SUPPORT`);
    expect(page.headers.get("content-type")).toContain("text/html");
    const html = await page.text();
    expect(html).toContain('http-equiv="refresh"');
    expect(html).toContain("#support");
    expect(html).toContain("Card &lt;script&gt;alert(1)&lt;/script&gt;");
    expect(html).not.toContain("<script>alert(1)</script>");
    expect(html).toContain("@alan"); // the mention shown by name
  });

  it("answers unknown paths with 404", async () => {
    expect((await fetch(`${emu.baseUrl}/nope`)).status).toBe(404);
  });
});

describe("lifecycle", () => {
  it("idle() resolves at once when nothing is in flight; waitFor() times out", async () => {
    await emu.idle();
    await emu.idle({ settleMs: 20 });
    await expect(emu.waitFor(() => false, { timeoutMs: 30 })).rejects.toThrow(/not met/);
  });

  it("stop() frees the port", async () => {
    const other = await SlackEmulator.start();
    const url = `${other.apiUrl}api.test`;
    expect(((await (await fetch(url, { method: "POST" })).json()) as { ok: boolean }).ok).toBe(true);
    await other.stop();
    await expect(fetch(url, { method: "POST" })).rejects.toThrow();
  });

  it("the CLI starts a seeded emulator and prints how to point HeroDesk at it", async () => {
    const child = spawn(process.execPath, ["--import", "tsx", "src/emulator/cli.ts"], {
      env: { ...process.env, PORT: "0" },
      stdio: ["ignore", "pipe", "pipe"],
    });
    try {
      let out = "";
      await new Promise<void>((resolve, reject) => {
        const timer = setTimeout(() => reject(new Error(`CLI printed:\n${out}`)), 10_000);
        child.stdout.on("data", (c: Buffer) => {
          out += c.toString();
          if (out.includes("SLACK_SIGNING_SECRET=")) {
            clearTimeout(timer);
            resolve();
          }
        });
        child.on("exit", (code) => reject(new Error(`CLI exited with ${code}:\n${out}`)));
      });
      const apiUrl = /SLACK_API_URL=(\S+)/.exec(out)?.[1] as string;
      expect(out).toContain("SLACK_BOT_TOKEN=xoxb-emulator-token");
      expect(out).toContain("SLACK_SIGNING_SECRET=emulator-signing-secret");
      const info = await client({ apiUrl } as SlackEmulator).conversations.info({ channel: "C0SUPPORT" });
      expect(info.channel?.name).toBe("support");
    } finally {
      child.kill("SIGTERM");
    }
  });
});
