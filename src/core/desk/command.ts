// One `/desk` subcommand, declared once: what a person types, its usage and help, the permission it
// needs and its parser. The command groups (conversations.ts, heroes.ts, me.ts, setup.ts) list
// them; index.ts derives the parser, the usage, the help topics and the permission lookup.
import type { Action } from "../permissions.ts";
import type { Args } from "./args.ts";

/** One line of `/desk help`: the syntax as typed (plain text; escaped when shown), and what it does. */
export interface HelpLine {
  syntax: string;
  meaning: string;
  /** The topics it answers to (`/desk help <topic>`). */
  topics: readonly string[];
}

export interface CommandSpec<K extends string = string, P extends object = object> {
  kind: K;
  /** What a person types: a word, or a word and a verb (`hero make`). */
  phrase: string;
  /** Other ways to type it (`hero set`, `agents`). */
  aliases?: readonly string[];
  /** Only when nothing follows the phrase (`/desk status` shows, `/desk status away` sets). */
  bare?: boolean;
  /**
   * Plain text with concrete examples and no `<`, `>` or `&`, one line per form, so it is safe to
   * show in mrkdwn as it is (a `<customer>` placeholder would be read by Slack as markup and vanish).
   */
  usage: string;
  help: readonly HelpLine[];
  /** The permission it needs (src/core/permissions.ts); null: anyone may run it. */
  action: Action | null;
  /** Reads the arguments; whatever is left over afterwards is refused as too many arguments. */
  parse: (a: Args) => P;
}

/** Declares a subcommand; the command it parses to is `{ kind, ...what parse returns }`. */
export function command<K extends string, P extends object>(spec: CommandSpec<K, P>): CommandSpec<K, P> {
  return spec;
}

/** A note shown with the help of its topics. */
export interface HelpNote {
  topics: readonly string[];
  text: string;
}

/** A group of subcommands: one section of `/desk help`. */
export interface CommandGroup<C extends readonly CommandSpec[] = readonly CommandSpec[]> {
  title: string;
  topics: readonly string[];
  intro?: string;
  notes: readonly HelpNote[];
  commands: C;
}

/** The command a spec parses to. */
export type CommandOf<S> = S extends CommandSpec<infer K, infer P> ? { kind: K } & P : never;
