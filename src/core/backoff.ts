// Exponential backoff with jitter, shared by reply delivery and Slack retries.
export interface BackoffPolicy {
  initialDelayMs: number;
  maxDelayMs: number;
}

/** Delay before attempt number `attempt + 1`, given that `attempt` (1-based) just failed. */
export function backoffDelay(policy: BackoffPolicy, attempt: number, random = Math.random()): number {
  const base = Math.min(policy.maxDelayMs, policy.initialDelayMs * 2 ** Math.max(0, attempt - 1));
  // ±20% jitter so that many failed deliveries do not retry in lockstep.
  return Math.round(base * (0.8 + 0.4 * random));
}
