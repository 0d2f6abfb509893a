// The text after `/desk`, parsed into a typed command. Pure: no I/O. The manifest declares the command
// with `should_escape: true`, so Slack sends people as <@U123> or <@U123|name>, channels as <#C123|name>
// or <#C123>, emails as <mailto:a@b.c|a@b.c>, and `&`, `<`, `>` typed as text as &amp; &lt; &gt;.
// Free text (team names, customers, sources, rule conditions) comes back decoded; the caller escapes it
// again wherever it is shown in mrkdwn.
import { escapeSlackText, unescapeSlackText } from "./slack-text.ts";

export type Role = "agent" | "manager" | "admin";
export type Availability = "online" | "away" | "offline";

export const ROLES: readonly Role[] = ["agent", "manager", "admin"];
export const AVAILABILITIES: readonly Availability[] = ["online", "away", "offline"];
/** Largest capacity `/desk agent add|capacity` accepts; 0 means unlimited. */
export const MAX_CAPACITY = 1000;
/** Longest team name accepted. */
export const MAX_TEAM_NAME = 80;

export type DeskCommand =
  | { kind: "help"; topic?: string }
  | { kind: "assign"; conversation: number; agent: string /* Slack user id */ }
  | { kind: "reassign"; from: string; to: string }
  | { kind: "unassign"; conversation: number }
  | { kind: "close"; conversation: number }
  | { kind: "reopen"; conversation: number }
  | {
      kind: "hero_make";
      customer: string;
      hero: { kind: "agent"; userId: string } | { kind: "team"; team: string };
    }
  | { kind: "hero_reassign"; conversation: number }
  | { kind: "hero_remove"; customer: string }
  | { kind: "hero_show"; customer: string }
  | { kind: "status"; availability: Availability }
  | { kind: "status_show" }
  // Role and capacity when given (a new agent: agent, 0 = unlimited; someone already added keeps theirs).
  | { kind: "agent_add"; userId: string; role?: Role; capacity?: number }
  | { kind: "agent_remove"; userId: string }
  | { kind: "agent_capacity"; userId: string; capacity: number }
  | { kind: "agent_list" }
  | { kind: "role"; userId: string; role: Role }
  | { kind: "team_add"; team: string }
  | { kind: "team_remove"; team: string }
  | { kind: "team_join"; team: string; userIds: string[] }
  | { kind: "team_leave"; team: string; userIds: string[] }
  | { kind: "team_list" }
  | { kind: "rule_add"; attribute: string; value: string; team: string }
  | { kind: "rule_remove"; position: number } // 1-based, as shown by `rule list`
  | { kind: "rule_move"; from: number; to: number }
  | { kind: "rule_list" }
  | { kind: "subscribe"; source: string } // a source id from the config file, or a Slack channel id
  | { kind: "unsubscribe"; source: string }
  | { kind: "history"; conversation: number }
  | { kind: "queue" }
  | { kind: "summary" }
  | { kind: "waiting" }
  | { kind: "waiting_retry" };

export type DeskCommandKind = DeskCommand["kind"];
export type ParseResult = { ok: true; command: DeskCommand } | { ok: false; error: string; usage: string };

// Usage lines are plain text with concrete examples and no `<`, `>` or `&`, so they are safe to show in
// mrkdwn as they are (a `<customer>` placeholder would be read by Slack as markup and vanish).
const U = {
  help: "/desk help [topic]",
  assign: "/desk assign #42 @agent",
  reassign: "/desk reassign @from @to",
  unassign: "/desk unassign #42",
  close: "/desk close #42",
  reopen: "/desk reopen #42",
  history: "/desk history #42",
  queue: "/desk queue",
  summary: "/desk summary",
  waiting: "/desk waiting",
  waiting_retry: "/desk waiting retry",
  hero_make: "/desk hero make cust-1 @agent\n/desk hero make cust-1 team Tier 2",
  hero_reassign: "/desk hero reassign #42",
  hero_remove: "/desk hero remove cust-1",
  hero_show: "/desk hero show cust-1",
  status: "/desk status online|away|offline",
  status_show: "/desk status",
  subscribe: "/desk subscribe web",
  unsubscribe: "/desk unsubscribe web",
  agent_add: "/desk agent add @user [agent|manager|admin] [capacity]",
  agent_remove: "/desk agent remove @user",
  agent_capacity: "/desk agent capacity @user 5",
  agent_list: "/desk agent list",
  role: "/desk role @user agent|manager|admin",
  team_add: "/desk team add Tier 2",
  team_remove: "/desk team remove Tier 2",
  team_join: "/desk team join Tier 2 @user @user",
  team_leave: "/desk team leave Tier 2 @user",
  team_list: "/desk team list",
  rule_add: "/desk rule add language=es team Spanish",
  rule_remove: "/desk rule remove 2",
  rule_move: "/desk rule move 3 1",
  rule_list: "/desk rule list",
} as const;

