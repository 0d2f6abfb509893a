// chat.postMessage's special rate limit: about one message per second per channel, with short
// bursts tolerated. Modelled as a token bucket per channel (capacity `burst`, refilled at
// `perSecond`). An over-limit call is answered like Slack: HTTP 429, `Retry-After: <seconds>`.

export interface RateLimitConfig {
  perSecond: number;
  burst: number;
}

interface Bucket {
  tokens: number;
  updatedAt: number;
}

export type RateDecision = { allowed: true } | { allowed: false; retryAfterSeconds: number };

export class ChannelRateLimiter {
  private readonly buckets = new Map<string, Bucket>();

  constructor(
    private readonly config: RateLimitConfig | false,
    private readonly now: () => number = Date.now,
  ) {
    if (config && (config.perSecond <= 0 || config.burst < 1)) {
      throw new Error("rateLimit needs perSecond > 0 and burst >= 1");
    }
  }

  /** Takes one token for `key`, or says how long (whole seconds, at least 1) to wait. */
  take(key: string): RateDecision {
    if (!this.config) return { allowed: true };
    const { perSecond, burst } = this.config;
    const now = this.now();
    const bucket = this.buckets.get(key) ?? { tokens: burst, updatedAt: now };
    bucket.tokens = Math.min(burst, bucket.tokens + ((now - bucket.updatedAt) / 1000) * perSecond);
    bucket.updatedAt = now;
    this.buckets.set(key, bucket);
    if (bucket.tokens >= 1) {
      bucket.tokens -= 1;
      return { allowed: true };
    }
    const seconds = Math.ceil((1 - bucket.tokens) / perSecond);
    return { allowed: false, retryAfterSeconds: Math.max(1, seconds) };
  }

  reset(): void {
    this.buckets.clear();
  }
}

// ------------------------------------------------------------------------------------------------
// Web API tiers. Slack limits most methods per app and workspace by tier: Tier 1 "1+ per minute",
// Tier 2 "20+", Tier 3 "50+", Tier 4 "100+", each tolerating short bursts. Modelled as one token
// bucket per method, refilled at the tier's per-minute rate, holding up to `burst` calls.

export type Tier = "tier1" | "tier2" | "tier3" | "tier4";

export interface TierLimit {
  perMinute: number;
  burst: number;
}

export type TierLimits = Record<Tier, TierLimit>;

/** Slack's published floors ("N+ per minute"), a minute's worth of burst each. */
export const SLACK_TIERS: TierLimits = {
  tier1: { perMinute: 1, burst: 1 },
  tier2: { perMinute: 20, burst: 20 },
  tier3: { perMinute: 50, burst: 50 },
  tier4: { perMinute: 100, burst: 100 },
};

export class TierRateLimiter {
  private readonly limiters: Partial<Record<Tier, ChannelRateLimiter>> = {};

  constructor(config: Partial<TierLimits> | false, now: () => number = Date.now) {
    if (!config) return;
    for (const tier of Object.keys(SLACK_TIERS) as Tier[]) {
      const limit = config[tier] ?? SLACK_TIERS[tier];
      this.limiters[tier] = new ChannelRateLimiter(
        { perSecond: limit.perMinute / 60, burst: limit.burst },
        now,
      );
    }
  }

  /** Takes one call of `method` (in `tier`) from its bucket. */
  take(tier: Tier, method: string): RateDecision {
    return this.limiters[tier]?.take(method) ?? { allowed: true };
  }

  reset(): void {
    for (const l of Object.values(this.limiters)) l.reset();
  }
}
