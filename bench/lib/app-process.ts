// HeroDesk alone in a process of its own, as deployed: the benchmark (with the Slack emulator and
// the load) runs in the parent, so the app's event loop serves only the app. The parent forks this
// file (startAppProcess), sends the environment and config file over IPC, and gets the URL back.
import { fork } from "node:child_process";
import { fileURLToPath } from "node:url";
import { loadConfig, parseFileConfig } from "../../src/config.ts";
import { type HeroDesk, startHeroDesk } from "../../src/herodesk.ts";
import { createLogger } from "../../src/logger.ts";
import { PROJECT_ROOT } from "./paths.ts";

type ToChild = { type: "start"; env: Record<string, string>; file: unknown } | { type: "stop" };
type ToParent =
  | { type: "up" }
  | { type: "ready"; url: string }
  | { type: "stopped" }
  | { type: "error"; error: string };

export interface AppProcess {
  url: string;
  stop(): Promise<void>;
}

/** Forks HeroDesk with these environment variables and config file contents; resolves once it listens. */
export function startAppProcess(env: Record<string, string>, file: unknown): Promise<AppProcess> {
  const script = fileURLToPath(import.meta.url);
  // execArgv is inherited: under `tsx bench/run.ts` it carries tsx's loader, so the child runs .ts.
  const child = fork(script, ["--herodesk-app"], {
    cwd: PROJECT_ROOT,
    stdio: ["ignore", "inherit", "inherit", "ipc"],
  });
  const send = (m: ToChild) => child.send(m);
  let stopped: (() => void) | undefined;
  return new Promise((resolve, reject) => {
    child.on("message", (m: ToParent) => {
      if (m.type === "up") send({ type: "start", env, file });
      else if (m.type === "error") {
        child.kill();
        reject(new Error(`HeroDesk process: ${m.error}`));
      } else if (m.type === "stopped") stopped?.();
      else if (m.type === "ready")
        resolve({
          url: m.url,
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
  process.on("message", async (m: ToChild) => {
    try {
      if (m.type === "start") {
        const config = loadConfig(m.env, { fileConfig: parseFileConfig(m.file) });
        app = await startHeroDesk(config, { logger: createLogger("error") });
        send({ type: "ready", url: app.url });
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
