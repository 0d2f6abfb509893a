import { describe, expect, it } from "vitest";
import {
  type DeskCommand,
  type DeskCommandKind,
  parseDeskCommand,
  parseErrorText,
  USAGE,
  type UsageKey,
} from "../../../src/core/desk/index.ts";

// In the tables, {alice}, {bob} and {carol} stand for mentions. Slack sends a mention as <@U123> or, in
// the older form, <@U123|name>: every case runs with both.
const IDS = { alice: "U0ALICE", bob: "W0BOB", carol: "U0CAROL" } as const;
type Form = "plain" | "labelled";
const FORMS: Form[] = ["plain", "labelled"];
const render = (text: string, form: Form) =>
  text.replace(/\{(alice|bob|carol)\}/g, (_, name: keyof typeof IDS) =>
    form === "plain" ? `<@${IDS[name]}>` : `<@${IDS[name]}|${name}>`,
  );
/** Each case once per mention form when it has a mention, else once. */
function expand<T extends unknown[]>(cases: [string, ...T][]): [string, Form, ...T][] {
  return cases.flatMap(([input, ...rest]) =>
    (input.includes("{") ? FORMS : (["plain"] as Form[])).map((form): [string, Form, ...T] => [
      input,
      form,
      ...rest,
    ]),
  );
}
const ALICE = IDS.alice;
const BOB = IDS.bob;
const CAROL = IDS.carol;

const ALL_KINDS: DeskCommandKind[] = [
  "help",
  "assign",
  "reassign",
  "unassign",
  "close",
  "reopen",
  "hero_make",
  "hero_reassign",
  "hero_remove",
  "hero_show",
  "status",
  "status_show",
  "agent_add",
  "agent_remove",
  "agent_capacity",
  "agent_list",
  "role",
  "team_add",
  "team_remove",
  "team_join",
  "team_leave",
  "team_list",
  "rule_add",
  "rule_remove",
  "rule_move",
  "rule_list",
  "subscribe",
  "unsubscribe",
  "history",
  "queue",
  "summary",
  "tag",
  "untag",
  "priority",
];

