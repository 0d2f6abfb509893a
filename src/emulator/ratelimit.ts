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
