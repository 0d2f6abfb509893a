// The only reader of process.env. Every setting is parsed with zod; a bad one stops start-up with
// one line per problem that names the setting and says what is wrong. Secrets are never echoed.

import { existsSync, readFileSync } from "node:fs";
import cron from "node-cron";
import { z } from "zod";
import { type BusinessHours, type Period, WEEKDAYS, type Weekday } from "./core/business-hours.ts";
import { parseDuration } from "./core/duration.ts";
import { triageConditionProblem } from "./core/triage.ts";

export const DEFAULT_DATABASE_URL = "file:./data/herodesk.db";

const slackChannelId = z
  .string()
  .regex(/^[CGD][A-Z0-9]{2,}$/, "expected a Slack channel ID such as C0123ABCD");
const slackUserId = z.string().regex(/^[UW][A-Z0-9]{2,}$/, "expected a Slack user ID such as U0123ABCD");
const httpUrl = z.url({ protocol: /^https?$/, error: "expected an http(s) URL" });
/** Slack's API URL: no user name or password in it (they would be logged, and fetch refuses them). */
const apiUrl = httpUrl.refine((u) => {
  if (!URL.canParse(u)) return true; // not a URL: the check above says so
  const url = new URL(u);
  return !url.username && !url.password;
}, "must not contain a user name or password");

const retrySchema = z
  .object({
    maxAttempts: z.number().int().min(1).max(100).default(10),
    initialDelayMs: z.number().int().min(10).max(3_600_000).default(2_000),
    maxDelayMs: z.number().int().min(10).max(86_400_000).default(600_000),
    timeoutMs: z.number().int().min(100).max(120_000).default(10_000),
  })
  .strict();

export const DEFAULT_REPLY_RETRY = retrySchema.parse({});

/** `09:00-17:00`: one opening period of a day, in local time (24:00 ends it at midnight). */
const periodSchema = z.string().transform((text, ctx): Period => {
  const m = /^(\d{2}):(\d{2})-(\d{2}):(\d{2})$/.exec(text.trim());
  const minutes = (h: string, min: string) =>
    Number(h) <= 24 && Number(min) < 60 ? Number(h) * 60 + Number(min) : NaN;
  const from = m ? minutes(m[1]!, m[2]!) : NaN;
  const to = m ? minutes(m[3]!, m[4]!) : NaN;
  if (!(from < to && to <= 1440)) {
    ctx.addIssue({
      code: "custom",
      message: `"${text}" is not a period like 09:00-17:00 (from before to, within a day)`,
    });
    return z.NEVER;
  }
  return { from, to };
});
const dayPeriods = z
  .array(periodSchema)
  .max(12)
  .superRefine((periods, ctx) => {
    for (let i = 1; i < periods.length; i++)
      if (periods[i]!.from < periods[i - 1]!.to)
        ctx.addIssue({
          code: "custom",
          path: [i],
          message: "periods of a day must be in order and not overlap",
        });
  });

/**
 * When a source's (or a team's) desk is open: weekly periods, several a day, in an IANA time zone,
 * and holidays (closed all day). Without it, a desk is always open.
 */
const businessHoursSchema = z
  .object({
    timezone: z.string().refine(isTimeZone, "not an IANA time zone such as Europe/Berlin"),
    weekly: z
      .object(
        Object.fromEntries(WEEKDAYS.map((d) => [d, dayPeriods.optional()])) as Record<
          Weekday,
          z.ZodOptional<typeof dayPeriods>
        >,
      )
      .strict(),
    holidays: z.array(z.string().refine(isCalendarDate, "a date like 2026-12-25")).max(1000).default([]),
  })
  .strict()
  .transform(
    (h): BusinessHours => ({ timezone: h.timezone, weekly: h.weekly, holidays: new Set(h.holidays) }),
  );

/** A duration as SPEC §7 writes it ("45s", "30m", "4h", "2d", "1h30m"), in milliseconds. */
function duration(minMs: number, maxMs: number, least: string, most: string) {
  return z.string().transform((text, ctx) => {
    const ms = parseDuration(text);
    if (ms === null) {
      ctx.addIssue({ code: "custom", message: `"${text}" is not a duration like 45s, 30m, 4h, 2d or 1h30m` });
      return z.NEVER;
    }
    if (ms < minMs || ms > maxMs)
      ctx.addIssue({ code: "custom", message: ms < minMs ? `at least ${least}` : `at most ${most}` });
    return ms;
  });
}