const OK: [string, DeskCommand][] = [
  // help
  ["", { kind: "help" }],
  ["   ", { kind: "help" }],
  ["help", { kind: "help" }],
  ["HELP", { kind: "help" }],
  ["?", { kind: "help" }],
  ["help hero", { kind: "help", topic: "hero" }],
  ["Help  Rule", { kind: "help", topic: "rule" }],
  ["help hero make", { kind: "help", topic: "hero" }],
  // conversations
  ["assign #42 {alice}", { kind: "assign", conversation: 42, agent: ALICE }],
  ["assign 42 {alice}", { kind: "assign", conversation: 42, agent: ALICE }],
  ["  ASSIGN   #42    {alice}  ", { kind: "assign", conversation: 42, agent: ALICE }],
  ["assign #42 to {alice}", { kind: "assign", conversation: 42, agent: ALICE }],
  ["assign #042 {bob}", { kind: "assign", conversation: 42, agent: BOB }],
  ["assign\t#2147483647\n{alice}", { kind: "assign", conversation: 2147483647, agent: ALICE }],
  ["reassign {alice} {bob}", { kind: "reassign", from: ALICE, to: BOB }],
  ["Reassign {bob} TO {alice}", { kind: "reassign", from: BOB, to: ALICE }],
  ["unassign #7", { kind: "unassign", conversation: 7 }],
  ["unassign 7", { kind: "unassign", conversation: 7 }],
  ["close #42", { kind: "close", conversation: 42 }],
  ["CLOSE 42", { kind: "close", conversation: 42 }],
  ["reopen #42", { kind: "reopen", conversation: 42 }],
  ["reopen 1", { kind: "reopen", conversation: 1 }],
  ["history #42", { kind: "history", conversation: 42 }],
  ["History 42", { kind: "history", conversation: 42 }],
  ["queue", { kind: "queue" }],
  ["Queue", { kind: "queue" }],
  ["summary", { kind: "summary" }],
  // triage: tags are lower case, each once; commas allowed
  ["tag #42 billing", { kind: "tag", conversation: 42, tags: ["billing"] }],
  ["tag 42 Billing refund", { kind: "tag", conversation: 42, tags: ["billing", "refund"] }],
  ["TAG #7 billing, refund,billing", { kind: "tag", conversation: 7, tags: ["billing", "refund"] }],
  ["tag #7 vip-eu tier_2 2fa", { kind: "tag", conversation: 7, tags: ["vip-eu", "tier_2", "2fa"] }],
  ["tag #7 Rückerstattung", { kind: "tag", conversation: 7, tags: ["rückerstattung"] }],
  [`tag #7 ${"a".repeat(32)}`, { kind: "tag", conversation: 7, tags: ["a".repeat(32)] }],
  ["untag #42 billing", { kind: "untag", conversation: 42, tags: ["billing"] }],
  ["untag #42 BILLING refund", { kind: "untag", conversation: 42, tags: ["billing", "refund"] }],
  ["priority #42 high", { kind: "priority", conversation: 42, priority: "high" }],
  ["priority 42 URGENT", { kind: "priority", conversation: 42, priority: "urgent" }],
  ["Priority #1 low", { kind: "priority", conversation: 1, priority: "low" }],
  ["priority #1 normal", { kind: "priority", conversation: 1, priority: "normal" }],
  // rules on the conversation's tag and priority
  [
    "rule add tag=Billing team Billing",
    { kind: "rule_add", attribute: "tag", value: "Billing", team: "Billing" },
  ],
  [
    "rule add priority=urgent team Tier 2",
    { kind: "rule_add", attribute: "priority", value: "urgent", team: "Tier 2" },
  ],
  // heroes
  [
    "hero make cust-1 {alice}",
    { kind: "hero_make", customer: "cust-1", hero: { kind: "agent", userId: ALICE } },
  ],
  [
    "hero make ada@example.com {bob}",
    { kind: "hero_make", customer: "ada@example.com", hero: { kind: "agent", userId: BOB } },
  ],
  [
    // Slack links emails in escaped command text.
    "hero make <mailto:ada@example.com|ada@example.com> {alice}",
    { kind: "hero_make", customer: "ada@example.com", hero: { kind: "agent", userId: ALICE } },
  ],
  [
    "hero make cust-1 team Tier 2 EU",
    { kind: "hero_make", customer: "cust-1", hero: { kind: "team", team: "Tier 2 EU" } },
  ],
  [
    "HERO MAKE cust-1 TEAM Spanish",
    { kind: "hero_make", customer: "cust-1", hero: { kind: "team", team: "Spanish" } },
  ],
  [
    "hero set Cust-1 {alice}",
    { kind: "hero_make", customer: "Cust-1", hero: { kind: "agent", userId: ALICE } },
  ],
  ["hero reassign #42", { kind: "hero_reassign", conversation: 42 }],
  ["hero Reassign 42", { kind: "hero_reassign", conversation: 42 }],
  ["hero remove cust-1", { kind: "hero_remove", customer: "cust-1" }],
  ["hero delete ada@example.com", { kind: "hero_remove", customer: "ada@example.com" }],
  ["hero show cust-1", { kind: "hero_show", customer: "cust-1" }],
  ["hero show <mailto:ada@example.com|ada@example.com>", { kind: "hero_show", customer: "ada@example.com" }],
  // me
  ["status online", { kind: "status", availability: "online" }],
  ["status AWAY", { kind: "status", availability: "away" }],
  ["Status Offline", { kind: "status", availability: "offline" }],
  ["status", { kind: "status_show" }],
  ["subscribe web", { kind: "subscribe", source: "web" }],
  ["subscribe <#C0SUPPORT|support>", { kind: "subscribe", source: "C0SUPPORT" }],
  ["subscribe <#C0SUPPORT>", { kind: "subscribe", source: "C0SUPPORT" }],
  ["subscribe <#C0SUPPORT|>", { kind: "subscribe", source: "C0SUPPORT" }],
  ["unsubscribe web", { kind: "unsubscribe", source: "web" }],
  ["unsubscribe <#G0PRIVATE|vip>", { kind: "unsubscribe", source: "G0PRIVATE" }],
  // setup: agents and roles
  ["agent add {alice}", { kind: "agent_add", userId: ALICE }],
  ["agent add {alice} manager", { kind: "agent_add", userId: ALICE, role: "manager" }],
  ["agent add {alice} 5", { kind: "agent_add", userId: ALICE, capacity: 5 }],
  ["agent add {alice} ADMIN 10", { kind: "agent_add", userId: ALICE, role: "admin", capacity: 10 }],
  ["Agent Add {bob} 10 Manager", { kind: "agent_add", userId: BOB, role: "manager", capacity: 10 }],
  ["agent add {alice} 0", { kind: "agent_add", userId: ALICE, capacity: 0 }],
  ["agent add {alice} 1000", { kind: "agent_add", userId: ALICE, capacity: 1000 }],
  ["agent add {alice} unlimited", { kind: "agent_add", userId: ALICE, capacity: 0 }],
  ["agent remove {alice}", { kind: "agent_remove", userId: ALICE }],
  ["agent rm {bob}", { kind: "agent_remove", userId: BOB }],
  ["agent capacity {alice} 3", { kind: "agent_capacity", userId: ALICE, capacity: 3 }],
  ["agent capacity {alice} 0", { kind: "agent_capacity", userId: ALICE, capacity: 0 }],
  ["agent list", { kind: "agent_list" }],
  ["AGENT LS", { kind: "agent_list" }],
  ["agents", { kind: "agent_list" }],
  ["role {alice} manager", { kind: "role", userId: ALICE, role: "manager" }],
  ["role {bob} AGENT", { kind: "role", userId: BOB, role: "agent" }],
  ["role Admin {alice}", { kind: "role", userId: ALICE, role: "admin" }],
  // setup: teams
  ["team add Spanish", { kind: "team_add", team: "Spanish" }],
  ["team add Tier 2 EU", { kind: "team_add", team: "Tier 2 EU" }],
  ["team add   Tier    2  ", { kind: "team_add", team: "Tier 2" }],
  ["Team Create Night shift", { kind: "team_add", team: "Night shift" }],
  ["team remove Tier 2 EU", { kind: "team_remove", team: "Tier 2 EU" }],
  ["team join Tier 2 {alice} {bob}", { kind: "team_join", team: "Tier 2", userIds: [ALICE, BOB] }],
  [
    "team join Spanish {alice}, {bob} and {carol}",
    { kind: "team_join", team: "Spanish", userIds: [ALICE, BOB, CAROL] },
  ],
  ["team join Spanish {alice} {alice}", { kind: "team_join", team: "Spanish", userIds: [ALICE] }],
  ["team leave Tier 2 EU {bob}", { kind: "team_leave", team: "Tier 2 EU", userIds: [BOB] }],
  ["team list", { kind: "team_list" }],
  ["teams", { kind: "team_list" }],
  // setup: rules
  [
    "rule add language=es team Spanish",
    { kind: "rule_add", attribute: "language", value: "es", team: "Spanish" },
  ],
  [
    "rule add language = es team Spanish",
    { kind: "rule_add", attribute: "language", value: "es", team: "Spanish" },
  ],
  [
    "RULE ADD plan=enterprise TEAM Tier 2 EU",
    { kind: "rule_add", attribute: "plan", value: "enterprise", team: "Tier 2 EU" },
  ],
  [
    'rule add country="United States" team US',
    { kind: "rule_add", attribute: "country", value: "United States", team: "US" },
  ],
  [
    "rule add country=“United States” team US",
    { kind: "rule_add", attribute: "country", value: "United States", team: "US" },
  ],
  [
    "rule add language=es -&gt; Spanish",
    { kind: "rule_add", attribute: "language", value: "es", team: "Spanish" },
  ],
  [
    "rule add language=es → Spanish",
    { kind: "rule_add", attribute: "language", value: "es", team: "Spanish" },
  ],
  ["rule add plan=team team Teamy", { kind: "rule_add", attribute: "plan", value: "team", team: "Teamy" }],
  ["rule remove 2", { kind: "rule_remove", position: 2 }],
  ["rule rm 1", { kind: "rule_remove", position: 1 }],
  ["rule move 3 1", { kind: "rule_move", from: 3, to: 1 }],
  ["rule move 3 to 1", { kind: "rule_move", from: 3, to: 1 }],
  ["rule list", { kind: "rule_list" }],
  ["rules", { kind: "rule_list" }],
];