/**
 * Usage per subcommand, keyed by command kind, plus `general` (for an unknown subcommand) and the
 * groups `hero`, `agent`, `team` and `rule` (one line per form). Plain text without `<`, `>` or `&`.
 */
export const USAGE = {
  ...U,
  general:
    "/desk help   or   /desk assign|reassign|unassign|close|reopen|history|queue|summary|waiting|hero|status|subscribe|unsubscribe|agent|role|team|rule …",
  hero: [U.hero_make, U.hero_reassign, U.hero_remove, U.hero_show].join("\n"),
  agent: [U.agent_add, U.agent_capacity, U.agent_remove, U.agent_list].join("\n"),
  team: [U.team_add, U.team_remove, U.team_join, U.team_leave, U.team_list].join("\n"),
  rule: [U.rule_add, U.rule_move, U.rule_remove, U.rule_list].join("\n"),
} satisfies Record<string, string>;
export type UsageKey = keyof typeof USAGE;

// ---------------------------------------------------------------------------------------------------
// Tokens

const MENTION = /^<@([UW][A-Z0-9]+)(?:\|[^<>]*)?>$/;
const CHANNEL = /^<#([CG][A-Z0-9]+)(?:\|[^<>]*)?>$/;
const MAILTO = /^<mailto:([^|<>]+)(?:\|[^<>]*)?>$/i;
const CONVERSATION = /^#?(\d{1,10})$/;
const MAX_ID = 2_147_483_647; // conversation ids are 32-bit ints in the database

/** Words, keeping Slack markup such as <@U1|Ada Lovelace> whole even when its label has spaces. */
function tokenize(text: string): string[] {
  return text.match(/<[^<>]*>|[^\s<]+|</g) ?? [];
}

/** A token as shown inside an error message: in backticks, shortened, without breaking the code span. */
/**
 * A token of the command echoed in an answer. A special mention in it (`<!channel>`, `<!here>`,
 * `<!subteam^…>`: Slack escapes a typed `<`, so this is markup) is escaped to show as written,
 * never as a mention in HeroDesk's answer; a person or channel shows as Slack shows it.
 */