/** A response target: at least a minute, up to 30 days of business time. */
const targetDuration = duration(60_000, 30 * 86_400_000, "1m", "30d");
const targetsShape = {
  firstResponse: targetDuration.optional(),
  nextResponse: targetDuration.optional(),
};
/** How soon customers should hear from an agent, in business time; overrides for some customers. */
const targetsSchema = z
  .object({
    ...targetsShape,
    // The second escalation step: this much business time past the due time, a conversation
    // still unanswered is taken from its assignee and routed again.
    reassignAfter: targetDuration.optional(),
    overrides: z
      .array(
        z
          .object({
            attribute: z.string().trim().min(1).max(100),
            value: z.string().trim().min(1).max(200),
            ...targetsShape,
          })
          .strict()
          // `tag` and `priority` are the conversation's own: a value no one can set never matches.
          .superRefine((o, ctx) => {
            const never = triageConditionProblem(o.attribute, o.value);
            if (never) ctx.addIssue({ code: "custom", path: ["value"], message: `"${o.value}" ${never}` });
          }),
      )
      .max(50)
      .default([]),
  })
  .strict();

/**
 * Auto-close (SPEC §7 `autoClose: { after, nudge }`): a conversation waiting on the customer (an
 * agent answered last) closes `after` its last answer; `nudge`, when set, is sent to the customer
 * once, `nudgeAfter` the answer (half of `after` unless set). A customer message within
 * `reopenWithin` of the close reopens it.
 */
const autoCloseSchema = z
  .object({
    after: duration(60_000, 90 * 86_400_000, "1m", "90d"),
    nudge: z.string().trim().min(1).max(2000).optional(),
    nudgeAfter: duration(60_000, 90 * 86_400_000, "1m", "90d").optional(),
    reopenWithin: duration(0, 90 * 86_400_000, "0s", "90d").default(7 * 86_400_000),
  })
  .strict()
  .superRefine((a, ctx) => {
    if (a.nudgeAfter !== undefined && a.nudgeAfter >= a.after)
      ctx.addIssue({ code: "custom", path: ["nudgeAfter"], message: "must be shorter than after" });
    if (a.nudgeAfter !== undefined && a.nudge === undefined)
      ctx.addIssue({ code: "custom", path: ["nudgeAfter"], message: "needs nudge: what would be sent?" });
  })
  .transform((a) => ({
    ...a,
    nudgeAfter: a.nudge === undefined ? undefined : (a.nudgeAfter ?? a.after / 2),
  }));