describe("parseDeskCommand: every subcommand", () => {
  it.each(expand(OK))("%s (%s mention)", (input, form, command) => {
    expect(parseDeskCommand(render(input, form))).toEqual({ ok: true, command });
  });

  it("the table covers every kind of command", () => {
    const covered = new Set(OK.map(([, command]) => command.kind));
    expect([...covered].sort()).toEqual([...ALL_KINDS].sort());
  });

  it("keeps a mention whole when its label has spaces", () => {
    expect(parseDeskCommand("team join Tier 2 <@U0ALICE|Alice Smith> <@W0BOB|Bob>")).toEqual({
      ok: true,
      command: { kind: "team_join", team: "Tier 2", userIds: [ALICE, BOB] },
    });
  });

  it("reads a mention glued to a comma", () => {
    expect(parseDeskCommand("team join Spanish <@U0ALICE>,<@W0BOB>")).toEqual({
      ok: true,
      command: { kind: "team_join", team: "Spanish", userIds: [ALICE, BOB] },
    });
  });

  it("treats non-breaking spaces as spaces", () => {
    expect(parseDeskCommand("close\u00a0#42")).toEqual({
      ok: true,
      command: { kind: "close", conversation: 42 },
    });
  });
});

describe("parseDeskCommand: entities in free text are decoded", () => {
  it.each([
    ["team add R&amp;D", { kind: "team_add", team: "R&D" }],
    ["team add A &lt;3 B &gt; C", { kind: "team_add", team: "A <3 B > C" }],
    ["team add &amp;lt;", { kind: "team_add", team: "&lt;" }],
    ["team remove Sales &amp; Support", { kind: "team_remove", team: "Sales & Support" }],
    ["team join R&amp;D <@U0ALICE>", { kind: "team_join", team: "R&D", userIds: [ALICE] }],
    ["team leave R&amp;D <@U0ALICE>", { kind: "team_leave", team: "R&D", userIds: [ALICE] }],
    [
      "hero make cust&amp;1 team R&amp;D",
      { kind: "hero_make", customer: "cust&1", hero: { kind: "team", team: "R&D" } },
    ],
    ["hero show a&lt;b&gt;", { kind: "hero_show", customer: "a<b>" }],
    ["hero remove x&amp;y", { kind: "hero_remove", customer: "x&y" }],
    [
      "rule add plan=a&amp;b team R&amp;D",
      { kind: "rule_add", attribute: "plan", value: "a&b", team: "R&D" },
    ],
    ["subscribe web&amp;mail", { kind: "subscribe", source: "web&mail" }],
    ["help &lt;hero&gt;", { kind: "help", topic: "<hero>" }],
  ] as [string, DeskCommand][])("%s", (input, command) => {
    expect(parseDeskCommand(input)).toEqual({ ok: true, command });
  });
});

