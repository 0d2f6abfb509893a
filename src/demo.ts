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
import { DEMO_CHANNELS, DEMO_USERS, seedDemoWorkspace } from "./emulator/seed.ts";
import { startHeroDesk } from "./herodesk.ts";
import { logUnhandledRejections } from "./process-guard.ts";

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
      // Its own database, made afresh by `predemo` (scripts/setup.mjs demo), never DATABASE_URL.
      DATABASE_URL: "file:./data/demo.db",
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
  logUnhandledRejections();
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

  const plain = (m: { text?: string; blocks?: unknown[] }) => {
    const blocks = (m.blocks ?? []) as { type: string; text?: { type: string; text: string } }[];
    return unescapeSlackText(
      blocks.find((b) => b.type === "section" && b.text?.type === "plain_text")?.text?.text ?? m.text ?? "",
    );
  };
  const nameOf = (userId: string) => emulator.workspace.user(userId)?.real_name ?? userId;
  /** Slack text as a person reads it: mentions as @First, entities decoded, the first line. */
  const readable = (text: string) =>
    unescapeSlackText(
      text
        .replace(/<@(U\w+)(\|[^>]*)?>/g, (_m, id: string) => `@${nameOf(id).split(" ")[0]}`)
        .replace(
          /<#(C\w+)(\|[^>]*)?>/g,
          (_m, id: string) => `#${emulator.workspace.channel(id)?.name ?? id}`,
        ),
    ).split("\n")[0];
  /** Runs a /desk command as someone and prints what HeroDesk answered only them. */
  const desk = async (userId: string, channelId: string, text: string) => {
    const seen = emulator.ephemerals.length;
    const res = await emulator.driver.slashCommand({ userId, channelId, text });
    if (res.status !== 200) throw new Error(`/desk ${text} answered HTTP ${res.status}`);
    // The answer comes on response_url once the acknowledgement is out.
    const answers = () => emulator.ephemerals.slice(seen).filter((e) => e.user === userId);
    for (let i = 0; i < 80 && !answers().length; i++) await new Promise((r) => setTimeout(r, 25));
    await settle();
    console.log(`  ${nameOf(userId)}: /desk ${readable(text)}`);
    for (const e of answers()) console.log(`    HeroDesk, only to them: ${readable(e.text)}`);
  };
  const [grace, alan] = [DEMO_USERS.agents[0], DEMO_USERS.agents[1]];

  console.log("HeroDesk demo, against the built-in Slack emulator\n");
  console.log("The support lead sets up the team; two agents come online:\n");
  await desk(DEMO_USERS.admin, DEMO_CHANNELS.support, `agent add <@${grace}> agent 5`);
  await desk(DEMO_USERS.admin, DEMO_CHANNELS.support, `agent add <@${alan}> agent 5`);
  await desk(grace, DEMO_CHANNELS.support, "status online");
  await desk(alan, DEMO_CHANNELS.support, "status online");

  console.log("\nA customer writes in through the inbound API; routing picks the agent:\n");
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
  for (const agent of [grace, alan])
    for (const dm of emulator.workspace.dms(agent))
      console.log(`  DM to ${nameOf(agent)}: ${readable(dm.text ?? "")}`);

  const threads = emulator.workspace.messages(DEMO_CHANNELS.support);
  const card = threads[threads.length - 1];
  if (!card) throw new Error("the conversation's card never reached #support");
  const assignee = emulator.workspace.dms(grace).length ? grace : alan;
  console.log(`\n${nameOf(assignee)} writes an internal note and answers in the thread:\n`);
  emulator.driver.message({
    userId: assignee,
    channelId: DEMO_CHANNELS.support,
    threadTs: card.ts,
    text: "!note VIP customer, check the warehouse",
  });
  emulator.driver.message({
    userId: assignee,
    channelId: DEMO_CHANNELS.support,
    threadTs: card.ts,
    text: "Hi Ada, I'm on it: a new one ships today.",
  });
  await settle();
  await new Promise((r) => setTimeout(r, 300));
  await settle();

  console.log("\nThe lead makes them Ada's Dedicated Hero: her next conversations go to them first.\n");
  await desk(DEMO_USERS.admin, DEMO_CHANNELS.support, `hero make cust-ada <@${assignee}>`);

  console.log(`\n#support, as Slack shows it:\n`);
  const root = emulator.workspace.message(DEMO_CHANNELS.support, card.ts)!;
  console.log(`  [card] ${unescapeSlackText(root.text ?? "")}`);
  for (const m of emulator.workspace.replies(DEMO_CHANNELS.support, card.ts)) {
    const author = (m as { username?: string }).username ?? (m.user ? nameOf(m.user) : "HeroDesk");
    console.log(`    ↳ ${author}: ${plain(m)}`);
  }

  console.log(`\n#managers, after the lead's /desk summary:\n`);
  await desk(DEMO_USERS.admin, DEMO_CHANNELS.managers, "summary");
  await new Promise((r) => setTimeout(r, 300));
  await settle();
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
