// A Slack whose Web API is slow: every call takes SLACK_API_LATENCY_MS to be answered. Until the
// emulator has its own `apiLatencyMs` option, a proxy between HeroDesk and the emulator adds the
// latency; the stack below is the one place that says how, so switching to the emulator's option
// is a change here only (`startStack({ emulator: { apiLatencyMs } })`).
//
// The proxy forwards each call at once and holds Slack's answer: Slack has acted (a modal opened
// within its trigger_id's 3 s, a message posted), HeroDesk hears of it `latencyMs` later. Only the
// Web API is slow; response_url and Slack's requests to HeroDesk are not.
import { createServer, request } from "node:http";
import type { AddressInfo } from "node:net";
import { type StackOptions, startStack } from "./stack.ts";

/** Longer than Slack waits for an acknowledgement (3 s): a listener awaiting any call misses it. */
export const SLACK_API_LATENCY_MS = 4000;

export async function startSlowApiProxy(latencyMs = SLACK_API_LATENCY_MS) {
  let upstream = new URL("http://127.0.0.1:9/api/");
  const timers = new Set<NodeJS.Timeout>();
  const server = createServer((req, res) => {
    const method = (req.url ?? "").replace(/^\/api\//, "");
    const out = request(
      {
        host: upstream.hostname,
        port: upstream.port,
        path: `${upstream.pathname}${method}`,
        method: req.method,
        headers: req.headers,
      },
      (up) => {
        const chunks: Buffer[] = [];
        up.on("data", (c: Buffer) => chunks.push(c));
        up.on("end", () => {
          const timer = setTimeout(() => {
            timers.delete(timer);
            res.writeHead(up.statusCode ?? 502, up.headers);
            res.end(Buffer.concat(chunks));
          }, latencyMs);
          timers.add(timer);
        });
      },
    );
    out.on("error", () => res.destroy());
    req.pipe(out);
  });
  await new Promise<void>((r) => server.listen(0, "127.0.0.1", r));
  const { port } = server.address() as AddressInfo;
  return {
    /** Points the proxy at the emulator; returns the URL HeroDesk should use instead. */
    forward(upstreamApiUrl: string) {
      upstream = new URL(upstreamApiUrl);
      return `http://127.0.0.1:${port}/api/`;
    },
    close: () =>
      new Promise<void>((r) => {
        for (const t of timers) clearTimeout(t);
        server.close(() => r());
        server.closeAllConnections();
      }),
  };
}

/** The whole stack against a Slack whose Web API answers every call after `latencyMs`. */
export async function startSlowSlackStack(options: StackOptions = {}, latencyMs = SLACK_API_LATENCY_MS) {
  const proxy = await startSlowApiProxy(latencyMs);
  const stack = await startStack({ ...options, slackApiUrl: (url) => proxy.forward(url) });
  const stopStack = stack.stop;
  // Assigned, not spread: the stack's `app` is a getter (a restart replaces the app).
  return Object.assign(stack, {
    latencyMs,
    async stop() {
      await stopStack();
      await proxy.close();
    },
  });
}