const GENERAL = "general";
const ERRORS: [string, string, UsageKey][] = [
  // unknown subcommands, including names an object literal would know
  ["foo", "Unknown subcommand `foo`.", GENERAL],
  ["asign #42 {alice}", "Unknown subcommand `asign`. Did you mean `assign`?", GENERAL],
  ["STAUTS online", "Unknown subcommand `STAUTS`. Did you mean `status`?", GENERAL],
  ["constructor", "Unknown subcommand `constructor`.", GENERAL],
  ["__proto__", "Unknown subcommand `__proto__`.", GENERAL],
  ["toString", "Unknown subcommand `toString`.", GENERAL],
  ["#42", "Unknown subcommand `#42`.", GENERAL],
  ["{alice}", "Unknown subcommand `{alice}`.", GENERAL],
  ["a`b", "Unknown subcommand `a'b`.", GENERAL],
  // conversation numbers
  ["assign", "Missing the conversation number, like #42.", "assign"],
  ["assign #4x {alice}", "`#4x` is not a conversation number like #42.", "assign"],
  ["assign #0 {alice}", "`#0` is not a conversation number like #42.", "assign"],
  ["assign #-1 {alice}", "`#-1` is not a conversation number like #42.", "assign"],
  ["assign 4.2 {alice}", "`4.2` is not a conversation number like #42.", "assign"],
  ["assign #2147483648 {alice}", "`#2147483648` is not a conversation number like #42.", "assign"],
  ["assign # 42 {alice}", "`#` is not a conversation number like #42.", "assign"],
  ["assign {alice} #42", "`{alice}` is not a conversation number like #42.", "assign"],
  ["unassign", "Missing the conversation number, like #42.", "unassign"],
  ["unassign abc", "`abc` is not a conversation number like #42.", "unassign"],
  ["close", "Missing the conversation number, like #42.", "close"],
  ["close x", "`x` is not a conversation number like #42.", "close"],
  ["close #42 now", "Too many arguments: didn't expect `now`.", "close"],
  ["reopen #1.5", "`#1.5` is not a conversation number like #42.", "reopen"],
  ["history", "Missing the conversation number, like #42.", "history"],
  ["history #42 #43", "Too many arguments: didn't expect `#43`.", "history"],
  ["queue now", "Too many arguments: didn't expect `now`.", "queue"],
  ["summary for today", "Too many arguments: didn't expect `for today`.", "summary"],
  // people
  ["assign #42", "Missing the agent: mention them like @alice.", "assign"],
  ["assign #42 bob", "Expected a person like @alice, got `bob`.", "assign"],
  [
    "assign #42 @bob",
    "Expected a person like @alice, got `@bob`. Pick them from Slack's autocomplete so the mention becomes a link.",
    "assign",
  ],
  ["assign #42 <#C1|general>", "Expected a person like @alice, got `<#C1|general>`.", "assign"],
  // A special mention is echoed as written, never as a mention (issue 15, part 12).
  [
    "assign #42 <!subteam^S1|@team>",
    "Expected a person like @alice, got `&lt;!subteam^S1|@team&gt;`.",
    "assign",
  ],
  ["assign #42 <!channel>", "Expected a person like @alice, got `&lt;!channel&gt;`.", "assign"],
  ["<!here>", "Unknown subcommand `&lt;!here&gt;`.", "general"],
  ["assign #42 {alice} {bob}", "Too many arguments: didn't expect `{bob}`.", "assign"],
  ["reassign", "Missing whose conversations to move: mention them like @alice.", "reassign"],
  ["reassign {alice}", "Missing who gets them: mention them like @alice.", "reassign"],
  ["reassign {alice} bob", "Expected a person like @alice, got `bob`.", "reassign"],
  [
    "reassign {alice} {alice}",
    "That's the same person twice: name who gives the conversations and who gets them.",
    "reassign",
  ],
  [
    "reassign #42 {bob}",
    "`/desk reassign` moves all of one agent's open conversations. To move #42 alone, use `/desk assign #42 @agent`.",
    "reassign",
  ],
  // heroes
  ["hero", "Say what to do: /desk hero make|reassign|remove|show.", "hero"],
  ["hero fly", "Unknown hero command `fly`: use make, reassign, remove or show.", "hero"],
  ["hero make", "Missing the customer: their customer id or email, like cust-1.", "hero_make"],
  [
    "hero make {alice}",
    "`{alice}` is not a customer: use their customer id or email, an account or a #channel.",
    "hero_make",
  ],
  [
    "hero make cust-1",
    "Say who the hero is: a person like @alice, or `team` and the team's name.",
    "hero_make",
  ],
  [
    "hero make cust-1 bob",
    "Expected a person like @alice or `team` and a team name, got `bob`.",
    "hero_make",
  ],
  ["hero make cust-1 team", "Missing the team name, like Tier 2.", "hero_make"],
  ["hero make cust-1 team {bob}", "Team names are plain words: `{bob}` can't be part of one.", "hero_make"],
  ["hero make cust-1 {alice} {bob}", "Too many arguments: didn't expect `{bob}`.", "hero_make"],
  ["hero reassign", "Missing the conversation number, like #42.", "hero_reassign"],
  ["hero reassign #x", "`#x` is not a conversation number like #42.", "hero_reassign"],
  ["hero remove", "Missing the customer: their customer id or email, like cust-1.", "hero_remove"],
  ["hero remove cust-1 cust-2", "Too many arguments: didn't expect `cust-2`.", "hero_remove"],
  ["hero show", "Missing the customer: their customer id or email, like cust-1.", "hero_show"],
  [
    "hero show <https://x.io|x>",
    "`<https://x.io|x>` is not a customer: use their customer id or email, an account or a #channel.",
    "hero_show",
  ],
  // status and subscriptions
  ["status busy", "`busy` is not a status: use online, away or offline.", "status"],
  ["status online now", "Too many arguments: didn't expect `now`.", "status"],
  ["subscribe", "Missing the source: its id from the config file, like web, or its channel.", "subscribe"],
  ["subscribe {alice}", "`{alice}` is not a source: use its id, like web, or its #channel.", "subscribe"],
  ["subscribe web mail", "Too many arguments: didn't expect `mail`.", "subscribe"],
  [
    "unsubscribe",
    "Missing the source: its id from the config file, like web, or its channel.",
    "unsubscribe",
  ],
  // agents and roles
  ["agent", "Say what to do: /desk agent add|capacity|remove|list.", "agent"],
  ["agent promote {alice}", "Unknown agent command `promote`: use add, capacity, remove or list.", "agent"],
  ["agent add", "Missing the person to add: mention them like @alice.", "agent_add"],
  ["agent add bob", "Expected a person like @alice, got `bob`.", "agent_add"],
  ["agent add {alice} boss", "`boss` is not a role: use agent, manager or admin.", "agent_add"],
  [
    "agent add {alice} -1",
    "Capacity must be a whole number from 0 (unlimited) to 1000, got `-1`.",
    "agent_add",
  ],
  [
    "agent add {alice} 1001",
    "Capacity must be a whole number from 0 (unlimited) to 1000, got `1001`.",
    "agent_add",
  ],
  [
    "agent add {alice} 2.5",
    "Capacity must be a whole number from 0 (unlimited) to 1000, got `2.5`.",
    "agent_add",
  ],
  ["agent add {alice} manager admin", "Give the role only once.", "agent_add"],
  ["agent add {alice} 3 4", "Give the capacity only once.", "agent_add"],
  ["agent add {alice} {bob}", "Add one person at a time: didn't expect `{bob}`.", "agent_add"],
  ["agent remove", "Missing the person to remove: mention them like @alice.", "agent_remove"],
  ["agent remove {alice} {bob}", "Too many arguments: didn't expect `{bob}`.", "agent_remove"],
  [
    "agent capacity {alice}",
    "Missing the capacity: a whole number from 0 (unlimited) to 1000.",
    "agent_capacity",
  ],
  [
    "agent capacity {alice} lots",
    "Capacity must be a whole number from 0 (unlimited) to 1000, got `lots`.",
    "agent_capacity",
  ],
  [
    "agent capacity {alice} 99999999",
    "Capacity must be a whole number from 0 (unlimited) to 1000, got `99999999`.",
    "agent_capacity",
  ],
  ["agent capacity 5 {alice}", "Expected a person like @alice, got `5`.", "agent_capacity"],
  ["agent list all", "Too many arguments: didn't expect `all`.", "agent_list"],
  ["role", "Missing the person: mention them like @alice.", "role"],
  ["role {alice}", "Missing the role: agent, manager or admin.", "role"],
  ["role {alice} boss", "`boss` is not a role: use agent, manager or admin.", "role"],
  ["role manager", "Expected a person like @alice, got `manager`.", "role"],
  ["role {alice} manager now", "Too many arguments: didn't expect `now`.", "role"],
  // teams
  ["team", "Say what to do: /desk team add|remove|join|leave|list.", "team"],
  ["team rename A B", "Unknown team command `rename`: use add, remove, join, leave or list.", "team"],
  ["team add", "Missing the team name, like Tier 2.", "team_add"],
  ["team add {alice}", "Team names are plain words: `{alice}` can't be part of one.", "team_add"],
  ["team add Ops <#C1|ops>", "Team names are plain words: `<#C1|ops>` can't be part of one.", "team_add"],
  [`team add ${"x".repeat(81)}`, "Team names can be at most 80 characters.", "team_add"],
  ["team remove", "Missing the team name, like Tier 2.", "team_remove"],
  ["team join", "Missing the team name, like Tier 2.", "team_join"],
  ["team join {alice}", "Missing the team name before the people, like Tier 2.", "team_join"],
  ["team join Spanish", "Say who joins the team: mention one or more people like @alice.", "team_join"],
  ["team join Spanish {alice} bob", "Expected a person like @alice, got `bob`.", "team_join"],
  ["team leave Spanish", "Say who leaves the team: mention one or more people like @alice.", "team_leave"],
  ["team list all", "Too many arguments: didn't expect `all`.", "team_list"],
  // rules
  ["rule", "Say what to do: /desk rule add|move|remove|list.", "rule"],
  ["rule edit 1", "Unknown rule command `edit`: use add, move, remove or list.", "rule"],
  ["rule add", "Missing the condition, like language=es, and the team it routes to.", "rule_add"],
  ["rule add language team Spanish", "Expected a condition like language=es, got `language`.", "rule_add"],
  ["rule add =es team Spanish", "Expected a condition like language=es, got `=es`.", "rule_add"],
  [
    'rule add language="" team Spanish',
    'The condition `language=""` has no value, like language=es.',
    "rule_add",
  ],
  [
    "rule add language=es",
    "Say which team gets these conversations: add `team` and its name, like `team Spanish`.",
    "rule_add",
  ],
  [
    "rule add language=es Spanish",
    "Expected `team` and a team name after the condition, got `Spanish`.",
    "rule_add",
  ],
  ["rule add language=es team", "Missing the team name, like Tier 2.", "rule_add"],
  [
    "rule add language=es team {alice}",
    "Team names are plain words: `{alice}` can't be part of one.",
    "rule_add",
  ],
  ["rule remove", "Missing the rule's position, as shown by `/desk rule list`.", "rule_remove"],
  [
    "rule remove 0",
    "`0` is not a rule position: use the number shown by `/desk rule list`, like 2.",
    "rule_remove",
  ],
  [
    "rule remove two",
    "`two` is not a rule position: use the number shown by `/desk rule list`, like 2.",
    "rule_remove",
  ],
  ["rule remove 1 2", "Too many arguments: didn't expect `2`.", "rule_remove"],
  ["rule move 3", "Missing the position to move it to, as shown by `/desk rule list`.", "rule_move"],
  [
    "rule move x 1",
    "`x` is not a rule position: use the number shown by `/desk rule list`, like 2.",
    "rule_move",
  ],
  ["rule list all", "Too many arguments: didn't expect `all`.", "rule_list"],
  // triage
  ["tag", "Missing the conversation number, like #42.", "tag"],
  ["tag #42", "Say which tags, like billing or refund.", "tag"],
  ["tag #42 ,", "Say which tags, like billing or refund.", "tag"],
  [
    "tag #42 bill$ing",
    "`bill$ing` is not a tag: use letters, digits, - and _ (at most 32 characters), like billing.",
    "tag",
  ],
  [
    `tag #42 ${"a".repeat(33)}`,
    `\`${"a".repeat(33)}\` is not a tag: use letters, digits, - and _ (at most 32 characters), like billing.`,
    "tag",
  ],
  [
    "tag #42 -billing",
    "`-billing` is not a tag: use letters, digits, - and _ (at most 32 characters), like billing.",
    "tag",
  ],
  [
    "tag #42 {alice}",
    "`{alice}` is not a tag: use letters, digits, - and _ (at most 32 characters), like billing.",
    "tag",
  ],
  [
    "tag #42 <!channel>",
    "`&lt;!channel&gt;` is not a tag: use letters, digits, - and _ (at most 32 characters), like billing.",
    "tag",
  ],
  [
    `tag #42 ${Array.from({ length: 21 }, (_, i) => `t${i}`).join(" ")}`,
    "A conversation can have at most 20 tags.",
    "tag",
  ],
  ["tag billing", "`billing` is not a conversation number like #42.", "tag"],
  ["untag #42", "Say which tags, like billing or refund.", "untag"],
  ["priority #42", "Missing the priority: low, normal, high or urgent.", "priority"],
  ["priority #42 hihg", "`hihg` is not a priority: use low, normal, high or urgent.", "priority"],
  ["priority #42 high now", "Too many arguments: didn't expect `now`.", "priority"],
  ["priority high", "`high` is not a conversation number like #42.", "priority"],
  [
    "rule add priority=hihg team Tier 2",
    "`hihg` is not a priority: use low, normal, high or urgent.",
    "rule_add",
  ],
  [
    "rule add tag=bill$ team Billing",
    "`bill$` is not a tag: use letters, digits, - and _ (at most 32 characters).",
    "rule_add",
  ],
];

