// Paces chat.postMessage per channel, as Slack limits it (about one per second per channel, with
// short bursts). @slack/web-api pauses its whole queue on any 429; HeroDesk turns that off and
// keeps one bucket per channel instead, so a busy channel never stalls the others.
// Our clock and Slack's differ by the network latency, so a post sent the very moment our bucket
// refills can reach Slack a moment before its bucket does. A small margin per slot avoids that 429
// (which costs a whole second of Retry-After).
const MARGIN_MS = 25;

export class ChannelLimiter {
  private readonly buckets = new Map<string, { tokens: number; updatedAt: number; pausedUntil: number }>();

  private readonly perSecond: number;

  constructor(
    perSecond: number,
    private readonly burst: number,
    private readonly now: () => number = Date.now,
  ) {
    this.perSecond = 1000 / (1000 / perSecond + MARGIN_MS);
  }

  /** Waits until a post to `channel` fits in the limit, then takes its slot. */
  async acquire(channel: string, signal?: AbortSignal): Promise<void> {
    for (;;) {
      signal?.throwIfAborted();
      const wait = this.tryTake(channel);
      if (wait <= 0) return;
      await sleep(wait, signal);
    }
  }

  /**
   * Takes a slot for `channel` if one is free now and returns 0; otherwise takes nothing and
   * returns how long until one is (for work that would rather step aside than wait in line).
   */
  tryAcquire(channel: string): number {
    return this.tryTake(channel);
  }

  /** Slack said 429: nothing more to this channel until Retry-After has passed. */
  pause(channel: string, ms: number): void {
    const b = this.bucket(channel);
    b.pausedUntil = Math.max(b.pausedUntil, this.now() + ms);
    b.tokens = 0;
  }

  private tryTake(channel: string): number {
    const b = this.bucket(channel);
    const now = this.now();
    if (b.pausedUntil > now) return b.pausedUntil - now;
    b.tokens = Math.min(this.burst, b.tokens + ((now - b.updatedAt) / 1000) * this.perSecond);
    b.updatedAt = now;
    if (b.tokens >= 1) {
      b.tokens -= 1;
      return 0;
    }
    return Math.ceil(((1 - b.tokens) / this.perSecond) * 1000);
  }

  private bucket(channel: string) {
    let b = this.buckets.get(channel);
    if (!b) {
      b = { tokens: this.burst, updatedAt: this.now(), pausedUntil: 0 };
      this.buckets.set(channel, b);
    }
    return b;
  }
}

function sleep(ms: number, signal?: AbortSignal): Promise<void> {
  return new Promise((resolve, reject) => {
    const onAbort = () => {
      clearTimeout(timer);
      reject(signal?.reason);
    };
    const timer = setTimeout(() => {
      signal?.removeEventListener("abort", onAbort);
      resolve();
    }, ms);
    signal?.addEventListener("abort", onAbort, { once: true });
  });
}
