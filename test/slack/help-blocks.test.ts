// /desk help, rendered from the command table (src/core/desk/) by src/slack/blocks/help.ts.
import { describe, expect, it } from "vitest";
import { HELP_TOPICS, parseDeskCommand } from "../../src/core/desk/index.ts";
import { helpText } from "../../src/slack/blocks/help.ts";

describe("helpText", () => {
  const full = helpText();
  const line = (text: string, command: string) =>
    text.split("\n").find((l) => l.startsWith(`• \`/desk ${command}`)) ?? `no line for ${command}`;

  it("groups the commands: Conversations, Heroes, Me, Setup", () => {
    const titles = [...full.matchAll(/^\*(\w+)\*/gm)].map((m) => m[1]);
    expect(titles).toEqual(["HeroDesk", "Conversations", "Heroes", "Me", "Setup"]);
  });

  it.each([
    "assign",
    "unassign",
    "reassign",
    "close",
    "reopen",
    "history",
    "queue",
    "summary",
    "hero make",
    "hero reassign",
    "hero remove",
    "hero show",
    "status",
    "subscribe",
    "unsubscribe",
    "agent add",
    "agent capacity",
    "agent remove",
    "agent list",
    "role",
    "team add",
    "team remove",
    "team join",
    "team leave",
    "team list",
    "rule add",
    "rule list",
    "rule move",
    "rule remove",
  ])("has a line for /desk %s", (command) => {
    expect(line(full, command)).toMatch(/^• `\/desk .+`: \S/);
  });

  it.each([
    ["assign", "_(managers and admins)_"],
    ["unassign", "_(managers and admins)_"],
    ["reassign", "_(managers and admins)_"],
    ["summary", "_(managers and admins)_"],
    ["close", "_(the assignee, managers and admins)_"],
    ["reopen", "_(the assignee, managers and admins)_"],
    ["hero reassign", "_(the assignee, managers and admins)_"],
    ["hero make", "_(admins, and managers if an admin allows it)_"],
    ["hero remove", "_(admins)_"],
    ["agent add", "_(admins)_"],
    ["role", "_(admins)_"],
    ["team join", "_(admins)_"],
    ["rule add", "_(admins)_"],
  ])("says who may run /desk %s", (command, who) => {
    expect(line(full, command).endsWith(who)).toBe(true);
  });

  it.each(["queue", "history", "status", "hero show", "subscribe"])(
    "puts no restriction on /desk %s",
    (command) => {
      expect(line(full, command)).not.toContain("_(");
    },
  );

  it.each(["", ...HELP_TOPICS, "foo", "&lt;b&gt;", "<b>"])(
    "topic %j is mrkdwn-safe: no raw < or >",
    (topic) => {
      expect(helpText(topic).replace(/&(lt|gt|amp);/g, "")).not.toMatch(/[<>&]/);
    },
  );

  it.each(HELP_TOPICS)("knows the topic %s", (topic) => {
    const text = helpText(topic);
    expect(text).not.toMatch(/^There's no help/);
    expect(text.length).toBeLessThan(full.length);
  });

  it("shows one topic: its lines and what to know", () => {
    const hero = helpText("hero");
    expect(hero).toContain("/desk hero make &lt;customer&gt; @agent");
    expect(hero).toContain("/desk hero show");
    expect(hero).toContain("never moves the open conversation");
    expect(hero).not.toContain("/desk team add");
    const team = helpText("team");
    expect(team).toContain("/desk team join &lt;name&gt; @user @user");
    expect(team).not.toContain("/desk rule add");
  });

  it("ignores case and a leading /desk in the topic", () => {
    expect(helpText("RULE")).toBe(helpText("rule"));
    expect(helpText("/desk rule")).toBe(helpText("rule"));
    expect(helpText("  ")).toBe(full);
  });

  it("says when there is no such topic, then shows everything", () => {
    expect(helpText("foo")).toBe(`There's no help on \`foo\`. Here is everything:\n\n${full}`);
    expect(helpText("constructor")).toMatch(/^There's no help on `constructor`/);
  });

  it("is what /desk help shows: the parsed topic is a known one", () => {
    for (const text of ["help", "help hero", "help team", "help rules", "help status", "help agents"]) {
      const result = parseDeskCommand(text);
      if (!result.ok || result.command.kind !== "help") throw new Error(text);
      expect(helpText(result.command.topic)).not.toMatch(/^There's no help/);
    }
  });
});
