// `npm run demo`: HeroDesk against the built-in Slack emulator, no Slack account needed. It plays a
// short conversation (a customer writes, an agent answers in the thread, a private note) and prints
// the transcript, then keeps running: open the emulator's viewer, or send more customer messages
// with `node scripts/send-message.mjs`. `npm run demo -- --once` exits after the transcript.
import { createServer } from "node:http";
import type { AddressInfo } from "node:net";
import { loadConfig, parseFileConfig } from "./config.ts";
import { sign } from "./core/signature.ts";
import { unescapeSlackText } from "./core/slack-text.ts";
import { SlackEmulator } from "./emulator/index.ts";
import { DEMO_CHANNELS, seedDemoWorkspace } from "./emulator/seed.ts";
import { startHeroDesk } from "./herodesk.ts";

const DEMO_SECRET = "demo-secret-change-me";
const once = process.argv.includes("--once");

async function main() {
  const emulator = await SlackEmulator.start({ port: Number(process.env.EMULATOR_PORT ?? 4100) });
  seedDemoWorkspace(emulator.workspace);

  // The customer's side: a reply endpoint that prints what the customer receives.
  const customerInbox = createServer((req, res) => {
    let body = "";
    req.on("data", (c) => {
      body += c;
    });
    req.on("end", () => {
      const reply = JSON.parse(body) as { text: string; agent: { name: string } };
      console.log(`  customer receives  ${reply.agent.name}: ${reply.text}`);
      res.writeHead(200).end();
    });
  });
  await new Promise<void>((r) => customerInbox.listen(0, "127.0.0.1", r));
  const inboxUrl = `http://127.0.0.1:${(customerInbox.address() as AddressInfo).port}/replies`;

  const config = loadConfig(
    {
      ...process.env,
      DATABASE_URL: process.env.DATABASE_URL ?? "file:./data/demo.db",
      SLACK_BOT_TOKEN: emulator.botToken,
      SLACK_SIGNING_SECRET: emulator.signingSecret,
      SLACK_API_URL: emulator.apiUrl,
      LOG_LEVEL: process.env.LOG_LEVEL ?? "warn",
    },
    {
      fileConfig: parseFileConfig({
        admins: ["U0ADMIN"],
        sources: [
          {
            id: "web",
            name: "Web chat",
            secret: DEMO_SECRET,
            slackChannel: DEMO_CHANNELS.support,
            replyUrl: inboxUrl,
          },
        ],
        summaries: [{ channel: DEMO_CHANNELS.managers, cron: "0 9 * * 1-5", timezone: "Europe/Berlin" }],
      }),
    },
  );
  const app = await startHeroDesk(config);
  emulator.setAppUrl(`${app.url}/slack/events`);

  const send = async (body: Record<string, unknown>) => {
    const raw = JSON.stringify(body);
    const ts = Math.floor(Date.now() / 1000);
    const res = await fetch(`${app.url}/api/v1/messages`, {
      method: "POST",
      headers: { "x-herodesk-timestamp": String(ts), "x-herodesk-signature": sign(DEMO_SECRET, ts, raw) },
      body: raw,
    });
    return (await res.json()) as { conversationNumber: number };
  };
  const settle = async () => {
    for (let i = 0; i < 200 && (await app.store.outbox.countByStatus()).pending; i++)
      await new Promise((r) => setTimeout(r, 25));
    await emulator.idle();
  };

  console.log("HeroDesk demo: a customer writes in through the inbound API\n");
  const run = Date.now().toString(36);
  const customer = {
    id: "cust-ada",
    name: "Ada Lovelace",
    email: "ada@example.com",
    attributes: { language: "en", plan: "enterprise" },
  };
  await send({ source: "web", messageId: `${run}-1`, customer, text: "Hi! My sweater never arrived 😢" });
  await send({
    source: "web",
    messageId: `${run}-2`,
    customer,
    text: "Order <#1234> — please don't @channel me",
  });
  await settle();

  const threads = emulator.workspace.messages(DEMO_CHANNELS.support);
  const card = threads[threads.length - 1]!;
  emulator.driver.message({
    userId: "U0AGENT1",
    channelId: DEMO_CHANNELS.support,
    threadTs: card.ts,
    text: "!note VIP customer, check the warehouse",
  });
  emulator.driver.message({
    userId: "U0AGENT1",
    channelId: DEMO_CHANNELS.support,
    threadTs: card.ts,
    text: "Hi Ada, I'm on it: a new one ships today.",
  });
  await settle();
  await new Promise((r) => setTimeout(r, 300));
  await settle();

  console.log(`\n#support, as Slack shows it:\n`);
  const root = emulator.workspace.message(DEMO_CHANNELS.support, card.ts)!;
  console.log(`  [card] ${unescapeSlackText(root.text ?? "")}`);
  for (const m of emulator.workspace.replies(DEMO_CHANNELS.support, card.ts)) {
    const author =
      (m as { username?: string }).username ?? emulator.workspace.user(m.user ?? "")?.real_name ?? "HeroDesk";
    const blocks = (m.blocks ?? []) as { type: string; text?: { type: string; text: string } }[];
    const body =
      blocks.find((b) => b.type === "section" && b.text?.type === "plain_text")?.text?.text ?? m.text ?? "";
    console.log(`    ↳ ${author}: ${unescapeSlackText(body)}`);
  }

  // The support lead asks for the assignment summary in the managers' channel.
  const asked = await emulator.driver.slashCommand({
    userId: "U0ADMIN",
    channelId: DEMO_CHANNELS.managers,
    text: "summary",
  });
  if (asked.status !== 200) throw new Error(`/desk summary answered HTTP ${asked.status}`);
  await settle();
  await new Promise((r) => setTimeout(r, 300));
  await settle();
  console.log(`\n#support-managers, after /desk summary:\n`);
  for (const m of emulator.workspace.messages(DEMO_CHANNELS.managers)) {
    const files = (m as { files?: { id: string; title?: string }[] }).files ?? [];
    if (files.length)
      for (const f of files)
        console.log(`  [image] ${f.title} (${emulator.workspace.file(f.id)?.size ?? 0} bytes of PNG)`);
    else console.log(`  ${unescapeSlackText(m.text ?? "")}`);
  }

  if (once) {
    await app.stop();
    await emulator.stop();
    customerInbox.close();
    return;
  }
  console.log(`
Still running:
  transcript viewer   ${emulator.baseUrl}/
  inbound API         ${app.url}/api/v1/messages   (source "web", secret "${DEMO_SECRET}")
  send a message      node scripts/send-message.mjs --url ${app.url} --secret ${DEMO_SECRET} --customer cust-ada "Any news?"
Ctrl-C stops.`);
  const stop = () => void Promise.all([app.stop(), emulator.stop()]).then(() => process.exit(0));
  process.once("SIGINT", stop);
  process.once("SIGTERM", stop);
}

main().catch((err) => {
  console.error(`demo failed: ${err instanceof Error ? err.message : String(err)}`);
  process.exit(1);
});
