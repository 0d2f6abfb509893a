// Several HeroDesk processes on one PostgreSQL behind one Slack app (issue 14): three replicas
// (`npm start`'s src/main.ts, each its own process) share a database and the emulator. Customer
// messages and Slack's requests are spread over them, as a load balancer without stickiness
// would; one is killed with SIGKILL in the middle. Nothing is lost or mirrored twice, every thread
// keeps its order, 20 simultaneous Claim clicks give one assignee, and each summary slot (every
// replica's cron fires for it) is posted once. PostgreSQL only: on SQLite one process holds the
// database file (test/config/startup.test.ts shows the second one refused).
import { type ChildProcess, spawn } from "node:child_process";
import { mkdtempSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterEach, describe, expect, it } from "vitest";
import { sign } from "../../src/core/signature.ts";
import { SlackEmulator } from "../../src/emulator/index.ts";
import { SUMMARY_METADATA_TYPE } from "../../src/slack/blocks/summary.ts";
import { createStore, openDatabase, type Store } from "../../src/store/index.ts";
import { freshDatabaseUrl, onPostgres } from "../helpers/db.ts";
import { shownText } from "../helpers/slack-view.ts";
import { waitFor } from "../helpers/wait.ts";

const children: ChildProcess[] = [];
let emulator: SlackEmulator | undefined;
let store: Store | undefined;
afterEach(async () => {
  for (const c of children.splice(0)) c.kill("SIGKILL");
  await emulator?.stop();
  await store?.close();
});

const SECRETS = { web: "web-secret-0123456789", mail: "mail-secret-0123456789" };
const CHANNELS = { web: "C0SUPPORT", mail: "C0OTHER" };
const MANAGERS = "C0MANAGERS";

function startReplica(env: Record<string, string>, port: number): ChildProcess {
  const child = spawn(process.execPath, ["--import", "tsx", "src/main.ts"], {
    env: { ...process.env, ...env, PORT: String(port) },
    stdio: ["ignore", "ignore", "pipe"],
  });
  children.push(child);
  return child;
}

