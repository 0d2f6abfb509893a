// Keeps every Web API call within Slack's rate limits, per method for the workspace, and
// chat.postMessage also per channel (docs.slack.dev/apis/web-api/rate-limits: limits apply "per API
// method per workspace/team per app", and "rate limit windows are per minute"; Tier 1 1+/min,
// Tier 2 20+/min, Tier 3 50+/min, Tier 4 100+/min, bursts tolerated; chat.postMessage "one message
// per second per channel, while also maintaining a workspace-wide limit" of "several hundred
// messages per minute"). Each method's tier is the one its reference page states
// (docs.slack.dev/reference/methods/<method>).
//
// A method's budget is two limits at once: a sliding minute holding at most 95 % of its tier's
// figure (the "+" of "50+" is never counted on), so no 60 s ever holds more than Slack allows,
// whether Slack counts a fixed minute, a sliding one or a bucket of a minute's worth; and a token
// bucket refilled at that rate holding half a minute's worth, so a burst goes at once and a steady
// load waits a slot (about a second for Tier 3) rather than for a whole minute to pass. Posts in
// a channel also keep to the configured pace (one a second, short bursts) and 60 a minute. A 429
// pauses only that method (or, for posts, that channel) for Retry-After.

import type { SharedRate } from "../core/shared-rate.ts";

export type Tier = 1 | 2 | 3 | 4;

/** The methods HeroDesk calls (and Bolt and the Socket Mode client for it), by Slack's tier. */
export const METHOD_TIERS: Readonly<Record<string, Tier>> = {
  "auth.test": 4,
  // api.slack.com says Tier 1, docs.slack.dev Tier 3: the stricter.
  "apps.connections.open": 1,
  "chat.update": 3,
  "chat.delete": 3,
  // "Special": hundreds a minute; paced as Tier 4.
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
/** A method missing from the table is paced as Tier 2, the common floor. */
const UNKNOWN_TIER: Tier = 2;
/** chat.postMessage across all channels: "several hundred messages per minute", read as 300. */
const POSTS_PER_MINUTE_IN_WORKSPACE = 300;
const SHARE = 0.95;
const MINUTE_MS = 60_000;

/** Methods that post a message in a channel: they also take the channel's posting slot. */
const POSTS_IN_CHANNEL = new Set(["chat.postMessage", "files.completeUploadExternal"]);

// Our clock and Slack's differ by the network latency, so a call sent the moment our budget frees
// can reach Slack a moment before Slack's does: each wait gets a small margin.
const MARGIN_MS = 25;

/** A sliding minute of calls, and a token bucket for the pace within it. */
interface Budget {
  perMinute: number;
  calls: number[];
  pausedUntil: number;
  /** The last slot handed to a call that would not wait for one (see SlackPacer.deferral). */
  deferredUntil: number;
  pace?: { tokens: number; updatedAt: number; perMs: number; burst: number };
}

export interface PacingOptions {
  postsPerSecondPerChannel: number;
  burstPerChannel: number;
  /** Per-minute figures that replace a method's tier (tests against a workspace that allows more). */
  perMinute?: Readonly<Record<string, number>>;
  now?: () => number;
}

/** One budget as several replicas share it (see SlackPacer.sharedBudgets). */
export interface SharedBudget extends SharedRate {
  key: string;
}

/**
 * Slots reserved in the database, for replicas that share one Slack app (PostgreSQL): one call's
 * slot in each of its budgets at once, unless it would be more than `maxWaitMs` away (then nothing
 * is reserved in any). Returns the wait for the slot and whether it was reserved.
 */
export interface SharedSlots {
  reserve(
    budgets: readonly SharedBudget[],
    maxWaitMs: number,
  ): Promise<{ waitMs: number; reserved: boolean }>;
}

export class SlackPacer {
  private readonly budgets = new Map<string, Budget>();
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
    const budgets = budgetKeys(method, channel).map((key) => this.budget(key, method));
    const now = this.now();
    let wait = 0;
    for (const b of budgets) wait = Math.max(wait, waitFor(b, now));
    if (wait > 0) return wait;
    for (const b of budgets) {
      b.calls.push(now);
      if (b.pace) b.pace.tokens -= 1;
    }
    return 0;
  }

  /**
   * The budgets a call counts against, for pacing shared by several replicas (SharedSlots): the
   * same limits as above (the sliding minute, the pace and its burst), kept in the database.
   */
  sharedBudgets(method: string, channel?: string): SharedBudget[] {
    return budgetKeys(method, channel).map((key) => {
      const b = this.budget(key, method);
      return {
        key,
        intervalMs: intervalOf(b),
        burst: b.pace!.burst,
        minute: { calls: b.perMinute, ms: MINUTE_MS + MARGIN_MS },
      };
    });
  }

  /**
   * How long a call that will not wait `wait` ms for its slot (it comes back later) should stay
   * away. Calls turned away together are given successive slots, one interval of the budget apart:
   * told the same instant, 100 calls for a Tier 3 method would all come back at once, one would
   * get through and 99 would be turned away again, each time (a worker's every slot and a database
   * transaction each, a second, for minutes).
   */
  deferral(method: string, channel: string | undefined, wait: number): number {
    const now = this.now();
    const keys = budgetKeys(method, channel);
    let until = now + wait;
    for (const key of keys) {
      const b = this.budget(key, method);
      until = Math.max(until, b.deferredUntil + intervalOf(b));
    }
    for (const key of keys) this.budget(key, method).deferredUntil = until;
    return until - now;
  }

  /** Slack answered 429: nothing more of this method (posts: to this channel) until `ms` passed. */
  pause(method: string, channel: string | undefined, ms: number): void {
    const b = channel ? this.budget(`post:${channel}`, method) : this.budget(`method:${method}`, method);
    b.pausedUntil = Math.max(b.pausedUntil, this.now() + ms);
    if (b.pace) b.pace.tokens = 0;
  }

  private budget(key: string, method: string): Budget {
    let b = this.budgets.get(key);
    if (!b) {
      b = key.startsWith("post:")
        ? this.channelBudget()
        : methodBudget(method, this.now(), this.options.perMinute?.[method]);
      this.budgets.set(key, b);
    }
    return b;
  }

  private channelBudget(): Budget {
    const { postsPerSecondPerChannel: perSecond, burstPerChannel: burst } = this.options;
    return {
      perMinute: Math.max(1, Math.floor(60 * perSecond)),
      calls: [],
      pausedUntil: 0,
      deferredUntil: 0,
      pace: { tokens: burst, updatedAt: this.now(), perMs: 1 / (1000 / perSecond + MARGIN_MS), burst },
    };
  }
}

