// Benchmark: how much the SQLite file grows per 10,000 inbound messages, and how much of it is
// finished outbox items that pruning removes (issue 15, part 8; the issue measured 22.8 MB before
// pruning existed). 10,000 signed messages from 500 customers in 10 channels go in; once the
// outbox has done everything they cause, the bytes in use are measured, the finished items are
// pruned through the store's pruning (as the job does, retention moved to now), and measured again.
// 20 agents are online, so conversations are routed (DMs, card updates, App Home refreshes).
// Slack's pace is lifted by name (emulator and HeroDesk): the figure is about bytes, not time.

import { Agent as HttpAgent } from "node:http";
import Database from "better-sqlite3";
import { PRUNING } from "../src/jobs/outbox-pruning.ts";
import { openDatabase } from "../src/store/db.ts";
import { createStore } from "../src/store/index.ts";
import type { BenchDatabases } from "./lib/db.ts";
import { type BenchSummary, verdict } from "./lib/samples.ts";
import { postSigned } from "./lib/signed-post.ts";
import { type BenchSource, startBenchStack } from "./lib/stack.ts";
import { fmt, table } from "./lib/stats.ts";

const MESSAGES = 10_000;
const CUSTOMERS = 500;
const CONCURRENCY = 16;
const AGENTS = 20;
const SOURCES: BenchSource[] = Array.from({ length: 10 }, (_, i) => ({
  id: `grow${i}`,
  secret: `bench-grow${i}-secret-0123456789`,
  channel: `C0BENCHGROW${i}`,
}));

export interface DbGrowthResult {
  bytesBefore: number;
  bytesAfter: number;
  outboxRowsBefore: number;
  outboxRowsAfter: number;
  pruned: number;
  problems: string[];
}

/** Bytes of the database's pages in use (the file less its free pages), WAL checkpointed. */
function bytesInUse(file: string): number {
  const db = new Database(file);
  try {
    db.pragma("wal_checkpoint(TRUNCATE)");
    const pageSize = db.pragma("page_size", { simple: true }) as number;
    const pages = db.pragma("page_count", { simple: true }) as number;
    const free = db.pragma("freelist_count", { simple: true }) as number;
    return (pages - free) * pageSize;
  } finally {
    db.close();
  }
}

export async function runDbGrowth(dbs: BenchDatabases, log: (line: string) => void): Promise<DbGrowthResult> {
  log(
    `db growth: ${MESSAGES} signed messages, ${CUSTOMERS} customers, ${SOURCES.length} channels, ${AGENTS} agents online; ` +
      "Slack's limits lifted by name (sizes, not times); outbox drained, then finished items pruned",
  );
  const databaseUrl = dbs.fresh("db-growth");
  const file = databaseUrl.replace(/^file:/, "");
  const stack = await startBenchStack({
    databaseUrl,
    sources: SOURCES,
    emulator: { rateLimit: false, tierLimits: false },
    slack: { postsPerSecondPerChannel: 100, burstPerChannel: 100 },
    slackPerMinute: { "chat.postMessage": 60_000, "chat.update": 60_000, "views.publish": 60_000 },
  });
  // Agents online, so that conversations are routed: assignment DMs, card updates, App Home
  // refreshes, as in a working desk.
  for (let i = 0; i < AGENTS; i++) {
    const id = `U0GROW${i}`;
    stack.emulator.workspace.addUser({ id, name: `grow${i}`, realName: `Grow Agent ${i}` });
    for (const s of SOURCES) stack.emulator.workspace.join(s.channel, id);
    const agent = await stack.app.store.agents.upsert({
      slackUserId: id,
      name: `Grow Agent ${i}`,
      capacity: 0,
    });
    await stack.app.store.agents.update(agent.id, { status: "online" });
  }
  const problems: string[] = [];
  let sent = 0;
  const base = bytesInUse(file);
  const agent = new HttpAgent({ keepAlive: true, maxSockets: CONCURRENCY });
  const url = new URL(`${stack.app.url}/api/v1/messages`);
  try {
    const send = async (i: number) => {
      const source = SOURCES[i % SOURCES.length]!;
      const customer = `c${i % CUSTOMERS}`;
      const res = await postSigned(agent, url, source.secret, {
        source: source.id,
        messageId: `m${i}`,
        customer: {
          id: `${source.id}-${customer}`,
          name: `Customer ${customer}`,
          attributes: { plan: "pro" },
        },
        text: `Message ${i}: my order has not arrived yet, could you look into it please?`,
      });
      if (res.status !== 202) problems.push(`message ${i} answered ${res.status || res.error}`);
    };
    const workers = Array.from({ length: CONCURRENCY }, async () => {
      while (sent < MESSAGES) await send(sent++);
    });
    await Promise.all(workers);
    const deadline = Date.now() + 600_000;
    while (((await stack.app.store.outbox.countByStatus()).pending ?? 0) > 0) {
      if (Date.now() > deadline) {
        problems.push("outbox not drained after 10 minutes");
        break;
      }
      await new Promise((r) => setTimeout(r, 200));
    }
  } catch (err) {
    await stack.stop();
    throw err;
  }
  agent.destroy();
  const counts = await stack.app.store.outbox.countByStatus();
  const outboxRowsBefore = Object.values(counts).reduce((a, b) => a + b, 0);
  await stack.app.stop();
  const bytesBefore = bytesInUse(file) - base;
  // The pruning job's own deletes, in its batches, with "now" a retention later.
  const store = createStore(await openDatabase(databaseUrl));
  let pruned = 0;
  const later = new Date(Date.now() + 1000);
  for (;;) {
    const n = await store.outbox.pruneDone(later, PRUNING.batch);
    pruned += n;
    if (n < PRUNING.batch) break;
  }
  const after = await store.outbox.countByStatus();
  const outboxRowsAfter = Object.values(after).reduce((a, b) => a + b, 0);
  await store.close();
  await stack.stop();
  const bytesAfter = bytesInUse(file) - base;
  const mb = (b: number) => `${fmt(b / 1_048_576, 1)} MB`;
  log("");
  log(
    table(
      ["db growth per 10,000 messages", "value"],
      [
        ["bytes in use, outbox drained", mb(bytesBefore)],
        ["outbox rows (per message)", `${outboxRowsBefore} (${fmt(outboxRowsBefore / MESSAGES, 2)})`],
        ["finished items pruned", String(pruned)],
        ["bytes in use after pruning", mb(bytesAfter)],
        ["outbox rows left", String(outboxRowsAfter)],
        ["issue 15's figure before pruning existed", "22.8 MB"],
      ],
    ),
  );
  log("");
  return { bytesBefore, bytesAfter, outboxRowsBefore, outboxRowsAfter, pruned, problems };
}

export function dbGrowthSummary(r: DbGrowthResult): BenchSummary {
  const name = "db growth";
  const mb = (b: number) => `${fmt(b / 1_048_576, 1)} MB`;
  return {
    rows: [
      [
        name,
        "per 10,000 messages, drained / pruned",
        `${mb(r.bytesBefore)} / ${mb(r.bytesAfter)}`,
        "(record)",
        "",
      ],
      [
        name,
        "outbox rows left after pruning",
        String(r.outboxRowsAfter),
        "0",
        verdict(r.outboxRowsAfter === 0),
      ],
    ],
    problems: r.problems,
  };
}
