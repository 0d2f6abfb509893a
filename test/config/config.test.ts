import { mkdtempSync, readFileSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { ConfigError, loadConfig, parseFileConfig } from "../../src/config.ts";

const file = {
  admins: ["U0ADMIN"],
  sources: [
    { id: "web", secret: "change-me-please", slackChannel: "C0SUPPORT", replyUrl: "https://example.com/r" },
  ],
  summaries: [{ channel: "C0MANAGERS", cron: "0 9 * * 1-5", timezone: "Europe/Berlin" }],
};
const env = { SLACK_BOT_TOKEN: "xoxb-1", SLACK_SIGNING_SECRET: "s" };

function lines(fn: () => unknown): string[] {
  try {
    fn();
  } catch (err) {
    if (err instanceof ConfigError) return err.lines;
    throw err;
  }
  throw new Error("expected a ConfigError");
}

describe("config", () => {
  it("an empty value is unset (a line like `SLACK_APP_TOKEN=` in .env.example)", () => {
    const c = loadConfig(
      { ...env, SLACK_APP_TOKEN: "", SLACK_API_URL: "", PORT: "", LOG_LEVEL: "", DATABASE_URL: "" },
      { fileConfig: parseFileConfig(file) },
    );
    expect(c.slack.appToken).toBeUndefined();
    expect(c.port).toBe(3000);
    expect(c.logLevel).toBe("info");
    expect(c.databaseUrl).toBe("file:./data/herodesk.db");
  });

  it("applies the defaults of SPEC section 1", () => {
    const c = loadConfig(env, { fileConfig: parseFileConfig(file) });
    expect(c.databaseUrl).toBe("file:./data/herodesk.db");
    expect(c.port).toBe(3000);
    expect(c.logLevel).toBe("info");
    expect(c.configPath).toBe("./herodesk.config.json");
    expect(c.sources[0]!.heroWaitSeconds).toBe(300);
  });

  it.each([
    ["bot token missing", { SLACK_SIGNING_SECRET: "s" }, "env SLACK_BOT_TOKEN: required"],
    [
      "bot token of the wrong kind",
      { ...env, SLACK_BOT_TOKEN: "xoxp-1" },
      "env SLACK_BOT_TOKEN: expected a bot token starting with xoxb-",
    ],
    [
      "signing secret missing in HTTP mode",
      { SLACK_BOT_TOKEN: "xoxb-1" },
      "env SLACK_SIGNING_SECRET: required in HTTP mode (or set SLACK_APP_TOKEN for Socket Mode)",
    ],
    ["port not a number", { ...env, PORT: "http" }, "env PORT:"],
    ["log level unknown", { ...env, LOG_LEVEL: "loud" }, "env LOG_LEVEL:"],
    [
      "api url not a URL",
      { ...env, SLACK_API_URL: "localhost" },
      "env SLACK_API_URL: expected an http(s) URL",
    ],
  ])("%s: one line naming the setting", (_n, e, expected) => {
    const out = lines(() => loadConfig(e, { fileConfig: parseFileConfig(file) }));
    expect(out).toHaveLength(1);
    expect(out[0]).toContain(expected);
    expect(out.join()).not.toContain("xoxp-1");
  });

  it("Socket Mode needs no signing secret", () => {
    const c = loadConfig(
      { SLACK_BOT_TOKEN: "xoxb-1", SLACK_APP_TOKEN: "xapp-1" },
      { fileConfig: parseFileConfig(file) },
    );
    expect(c.slack.appToken).toBe("xapp-1");
  });

  it.each([
    ["no sources", { ...file, sources: [] }, "config sources: add at least one source"],
    [
      "bad channel",
      { ...file, sources: [{ ...file.sources[0], slackChannel: "#support" }] },
      "config sources[0].slackChannel: expected a Slack channel ID",
    ],
    [
      "hero wait too short",
      { ...file, sources: [{ ...file.sources[0], heroWaitSeconds: 1 }] },
      "config sources[0].heroWaitSeconds:",
    ],
    [
      "bad cron",
      { ...file, summaries: [{ ...file.summaries[0], cron: "every day" }] },
      "config summaries[0].cron: not a valid cron expression",
    ],
    [
      "cron with a seconds field",
      { ...file, summaries: [{ ...file.summaries[0], cron: "*/5 * * * * *" }] },
      "config summaries[0].cron: use 5 fields: minute hour day-of-month month day-of-week",
    ],
    [
      "bad time zone",
      { ...file, summaries: [{ ...file.summaries[0], timezone: "Mars/Base" }] },
      "config summaries[0].timezone: not an IANA time zone",
    ],
    [
      "duplicate source ids",
      { ...file, sources: [file.sources[0], file.sources[0]] },
      'config sources[1].id: "web" is the id of an earlier source too; ids must be unique',
    ],
    [
      "unknown field",
      { ...file, sourcez: [] },
      "config sourcez: not a setting HeroDesk knows (did you mean sources?)",
    ],
  ])("%s", (_n, f, expected) => {
    const out = lines(() => parseFileConfig(f));
    expect(out[0]).toContain(expected);
  });

  it("a missing config file is one line that says what to do", () => {
    const out = lines(() => loadConfig({ ...env, HERODESK_CONFIG: "/nonexistent/x.json" }));
    expect(out).toEqual([
      "HERODESK_CONFIG: cannot read /nonexistent/x.json (ENOENT); copy herodesk.config.example.json",
    ]);
  });
});

// Issue 10, part 6: config errors in people's words, one line each with the field's path; a
// value is never echoed (it may be a secret).
describe("config errors a person can act on", () => {
  const source = file.sources[0]!;
  it.each([
    [
      "a missing field is required",
      { sources: [{ id: "web" }] },
      ["c sources[0].slackChannel: required", "c sources[0].secret: required"],
    ],
    [
      "a wrong type says what was expected and what came, not the value",
      {
        sources: [{ ...source, secret: 12345678, heroWaitSeconds: "300" }],
        admins: "U0ADMIN",
      },
      [
        "c admins: expected a list [...], got text",
        "c sources[0].secret: expected text, got a number",
        "c sources[0].heroWaitSeconds: expected a number, got text",
      ],
    ],
    [
      "an unknown key is named with its path, and the setting it was likely meant to be",
      {
        ...file,
        sorces: [],
        sources: [{ ...source, replyurl: "https://x.example", extra: 1 }],
      },
      [
        "c sources[0].replyurl: not a setting HeroDesk knows (did you mean replyUrl?)",
        "c sources[0].extra: not a setting HeroDesk knows",
        "c sorces: not a setting HeroDesk knows (did you mean sources?)",
      ],
    ],
    [
      "a source of kind slack has customer channels, and no secret or replyUrl",
      {
        sources: [
          {
            id: "connect",
            kind: "slack",
            slackChannel: "C0TRIAGE",
            secret: "xxxxxxxxxx",
            replyUrl: "https://x.example",
          },
        ],
      },
      [
        "c sources[0].secret: a source of kind slack has none: its customers write and read in Slack",
        "c sources[0].replyUrl: a source of kind slack has none: its customers write and read in Slack",
        'c sources[0].customerChannels: required for kind slack: a list of channel IDs, or "invited"',
      ],
    ],
    [
      "a channel belongs to one source, never a triage channel, and one source takes invitations",
      {
        sources: [
          { ...source, slackChannel: "C0SUPPORT" },
          { id: "a", kind: "slack", slackChannel: "C0TRIAGE", customerChannels: ["C0ACME", "C0SUPPORT"] },
          {
            id: "b",
            kind: "slack",
            slackChannel: "C0TRIAGE2",
            customerChannels: [{ channel: "C0ACME", account: "acme" }],
          },
          { id: "c", kind: "slack", slackChannel: "C0TRIAGE3", customerChannels: "invited" },
          {
            id: "d",
            kind: "slack",
            slackChannel: "C0TRIAGE4",
            customerChannels: "invited",
            closeEmoji: ":x x:",
          },
        ],
      },
      [
        "c sources[4].closeEmoji: an emoji name such as white_check_mark",
        "c sources[1].customerChannels[1]: C0SUPPORT is sources[0].slackChannel too; a channel belongs to one source, and customers must never see a triage channel",
        "c sources[2].customerChannels[0]: C0ACME is sources[1].customerChannels[0] too; a channel belongs to one source, and customers must never see a triage channel",
        "c sources[4].customerChannels: sources[3] takes the invited channels already; only one source can",
      ],
    ],
    [
      "an inbound-API source has no customer channels",
      { sources: [{ ...source, customerChannels: ["C0ACME"] }] },
      ['c sources[0].customerChannels: only a source of kind "slack" has customer channels'],
    ],
  ])("%s", (_name, json, expected) => {
    expect(lines(() => parseFileConfig(json, "c"))).toEqual(expected);
  });

  it("a source of kind slack: the README's example, with its defaults", () => {
    const readme = readFileSync("README.md", "utf8");
    const example = /```json\n(\{ "id": "connect", "kind": "slack"[\s\S]*?)```/.exec(readme)![1]!;
    const [connect] = parseFileConfig({ sources: [JSON.parse(example)] }).sources;
    expect(connect).toMatchObject({
      kind: "slack",
      customerChannels: [{ channel: "C0ACME", account: "acme" }, { channel: "C0HELPIT" }],
      statusEmoji: { working: "eyes", closed: "white_check_mark" },
      reopenWithin: 7 * 86_400_000,
    });
    expect(
      parseFileConfig({
        sources: [{ id: "s", kind: "slack", slackChannel: "C0T", customerChannels: "invited" }],
      }).sources[0],
    ).toMatchObject({ openEmoji: "ticket", closeEmoji: "white_check_mark" });
  });

  it.each([
    [
      "a period that is not HH:MM-HH:MM, or ends before it starts",
      { mon: ["9-17"], tue: ["17:00-09:00"], wed: ["09:00-24:01"] },
      [],
      [
        'c sources[0].businessHours.weekly.mon[0]: "9-17" is not a period like 09:00-17:00 (from before to, within a day)',
        'c sources[0].businessHours.weekly.tue[0]: "17:00-09:00" is not a period like 09:00-17:00 (from before to, within a day)',
        'c sources[0].businessHours.weekly.wed[0]: "09:00-24:01" is not a period like 09:00-17:00 (from before to, within a day)',
      ],
    ],
    [
      "periods that overlap, and a weekday spelt out",
      { mon: ["09:00-13:00", "12:00-17:00"], monday: ["09:00-17:00"] },
      [],
      [
        "c sources[0].businessHours.weekly.mon[1]: periods of a day must be in order and not overlap",
        "c sources[0].businessHours.weekly.monday: not a setting HeroDesk knows (did you mean mon?)",
      ],
    ],
    [
      "a holiday that is not a date",
      { fri: ["09:00-17:00"] },
      ["2026-02-30", "25.12.2026"],
      [
        "c sources[0].businessHours.holidays[0]: a date like 2026-12-25",
        "c sources[0].businessHours.holidays[1]: a date like 2026-12-25",
      ],
    ],
  ])("business hours: %s", (_name, weekly, holidays, expected) => {
    const businessHours = { timezone: "Europe/Berlin", weekly, holidays };
    expect(lines(() => parseFileConfig({ ...file, sources: [{ ...source, businessHours }] }, "c"))).toEqual(
      expected,
    );
  });

  it("response targets are durations (SPEC §7), overrides name an attribute and a value", () => {
    const targets = {
      firstResponse: "30s",
      nextResponse: "an hour",
      overrides: [{ value: "enterprise", nextResponse: "31d" }],
    };
    expect(lines(() => parseFileConfig({ ...file, sources: [{ ...source, targets }] }, "c"))).toEqual([
      "c sources[0].targets.firstResponse: at least 1m",
      'c sources[0].targets.nextResponse: "an hour" is not a duration like 45s, 30m, 4h, 2d or 1h30m',
      "c sources[0].targets.overrides[0].attribute: required",
      "c sources[0].targets.overrides[0].nextResponse: at most 30d",
    ]);
    const ok = parseFileConfig({
      ...file,
      sources: [
        {
          ...source,
          targets: {
            firstResponse: "1h30m",
            overrides: [{ attribute: "plan", value: "x", firstResponse: "10m" }],
          },
        },
      ],
    });
    expect(ok.sources[0]!.targets).toEqual({
      firstResponse: 5_400_000,
      overrides: [{ attribute: "plan", value: "x", firstResponse: 600_000 }],
    });
  });

  it("autoClose (SPEC §7): durations, a nudge before the close, a nudge needs replyUrl", () => {
    const { replyUrl: _, ...withoutReplyUrl } = source;
    const bad = { after: "3 days", nudge: "Anything else?", nudgeAfter: "4d" };
    expect(lines(() => parseFileConfig({ ...file, sources: [{ ...source, autoClose: bad }] }, "c"))).toEqual([
      'c sources[0].autoClose.after: "3 days" is not a duration like 45s, 30m, 4h, 2d or 1h30m',
    ]);
    expect(
      lines(() =>
        parseFileConfig(
          { ...file, sources: [{ ...source, autoClose: { after: "3d", nudge: "x", nudgeAfter: "4d" } }] },
          "c",
        ),
      ),
    ).toEqual(["c sources[0].autoClose.nudgeAfter: must be shorter than after"]);
    expect(
      lines(() =>
        parseFileConfig(
          { ...file, sources: [{ ...withoutReplyUrl, autoClose: { after: "3d", nudge: "x" } }] },
          "c",
        ),
      ),
    ).toEqual(["c sources[0].autoClose.nudge: needs replyUrl: where would it go?"]);
    const ok = parseFileConfig({
      ...file,
      sources: [{ ...source, autoClose: { after: "3d", nudge: "Anything else?" } }],
    });
    expect(ok.sources[0]!.autoClose).toEqual({
      after: 259_200_000,
      nudge: "Anything else?",
      nudgeAfter: 129_600_000,
      reopenWithin: 604_800_000,
    });
  });

  it("teams[] with hours of their own: each named once, hours checked like a source's", () => {
    const hours = { timezone: "Europe/Madrid", weekly: { mon: ["08:00-16:00"] } };
    expect(
      lines(() =>
        parseFileConfig(
          {
            ...file,
            teams: [
              { name: "Spanish", businessHours: hours },
              { name: "spanish", businessHours: { ...hours, timezone: "Madrid" } },
            ],
          },
          "c",
        ),
      ),
    ).toEqual([
      "c teams[1].businessHours.timezone: not an IANA time zone such as Europe/Berlin",
      'c teams[1].name: "spanish" is listed twice',
    ]);
  });

  it("overrides on the conversation's priority and tags name one that can be set", () => {
    const targets = {
      overrides: [
        { attribute: "priority", value: "hihg", firstResponse: "5m" },
        { attribute: "tag", value: "bill ing", firstResponse: "5m" },
        { attribute: "priority", value: "Urgent", firstResponse: "5m" },
        { attribute: "tag", value: "outage", firstResponse: "5m" },
      ],
    };
    expect(lines(() => parseFileConfig({ ...file, sources: [{ ...source, targets }] }, "c"))).toEqual([
      'c sources[0].targets.overrides[0].value: "hihg" is not a priority: use low, normal, high or urgent',
      'c sources[0].targets.overrides[1].value: "bill ing" is not a tag: use letters, digits, - and _ (at most 32 characters)',
    ]);
  });

  it("an out-of-hours reply needs business hours and a replyUrl", () => {
    const { replyUrl: _, ...withoutReplyUrl } = source;
    expect(
      lines(() =>
        parseFileConfig({ ...file, sources: [{ ...withoutReplyUrl, outOfHoursReply: "Back at 9." }] }, "c"),
      ),
    ).toEqual([
      "c sources[0].outOfHoursReply: needs businessHours: when is the desk closed?",
      "c sources[0].outOfHoursReply: needs replyUrl: where would it go?",
    ]);
  });

  it("business hours are read as periods of minutes, holidays as dates", () => {
    const businessHours = {
      timezone: "America/New_York",
      weekly: { mon: ["08:00-12:00", "13:00-18:00"], sat: ["10:00-14:00"] },
      holidays: ["2026-11-26"],
    };
    const parsed = parseFileConfig({ ...file, sources: [{ ...source, businessHours }] }, "c");
    expect(parsed.sources[0]!.businessHours).toEqual({
      timezone: "America/New_York",
      weekly: {
        mon: [
          { from: 480, to: 720 },
          { from: 780, to: 1080 },
        ],
        sat: [{ from: 600, to: 840 }],
      },
      holidays: new Set(["2026-11-26"]),
    });
    expect(parseFileConfig(file, "c").sources[0]!.businessHours).toBeUndefined();
  });

  it("environment values get the same words", () => {
    expect(lines(() => loadConfig({ ...env, PORT: "abc", LOG_LEVEL: "loud" }))).toEqual([
      "env PORT: expected a number, got text",
      'env LOG_LEVEL: expected one of "debug", "info", "warn", "error"',
    ]);
  });

  it("a JSON mistake names its line and column, never the file's text (it may hold a secret)", () => {
    const dir2 = mkdtempSync(join(tmpdir(), "herodesk-json-"));
    const secretive = join(dir2, "c.json");
    writeFileSync(
      secretive,
      '{"sources":[{"id":"web","secret": Sup3rS3cretValue!!, "slackChannel":"C0SUPPORT"}]}',
    );
    const [line] = lines(() => loadConfig({ ...env, HERODESK_CONFIG: secretive }));
    expect(line).toBe(
      `HERODESK_CONFIG: ${secretive} is not valid JSON, line 1, column 35: not JSON here (text must be in double quotes)`,
    );
    // A byte-order mark (Windows editors) is not a mistake.
    const bom = join(dir2, "bom.json");
    writeFileSync(bom, `\uFEFF${JSON.stringify(file)}`);
    expect(loadConfig({ ...env, HERODESK_CONFIG: bom }).sources[0]!.id).toBe("web");
  });

  it("a JSON syntax error names its line and column", () => {
    const dir = mkdtempSync(join(tmpdir(), "herodesk-json-"));
    const path = join(dir, "c.json");
    writeFileSync(path, '{\n  "sources": [\n    { "id": "web", }\n  ]\n}\n');
    expect(lines(() => loadConfig({ ...env, HERODESK_CONFIG: path }))).toEqual([
      `HERODESK_CONFIG: ${path} is not valid JSON, line 3, column 20: a comma before the closing brace`,
    ]);
  });
});

it("a SLACK_API_URL with a user name or password is refused without echoing it", () => {
  const out = lines(() => loadConfig({ ...env, SLACK_API_URL: "http://user:Pa55word@127.0.0.1:4100/api/" }));
  expect(out).toEqual(["env SLACK_API_URL: must not contain a user name or password"]);
});

it("a repeated source id is named, at the source that repeats it", () => {
  const twice = { ...file, sources: [file.sources[0]!, { ...file.sources[0]!, slackChannel: "C0OTHER" }] };
  expect(lines(() => parseFileConfig(twice, "c"))).toEqual([
    'c sources[1].id: "web" is the id of an earlier source too; ids must be unique',
  ]);
});