/** A Slack emoji name as Slack writes it in reactions (`eyes`, `white_check_mark`), without colons. */
const emojiName = z
  .string()
  .transform((e) => e.trim().replace(/^:|:$/g, ""))
  .pipe(z.string().regex(/^[a-z0-9_+'-]{1,100}$/, "an emoji name such as white_check_mark"));

/** A customer channel of a source of kind slack: its id, or `{ channel, account }`. */
const customerChannelSchema = z.union([
  slackChannelId.transform((channel) => ({ channel, account: undefined as string | undefined })),
  z
    .object({
      channel: slackChannelId,
      // The account its customers belong to (Dedicated Heroes per account): a name such as acme.
      account: z.string().trim().min(1).max(80).optional(),
    })
    .strict(),
]);

const sourceSchema = z
  .object({
    id: z.string().regex(/^[A-Za-z0-9_-]{1,64}$/, "letters, digits, - and _ only (at most 64)"),
    name: z.string().min(1).max(80).optional(),
    // "api" (the default): customers' messages come through the inbound API. "slack": customers
    // write in Slack channels (customerChannels), SPEC §8.
    kind: z.enum(["api", "slack"]).default("api"),
    // Required for kind api (signs inbound requests and replies); none for kind slack.
    secret: z.string().min(8, "at least 8 characters").optional(),
    slackChannel: slackChannelId,
    // Kind slack: the channels whose messages become this source's conversations, or "invited":
    // every channel HeroDesk is invited to (and `/desk channel add|remove`).
    customerChannels: z.union([z.literal("invited"), z.array(customerChannelSchema).max(5000)]).optional(),
    // Kind slack: an agent's reaction with openEmoji on a customer's message opens it as a
    // conversation; closeEmoji on the customer's thread (or the card) closes it.
    openEmoji: emojiName.default("ticket"),
    closeEmoji: emojiName.default("white_check_mark"),
    // Kind slack: what the customer's thread shows, as HeroDesk's reactions on its first message.
    statusEmoji: z
      .object({ working: emojiName.default("eyes"), closed: emojiName.default("white_check_mark") })
      .strict()
      .default({ working: "eyes", closed: "white_check_mark" }),
    // Kind slack: a customer message in a closed conversation's thread reopens it within this
    // long of the close; later, it starts a new conversation.
    reopenWithin: duration(0, 90 * 86_400_000, "0s", "90d").default(7 * 86_400_000),
    replyUrl: httpUrl.optional(),
    heroWaitSeconds: z.number().int().min(5).max(3600).default(300),
    replyRetry: retrySchema.default(DEFAULT_REPLY_RETRY),
    businessHours: businessHoursSchema.optional(),
    // Sent to a customer who writes while the desk is closed: once per closed stretch and
    // conversation, through replyUrl.
    outOfHoursReply: z.string().trim().min(1).max(2000).optional(),
    targets: targetsSchema.optional(),
    // Where a breached response target is said (the conversation, its link, who holds it).
    escalationChannel: slackChannelId.optional(),
    autoClose: autoCloseSchema.optional(),
  })
  .strict()
  // Which kind needs what: said beside the source's other problems (a missing slackChannel too).
  .superRefine(
    (s, ctx) => {
      if (s.kind === "slack") {
        for (const key of ["secret", "replyUrl"] as const)
          if (s[key] !== undefined)
            ctx.addIssue({
              code: "custom",
              path: [key],
              message: "a source of kind slack has none: its customers write and read in Slack",
            });
        if (s.customerChannels === undefined)
          ctx.addIssue({
            code: "custom",
            path: ["customerChannels"],
            message: 'required for kind slack: a list of channel IDs, or "invited"',
          });
      } else {
        if (s.secret === undefined) ctx.addIssue({ code: "custom", path: ["secret"], message: "required" });
        if (s.customerChannels !== undefined)
          ctx.addIssue({
            code: "custom",
            path: ["customerChannels"],
            message: 'only a source of kind "slack" has customer channels',
          });
      }
    },
    { when: (payload) => typeof payload.value === "object" && payload.value !== null },
  )
  .superRefine((s, ctx) => {
    const customerFacing = reachesCustomer(s);
    if (s.autoClose?.nudge !== undefined && !customerFacing)
      ctx.addIssue({
        code: "custom",
        path: ["autoClose", "nudge"],
        message: "needs replyUrl: where would it go?",
      });
    if (s.outOfHoursReply === undefined) return;
    if (!s.businessHours)
      ctx.addIssue({
        code: "custom",
        path: ["outOfHoursReply"],
        message: "needs businessHours: when is the desk closed?",
      });
    if (!customerFacing)
      ctx.addIssue({
        code: "custom",
        path: ["outOfHoursReply"],
        message: "needs replyUrl: where would it go?",
      });
  });

const summarySchema = z
  .object({
    channel: slackChannelId,
    cron: z.string().superRefine((c, ctx) => {
      if (!cron.validate(c)) ctx.addIssue({ code: "custom", message: "not a valid cron expression" });
      // Slots are whole minutes: a seconds field would post a summary every second.
      else if (c.trim().split(/\s+/).length !== 5)
        ctx.addIssue({ code: "custom", message: "use 5 fields: minute hour day-of-month month day-of-week" });
    }),
    timezone: z.string().refine(isTimeZone, "not an IANA time zone such as Europe/Berlin"),
  })
  .strict();

export const fileConfigSchema = z
  .object({
    admins: z.array(slackUserId).default([]),
    managersCanSetHeroes: z.boolean().default(false),
    // A customer id belongs to its source; with this on, a customer first seen on one source
    // with the email of a customer of another is linked to them (one Dedicated Hero).
    linkCustomersByEmail: z.boolean().default(false),
    // The capacity `/desk agent add` gives when the command names none (0 = no limit). Said in its
    // answer, so nobody is unlimited without knowing.
    defaultCapacity: z.number().int().min(0).max(1000).default(0),
    sources: z
      .array(sourceSchema)
      .min(1, "add at least one source")
      .superRefine((sources, ctx) => {
        const seen = new Set<string>();
        for (const [i, s] of sources.entries()) {
          if (seen.has(s.id))
            ctx.addIssue({
              code: "custom",
              path: [i, "id"],
              message: `"${s.id}" is the id of an earlier source too; ids must be unique`,
            });
          seen.add(s.id);
        }
        // A channel belongs to one source, and a customer channel is never a triage channel (the
        // customers would see the cards).
        const owner = new Map<string, string>();
        for (const [i, s] of sources.entries()) owner.set(s.slackChannel, `sources[${i}].slackChannel`);
        let invited: number | undefined;
        for (const [i, s] of sources.entries()) {
          if (s.customerChannels === "invited") {
            if (invited !== undefined)
              ctx.addIssue({
                code: "custom",
                path: [i, "customerChannels"],
                message: `sources[${invited}] takes the invited channels already; only one source can`,
              });
            invited ??= i;
            continue;
          }
          for (const [j, { channel }] of (s.customerChannels ?? []).entries()) {
            const taken = owner.get(channel);
            if (taken)
              ctx.addIssue({
                code: "custom",
                path: [i, "customerChannels", j],
                message: `${channel} is ${taken} too; a channel belongs to one source, and customers must never see a triage channel`,
              });
            owner.set(channel, `sources[${i}].customerChannels[${j}]`);
          }
        }
      }),
    summaries: z.array(summarySchema).default([]),
    // Teams (as /desk team creates them, by name) with business hours of their own: the
    // conversations a team serves keep its hours instead of their source's.
    teams: z
      .array(
        z.object({ name: z.string().trim().min(1).max(80), businessHours: businessHoursSchema }).strict(),
      )
      .max(500)
      .default([])
      .superRefine((teams, ctx) => {
        const seen = new Set<string>();
        for (const [i, t] of teams.entries()) {
          const key = t.name.toLowerCase();
          if (seen.has(key))
            ctx.addIssue({ code: "custom", path: [i, "name"], message: `"${t.name}" is listed twice` });
          seen.add(key);
        }
      }),
    // How long a reply waits after its Slack event arrived, so that an earlier-written reply whose
    // event arrives a moment later still reaches the customer first (Slack sends events
    // concurrently and in no promised order).
    replyOrderWindowMs: z.number().int().min(0).max(60_000).default(2_000),
    // How long finished outbox items (what was sent to Slack and to reply endpoints) are kept.
    outboxRetentionDays: z.number().positive().max(3650).default(3),
    slack: z
      .object({
        // Slack allows about one message per second per channel, with short bursts.
        postsPerSecondPerChannel: z.number().positive().max(100).default(1),
        burstPerChannel: z.number().int().min(1).max(100).default(3),
      })
      .strict()
      .default({ postsPerSecondPerChannel: 1, burstPerChannel: 3 }),
  })
  .strict();

export type FileConfig = z.infer<typeof fileConfigSchema>;
export type SourceConfig = FileConfig["sources"][number];
/** A source whose customers write through the inbound API (it has its secret). */
export type ApiSourceConfig = SourceConfig & { kind: "api"; secret: string };
/** A source whose customers write in Slack channels (SPEC §8). */
export type SlackSourceConfig = SourceConfig & { kind: "slack" };

export const isApiSource = (s: SourceConfig): s is ApiSourceConfig => s.kind === "api";
export const isSlackSource = (s: SourceConfig): s is SlackSourceConfig => s.kind === "slack";
/** Whether what HeroDesk sends a customer reaches them: their Slack thread, or the replyUrl. */
export const reachesCustomer = (s: Pick<SourceConfig, "kind" | "replyUrl">): boolean =>
  s.kind === "slack" || Boolean(s.replyUrl);
export type RetryPolicy = SourceConfig["replyRetry"];
export type SummaryConfig = FileConfig["summaries"][number];

const envSchema = z
  .object({
    DATABASE_URL: z.string().min(1).default(DEFAULT_DATABASE_URL),
    SLACK_BOT_TOKEN: z.string().startsWith("xoxb-", "expected a bot token starting with xoxb-").optional(),
    SLACK_SIGNING_SECRET: z.string().min(1).optional(),
    SLACK_APP_TOKEN: z.string().startsWith("xapp-", "expected an app token starting with xapp-").optional(),
    SLACK_API_URL: apiUrl.optional(),
    PORT: z.coerce.number().int().min(0).max(65535).default(3000),
    HERODESK_CONFIG: z.string().min(1).default("./herodesk.config.json"),
    LOG_LEVEL: z.enum(["debug", "info", "warn", "error"]).default("info"),
  })
  .superRefine((env, ctx) => {
    if (!env.SLACK_BOT_TOKEN)
      ctx.addIssue({ code: "custom", path: ["SLACK_BOT_TOKEN"], message: "required" });
    if (!env.SLACK_APP_TOKEN && !env.SLACK_SIGNING_SECRET)
      ctx.addIssue({
        code: "custom",
        path: ["SLACK_SIGNING_SECRET"],
        message: "required in HTTP mode (or set SLACK_APP_TOKEN for Socket Mode)",
      });
  });

export interface AppConfig {
  databaseUrl: string;
  slack: {
    botToken: string;
    signingSecret?: string;
    appToken?: string;
    apiUrl?: string;
    postsPerSecondPerChannel: number;
    burstPerChannel: number;
  };
  port: number;
  logLevel: "debug" | "info" | "warn" | "error";
  configPath: string;
  admins: string[];
  managersCanSetHeroes: boolean;
  linkCustomersByEmail: boolean;
  defaultCapacity: number;
  sources: SourceConfig[];
  summaries: FileConfig["summaries"];
  /** Teams with business hours of their own. */
  teams: FileConfig["teams"];
  replyOrderWindowMs: number;
  outboxRetentionDays: number;
}

/** A configuration problem; `lines` holds one human-readable line per problem. */
export class ConfigError extends Error {
  constructor(readonly lines: string[]) {
    super(lines.join("\n"));
    this.name = "ConfigError";
  }
}

/** `2026-12-25`, a day that exists (not 2026-02-30). */
function isCalendarDate(d: string): boolean {
  if (!/^\d{4}-\d{2}-\d{2}$/.test(d)) return false;
  const at = new Date(`${d}T00:00:00Z`);
  return !Number.isNaN(at.getTime()) && at.toISOString().startsWith(d);
}

function isTimeZone(tz: string): boolean {
  try {
    new Intl.DateTimeFormat("en-US", { timeZone: tz });
    return true;
  } catch {
    return false;
  }
}

/** `sources[0].secret` from zod's path. */
function pathText(path: readonly PropertyKey[]): string {
  return path
    .map((p, n) => (typeof p === "number" ? `[${p}]` : n === 0 ? String(p) : `.${String(p)}`))
    .join("");
}

/** What a value is, in a person's words; never the value itself (it may be a secret). */
function kindOf(value: unknown): string {
  if (value === null) return "null";
  if (Array.isArray(value)) return "a list";
  if (typeof value === "string") return "text";
  if (typeof value === "number") return Number.isNaN(value) ? "not a number" : "a number";
  if (typeof value === "boolean") return "true/false";
  return typeof value === "object" ? "an object" : typeof value;
}

const EXPECTED: Record<string, string> = {
  string: "text",
  number: "a number",
  int: "a whole number",
  boolean: "true or false",
  array: "a list [...]",
  object: "an object {...}",
};

/** The value at `path` of what was parsed (zod 4 does not keep it in its issues). */
function valueAt(input: unknown, path: readonly PropertyKey[]): unknown {
  let v = input;
  for (const key of path)
    v = v && typeof v === "object" ? (v as Record<PropertyKey, unknown>)[key] : undefined;
  return v;
}

/** The setting a mistyped key most likely meant (within two edits), if any. */
function closest(key: string, known: readonly string[]): string | undefined {
  const distance = (a: string, b: string) => {
    const d = Array.from({ length: a.length + 1 }, (_, i) => [i, ...Array(b.length).fill(0)] as number[]);
    for (let j = 1; j <= b.length; j++) d[0]![j] = j;
    for (let i = 1; i <= a.length; i++)
      for (let j = 1; j <= b.length; j++)
        d[i]![j] = Math.min(
          d[i - 1]![j]! + 1,
          d[i]![j - 1]! + 1,
          d[i - 1]![j - 1]! + (a[i - 1] === b[j - 1] ? 0 : 1),
        );
    return d[a.length]![b.length]!;
  };
  const best = known
    .map((k) => ({ k, d: distance(key.toLowerCase(), k.toLowerCase()) }))
    .sort((x, y) => x.d - y.d)[0];
  if (best && best.d <= 2) return best.k;
  // A word written out (`monday` for `mon`): the known key it starts with.
  return known.find((k) => k.length >= 3 && key.toLowerCase().startsWith(k.toLowerCase()));
}

/** The keys an object schema at `path` knows, for "did you mean". */
function knownKeys(schema: z.ZodType, path: readonly PropertyKey[]): string[] {
  let s: unknown = schema;
  const unwrap = (x: unknown): unknown => {
    const def = (x as { def?: { type?: string; innerType?: unknown; element?: unknown; in?: unknown } }).def;
    if (!def) return x;
    if (def.type === "default" || def.type === "optional" || def.type === "pipe" || def.type === "nullable")
      return unwrap(def.innerType ?? def.in);
    return x;
  };
  for (const key of path) {
    s = unwrap(s);
    const def = (s as { def?: { type?: string; shape?: Record<string, unknown>; element?: unknown } }).def;
    if (typeof key === "number" && def?.type === "array") s = def.element;
    else if (def?.type === "object" && def.shape) s = def.shape[String(key)];
    else return [];
  }
  const def = (unwrap(s) as { def?: { shape?: Record<string, unknown> } }).def;
  return Object.keys(def?.shape ?? {});
}

/** One line per problem, in a person's words: "sources[0].secret: required". */
function issueLines(prefix: string, error: z.ZodError, input: unknown, schema: z.ZodType): string[] {
  return error.issues.flatMap((i) => {
    const at = (path: readonly PropertyKey[]) => `${prefix}${pathText(path) || "(top level)"}`;
    switch (i.code) {
      case "invalid_type": {
        const value = valueAt(input, i.path);
        if (value === undefined) return [`${at(i.path)}: required`];
        return [`${at(i.path)}: expected ${EXPECTED[i.expected] ?? i.expected}, got ${kindOf(value)}`];
      }
      case "unrecognized_keys":
        return i.keys.map((key) => {
          const near = closest(key, knownKeys(schema, i.path));
          return `${at([...i.path, key])}: not a setting HeroDesk knows${near ? ` (did you mean ${near}?)` : ""}`;
        });
      case "invalid_value":
        return [`${at(i.path)}: expected one of ${i.values.map((v) => JSON.stringify(v)).join(", ")}`];
      // A number out of range, in words ("at least 1"), unless the schema says it its own way.
      case "too_small":
        if (i.origin === "number" && i.message.startsWith("Too small"))
          return [`${at(i.path)}: ${i.inclusive ? "at least" : "more than"} ${i.minimum}`];
        return [`${at(i.path)}: ${i.message}`];
      case "too_big":
        if (i.origin === "number" && i.message.startsWith("Too big"))
          return [`${at(i.path)}: ${i.inclusive ? "at most" : "less than"} ${i.maximum}`];
        return [`${at(i.path)}: ${i.message}`];
      default:
        return [`${at(i.path)}: ${i.message}`];
    }
  });
}

/**
 * Where a JSON text first goes wrong, and what is wrong there ("line 3, column 17: expected a
 * property name in quotes"), found by reading it: V8's own message may quote the file (secrets
 * and all) and give no position.
 */
export function jsonErrorWhere(text: string): string {
  let i = 0;
  const fail = (what: string): never => {
    throw Object.assign(new Error(what), { at: i });
  };
  const ws = () => {
    while (i < text.length && " \t\n\r".includes(text[i]!)) i++;
  };
  const literal = (word: string) => {
    if (text.startsWith(word, i)) i += word.length;
    else fail("not JSON here (text must be in double quotes)");
  };
  const string = () => {
    i++; // the opening quote
    while (i < text.length && text[i] !== '"') {
      if (text[i] === "\\") i++;
      else if (text[i]! < " ") fail("a line break or control character inside a string");
      i++;
    }
    if (i >= text.length) fail("a string that never ends (a missing closing quote)");
    i++;
  };
  /** The members of an object or the elements of an array, up to `close`, comma-separated. */
  const items = (close: string, closeName: string, item: () => void): void => {
    i++;
    ws();
    if (text[i] === close) return void i++;
    for (;;) {
      ws();
      if (text[i] === close) fail(`a comma before the closing ${closeName}`);
      item();
      ws();
      if (text[i] === ",") {
        i++;
        continue;
      }
      if (text[i] === close) return void i++;
      fail(`expected a comma or a closing ${closeName}`);
    }
  };
  const value = (): void => {
    ws();
    const c = text[i];
    if (c === "{")
      items("}", "brace", () => {
        if (text[i] !== '"') fail("expected a property name in double quotes");
        string();
        ws();
        if (text[i] !== ":") fail("expected a colon after the property name");
        i++;
        value();
      });
    else if (c === "[") items("]", "bracket", value);
    else if (c === '"') string();
    else if (c === "t") literal("true");
    else if (c === "f") literal("false");
    else if (c === "n") literal("null");
    else {
      const number = /^-?(0|[1-9]\d*)(\.\d+)?([eE][+-]?\d+)?/.exec(text.slice(i));
      if (!number)
        fail(i >= text.length ? "the file ends too early" : "not JSON here (text must be in double quotes)");
      i += number![0].length;
    }
  };
  try {
    value();
    ws();
    if (i < text.length) fail("more after the end of the JSON");
    return "not JSON";
  } catch (err) {
    const at = Math.min((err as { at: number }).at, text.length);
    const before = text.slice(0, at);
    const line = before.split("\n").length;
    const column = at - before.lastIndexOf("\n");
    return `line ${line}, column ${column}: ${(err as Error).message}`;
  }
}

/** Parses the config file's JSON text (already read), so tests and the demo can skip the disk. */
export function parseFileConfig(json: unknown, label = "config"): FileConfig {
  const parsed = fileConfigSchema.safeParse(json);
  if (!parsed.success) throw new ConfigError(issueLines(`${label} `, parsed.error, json, fileConfigSchema));
  return parsed.data;
}

/**
 * `npm start` reads `.env` from the working directory when there is one (Node's own parser,
 * process.loadEnvFile): what the environment already sets wins over the file. Returns whether
 * it was read.
 */
export function readDotEnv(path = ".env"): boolean {
  if (!existsSync(path)) return false;
  process.loadEnvFile(path);
  return true;
}

export function loadConfig(
  env: NodeJS.ProcessEnv = process.env,
  overrides: { fileConfig?: FileConfig; allowMissingToken?: boolean } = {},
): AppConfig {
  // An empty line in .env (`SLACK_APP_TOKEN=`) means unset, as it reads.
  const rawEnv = Object.fromEntries(Object.entries(env).filter(([, v]) => v !== "" && v !== undefined));
  // The demo runs against the emulator, which hands out its own token.
  if (overrides.allowMissingToken && !rawEnv.SLACK_BOT_TOKEN) rawEnv.SLACK_BOT_TOKEN = "xoxb-demo";
  const parsedEnv = envSchema.safeParse(rawEnv);
  if (!parsedEnv.success) throw new ConfigError(issueLines("env ", parsedEnv.error, rawEnv, envSchema));
  const e = parsedEnv.data;

  let file = overrides.fileConfig;
  if (!file) {
    let text: string;
    try {
      // A byte-order mark (Windows editors write one) is not part of the JSON.
      text = readFileSync(e.HERODESK_CONFIG, "utf8").replace(/^\uFEFF/, "");
    } catch (err) {
      const code = (err as NodeJS.ErrnoException).code;
      throw new ConfigError([
        `HERODESK_CONFIG: cannot read ${e.HERODESK_CONFIG} (${code ?? "error"}); copy herodesk.config.example.json`,
      ]);
    }
    let json: unknown;
    try {
      json = JSON.parse(text);
    } catch {
      throw new ConfigError([
        `HERODESK_CONFIG: ${e.HERODESK_CONFIG} is not valid JSON, ${jsonErrorWhere(text)}`,
      ]);
    }
    file = parseFileConfig(json, e.HERODESK_CONFIG);
  }

  return {
    databaseUrl: e.DATABASE_URL,
    slack: {
      botToken: e.SLACK_BOT_TOKEN!,
      signingSecret: e.SLACK_SIGNING_SECRET,
      appToken: e.SLACK_APP_TOKEN,
      apiUrl: e.SLACK_API_URL,
      postsPerSecondPerChannel: file.slack.postsPerSecondPerChannel,
      burstPerChannel: file.slack.burstPerChannel,
    },
    port: e.PORT,
    logLevel: e.LOG_LEVEL,
    configPath: e.HERODESK_CONFIG,
    admins: file.admins,
    managersCanSetHeroes: file.managersCanSetHeroes,
    linkCustomersByEmail: file.linkCustomersByEmail,
    defaultCapacity: file.defaultCapacity,
    sources: file.sources,
    summaries: file.summaries,
    teams: file.teams,
    replyOrderWindowMs: file.replyOrderWindowMs,
    outboxRetentionDays: file.outboxRetentionDays,
  };
}
