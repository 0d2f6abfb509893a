// Slack's Web API rate limits (https://docs.slack.dev/apis/web-api/rate-limits), answered like
// Slack: HTTP 429, `Retry-After: <whole seconds>`, `{ ok: false, error: "ratelimited" }`.
//
// One model for every limit, chosen to be conservative where Slack says "N+ per minute" and
// "bursts tolerated": a token bucket (`burst` calls at once, refilled at `perMinute`) AND a rolling
// 60-second window that never admits more than `perMinute` calls ("Rate limit windows are per
// minute"). With the defaults (burst = perMinute) a method may spend its minute at once, but never
// more than its minute's worth within any 60 s, which a bare bucket would allow (twice as much).
//
// - chat.postMessage: "1 per second per channel, short bursts >1 allowed", "while also maintaining
//   a workspace-wide limit" of "several hundred messages per minute" (chat.postMessage reference):
//   a bucket per channel (1/s, bursts of 3, at most 60 in any minute) and a workspace window of 300
//   per minute across channels. Only calls that would post take a token (web-api/chat.ts decides).
// - every other method: its tier (tiers.ts), one bucket per method (one app, one workspace).

import { type MethodRate, rateOf, type Tier } from "./tiers.ts";

export interface Budget {
  perMinute: number;
  burst: number;
}

export type RateDecision = { allowed: true } | { allowed: false; retryAfterSeconds: number };

const MINUTE = 60_000;

/** A token bucket plus a rolling-minute cap; `wait` says how long until one more call fits. */
class Allowance {
  private tokens: number;
  private updatedAt: number;
  private readonly stamps: number[] = [];
  private readonly perMs: number;
  private readonly windowCap: number;

  constructor(
    private readonly budget: Budget,
    now: number,
  ) {
    if (!(budget.perMinute > 0) || !(budget.burst >= 1)) {
      throw new Error("a rate limit needs perMinute > 0 and burst >= 1");
    }
    this.tokens = budget.burst;
    this.updatedAt = now;
    this.perMs = budget.perMinute / MINUTE;
    this.windowCap = Math.max(1, Math.floor(budget.perMinute));
  }

  /** Milliseconds until a call would be admitted (0: now). */
  wait(now: number): number {
    this.tokens = Math.min(this.budget.burst, this.tokens + (now - this.updatedAt) * this.perMs);
    this.updatedAt = now;
    while (this.stamps.length > 0 && (this.stamps[0] as number) <= now - MINUTE) this.stamps.shift();
    const bucket = this.tokens >= 1 ? 0 : (1 - this.tokens) / this.perMs;
    const window =
      this.stamps.length < this.windowCap
        ? 0
        : (this.stamps[this.stamps.length - this.windowCap] as number) + MINUTE - now;
    return Math.max(bucket, window);
  }

  take(now: number): void {
    this.tokens -= 1;
    this.stamps.push(now);
  }
}

function decide(waitMs: number): RateDecision {
  if (waitMs <= 0) return { allowed: true };
  return { allowed: false, retryAfterSeconds: Math.max(1, Math.ceil(waitMs / 1000)) };
}

// ------------------------------------------------------------------------------------------------
// chat.postMessage

export interface RateLimitConfig {
  /** Per channel. Slack: about 1. */
  perSecond: number;
  /** Per channel: posts admitted at once. */
  burst: number;
  /** Across all channels of the workspace. Default 300 ("several hundred", read as few as possible). */
  workspacePerMinute?: number;
}

export const POST_MESSAGE_LIMIT: Required<RateLimitConfig> = {
  perSecond: 1,
  burst: 3,
  workspacePerMinute: 300,
};

export class ChannelRateLimiter {
  private readonly channels = new Map<string, Allowance>();
  private workspace: Allowance | undefined;

  constructor(
    private readonly config: RateLimitConfig | false,
    private readonly now: () => number = Date.now,
  ) {
    if (config && (!(config.perSecond > 0) || !(config.burst >= 1))) {
      throw new Error("rateLimit needs perSecond > 0 and burst >= 1");
    }
  }

  /** Takes one post in `channel` (and in the workspace), or says how long to wait. */
  take(channel: string): RateDecision {
    if (!this.config) return { allowed: true };
    const now = this.now();
    const perChannel =
      this.channels.get(channel) ??
      new Allowance({ perMinute: this.config.perSecond * 60, burst: this.config.burst }, now);
    this.channels.set(channel, perChannel);
    const perMinute = this.config.workspacePerMinute ?? POST_MESSAGE_LIMIT.workspacePerMinute;
    this.workspace ??= new Allowance({ perMinute, burst: perMinute }, now);
    const decision = decide(Math.max(perChannel.wait(now), this.workspace.wait(now)));
    if (decision.allowed) {
      perChannel.take(now);
      this.workspace.take(now);
    }
    return decision;
  }

  reset(): void {
    this.channels.clear();
    this.workspace = undefined;
  }
}

// ------------------------------------------------------------------------------------------------
// Tiers

export type { Tier } from "./tiers.ts";
export type TierLimit = Budget;
export type TierLimits = Record<Tier | "special", Budget>;

/**
 * Slack's published floors ("1+", "20+", "50+", "100+" per minute), bursts of a minute's worth;
 * `special` is "hundreds of requests per minute" (auth.test, chat.getPermalink), read as 200.
 */
export const SLACK_TIERS: TierLimits = {
  tier1: { perMinute: 1, burst: 1 },
  tier2: { perMinute: 20, burst: 20 },
  tier3: { perMinute: 50, burst: 50 },
  tier4: { perMinute: 100, burst: 100 },
  special: { perMinute: 200, burst: 200 },
};

export class TierRateLimiter {
  private readonly methods = new Map<string, Allowance>();

  /**
   * @param tiers overrides per tier, or false: no tier limits (methods named in `perMethod` still are)
   * @param perMethod a budget for single methods, over their tier's
   */
  constructor(
    private readonly tiers: Partial<TierLimits> | false,
    private readonly perMethod: Readonly<Record<string, Budget>> = {},
    private readonly now: () => number = Date.now,
  ) {
    for (const budget of [...Object.values(tiers || {}), ...Object.values(perMethod)]) {
      new Allowance(budget, 0); // validates
    }
  }

  /** The budget `method` is held to, if any. */
  budgetOf(method: string): Budget | undefined {
    const own = this.perMethod[method];
    if (own) return own;
    const rate: MethodRate = rateOf(method);
    if (rate === "chat.postMessage" || !this.tiers) return undefined;
    return this.tiers[rate] ?? SLACK_TIERS[rate];
  }

  /** Takes one call of `method` from its bucket. */
  take(method: string): RateDecision {
    const budget = this.budgetOf(method);
    if (!budget) return { allowed: true };
    const now = this.now();
    const allowance = this.methods.get(method) ?? new Allowance(budget, now);
    this.methods.set(method, allowance);
    const decision = decide(allowance.wait(now));
    if (decision.allowed) allowance.take(now);
    return decision;
  }

  reset(): void {
    this.methods.clear();
  }
}