function show(token: string): string {
  const chars = Array.from(token.replace(/`/g, "'"));
  const cut = chars.length > 40 ? `${chars.slice(0, 39).join("")}…` : chars.join("");
  return `\`${cut.replace(/<!([^>]*)>?/g, (m) => m.replace(/</g, "&lt;").replace(/>/g, "&gt;"))}\``;
}

const word = (token: string | undefined) =>
  token === undefined ? "" : unescapeSlackText(token).toLowerCase();
const isMarkup = (token: string) => token.startsWith("<");

class UsageFailure extends Error {
  constructor(
    message: string,
    readonly usage: string,
  ) {
    super(message);
  }
}

/** The arguments of one subcommand, read left to right; every failure carries that subcommand's usage. */
class Args {
  private i = 0;
  constructor(
    private readonly tokens: readonly string[],
    private usage: string,
  ) {}

  use(usage: string): this {
    this.usage = usage;
    return this;
  }
  peek(): string | undefined {
    return this.tokens[this.i];
  }
  next(): string | undefined {
    return this.tokens[this.i++];
  }
  rest(): string[] {
    const rest = this.tokens.slice(this.i);
    this.i = this.tokens.length;
    return rest;
  }
  fail(message: string): never {
    throw new UsageFailure(message, this.usage);
  }
  /** Consumes an optional filler word such as `to`. */
  optional(...words: string[]): void {
    if (words.includes(word(this.peek()))) this.i++;
  }
  end(): void {
    const extra = this.rest();
    if (extra.length > 0) this.fail(`Too many arguments: didn't expect ${show(extra.join(" "))}.`);
  }

  conversation(): number {
    const token = this.next();
    if (token === undefined) this.fail("Missing the conversation number, like #42.");
    return parseConversation(token) ?? this.fail(`${show(token)} is not a conversation number like #42.`);
  }

  person(what: string): string {
    const token = this.next();
    if (token === undefined) this.fail(`Missing ${what}: mention them like @alice.`);
    return userIdOf(token) ?? this.fail(notAPerson(token));
  }

  role(token: string | undefined = this.next()): Role {
    if (token === undefined) this.fail("Missing the role: agent, manager or admin.");
    return roleOf(token) ?? this.fail(`${show(token)} is not a role: use agent, manager or admin.`);
  }

  capacity(token: string | undefined = this.next()): number {
    if (token === undefined)
      this.fail(`Missing the capacity: a whole number from 0 (unlimited) to ${MAX_CAPACITY}.`);
    if (word(token) === "unlimited") return 0;
    const n = /^\d{1,7}$/.test(token) ? Number(token) : Number.NaN;
    if (!(n <= MAX_CAPACITY)) {
      this.fail(`Capacity must be a whole number from 0 (unlimited) to ${MAX_CAPACITY}, got ${show(token)}.`);
    }
    return n;
  }

  position(what: string): number {
    const token = this.next();
    if (token === undefined) this.fail(`Missing ${what}, as shown by \`/desk rule list\`.`);
    const n = /^\d{1,10}$/.test(token) ? Number(token) : 0;
    if (n < 1 || n > MAX_ID) {
      this.fail(
        `${show(token)} is not a rule position: use the number shown by \`/desk rule list\`, like 2.`,
      );
    }
    return n;
  }

  customer(): string {
    const token = this.next();
    if (token === undefined) this.fail("Missing the customer: their customer id or email, like cust-1.");
    const mail = MAILTO.exec(token);
    if (mail) return unescapeSlackText(mail[1]!);
    if (isMarkup(token)) this.fail(`${show(token)} is not a customer: use their customer id or email.`);
    return unescapeSlackText(token);
  }

  source(): string {
    const token = this.next();
    if (token === undefined)
      this.fail("Missing the source: its id from the config file, like web, or its channel.");
    const channel = CHANNEL.exec(token);
    if (channel) return channel[1]!;
    if (isMarkup(token)) this.fail(`${show(token)} is not a source: use its id, like web, or its #channel.`);
    return unescapeSlackText(token);
  }

  /** A team name from the remaining words (names may contain spaces). */
  team(tokens: readonly string[] = this.rest()): string {
    return teamName(tokens, (m) => this.fail(m));
  }

  /** One or more people, allowing commas and `and` between them. */
  people(what: string, tokens: readonly string[]): string[] {
    const ids: string[] = [];
    for (const token of tokens) {
      if (token === "," || word(token) === "and") continue;
      const id = userIdOf(token.replace(/,+$/, ""));
      if (!id) this.fail(notAPerson(token));
      if (!ids.includes(id)) ids.push(id);
    }
    if (ids.length === 0) this.fail(`Say ${what}: mention one or more people like @alice.`);
    return ids;
  }
}

function parseConversation(token: string): number | undefined {
  const m = CONVERSATION.exec(token);
  const n = m ? Number(m[1]) : 0;
  return n >= 1 && n <= MAX_ID ? n : undefined;
}

function userIdOf(token: string): string | undefined {
  return MENTION.exec(token)?.[1];
}

function roleOf(token: string): Role | undefined {
  const w = word(token);
  return ROLES.find((r) => r === w);
}

function notAPerson(token: string): string {
  const base = `Expected a person like @alice, got ${show(token)}`;
  // A typed @name that Slack could not resolve arrives as plain text.
  return token.startsWith("@")
    ? `${base}. Pick them from Slack's autocomplete so the mention becomes a link.`
    : `${base}.`;
}

function teamName(tokens: readonly string[], fail: (message: string) => never): string {
  if (tokens.length === 0) fail("Missing the team name, like Tier 2.");
  const markup = tokens.find(isMarkup);
  if (markup !== undefined) fail(`Team names are plain words: ${show(markup)} can't be part of one.`);
  const name = unescapeSlackText(tokens.join(" ")).trim();
  if (Array.from(name).length > MAX_TEAM_NAME) fail(`Team names can be at most ${MAX_TEAM_NAME} characters.`);
  return name;
}

// ---------------------------------------------------------------------------------------------------
// Subcommands

type Handler = (tokens: string[]) => DeskCommand;

function conversationCommand(kind: "unassign" | "close" | "reopen" | "history"): Handler {
  return (tokens) => {
    const a: Args = new Args(tokens, USAGE[kind]);
    const conversation = a.conversation();
    a.end();
    return { kind, conversation };
  };
}

function noArguments(
  kind: "queue" | "summary" | "agent_list" | "team_list" | "rule_list" | "waiting" | "waiting_retry",
): Handler {
  return (tokens) => {
    new Args(tokens, USAGE[kind]).end();
    return { kind };
  };
}

function subscription(kind: "subscribe" | "unsubscribe"): Handler {
  return (tokens) => {
    const a: Args = new Args(tokens, USAGE[kind]);
    const source = a.source();
    a.end();
    return { kind, source };
  };
}

/** `hero make`, `agent add` and friends: the second word picks the command. */
function group(name: string, verbs: Record<string, Handler>, aliases: Record<string, string> = {}): Handler {
  const table = new Map<string, Handler>();
  for (const [verb, handler] of Object.entries(verbs)) table.set(verb, handler);
  for (const [alias, verb] of Object.entries(aliases)) table.set(alias, verbs[verb]!);
  const list = Object.keys(verbs);
  const choices = `${list.slice(0, -1).join(", ")} or ${list.at(-1)}`;
  const usage = USAGE[name as UsageKey];
  return (tokens) => {
    const [verb, ...rest] = tokens;
    if (verb === undefined) throw new UsageFailure(`Say what to do: /desk ${name} ${list.join("|")}.`, usage);
    const handler = table.get(word(verb));
    if (!handler) throw new UsageFailure(`Unknown ${name} command ${show(verb)}: use ${choices}.`, usage);
    return handler(rest);
  };
}

const help: Handler = (tokens) => {
  const topic = word(tokens[0]);
  return topic ? { kind: "help", topic } : { kind: "help" };
};

const assign: Handler = (tokens) => {
  const a: Args = new Args(tokens, USAGE.assign);
  const conversation = a.conversation();
  a.optional("to");
  const agent = a.person("the agent");
  a.end();
  return { kind: "assign", conversation, agent };
};

const reassign: Handler = (tokens) => {
  const a: Args = new Args(tokens, USAGE.reassign);
  const first = a.peek();
  if (first !== undefined && parseConversation(first) !== undefined) {
    a.fail(
      `\`/desk reassign\` moves all of one agent's open conversations. To move #${parseConversation(first)} alone, use \`/desk assign #${parseConversation(first)} @agent\`.`,
    );
  }
  const from = a.person("whose conversations to move");
  a.optional("to");
  const to = a.person("who gets them");
  a.end();
  if (from === to)
    a.fail("That's the same person twice: name who gives the conversations and who gets them.");
  return { kind: "reassign", from, to };
};

const heroMake: Handler = (tokens) => {
  const a: Args = new Args(tokens, USAGE.hero_make);
  const customer = a.customer();
  const next = a.peek();
  if (next === undefined) a.fail("Say who the hero is: a person like @alice, or `team` and the team's name.");
  if (word(next) === "team") {
    a.next();
    return { kind: "hero_make", customer, hero: { kind: "team", team: a.team() } };
  }
  const userId = userIdOf(next);
  if (!userId) a.fail(`Expected a person like @alice or \`team\` and a team name, got ${show(next)}.`);
  a.next();
  a.end();
  return { kind: "hero_make", customer, hero: { kind: "agent", userId } };
};

const heroConversation: Handler = (tokens) => {
  const a: Args = new Args(tokens, USAGE.hero_reassign);
  const conversation = a.conversation();
  a.end();
  return { kind: "hero_reassign", conversation };
};

function heroCustomer(kind: "hero_remove" | "hero_show"): Handler {
  return (tokens) => {
    const a: Args = new Args(tokens, USAGE[kind]);
    const customer = a.customer();
    a.end();
    return { kind, customer };
  };
}

const status: Handler = (tokens) => {
  const a: Args = new Args(tokens, USAGE.status);
  const token = a.next();
  if (token === undefined) return { kind: "status_show" };
  const availability = AVAILABILITIES.find((s) => s === word(token));
  if (!availability) a.fail(`${show(token)} is not a status: use online, away or offline.`);
  a.end();
  return { kind: "status", availability };
};

const agentAdd: Handler = (tokens) => {
  const a: Args = new Args(tokens, USAGE.agent_add);
  const userId = a.person("the person to add");
  let role: Role | undefined;
  let capacity: number | undefined;
  for (const token of a.rest()) {
    if (userIdOf(token)) a.fail(`Add one person at a time: didn't expect ${show(token)}.`);
    if (roleOf(token) !== undefined) {
      if (role !== undefined) a.fail("Give the role only once.");
      role = a.role(token);
    } else if (/^[-+]?[\d.,]/.test(token) || word(token) === "unlimited") {
      if (capacity !== undefined) a.fail("Give the capacity only once.");
      capacity = a.capacity(token);
    } else {
      a.role(token); // fails, naming the valid roles
    }
  }
  return {
    kind: "agent_add",
    userId,
    ...(role !== undefined ? { role } : {}),
    ...(capacity !== undefined ? { capacity } : {}),
  };
};

const agentRemove: Handler = (tokens) => {
  const a: Args = new Args(tokens, USAGE.agent_remove);
  const userId = a.person("the person to remove");
  a.end();
  return { kind: "agent_remove", userId };
};

const agentCapacity: Handler = (tokens) => {
  const a: Args = new Args(tokens, USAGE.agent_capacity);
  const userId = a.person("the agent");
  const capacity = a.capacity();
  a.end();
  return { kind: "agent_capacity", userId, capacity };
};

const role: Handler = (tokens) => {
  const a: Args = new Args(tokens, USAGE.role);
  // Forgiving about order: `role @bob manager` or `role manager @bob`.
  if (tokens[0] !== undefined && roleOf(tokens[0]) !== undefined && tokens[1] !== undefined) {
    const r = a.role();
    const userId = a.person("the person");
    a.end();
    return { kind: "role", userId, role: r };
  }
  const userId = a.person("the person");
  const r = a.role();
  a.end();
  return { kind: "role", userId, role: r };
};

function teamByName(kind: "team_add" | "team_remove"): Handler {
  return (tokens) => ({ kind, team: new Args(tokens, USAGE[kind]).team() });
}

function teamMembers(kind: "team_join" | "team_leave"): Handler {
  return (tokens) => {
    const a: Args = new Args(tokens, USAGE[kind]);
    const first = tokens.findIndex((t) => userIdOf(t.replace(/,+$/, "")) !== undefined);
    if (first === 0) a.fail("Missing the team name before the people, like Tier 2.");
    const nameTokens = first === -1 ? tokens : tokens.slice(0, first);
    const team = a.team(nameTokens);
    const who = kind === "team_join" ? "who joins the team" : "who leaves the team";
    const userIds = a.people(who, first === -1 ? [] : tokens.slice(first));
    return { kind, team, userIds };
  };
}

// `language=es`, `language = es`, `country="United States"` (Slack may turn quotes into curly ones).
const CONDITION = /^([^\s="“”]+)\s*=\s*(?:"([^"]*)"|“([^”]*)”|([^\s"“”]+))/;
// What separates the condition from the team: `team`, or an arrow (`>` arrives escaped).
const TEAM_KEYWORD = /^\s+(?:team|->|-&gt;|→)(?:\s+|$)/i;

const ruleAdd: Handler = (tokens) => {
  const a: Args = new Args(tokens, USAGE.rule_add);
  const text = tokens.join(" ");
  if (text === "") a.fail("Missing the condition, like language=es, and the team it routes to.");
  const condition = CONDITION.exec(text);
  if (!condition) a.fail(`Expected a condition like language=es, got ${show(tokens[0]!)}.`);
  const attribute = unescapeSlackText(condition[1]!);
  const value = unescapeSlackText((condition[2] ?? condition[3] ?? condition[4] ?? "").trim());
  if (value === "") a.fail(`The condition ${show(condition[0])} has no value, like language=es.`);
  const after = text.slice(condition[0].length);
  if (after.trim() === "")
    a.fail("Say which team gets these conversations: add `team` and its name, like `team Spanish`.");
  const keyword = TEAM_KEYWORD.exec(after);
  if (!keyword) a.fail(`Expected \`team\` and a team name after the condition, got ${show(after.trim())}.`);
  return { kind: "rule_add", attribute, value, team: a.team(tokenize(after.slice(keyword[0].length))) };
};

const ruleRemove: Handler = (tokens) => {
  const a: Args = new Args(tokens, USAGE.rule_remove);
  const position = a.position("the rule's position");
  a.end();
  return { kind: "rule_remove", position };
};

const ruleMove: Handler = (tokens) => {
  const a: Args = new Args(tokens, USAGE.rule_move);
  const from = a.position("the position of the rule to move");
  a.optional("to");
  const to = a.position("the position to move it to");
  a.end();
  return { kind: "rule_move", from, to };
};

const SUBCOMMANDS = new Map<string, Handler>([
  ["help", help],
  ["?", help],
  ["assign", assign],
  ["reassign", reassign],
  ["unassign", conversationCommand("unassign")],
  ["close", conversationCommand("close")],
  ["reopen", conversationCommand("reopen")],
  ["history", conversationCommand("history")],
  ["queue", noArguments("queue")],
  ["summary", noArguments("summary")],
  [
    "waiting",
    (tokens) =>
      tokens[0]?.toLowerCase() === "retry"
        ? noArguments("waiting_retry")(tokens.slice(1))
        : noArguments("waiting")(tokens),
  ],
  [
    "hero",
    group(
      "hero",
      {
        make: heroMake,
        reassign: heroConversation,
        remove: heroCustomer("hero_remove"),
        show: heroCustomer("hero_show"),
      },
      { set: "make", rm: "remove", delete: "remove" },
    ),
  ],
  ["status", status],
  ["subscribe", subscription("subscribe")],
  ["unsubscribe", subscription("unsubscribe")],
  [
    "agent",
    group(
      "agent",
      { add: agentAdd, capacity: agentCapacity, remove: agentRemove, list: noArguments("agent_list") },
      { rm: "remove", delete: "remove", ls: "list" },
    ),
  ],
  ["agents", noArguments("agent_list")],
  ["role", role],
  [
    "team",
    group(
      "team",
      {
        add: teamByName("team_add"),
        remove: teamByName("team_remove"),
        join: teamMembers("team_join"),
        leave: teamMembers("team_leave"),
        list: noArguments("team_list"),
      },
      { create: "add", rm: "remove", delete: "remove", ls: "list" },
    ),
  ],
  ["teams", noArguments("team_list")],
  [
    "rule",
    group(
      "rule",
      { add: ruleAdd, move: ruleMove, remove: ruleRemove, list: noArguments("rule_list") },
      { mv: "move", rm: "remove", delete: "remove", ls: "list" },
    ),
  ],
  ["rules", noArguments("rule_list")],
]);

/** The subcommand names a person may type first (aliases included). */
export const SUBCOMMAND_NAMES: readonly string[] = [...SUBCOMMANDS.keys()];

export function parseDeskCommand(text: string): ParseResult {
  const tokens = tokenize(text ?? "");
  const [head, ...rest] = tokens;
  if (head === undefined) return { ok: true, command: { kind: "help" } };
  const handler = SUBCOMMANDS.get(word(head));
  if (!handler) {
    const guess = closest(word(head));
    return {
      ok: false,
      error: `Unknown subcommand ${show(head)}.${guess ? ` Did you mean ${show(guess)}?` : ""}`,
      usage: USAGE.general,
    };
  }
  try {
    return { ok: true, command: handler(rest) };
  } catch (error) {
    if (error instanceof UsageFailure) return { ok: false, error: error.message, usage: error.usage };
    throw error;
  }
}

/** An ephemeral reply for a failed parse, in mrkdwn: what is wrong, then the usage in code spans. */
export function parseErrorText(result: { error: string; usage: string }): string {
  const lines = result.usage.split("\n").map((line) => `\`${line}\``);
  return `${result.error}\nUsage: ${lines.join("\n")}\nMore: \`/desk help\``;
}

function closest(input: string): string | undefined {
  let best: string | undefined;
  let bestDistance = Number.POSITIVE_INFINITY;
  for (const name of SUBCOMMANDS.keys()) {
    if (name.length < 3) continue;
    const d = distance(input, name);
    if (d < bestDistance) [best, bestDistance] = [name, d];
  }
  return bestDistance <= 2 && bestDistance < input.length / 2 ? best : undefined;
}

function distance(a: string, b: string): number {
  let previous = Array.from({ length: b.length + 1 }, (_, j) => j);
  for (let i = 1; i <= a.length; i++) {
    const row = [i];
    for (let j = 1; j <= b.length; j++) {
      const cost = a[i - 1] === b[j - 1] ? 0 : 1;
      row[j] = Math.min(previous[j]! + 1, row[j - 1]! + 1, previous[j - 1]! + cost);
    }
    previous = row;
  }
  return previous[b.length]!;
}

// ---------------------------------------------------------------------------------------------------
// Help

interface HelpLine {
  /** Topics this line answers to (`/desk help <topic>`). */
  topics: readonly string[];
  /** The command as typed, plain text (escaped for mrkdwn when shown). */
  command: string;
  meaning: string;
  /** Who may run it, when not every agent may. */
  who?: string;
}

interface HelpGroup {
  title: string;
  topics: readonly string[];
  intro?: string;
  lines: readonly HelpLine[];
}

const MANAGERS = "managers and admins";
const ASSIGNEE = "the assignee, managers and admins";
const ADMINS = "admins";
const HERO_MAKERS = "admins, and managers if an admin allows it";

const HELP: readonly HelpGroup[] = [
  {
    title: "Conversations",
    topics: ["conversations", "conversation", "conv"],
    lines: [
      {
        topics: ["assign"],
        command: "assign #42 @agent",
        meaning: "give a conversation to an agent",
        who: MANAGERS,
      },
      { topics: ["unassign"], command: "unassign #42", meaning: "put it back in the queue", who: MANAGERS },
      {
        topics: ["reassign"],
        command: "reassign @from @to",
        meaning: "move all of one agent's open conversations to another",
        who: MANAGERS,
      },
      { topics: ["close"], command: "close #42", meaning: "close a conversation", who: ASSIGNEE },
      { topics: ["reopen"], command: "reopen #42", meaning: "reopen a closed conversation", who: ASSIGNEE },
      {
        topics: ["history"],
        command: "history #42",
        meaning: "every change of assignee and hero: who, when and why",
      },
      { topics: ["queue"], command: "queue", meaning: "unassigned conversations, longest waiting first" },
      {
        topics: ["summary"],
        command: "summary",
        meaning: "post the assignment summary here now",
        who: MANAGERS,
      },
      {
        topics: ["waiting"],
        command: "waiting",
        meaning: "what HeroDesk holds back (a channel it cannot post in, a missing scope…) and what to do",
        who: MANAGERS,
      },
      {
        topics: ["waiting"],
        command: "waiting retry",
        meaning: "once fixed, send what waited at once",
        who: ADMINS,
      },
    ],
  },
  {
    title: "Heroes",
    topics: ["heroes", "hero"],
    intro: "A customer's Dedicated Hero (an agent or a team) gets their new conversations first.",
    lines: [
      {
        topics: ["hero"],
        command: "hero make <customer> @agent",
        meaning: "make an agent the customer's hero; the open conversation stays where it is",
        who: HERO_MAKERS,
      },
      {
        topics: ["hero"],
        command: "hero make <customer> team <name>",
        meaning: "make a team the hero: its available member with the most free capacity gets the work",
        who: HERO_MAKERS,
      },
      {
        topics: ["hero"],
        command: "hero reassign #42",
        meaning: "give the conversation to the customer's hero",
        who: ASSIGNEE,
      },
      {
        topics: ["hero"],
        command: "hero remove <customer>",
        meaning: "the customer has no hero any more",
        who: ADMINS,
      },
      { topics: ["hero"], command: "hero show <customer>", meaning: "who the customer's hero is" },
    ],
  },
  {
    title: "Me",
    topics: ["me", "my"],
    lines: [
      {
        topics: ["status"],
        command: "status online|away|offline",
        meaning: "your availability; away and offline get no new work but keep their open conversations",
      },
      { topics: ["status"], command: "status", meaning: "your status, capacity and open conversations" },
      {
        topics: ["subscribe"],
        command: "subscribe <source>",
        meaning: "be notified of a source's unassigned conversations (its id, like web, or its #channel)",
      },
      {
        topics: ["subscribe", "unsubscribe"],
        command: "unsubscribe <source>",
        meaning: "stop those notifications",
      },
    ],
  },
  {
    title: "Setup",
    topics: ["setup", "admin", "config"],
    lines: [
      {
        topics: ["agent", "agents", "capacity"],
        command: "agent add @user [agent|manager|admin] [capacity]",
        meaning:
          "add someone to HeroDesk (default: agent, with the config's defaultCapacity; the answer says which)",
        who: ADMINS,
      },
      {
        topics: ["agent", "agents", "capacity"],
        command: "agent capacity @user 5",
        meaning: "the most open conversations they hold at once; 0 = unlimited",
        who: ADMINS,
      },
      {
        topics: ["agent", "agents"],
        command: "agent remove @user",
        meaning: "take someone out of HeroDesk",
        who: ADMINS,
      },
      {
        topics: ["agent", "agents"],
        command: "agent list",
        meaning: "everyone, with role, status, capacity and open conversations",
        who: MANAGERS,
      },
      {
        topics: ["role", "roles", "agent"],
        command: "role @user agent|manager|admin",
        meaning: "change someone's role",
        who: ADMINS,
      },
      {
        topics: ["team", "teams"],
        command: "team add <name>",
        meaning: "create a team (names may have spaces)",
        who: ADMINS,
      },
      { topics: ["team", "teams"], command: "team remove <name>", meaning: "delete a team", who: ADMINS },
      {
        topics: ["team", "teams"],
        command: "team join <name> @user @user",
        meaning: "add people to a team",
        who: ADMINS,
      },
      {
        topics: ["team", "teams"],
        command: "team leave <name> @user",
        meaning: "take people out of a team",
        who: ADMINS,
      },
      { topics: ["team", "teams"], command: "team list", meaning: "teams and their members", who: MANAGERS },
      {
        topics: ["rule", "rules"],
        command: "rule add <attribute>=<value> team <name>",
        meaning: "send customers who match to a team, like language=es team Spanish",
        who: ADMINS,
      },
      {
        topics: ["rule", "rules"],
        command: "rule list",
        meaning: "the rules, in the order they are checked",
        who: MANAGERS,
      },
      {
        topics: ["rule", "rules"],
        command: "rule move 3 1",
        meaning: "move rule 3 to position 1",
        who: ADMINS,
      },
      { topics: ["rule", "rules"], command: "rule remove 2", meaning: "delete rule 2", who: ADMINS },
    ],
  },
];

const NOTES: Readonly<Record<string, string>> = {
  hero:
    "An online hero with free capacity gets the customer's new conversation at once. A hero at capacity gets " +
    "it if capacity frees within the source's hero wait (5 minutes unless set otherwise); after that, and " +
    "straight away when the hero is away or offline, normal routing takes over. A conversation someone else " +
    "holds stays with them until it closes. `hero make` never moves the open conversation; `hero reassign` does.",
  status:
    "Online: new conversations can come to you. Away or offline: none come to you, and you keep the " +
    "conversations you already have.",
  agent:
    "Roles: *agent* claims and answers conversations; *manager* also assigns, reassigns and posts summaries; " +
    "*admin* can do everything, including setup. Capacity is the most open conversations an agent holds at " +
    "once; 0 means unlimited.",
  team: "A team can be a customer's hero or where a rule sends conversations. Names may have spaces: `/desk team join Tier 2 EU @alice @bob`.",
  rule:
    "Rules match customer attributes sent with their messages (language, country, plan, …). They are " +
    'checked top to bottom and the first match wins; with no match, every agent can get the conversation. Quote values with spaces: `country="United States"`.',
  assign: "You can also use the buttons on the conversation's card.",
  subscribe: "Subscribers hear about a source's conversations only while nobody is assigned.",
};
const NOTE_ALIASES: Readonly<Record<string, string>> = {
  heroes: "hero",
  agents: "agent",
  capacity: "agent",
  role: "agent",
  roles: "agent",
  teams: "team",
  rules: "rule",
  unassign: "assign",
  reassign: "assign",
  unsubscribe: "subscribe",
  me: "status",
};

const code = (command: string) => `\`/desk ${escapeSlackText(command)}\``;

function renderLine(line: HelpLine): string {
  return `• ${code(line.command)}: ${line.meaning}${line.who ? ` _(${line.who})_` : ""}`;
}

function renderGroup(group: HelpGroup, lines: readonly HelpLine[] = group.lines): string {
  return [`*${group.title}*${group.intro ? ` ${group.intro}` : ""}`, ...lines.map(renderLine)].join("\n");
}

const HEADER =
  "*HeroDesk* sends every customer conversation to the right agent. Type `/desk` and a command. " +
  "People are @mentions, conversations are the number on their card (#42), customers are their " +
  "customer id or email (`web:cust-1` when two sources use one id). Commands without a note work " +
  "for every agent.";
const FOOTER =
  "More on one topic: `/desk help hero`, `/desk help rule`, `/desk help team`, `/desk help status`.";

/** The topics `helpText` knows, lower case. */
export const HELP_TOPICS: readonly string[] = [
  ...new Set(HELP.flatMap((g) => [...g.topics, ...g.lines.flatMap((l) => l.topics)])),
];

/** Who may set heroes, as `helpFor` needs to know it (config `managersCanSetHeroes`). */
export interface HelpContext {
  managersCanSetHeroes: boolean;
}

/** The roles that may run a help line, read from its "who" (the assignee may be any agent). */
function mayRun(line: HelpLine, role: Role, ctx: HelpContext): boolean {
  if (!line.who || line.who === ASSIGNEE) return true;
  if (line.who === ADMINS) return role === "admin";
  if (line.who === HERO_MAKERS) return role === "admin" || (role === "manager" && ctx.managersCanSetHeroes);
  return role !== "agent"; // MANAGERS
}

/**
 * What `/desk help` shows a person: the commands their role may run (everything, for an admin),
 * and where the rest is. Someone who is not an agent yet sees what an agent could run.
 */
function helpFor(role: Role | null, ctx: HelpContext): string {
  const mine = role ?? "agent";
  const groups = HELP.map((g) => ({ g, lines: g.lines.filter((l) => mayRun(l, mine, ctx)) })).filter(
    (x) => x.lines.length > 0,
  );
  const hidden = HELP.some((g) => g.lines.some((l) => !mayRun(l, mine, ctx)));
  const yours = role
    ? `These are the commands you can run as ${role === "manager" ? "a" : "an"} ${role}.`
    : "You're not a HeroDesk agent yet (an admin adds you with `/desk agent add @you`); these are what an agent can run.";
  return [
    `${HEADER} ${yours}`,
    ...groups.map((x) => renderGroup(x.g, x.lines)),
    hidden
      ? `Every command, including those for ${mine === "manager" ? "admins" : "managers and admins"}: \`/desk help all\`. ${FOOTER}`
      : FOOTER,
  ].join("\n\n");
}

/**
 * Slack mrkdwn: one topic's lines and notes; with no topic, the commands `role` may run (the whole
 * help when no role is given, or on `/desk help all`).
 */
export function helpText(
  topic?: string,
  role?: Role | null,
  ctx: HelpContext = { managersCanSetHeroes: false },
): string {
  const full = [HEADER, ...HELP.map((g) => renderGroup(g)), FOOTER].join("\n\n");
  const wanted = (topic ?? "")
    .trim()
    .toLowerCase()
    .replace(/^\/?desk\s+/, "");
  if (wanted === "" && role !== undefined) return helpFor(role, ctx);
  if (wanted === "" || wanted === "all") return full;
  const noteKey = Object.hasOwn(NOTE_ALIASES, wanted) ? NOTE_ALIASES[wanted]! : wanted;
  const noteText = Object.hasOwn(NOTES, noteKey) ? `\n\n${NOTES[noteKey]}` : "";
  const whole = HELP.find((g) => g.topics.includes(wanted));
  if (whole) return `${renderGroup(whole)}${noteText}`;
  const sections = HELP.map((g) => ({ g, lines: g.lines.filter((l) => l.topics.includes(wanted)) })).filter(
    (s) => s.lines.length > 0,
  );
  if (sections.length === 0) {
    return `There's no help on ${show(escapeSlackText(wanted))}. Here is everything:\n\n${full}`;
  }
  return `${sections.map((s) => renderGroup(s.g, s.lines)).join("\n\n")}${noteText}`;
}
