// The `/desk` command table: every subcommand is declared once in its group's file; the parser, the
// usage, the help topics and the permission each needs are read from here. Pure: no I/O.
import type { Action } from "../permissions.ts";
import { Args, show, tokenize, UsageFailure, word } from "./args.ts";
import { type CommandGroup, type CommandOf, type CommandSpec, command } from "./command.ts";
import { CONVERSATIONS } from "./conversations.ts";
import { HEROES } from "./heroes.ts";
import { ME } from "./me.ts";
import { SETUP } from "./setup.ts";

export { MAX_CAPACITY, MAX_TEAM_NAME } from "./args.ts";
export type { CommandGroup, HelpLine, HelpNote } from "./command.ts";

const HELP = command({
  kind: "help",
  phrase: "help",
  aliases: ["?"],
  usage: "/desk help [topic]",
  help: [],
  action: null,
  parse: (a): { topic?: string } => {
    const topic = word(a.next());
    a.rest(); // the topic is one word; the rest is ignored
    return topic ? { topic } : {};
  },
});

/** The sections of `/desk help`, in order. */
export const DESK_GROUPS = [CONVERSATIONS, HEROES, ME, SETUP] as const satisfies readonly CommandGroup[];

const COMMANDS = [
  HELP,
  ...CONVERSATIONS.commands,
  ...HEROES.commands,
  ...ME.commands,
  ...SETUP.commands,
] as const;

type Spec = (typeof COMMANDS)[number];
export type DeskCommand = CommandOf<Spec>;
export type DeskCommandKind = DeskCommand["kind"];
/** The command of one kind, as its use case receives it. */
export type DeskCommandOf<K extends DeskCommandKind> = Extract<DeskCommand, { kind: K }>;
export type ParseResult = { ok: true; command: DeskCommand } | { ok: false; error: string; usage: string };

const SPECS = Object.fromEntries(COMMANDS.map((c) => [c.kind, c])) as unknown as {
  readonly [K in DeskCommandKind]: CommandSpec<K>;
};

/** What a first word leads to: one command, or a group of verbs (`hero make|reassign|…`). */
interface Head {
  name: string;
  single?: Spec;
  /** Only when nothing follows (`status`). */
  bare?: Spec;
  verbs: Map<string, Spec>;
  /** The verbs as the usage names them, in order (aliases left out). */
  canonical: string[];
}

const HEADS = new Map<string, Head>();
for (const spec of COMMANDS) {
  for (const phrase of [spec.phrase, ...(spec.aliases ?? [])]) {
    const [name, verb] = phrase.split(" ") as [string, string | undefined];
    const head: Head = HEADS.get(name) ?? { name, verbs: new Map(), canonical: [] };
    HEADS.set(name, head);
    if (verb === undefined) head[spec.bare ? "bare" : "single"] = spec;
    else {
      head.verbs.set(verb, spec);
      if (phrase === spec.phrase) head.canonical.push(verb);
    }
  }
}

const usageOfGroup = (head: Head) => head.canonical.map((v) => head.verbs.get(v)!.usage).join("\n");
const groups = [...HEADS.values()].filter((h) => h.canonical.length > 1 && !h.single);
const firstWords = [...new Set(COMMANDS.map((c) => c.phrase.split(" ")[0]!))].filter((w) => w !== "help");

/**
 * Usage per subcommand, keyed by command kind, plus `general` (for an unknown subcommand) and the
 * groups `hero`, `agent`, `team` and `rule` (one line per form). Plain text without `<`, `>` or `&`.
 */
export const USAGE = {
  ...Object.fromEntries(COMMANDS.map((c) => [c.kind, c.usage])),
  ...Object.fromEntries(groups.map((h) => [h.name, usageOfGroup(h)])),
  general: `/desk help   or   /desk ${firstWords.join("|")} …`,
} as Readonly<Record<DeskCommandKind | "hero" | "agent" | "team" | "rule" | "general", string>>;
export type UsageKey = keyof typeof USAGE;

/** The topics `/desk help <topic>` knows, lower case. */
export const HELP_TOPICS: readonly string[] = [
  ...new Set(
    DESK_GROUPS.flatMap((g) => [...g.topics, ...g.commands.flatMap((c) => c.help.flatMap((l) => l.topics))]),
  ),
];

/** The permission a `/desk` command needs; null: anyone may run it (help). */
export function commandAction(command: DeskCommand): Action | null {
  return SPECS[command.kind].action;
}

/** Which command the words name, and the words left for its arguments. */
function resolve(tokens: readonly string[]): { spec: Spec; args: readonly string[] } {
  const head = HEADS.get(word(tokens[0]))!;
  const verb = tokens[1];
  const byVerb = verb === undefined ? undefined : head.verbs.get(word(verb));
  if (byVerb) return { spec: byVerb, args: tokens.slice(2) };
  if (head.bare && tokens.length === 1) return { spec: head.bare, args: [] };
  if (head.single) return { spec: head.single, args: tokens.slice(1) };
  const usage = usageOfGroup(head);
  const list = head.canonical;
  if (verb === undefined)
    throw new UsageFailure(`Say what to do: /desk ${head.name} ${list.join("|")}.`, usage);
  const choices = `${list.slice(0, -1).join(", ")} or ${list.at(-1)}`;
  throw new UsageFailure(`Unknown ${head.name} command ${show(verb)}: use ${choices}.`, usage);
}

export function parseDeskCommand(text: string): ParseResult {
  const tokens = tokenize(text ?? "");
  const [first] = tokens;
  if (first === undefined) return { ok: true, command: { kind: "help" } };
  if (!HEADS.has(word(first))) {
    const guess = closest(word(first));
    return {
      ok: false,
      error: `Unknown subcommand ${show(first)}.${guess ? ` Did you mean ${show(guess)}?` : ""}`,
      usage: USAGE.general,
    };
  }
  try {
    const { spec, args } = resolve(tokens);
    const a = new Args(args, spec.usage);
    const parsed = spec.parse(a);
    a.end();
    return { ok: true, command: { kind: spec.kind, ...parsed } as DeskCommand };
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
  for (const name of HEADS.keys()) {
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