function methodBudget(method: string, now: number, override?: number): Budget {
  const figure =
    override ??
    (method === "chat.postMessage"
      ? POSTS_PER_MINUTE_IN_WORKSPACE
      : PER_MINUTE[METHOD_TIERS[method] ?? UNKNOWN_TIER]);
  const burst = Math.max(1, Math.floor(figure / 2));
  return {
    perMinute: Math.max(1, Math.floor(SHARE * figure)),
    calls: [],
    pausedUntil: 0,
    deferredUntil: 0,
    pace: { tokens: burst, updatedAt: now, perMs: 1 / (MINUTE_MS / (SHARE * figure) + MARGIN_MS), burst },
  };
}

/** The budgets a call counts against: its method's and, for a post, its channel's. */
const budgetKeys = (method: string, channel?: string) => [
  `method:${method}`,
  ...(channel ? [`post:${channel}`] : []),
];

/** The time between two calls at the budget's steady pace. */
const intervalOf = (b: Budget) => (b.pace ? 1 / b.pace.perMs : MINUTE_MS / b.perMinute);

/** How long until `b` allows one more call (0: now). */
function waitFor(b: Budget, now: number): number {
  if (b.pausedUntil > now) return b.pausedUntil - now;
  // The minute: calls older than it no longer count.
  let drop = 0;
  while (drop < b.calls.length && b.calls[drop]! <= now - MINUTE_MS) drop++;
  if (drop) b.calls.splice(0, drop);
  let wait =
    b.calls.length >= b.perMinute ? b.calls[b.calls.length - b.perMinute]! + MINUTE_MS + MARGIN_MS - now : 0;
  if (b.pace) {
    const p = b.pace;
    p.tokens = Math.min(p.burst, p.tokens + (now - p.updatedAt) * p.perMs);
    p.updatedAt = now;
    if (p.tokens < 1) wait = Math.max(wait, Math.ceil((1 - p.tokens) / p.perMs));
  }
  return Math.max(0, wait);
}
