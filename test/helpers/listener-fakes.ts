// Fakes for calling a Bolt listener's callback directly, as Slack's starter templates test theirs
// (slack-samples/bolt-ts-starter-template): a fake `app` that captures what `command`/`action`
// register, `ack` and `respond` that record their calls, and a client with only what is asked of it.
// The use cases are a fake too, answering canned typed results (src/services/results.ts).
import type { App } from "@slack/bolt";
import { waitFor } from "./wait.ts";

type Listener = (args: Record<string, unknown>) => Promise<void>;

/** A stand-in for Bolt's App: each registered callback, by command name or action_id. */
export function fakeApp() {
  const commands = new Map<string, Listener>();
  const actions = new Map<string, Listener>();
  const app = {
    command: (name: string, fn: Listener) => commands.set(name, fn),
    action: (id: string, fn: Listener) => actions.set(id, fn),
  };
  const get = (map: Map<string, Listener>, key: string) => {
    const fn = map.get(key);
    if (!fn) throw new Error(`nothing registered for ${key}`);
    return fn;
  };
  return {
    app: app as unknown as App,
    command: (name: string) => get(commands, name),
    action: (id: string) => get(actions, id),
  };
}

/** What happened, in order: acks, use-case calls, answers. */
export type Log = string[];

/** An `ack` that records each call's argument (undefined: acknowledged with no body). */
export function fakeAck(log: Log) {
  const calls: unknown[] = [];
  const ack = async (body?: unknown) => {
    log.push("ack");
    calls.push(body);
  };
  return { ack, calls };
}

/** A `respond` that records each payload posted to the response_url. */
export function fakeRespond(log: Log) {
  const payloads: Record<string, unknown>[] = [];
  const respond = async (payload: Record<string, unknown>) => {
    log.push("respond");
    payloads.push(payload);
  };
  return { respond, payloads };
}

/** A Web API client with only views.open (App Home notices), recording each call. */
export function fakeClient(log: Log) {
  const opened: Record<string, unknown>[] = [];
  const client = {
    views: {
      open: async (args: Record<string, unknown>) => {
        log.push("views.open");
        opened.push(args);
        return { ok: true };
      },
    },
  };
  return { client, opened };
}

export const quietLogger = () => {
  const errors: unknown[][] = [];
  return {
    errors,
    logger: {
      error: (...m: unknown[]) => errors.push(m),
      warn: (...m: unknown[]) => errors.push(m),
      info: () => {},
      debug: () => {},
    },
  };
};

/** The answer runs after the acknowledgements of a burst are out (src/slack/ack-first.ts): wait for it. */
export function settled(what: string, check: () => boolean) {
  return waitFor(what, check, 2000);
}

/** Long enough for follow-up work that would run to have run (ack-first holds it a few ms). */
export const afterFollowUp = () => new Promise((r) => setTimeout(r, 50));
