// Reading the words after `/desk`. The manifest declares the command with `should_escape: true`, so
// Slack sends people as <@U123> or <@U123|name>, channels as <#C123|name> or <#C123>, emails as
// <mailto:a@b.c|a@b.c>, and `&`, `<`, `>` typed as text as &amp; &lt; &gt;. Free text (team names,
// customers, sources, rule conditions) comes back decoded; the caller escapes it again wherever it is
// shown in mrkdwn. Pure: no I/O, and nothing here knows a subcommand.
import { MAX_ACCOUNT_NAME } from "../dedicated-hero.ts";
import { AVAILABILITIES, type Availability, ROLES, type Role } from "../domain.ts";
import { unescapeSlackText } from "../slack-text.ts";
import { PRIORITY_CHOICES, type Priority, priorityOf, TAG_LIMITS, TAG_RULE, tagOf } from "../triage.ts";

/** Largest capacity `/desk agent add|capacity` accepts; 0 means unlimited. */
export const MAX_CAPACITY = 1000;
/** Longest team name accepted. */
export const MAX_TEAM_NAME = 80;

/** Whose Dedicated Hero `/desk hero` is about: a customer reference, a customer channel, an account. */
export type HeroSubjectRef = string | { channel: string } | { account: string };

const MENTION = /^<@([UW][A-Z0-9]+)(?:\|[^<>]*)?>$/;
const CHANNEL = /^<#([CG][A-Z0-9]+)(?:\|[^<>]*)?>$/;
const MAILTO = /^<mailto:([^|<>]+)(?:\|[^<>]*)?>$/i;
const CONVERSATION = /^#?(\d{1,10})$/;
const MAX_ID = 2_147_483_647; // conversation ids are 32-bit ints in the database

/** Words, keeping Slack markup such as <@U1|Ada Lovelace> whole even when its label has spaces. */
export function tokenize(text: string): string[] {
  return text.match(/<[^<>]*>|[^\s<]+|</g) ?? [];
}

/**
 * A token of the command echoed in an answer: in backticks, shortened, without breaking the code
 * span. A special mention in it (`<!channel>`, `<!here>`, `<!subteam^…>`: Slack escapes a typed `<`,
 * so this is markup) is escaped to show as written, never as a mention in HeroDesk's answer; a
 * person or channel shows as Slack shows it.
 */
export function show(token: string): string {
  const chars = Array.from(token.replace(/`/g, "'"));
  const cut = chars.length > 40 ? `${chars.slice(0, 39).join("")}…` : chars.join("");
  return `\`${cut.replace(/<!([^>]*)>?/g, (m) => m.replace(/</g, "&lt;").replace(/>/g, "&gt;"))}\``;
}

/** A token as a keyword: decoded, lower case. */
export const word = (token: string | undefined) =>
  token === undefined ? "" : unescapeSlackText(token).toLowerCase();
const isMarkup = (token: string) => token.startsWith("<");

/** A usage error: what is wrong, and the usage of the subcommand it happened in. */
export class UsageFailure extends Error {
  constructor(
    message: string,
    readonly usage: string,
  ) {
    super(message);
  }
}

/** The arguments of one subcommand, read left to right; every failure carries that subcommand's usage. */
export class Args {
  private i = 0;
  constructor(
    private readonly tokens: readonly string[],
    private readonly usage: string,
  ) {}

  peek(ahead = 0): string | undefined {
    return this.tokens[this.i + ahead];
  }
  next(): string | undefined {
    return this.tokens[this.i++];
  }
  /** The words not read yet, without reading them. */
  remaining(): readonly string[] {
    return this.tokens.slice(this.i);
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

  availability(token: string): Availability {
    return (
      AVAILABILITIES.find((s) => s === word(token)) ??
      this.fail(`${show(token)} is not a status: use online, away or offline.`)
    );
  }

  priority(): Priority {
    const token = this.next();
    if (token === undefined) this.fail(`Missing the priority: ${PRIORITY_CHOICES}.`);
    return priorityOf(word(token)) ?? this.fail(`${show(token)} is not a priority: use ${PRIORITY_CHOICES}.`);
  }

  /** One or more tags from the remaining words (commas allowed), each once, lower case. */
  tags(): string[] {
    const tags: string[] = [];
    for (const token of this.rest().flatMap((t) => t.split(","))) {
      if (token === "") continue;
      const tag = tagOf(unescapeSlackText(token));
      if (!tag) this.fail(`${show(token)} is not a tag: use ${TAG_RULE}, like billing.`);
      if (!tags.includes(tag)) tags.push(tag);
    }
    if (tags.length === 0) this.fail("Say which tags, like billing or refund.");
    if (tags.length > TAG_LIMITS.perConversation)
      this.fail(`A conversation can have at most ${TAG_LIMITS.perConversation} tags.`);
    return tags;
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
    if (isMarkup(token))
      this.fail(
        `${show(token)} is not a customer: use their customer id or email, an account or a #channel.`,
      );
    return unescapeSlackText(token);
  }

  /** A channel, as Slack sends it (`<#C123|name>`) or its bare id. */
  channel(): string {
    const token = this.next();
    if (token === undefined) this.fail("Missing the channel, like #acme-support.");
    const channel = CHANNEL.exec(token);
    if (channel) return channel[1]!;
    if (/^[CG][A-Z0-9]{2,}$/.test(token)) return token;
    this.fail(`${show(token)} is not a channel: pick it with #, like #acme-support.`);
  }

  /**
   * Whose hero: a customer (id, `source:id` or email: the service also finds an account of that
   * name), a customer channel (`#acme-support`), or `account <name>`. `until` ends an account's
   * name (the hero follows it in `hero make`).
   */
  heroSubject(until: (token: string) => boolean = () => false): HeroSubjectRef {
    const token = this.peek();
    if (token !== undefined) {
      const channel = CHANNEL.exec(token);
      if (channel) {
        this.next();
        return { channel: channel[1]! };
      }
      if (word(token) === "account") {
        this.next();
        const words: string[] = [];
        while (this.peek() !== undefined && !until(this.peek()!)) words.push(this.next()!);
        if (!words.length) this.fail("Missing the account's name, like acme.");
        const markup = words.find(isMarkup);
        if (markup !== undefined)
          this.fail(`Account names are plain words: ${show(markup)} can't be part of one.`);
        const name = unescapeSlackText(words.join(" ")).trim();
        if (Array.from(name).length > MAX_ACCOUNT_NAME)
          this.fail(`Account names can be at most ${MAX_ACCOUNT_NAME} characters.`);
        return { account: name };
      }
    }
    return this.customer();
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
    if (tokens.length === 0) this.fail("Missing the team name, like Tier 2.");
    const markup = tokens.find(isMarkup);
    if (markup !== undefined) this.fail(`Team names are plain words: ${show(markup)} can't be part of one.`);
    const name = unescapeSlackText(tokens.join(" ")).trim();
    if (Array.from(name).length > MAX_TEAM_NAME)
      this.fail(`Team names can be at most ${MAX_TEAM_NAME} characters.`);
    return name;
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

export function parseConversation(token: string): number | undefined {
  const m = CONVERSATION.exec(token);
  const n = m ? Number(m[1]) : 0;
  return n >= 1 && n <= MAX_ID ? n : undefined;
}

export function userIdOf(token: string): string | undefined {
  return MENTION.exec(token)?.[1];
}

export function roleOf(token: string): Role | undefined {
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
