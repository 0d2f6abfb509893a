// Keeps every Web API call within Slack's rate limits, per method for the workspace, and
// chat.postMessage also per channel (docs.slack.dev/apis/web-api/rate-limits: limits apply "per API
// method per workspace/team per app"; Tier 1 1+/min, Tier 2 20+/min, Tier 3 50+/min, Tier 4
// 100+/min; posting messages about 1 per second per channel, short bursts allowed). Each method's
// tier is the one its reference page states (docs.slack.dev/reference/methods/<method>).
//
// A tier's budget is a token bucket holding a sixth of the tier's per-minute figure, refilled at
// 80 % of it: any 60 s then holds at most 97 % of the figure (whether Slack counts a fixed minute,
// a sliding one, or a bucket), and a burst of a sixth goes out at once. A 429 pauses only that
// method (or, for posts, that channel) for Retry-After.

export type Tier = 1 | 2 | 3 | 4;

/** The methods HeroDesk calls (and Bolt and the Socket Mode client for it), by Slack's tier. */
export const METHOD_TIERS: Readonly<Record<string, Tier>> = {
  "auth.test": 4,
  "apps.connections.open": 1,
  "chat.update": 3,
  "chat.delete": 3,
  "chat.getPermalink": 4,
  "chat.postEphemeral": 4,
  "conversations.history": 3,
  "conversations.replies": 3,
  "conversations.info": 3,
  "conversations.join": 3,
  "conversations.open": 3,
  "conversations.members": 4,
  "conversations.list": 2,
  "users.info": 4,
  "users.list": 2,
  "users.lookupByEmail": 3,
  "views.open": 4,
  "views.push": 4,
  "views.update": 4,
  "views.publish": 4,
  "files.getUploadURLExternal": 4,
  "files.completeUploadExternal": 4,
  "reactions.add": 3,
};

const PER_MINUTE: Record<Tier, number> = { 1: 1, 2: 20, 3: 50, 4: 100 };
/** A method missing from the table is paced as the strictest common tier. */
const UNKNOWN_TIER: Tier = 2;

/** Methods that post a message in a channel: they also take the channel's posting slot. */
const POSTS_IN_CHANNEL = new Set(["chat.postMessage", "files.completeUploadExternal"]);

// Our clock and Slack's differ by the network latency, so a call sent the moment our bucket
// refills can reach Slack a moment before its own does: each slot gets a small margin.
const MARGIN_MS = 25;

interface Bucket {
  tokens: number;
  updatedAt: number;
  pausedUntil: number;
  /** Tokens per millisecond, and the most it holds. */
  rate: number;
  burst: number;
}

export interface PacingOptions {
  postsPerSecondPerChannel: number;
  burstPerChannel: number;
  now?: () => number;
}

export class SlackPacer {
  private readonly buckets = new Map<string, Bucket>();
  private readonly now: () => number;

  constructor(private readonly options: PacingOptions) {
    this.now = options.now ?? Date.now;
  }

  /** The channel whose posting limit a call counts against, if any. */
  static postingChannel(method: string, args: Record<string, unknown>): string | undefined {
    if (!POSTS_IN_CHANNEL.has(method)) return undefined;
    const channel = args.channel ?? args.channel_id;
    return typeof channel === "string" && channel ? channel : undefined;
  }

  /**
   * Takes a slot for one call of `method` (posting in `channel`) when every limit it counts
   * against has one now, and returns 0; otherwise takes nothing and returns how long to wait.
   */
  take(method: string, channel?: string): number {
    const buckets = this.bucketsFor(method, channel);
    const now = this.now();
    let wait = 0;
    for (const b of buckets) wait = Math.max(wait, this.waitFor(b, now));
    if (wait > 0) return wait;
    for (const b of buckets) b.tokens -= 1;
    return 0;
  }

  /** Slack answered 429: nothing more of this method (posts: to this channel) until `ms` passed. */
  pause(method: string, channel: string | undefined, ms: number): void {
    const b = channel ? this.bucket(`post:${channel}`, method) : this.bucket(`method:${method}`, method);
    b.pausedUntil = Math.max(b.pausedUntil, this.now() + ms);
    b.tokens = 0;
  }

  private bucketsFor(method: string, channel: string | undefined): Bucket[] {
    // chat.postMessage's own limit is the channel's; the workspace-wide one is not published.
    const own = method === "chat.postMessage" ? [] : [this.bucket(`method:${method}`, method)];
    return channel ? [...own, this.bucket(`post:${channel}`, method)] : own;
  }

  private waitFor(b: Bucket, now: number): number {
    if (b.pausedUntil > now) return b.pausedUntil - now;
    b.tokens = Math.min(b.burst, b.tokens + (now - b.updatedAt) * b.rate);
    b.updatedAt = now;
    return b.tokens >= 1 ? 0 : Math.ceil((1 - b.tokens) / b.rate);
  }

  private bucket(key: string, method: string): Bucket {
    let b = this.buckets.get(key);
    if (!b) {
      const { rate, burst } = key.startsWith("post:")
        ? this.postLimit()
        : tierLimit(METHOD_TIERS[method] ?? UNKNOWN_TIER);
      b = { tokens: burst, updatedAt: this.now(), pausedUntil: 0, rate, burst };
      this.buckets.set(key, b);
    }
    return b;
  }

  private postLimit() {
    const perSecond = this.options.postsPerSecondPerChannel;
    return { rate: 1 / (1000 / perSecond + MARGIN_MS), burst: this.options.burstPerChannel };
  }
}

/** A sixth of the tier's minute at once, 80 % of it per minute after (see the top of this file). */
function tierLimit(tier: Tier) {
  const perMinute = PER_MINUTE[tier];
  const rate = 1 / (60_000 / (0.8 * perMinute) + MARGIN_MS);
  return { rate, burst: Math.max(1, Math.floor(perMinute / 6)) };
}
