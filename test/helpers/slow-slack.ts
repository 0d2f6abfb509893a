// A Slack whose Web API is slow: every call takes SLACK_API_LATENCY_MS to be answered. The
// emulator's `apiLatencyMs` holds each answer that long after the call took effect (Slack has
// acted: a modal opened within its trigger_id's 3 s, a message posted; HeroDesk hears of it
// later). Only the Web API is slow; response_url and Slack's requests to HeroDesk are not.
import { type StackOptions, startStack } from "./stack.ts";

/** Longer than Slack waits for an acknowledgement (3 s): a listener awaiting any call misses it. */
export const SLACK_API_LATENCY_MS = 4000;

/** The whole stack against a Slack whose Web API answers every call after `latencyMs`. */
export async function startSlowSlackStack(options: StackOptions = {}, latencyMs = SLACK_API_LATENCY_MS) {
  const stack = await startStack({ ...options, emulator: { ...options.emulator, apiLatencyMs: latencyMs } });
  return Object.assign(stack, { latencyMs });
}
