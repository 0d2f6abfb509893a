// The inbound benchmark's load generator. Runs in its own process (bench/inbound.ts forks it), so
// HeroDesk's process spends its CPU on serving only. Sends signed POST /api/v1/messages with a
// unique messageId each, from `concurrency` keep-alive connections, spread over `customers`
// customers (one conversation each); warms up, then measures a fixed window.
import { Agent } from "node:http";
import { performance } from "node:perf_hooks";
import { postSigned } from "./lib/signed-post.ts";

export interface LoadPlan {
  url: string;
  /** Several HeroDesk replicas: connection i sends to urls[i % length] (instead of url). */
  urls?: string[];
  source: string;
  secret: string;
  concurrency: number;
  warmupMs: number;
  measureMs: number;
  customers: number;
  /** Prefix of every messageId, unique per run. */
  runId: string;
}

export interface LoadResult {
  /** Responses that completed inside the measured window. */
  measured: { count: number; windowMs: number; latenciesMs: number[]; non202: number };
  /** Every request sent (warm-up, window and the tail that was in flight when the window closed). */
  total: { sent: number; non202: number; statuses: Record<string, number> };
  /** messageIds answered 202 with duplicate: false. */
  accepted: string[];
  /** messageIds answered 202 with duplicate: true (none expected: every messageId is new). */
  duplicateAnswers: string[];
  /** The first few failures, for the report. */
  failures: string[];
}

export type WorkerMessage = { type: "ready" } | { type: "result"; result: LoadResult };

async function run(plan: LoadPlan): Promise<LoadResult> {
  const targets = (plan.urls ?? [plan.url]).map((u) => new URL("/api/v1/messages", u));
  const agent = new Agent({ keepAlive: true, maxSockets: plan.concurrency });
  const latencies: number[] = [];
  const statuses: Record<string, number> = {};
  const accepted: string[] = [];
  const duplicateAnswers: string[] = [];
  const failures: string[] = [];
  let measuredNon202 = 0;
  let totalNon202 = 0;
  let seq = 0;

  const start = performance.now();
  const windowStart = start + plan.warmupMs;
  const windowEnd = windowStart + plan.measureMs;

  async function connection(_: unknown, i: number): Promise<void> {
    const url = targets[i % targets.length]!;
    while (performance.now() < windowEnd) {
      const n = seq++;
      const c = n % plan.customers;
      const messageId = `${plan.runId}-${n}`;
      const body = {
        source: plan.source,
        messageId,
        conversationId: `conv-${c}`,
        customer: { id: `cust-${c}`, name: `Customer ${c}`, email: `cust${c}@example.com` },
        text: `Load test message ${n} for customer ${c}`,
      };
      const t0 = performance.now();
      const res = await postSigned(agent, url, plan.secret, body);
      const t1 = performance.now();
      const key = res.status === 0 ? "error" : String(res.status);
      statuses[key] = (statuses[key] ?? 0) + 1;
      const inWindow = t1 >= windowStart && t1 < windowEnd;
      if (res.status === 202) {
        const answer = JSON.parse(res.body) as { duplicate?: boolean };
        (answer.duplicate ? duplicateAnswers : accepted).push(messageId);
      } else {
        totalNon202++;
        if (inWindow) measuredNon202++;
        if (failures.length < 5) failures.push(`${messageId}: ${key} ${res.error ?? res.body.slice(0, 200)}`);
      }
      if (inWindow) latencies.push(t1 - t0);
    }
  }

  await Promise.all(Array.from({ length: plan.concurrency }, connection));
  agent.destroy();
  return {
    measured: {
      count: latencies.length,
      windowMs: plan.measureMs,
      latenciesMs: latencies,
      non202: measuredNon202,
    },
    total: { sent: seq, non202: totalNon202, statuses },
    accepted,
    duplicateAnswers,
    failures,
  };
}

process.once("message", (plan: LoadPlan) => {
  run(plan).then(
    (result) => {
      process.send?.({ type: "result", result } satisfies WorkerMessage, () => process.exit(0));
    },
    (err: unknown) => {
      console.error(err);
      process.exit(1);
    },
  );
});
process.send?.({ type: "ready" } satisfies WorkerMessage);
