// HeroDesk alone in a process of its own, as deployed: the benchmark (with the Slack emulator and
// the load) runs in the parent, so the app's event loop serves only the app. The parent forks this
// file (startAppProcess), sends the environment and config file over IPC, and gets the URL back.
import { fork } from "node:child_process";
import { mkdirSync } from "node:fs";
import { join } from "node:path";
import { createHistogram, performance, type RecordableHistogram } from "node:perf_hooks";
import { fileURLToPath } from "node:url";
import { loadConfig, parseFileConfig } from "../../src/config.ts";
import { type HeroDesk, startHeroDesk } from "../../src/herodesk.ts";
import { createLogger } from "../../src/logger.ts";
import { PROJECT_ROOT } from "./paths.ts";

type ToChild =
  | { type: "start"; env: Record<string, string>; file: unknown; slackPerMinute?: Record<string, number> }
  | { type: "loop"; op: LoopOp }
  | { type: "stop" };
type ToParent =
  | { type: "up" }
  | { type: "ready"; url: string }
  | { type: "loop"; delay: LoopDelay }
  | { type: "stopped" }
  | { type: "error"; error: string };

/** Event-loop delay (how late a 1 ms timer fires), in milliseconds. */
export interface LoopDelay {
  p50: number;
  p99: number;
  max: number;
  mean: number;
}

export interface AppProcess {
  url: string;
  /**
   * The app's event-loop delay monitor: "on" and "off" bracket the stretches to measure (they add
   * up), "read" answers what they saw and starts afresh.
   */
  loopDelay(op: LoopOp): Promise<LoopDelay>;
  stop(): Promise<void>;
}

export type LoopOp = "on" | "off" | "read";

/**
 * An event-loop delay monitor, off until "on": "on" and "off" bracket the stretches to measure
 * (they add up), "read" answers what they saw and starts afresh. A chain of 1 ms timers records
 * how late each fires (perf_hooks.monitorEventLoopDelay cannot pause: re-enabled, its first
 * sample is the whole pause).
 */
export function loopDelayMonitor(): (op: LoopOp) => LoopDelay {
  const h: RecordableHistogram = createHistogram();
  let timer: NodeJS.Timeout | undefined;
  let due = 0;
  const tick = () => {
    const now = performance.now();
    h.record(Math.max(1, Math.round((now - due) * 1000))); // microseconds
    due = now + 1;
    timer = setTimeout(tick, 1);
  };
  const us = (n: number) => (h.count ? n / 1000 : Number.NaN);
  return (op) => {
    if (op === "on" && !timer) {
      due = performance.now() + 1;
      timer = setTimeout(tick, 1);
    } else if (op !== "on" && timer) {
      clearTimeout(timer);
      timer = undefined;
    }
    const delay = { p50: us(h.percentile(50)), p99: us(h.percentile(99)), max: us(h.max), mean: us(h.mean) };
    if (op === "read") h.reset();
    return delay;
  };
}

/**
 * HERODESK_BENCH_PROF=1 profiles the app process with V8's CPU profiler (--cpu-prof; NODE_OPTIONS
 * does not allow it): one .cpuprofile per app process in HERODESK_BENCH_PROF_DIR (default
 * ./data/profiles), written when the app stops.
 */
function profilerArgs(): string[] {
  if (process.env.HERODESK_BENCH_PROF !== "1") return [];
  const dir = process.env.HERODESK_BENCH_PROF_DIR ?? join(PROJECT_ROOT, "data", "profiles");
  mkdirSync(dir, { recursive: true });
  return ["--cpu-prof", `--cpu-prof-dir=${dir}`];
}

/**
 * Forks HeroDesk with these environment variables and config file contents; resolves once it
 * listens. `slackPerMinute`: startHeroDesk's pacing override (a benchmark's named leniency).
 */
export function startAppProcess(
  env: Record<string, string>,
  file: unknown,
  slackPerMinute?: Record<string, number>,
): Promise<AppProcess> {
  const script = fileURLToPath(import.meta.url);
  // execArgv is inherited: under `tsx bench/run.ts` it carries tsx's loader, so the child runs .ts.
  const child = fork(script, ["--herodesk-app"], {
    cwd: PROJECT_ROOT,
    execArgv: [...process.execArgv, ...profilerArgs()],
    stdio: ["ignore", "inherit", "inherit", "ipc"],
  });
  const send = (m: ToChild) => child.send(m);
  let stopped: (() => void) | undefined;
  const loopReads: ((d: LoopDelay) => void)[] = [];
  return new Promise((resolve, reject) => {
    child.on("message", (m: ToParent) => {
      if (m.type === "up") send({ type: "start", env, file, ...(slackPerMinute ? { slackPerMinute } : {}) });
      else if (m.type === "loop") loopReads.shift()?.(m.delay);
      else if (m.type === "error") {
        child.kill();
        reject(new Error(`HeroDesk process: ${m.error}`));
      } else if (m.type === "stopped") stopped?.();
      else if (m.type === "ready")
        resolve({
          url: m.url,
          loopDelay: (op: LoopOp) =>
            new Promise<LoopDelay>((done) => {
              loopReads.push(done);
              send({ type: "loop", op });
            }),
          stop: () =>
            new Promise<void>((done) => {
              if (child.exitCode !== null) return done();
              stopped = done;
              child.once("exit", () => done());
              send({ type: "stop" });
            }),
        });
    });
    child.on("error", reject);
    child.on("exit", (code, signal) =>
      reject(new Error(`HeroDesk process exited (${signal ?? `code ${code}`})`)),
    );
  });
}

function runChild() {
  let app: HeroDesk | undefined;
  const send = (m: ToParent) => process.send!(m);
  const loopDelay = loopDelayMonitor();
  process.on("message", async (m: ToChild) => {
    try {
      if (m.type === "start") {
        const config = loadConfig(m.env, { fileConfig: parseFileConfig(m.file) });
        app = await startHeroDesk(config, {
          logger: createLogger("error"),
          ...(m.slackPerMinute ? { slackPerMinute: m.slackPerMinute } : {}),
        });
        send({ type: "ready", url: app.url });
      } else if (m.type === "loop") {
        send({ type: "loop", delay: loopDelay(m.op) });
      } else if (m.type === "stop") {
        await app?.stop();
        process.send!({ type: "stopped" } satisfies ToParent, () => process.exit(0));
      }
    } catch (err) {
      send({ type: "error", error: err instanceof Error ? (err.stack ?? err.message) : String(err) });
    }
  });
  // The benchmark went away (finished or crashed): so does this app.
  process.on("disconnect", () => process.exit(0));
  send({ type: "up" });
}

if (process.argv.includes("--herodesk-app") && process.send) runChild();
