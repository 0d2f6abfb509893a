// The "acknowledge now, answer later" sequence of `/desk`, card buttons and App Home controls.
// The listener has acknowledged; the work runs once the acknowledgements of a burst are out
// (ack-first.ts), and its answer goes to the person who asked. An answer can fail to arrive:
// Slack's response_url takes 5 POSTs within 30 minutes
// (docs.slack.dev/interactivity/handling-user-interaction#message_responses), and a POST can meet
// a 5xx, a 429 or a network blip (Bolt's respond() then throws RespondError with the status:
// @slack/bolt src/context/create-respond.ts). Whatever happens, nothing here rejects unhandled: a
// failed answer is retried while it may still pass, then given another way, then logged.
import type { RespondArguments, RespondFn } from "@slack/bolt";
import type { WebClient } from "@slack/web-api";
import type { Logger } from "../logger.ts";
import type { Answer } from "../services/results.ts";
import { ackFirst } from "./ack-first.ts";
import { present } from "./presenters/index.ts";

export const SORRY = "Sorry, that did not work; nothing was changed. Try again in a moment.";

/** Tries of one response_url POST that may pass later (5xx, 429, no answer), and the first pause. */
export const RESPOND_RETRY = { attempts: 3, initialDelayMs: 250 } as const;

type ErrorLog = Pick<Logger, "error" | "warn">;

/**
 * Acknowledges at once, then runs `work` once the acks of a burst are out (ack-first.ts) and
 * `deliver`s its result; a failing `work` delivers `failed(err)` instead (and is logged). A
 * failing delivery is logged. Returns once acknowledged: Slack's 3-second deadline never depends
 * on how busy HeroDesk is.
 */
export async function acknowledgeThenRun<T>(
  ack: () => Promise<void>,
  opts: {
    what: string;
    logger: ErrorLog;
    work: () => Promise<T>;
    failed: (err: unknown) => T;
    deliver: (result: T) => Promise<void>;
  },
): Promise<void> {
  await ack();
  const { what, logger } = opts;
  void ackFirst
    .afterAcks()
    .then(opts.work)
    .catch((err: unknown) => {
      logger.error(`${what} failed: ${message(err)}`);
      return opts.failed(err);
    })
    .then(opts.deliver)
    .catch((err: unknown) => logger.error(`${what}: the answer could not be given: ${message(err)}`));
}

/** The parts of Bolt's listener arguments that an answer to one person needs. */
export interface Asker {
  ack: () => Promise<void>;
  respond: RespondFn;
  client: WebClient;
  logger: ErrorLog;
}

/**
 * `/desk` and card buttons: acknowledge, run the use case, and show its answer to the person who
 * asked only, on the response_url (else an ephemeral message, else a DM), in the messages `split`
 * makes of it.
 */
export function acknowledgeThenAnswer(
  asker: Asker,
  opts: {
    what: string;
    user: string;
    channel: string | undefined;
    work: () => Promise<Answer>;
    split: (text: string) => RespondArguments[];
  },
): Promise<void> {
  return acknowledgeThenRun(asker.ack, {
    what: opts.what,
    logger: asker.logger,
    work: async () => present(await opts.work()),
    failed: () => SORRY,
    deliver: (text) =>
      respondInParts(
        asker.respond,
        opts.split(text),
        ephemeralFallback(asker.client, opts.channel, opts.user),
        asker.logger,
      ),
  });
}

/**
 * Posts `parts` on the response_url in order. A POST that may pass later is tried again (up to
 * RESPOND_RETRY); once the URL will not take them (expired, used up, refused), the parts not yet
 * shown go through `fallback` (an ephemeral message), so the person still learns the outcome.
 */
async function respondInParts(
  respond: RespondFn,
  parts: readonly RespondArguments[],
  fallback: (part: RespondArguments) => Promise<void>,
  logger: ErrorLog,
): Promise<void> {
  let viaUrl = true;
  for (const part of parts) {
    if (viaUrl) {
      try {
        await respondWithRetry(respond, part);
        continue;
      } catch (err) {
        logger.warn(
          `response_url would not take the answer (${message(err)}); sending it as an ephemeral message`,
        );
        viaUrl = false;
      }
    }
    await fallback(part);
  }
}

/**
 * The other way: an ephemeral message to `user` in `channel` (chat.postEphemeral), or, where the
 * bot cannot post there (a channel it is not in), a DM from the app.
 */
function ephemeralFallback(
  client: WebClient,
  channel: string | undefined,
  user: string,
): (part: RespondArguments) => Promise<void> {
  return async (part) => {
    const text = part.text ?? "";
    if (channel) {
      try {
        await client.chat.postEphemeral({ channel, user, text });
        return;
      } catch {
        // Not a channel the bot can post in: the DM below.
      }
    }
    const dm = await client.conversations.open({ users: user });
    await client.chat.postMessage({ channel: dm.channel!.id!, text });
  };
}

async function respondWithRetry(respond: RespondFn, part: RespondArguments): Promise<void> {
  for (let attempt = 1; ; attempt++) {
    try {
      await respond(part);
      return;
    } catch (err) {
      if (!mayPassLater(err) || attempt >= RESPOND_RETRY.attempts) throw err;
      await new Promise((r) => setTimeout(r, RESPOND_RETRY.initialDelayMs * 2 ** (attempt - 1)));
    }
  }
}

/** RespondError carries the HTTP status; without one the POST got no answer (network). */
function mayPassLater(err: unknown): boolean {
  const status = (err as { statusCode?: unknown }).statusCode;
  return typeof status !== "number" || status >= 500 || status === 429;
}

function message(err: unknown): string {
  return err instanceof Error ? err.message : String(err);
}