describe.skipIf(!onPostgres())("three replicas on one PostgreSQL", () => {
  it("SIGKILL of one in the middle: 0 lost, 0 duplicated, order kept; one claim wins; a slot is posted once", async () => {
    emulator = await SlackEmulator.start({ rateLimit: { perSecond: 10, burst: 3 } });
    for (const [source, id] of Object.entries(CHANNELS)) emulator.workspace.addChannel({ id, name: source });
    emulator.workspace.addChannel({ id: MANAGERS, name: "managers" });
    const dir = mkdtempSync(join(tmpdir(), "herodesk-replicas-"));
    const configPath = join(dir, "herodesk.config.json");
    writeFileSync(
      configPath,
      JSON.stringify({
        admins: ["U0ADMIN"],
        sources: Object.entries(CHANNELS).map(([id, slackChannel]) => ({
          id,
          secret: SECRETS[id as keyof typeof SECRETS],
          slackChannel,
        })),
        slack: { postsPerSecondPerChannel: 10, burstPerChannel: 3 },
        // Every replica's cron fires at the top of every minute: all of them race for the slot.
        summaries: [{ channel: MANAGERS, cron: "* * * * *", timezone: "UTC" }],
      }),
    );
    const databaseUrl = freshDatabaseUrl();
    expect(databaseUrl).toMatch(/^postgresql:/);
    const env = {
      DATABASE_URL: databaseUrl,
      SLACK_BOT_TOKEN: "xoxb-emulator-token",
      SLACK_SIGNING_SECRET: "emulator-signing-secret",
      SLACK_API_URL: emulator.apiUrl,
      HERODESK_CONFIG: configPath,
      LOG_LEVEL: "error",
    };
    const base = 30_000 + Math.floor(Math.random() * 20_000);
    const urls = [0, 1, 2].map((i) => `http://127.0.0.1:${base + i}`);
    const replicas = urls.map((_, i) => startReplica(env, base + i));
    for (const url of urls)
      await waitFor("replica up", async () => (await fetch(`${url}/healthz`).catch(() => null))?.ok, 30_000);
    const alive = new Set([0, 1, 2]);
    emulator.setAppUrl(`${urls[0]}/slack/events`);

    // 6 conversations on two sources, 8 messages each, each message to the next replica; a source
    // whose request fails (the replica died under it) sends it again to another, same messageId.
    const send = async (i: number, body: string, source: keyof typeof SECRETS): Promise<void> => {
      for (let attempt = 0; ; attempt++) {
        const target = [...alive][(i + attempt) % alive.size]!;
        const ts = Math.floor(Date.now() / 1000);
        const res = await fetch(`${urls[target]}/api/v1/messages`, {
          method: "POST",
          headers: {
            "content-type": "application/json",
            "x-herodesk-timestamp": String(ts),
            "x-herodesk-signature": sign(SECRETS[source], ts, body),
          },
          body,
        }).catch(() => null);
        if (res?.status === 202) return;
        if (attempt > 10) throw new Error(`message not accepted: ${res?.status}`);
        await new Promise((r) => setTimeout(r, 100));
      }
    };
    const customers = Array.from({ length: 6 }, (_, c) => ({
      id: `cust-${c}`,
      source: (c % 2 ? "mail" : "web") as keyof typeof SECRETS,
      texts: Array.from({ length: 8 }, (_, m) => `customer ${c} message ${m}`),
    }));
    let sent = 0;
    const killAt = 20;
    await Promise.all(
      customers.map(async (c, ci) => {
        for (const [m, text] of c.texts.entries()) {
          const body = JSON.stringify({
            source: c.source,
            messageId: `${c.id}-m${m}`,
            customer: { id: c.id, name: `Customer ${ci}` },
            text,
          });
          await send(ci + m, body, c.source);
          if (++sent === killAt) {
            replicas[2]!.kill("SIGKILL");
            alive.delete(2);
          }
        }
      }),
    );
    expect(alive.size).toBe(2);

    // Each customer's thread, found by its card's conversation number.
    store = createStore(await openDatabase(databaseUrl));
    const threads = async () => {
      const shown = new Map<string, string[][]>();
      for (const channel of Object.values(CHANNELS))
        for (const m of emulator!.workspace.messages(channel)) {
          const n = (m.metadata as { event_payload?: { conversation_id?: number } } | undefined)
            ?.event_payload?.conversation_id;
          if (!n) continue;
          const conversation = await store!.conversations.get(n);
          const who = (await store!.customers.get(conversation!.customerId)).externalId;
          shown.set(who, [
            ...(shown.get(who) ?? []),
            emulator!.workspace.replies(channel, m.ts).map(shownText),
          ]);
        }
      return shown;
    };
    const mirrored = async () => {
      const shown = await threads();
      return customers.every((c) => (shown.get(c.id)?.[0]?.length ?? 0) >= c.texts.length);
    };
    await waitFor("every message mirrored", mirrored, 60_000);
    await new Promise((r) => setTimeout(r, 1500)); // a duplicate would arrive within this
    const shown = await threads();
    // One thread per customer, each message once, in the order the customer wrote them.
    for (const c of customers) expect(shown.get(c.id)).toEqual([c.texts]);
    for (const channel of Object.values(CHANNELS))
      expect(emulator.workspace.messages(channel)).toHaveLength(customers.length / 2);

    // 20 agents click Claim on conversation #1 at once, spread over the replicas still alive.
    const agents = Array.from({ length: 20 }, (_, i) => `U0CLAIM${String(i).padStart(2, "0")}`);
    for (const id of agents) {
      emulator.workspace.addUser({ id, name: id.toLowerCase(), realName: `Agent ${id}` });
      emulator.workspace.join(CHANNELS.web, id);
      await store.agents.upsert({ slackUserId: id, name: `Agent ${id}`, role: "agent" });
    }
    const first = await store.conversations.get(1);
    expect(first?.assigneeId).toBeNull();
    const card = emulator.workspace
      .messages(first!.slackChannel)
      .find(
        (m) =>
          (m.metadata as { event_payload?: { conversation_id?: number } } | undefined)?.event_payload
            ?.conversation_id === 1,
      )!;
    const live = [...alive];
    const clicks = agents.map((userId, i) => {
      // The driver reads the app's URL as the click starts: each goes to the next replica.
      emulator!.setAppUrl(`${urls[live[i % live.length]!]}/slack/events`);
      return emulator!.driver.blockAction({
        userId,
        channelId: first!.slackChannel,
        messageTs: card.ts,
        actionId: "conv_claim",
      });
    });
    const answers = (await Promise.all(clicks)).map((res) => {
      expect(res.status).toBe(200);
      return res.responseUrl;
    });
    // Each click is answered (after its acknowledgement) on its response_url: one got it.
    const said = await waitFor(
      "every click answered",
      () => {
        const posts = answers.map((url) => emulator!.responseUrlPosts.find((p) => p.url === url));
        return posts.every(Boolean) ? posts.map((p) => String((p!.body as { text?: string }).text)) : null;
      },
      20_000,
    );
    expect(said.filter((t) => !/already|someone else|changed meanwhile/i.test(t))).toHaveLength(1);
    const claimed = await store.conversations.get(1);
    expect(agents.map((a) => a)).toContain((await store.agents.get(claimed!.assigneeId!))?.slackUserId);
    const history = await store.events.history(1, claimed!.customerId);
    expect(history.filter((e) => e.kind === "assignee" && e.reason === "claimed")).toHaveLength(1);

    // Summaries: every stored slot is in #managers once, whichever replica's cron won it.
    const posts = () =>
      emulator!.workspace
        .messages(MANAGERS)
        .filter(
          (m) => (m.metadata as { event_type?: string } | undefined)?.event_type === SUMMARY_METADATA_TYPE,
        );
    await waitFor("a summary posted", () => posts().length >= 1, 70_000);
    await new Promise((r) => setTimeout(r, 3_000)); // the other replicas' posts would arrive by now
    const ids = posts().map(
      (m) => (m.metadata as unknown as { event_payload: { summary_id: number } }).event_payload.summary_id,
    );
    expect(new Set(ids).size).toBe(ids.length);
    const stored = await store.summaries.recent(100);
    const slots = stored.filter((s) => s.slot !== null);
    expect(slots.length).toBeGreaterThanOrEqual(1);
    expect(new Set(slots.map((s) => s.slot!.getTime())).size).toBe(slots.length);
    expect(ids.length).toBeLessThanOrEqual(slots.length);
  }, 180_000);
});
