// The `/desk` syntax people read is the syntax the parser takes (issue 10, part 4): every command
// form in `/desk help`, in the usage lines, and in the README (its `/desk` reference table and any
// `/desk …` it quotes) is expanded into concrete commands (alternatives, optional parts,
// placeholders filled in as a person would) and each one parses.
import { readFileSync } from "node:fs";
import { describe, expect, it } from "vitest";
import { parseDeskCommand, USAGE } from "../../../src/core/desk/index.ts";
import { helpText } from "../../../src/slack/blocks/help.ts";

/** What a person types for each placeholder (mentions as Slack sends them, should_escape on). */
const PLACEHOLDERS: [RegExp, () => string][] = [
  [/^@[a-z]+$/, person],
  [/^<customer>$/, () => "cust-1"],
  [/^<name>$/, () => "Gold"],
  [/^<source>$/, () => "web"],
  [/^(<#channel>|#[a-z-]+)$/, () => "<#C0ACME|acme-support>"],
  [/^<attribute>=<value>$/, () => "language=es"],
  [/^<customer id or email>$/, () => "ada@example.com"],
  [/^<account>$/, () => "acme"],
  [/^<email>$/, () => "ada@example.com"],
  [/^#channel$/, () => "<#C0ACME|acme-support>"],
  [/^N$/, () => "5"],
];
/** Optional words that name a value: `[capacity]`, `[topic]`. */
const OPTIONAL_VALUES: Record<string, string> = { capacity: "5", topic: "hero" };
let people = 0;
function person() {
  people++;
  return `<@U0P${String(people).padStart(4, "0")}|p${people}>`;
}

/** Every concrete command a documented form stands for. */
function expand(form: string): string[] {
  const tokens = form
    .replace(/&lt;/g, "<")
    .replace(/&gt;/g, ">")
    .replace(/^\/desk\s+/, "")
    .trim()
    .split(/\s+/);
  let out: string[][] = [[]];
  for (const token of tokens) {
    const optional = /^\[(.*)\]$/.exec(token);
    const inner = optional ? optional[1]! : token;
    const choices = inner.includes("|") && !inner.startsWith("<") ? inner.split("|") : [inner];
    const filled = choices.map(
      (c) => (optional ? OPTIONAL_VALUES[c] : undefined) ?? PLACEHOLDERS.find(([p]) => p.test(c))?.[1]() ?? c,
    );
    out = out.flatMap((words) => [...filled.map((f) => [...words, f]), ...(optional ? [words] : [])]);
  }
  return out.map((words) => words.join(" "));
}

function expectParses(forms: string[], where: string) {
  expect(forms.length).toBeGreaterThan(0);
  for (const form of forms)
    for (const text of expand(form)) {
      const parsed = parseDeskCommand(text);
      if (!parsed.ok)
        throw new Error(`${where}: "${form}" → "/desk ${text}" does not parse: ${parsed.error}`);
    }
}

describe("documented /desk syntax parses", () => {
  it("every command in /desk help", () => {
    const forms = [...helpText().matchAll(/`(\/desk [^`]+)`/g)]
      .map((m) => m[1]!)
      .filter((f) => !/^\/desk$/.test(f));
    expectParses(forms, "/desk help");
  });

  it("every usage line", () => {
    expectParses(
      Object.values(USAGE).flatMap((u) => u.split("\n")),
      "usage",
    );
  });

  it("every command of the README's /desk reference, and every /desk it quotes", () => {
    const readme = readFileSync("README.md", "utf8");
    const table = readme.slice(readme.indexOf("### `/desk` reference"));
    const rows = table.slice(0, table.indexOf("\n\n", table.indexOf("| command")));
    const fromTable = [...rows.matchAll(/^\| (.*?) \|[^|\n]*\|$/gm)]
      .slice(2)
      .flatMap((m) => [...m[1]!.matchAll(/`([^`]+)`/g)].map((c) => c[1]!.replace(/\\\|/g, "|")));
    const quoted = [...readme.matchAll(/`(\/desk [^`]+)`/g)].map((m) => m[1]!);
    expectParses([...fromTable, ...quoted], "README");
  });
});