describe("parseDeskCommand: usage errors say what is wrong and give the usage", () => {
  it.each(expand(ERRORS))("%s (%s mention)", (input, form, error, usage) => {
    expect(parseDeskCommand(render(input, form))).toEqual({
      ok: false,
      error: render(error, form),
      usage: USAGE[usage],
    });
  });

  it("shortens a very long token in an error", () => {
    const result = parseDeskCommand(`close ${"9".repeat(60)}`);
    expect(result).toEqual({
      ok: false,
      error: `\`${"9".repeat(39)}…\` is not a conversation number like #42.`,
      usage: USAGE.close,
    });
  });

  it("never throws, whatever the text", () => {
    // A small deterministic fuzz over words the parser reacts to.
    const words = [
      "assign",
      "hero",
      "make",
      "team",
      "rule",
      "add",
      "#42",
      "0",
      "<@U1>",
      "<#C1>",
      "=",
      "a=b",
      "&amp;",
      "<",
      '"',
      "“",
      "->",
      "to",
      ",",
      "1001",
      "status",
      "away",
    ];
    let seed = 42;
    const random = () => {
      seed = (seed * 1103515245 + 12345) % 2 ** 31;
      return seed / 2 ** 31;
    };
    for (let n = 0; n < 2000; n++) {
      const text = Array.from(
        { length: 1 + Math.floor(random() * 6) },
        () => words[Math.floor(random() * words.length)],
      ).join(" ");
      const result = parseDeskCommand(text);
      if (!result.ok) {
        expect(result.error, text).not.toBe("");
        expect(result.usage, text).toMatch(/^\/desk /);
      }
    }
  });
});

describe("USAGE", () => {
  it("has a line for every kind of command", () => {
    for (const kind of ALL_KINDS) expect(USAGE, kind).toHaveProperty(kind);
  });

  it.each(Object.entries(USAGE))("%s is safe to show in mrkdwn and starts with /desk", (_key, usage) => {
    expect(usage).not.toMatch(/[<>&]/);
    for (const line of usage.split("\n")) expect(line).toMatch(/^\/desk /);
  });

  it("reads like the spec", () => {
    expect(USAGE.assign).toBe("/desk assign #42 @agent");
    expect(USAGE.reassign).toBe("/desk reassign @from @to");
    expect(USAGE.hero.split("\n")).toHaveLength(5);
  });

  it("parseErrorText puts each usage line in a code span", () => {
    expect(parseErrorText({ error: "Missing the team name, like Tier 2.", usage: USAGE.hero_make })).toBe(
      "Missing the team name, like Tier 2.\nUsage: `/desk hero make cust-1 @agent`\n`/desk hero make cust-1 team Tier 2`\nMore: `/desk help`",
    );
  });
});
