// /desk commands that change or show the setup: agents, roles, teams and routing rules.
import type { Role } from "../domain.ts";
import { unescapeSlackText } from "../slack-text.ts";
import { triageConditionProblem } from "../triage.ts";
import { type Args, roleOf, show, tokenize, userIdOf, word } from "./args.ts";
import { command } from "./command.ts";

const nothing = () => ({});
const teamByName = (a: Args) => ({ team: a.team() });

/** `team join Tier 2 @ann @bob`: the name runs up to the first person. */
function teamMembers(who: string) {
  return (a: Args) => {
    const tokens = a.rest();
    const first = tokens.findIndex((t) => userIdOf(t.replace(/,+$/, "")) !== undefined);
    if (first === 0) a.fail("Missing the team name before the people, like Tier 2.");
    const team = a.team(first === -1 ? tokens : tokens.slice(0, first));
    return { team, userIds: a.people(who, first === -1 ? [] : tokens.slice(first)) };
  };
}

// `language=es`, `language = es`, `country="United States"` (Slack may turn quotes into curly ones).
const CONDITION = /^([^\s="“”]+)\s*=\s*(?:"([^"]*)"|“([^”]*)”|([^\s"“”]+))/;
// What separates the condition from the team: `team`, or an arrow (`>` arrives escaped).
const TEAM_KEYWORD = /^\s+(?:team|->|-&gt;|→)(?:\s+|$)/i;

const AGENT_TOPICS = ["agent", "agents", "capacity"];
const TEAM_TOPICS = ["team", "teams"];
const RULE_TOPICS = ["rule", "rules"];

export const SETUP = {
  title: "Setup",
  topics: ["setup", "admin", "config"],
  notes: [
    {
      topics: ["agent", "agents", "capacity", "role", "roles"],
      text:
        "Roles: *agent* claims and answers conversations; *manager* also assigns, reassigns and posts summaries; " +
        "*admin* can do everything, including setup. Capacity is the most open conversations an agent holds at " +
        "once; 0 means unlimited.",
    },
    {
      topics: TEAM_TOPICS,
      text: "A team can be a customer's hero or where a rule sends conversations. Names may have spaces: `/desk team join Tier 2 EU @alice @bob`.",
    },
    {
      topics: RULE_TOPICS,
      text:
        "Rules match customer attributes sent with their messages (language, country, plan, …). They are " +
        'checked top to bottom and the first match wins; with no match, every agent can get the conversation. Quote values with spaces: `country="United States"`.',
    },
  ],
  commands: [
    command({
      kind: "agent_add",
      phrase: "agent add",
      usage: "/desk agent add @user [agent|manager|admin] [capacity]",
      help: [
        {
          syntax: "agent add @user [agent|manager|admin] [capacity]",
          meaning:
            "add someone to HeroDesk (default: agent, with the config's defaultCapacity; the answer says which)",
          topics: AGENT_TOPICS,
        },
      ],
      action: "setup",
      // Role and capacity when given (a new agent: agent, the default capacity; someone already added keeps theirs).
      parse: (a: Args): { userId: string; role?: Role; capacity?: number } => {
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
          userId,
          ...(role !== undefined ? { role } : {}),
          ...(capacity !== undefined ? { capacity } : {}),
        };
      },
    }),
    command({
      kind: "agent_capacity",
      phrase: "agent capacity",
      usage: "/desk agent capacity @user 5",
      help: [
        {
          syntax: "agent capacity @user 5",
          meaning: "the most open conversations they hold at once; 0 = unlimited",
          topics: AGENT_TOPICS,
        },
      ],
      action: "setup",
      parse: (a: Args) => ({ userId: a.person("the agent"), capacity: a.capacity() }),
    }),
    command({
      kind: "agent_remove",
      phrase: "agent remove",
      aliases: ["agent rm", "agent delete"],
      usage: "/desk agent remove @user",
      help: [
        {
          syntax: "agent remove @user",
          meaning: "take someone out of HeroDesk",
          topics: ["agent", "agents"],
        },
      ],
      action: "setup",
      parse: (a: Args) => ({ userId: a.person("the person to remove") }),
    }),
    command({
      kind: "agent_list",
      phrase: "agent list",
      aliases: ["agent ls", "agents"],
      usage: "/desk agent list",
      help: [
        {
          syntax: "agent list",
          meaning: "everyone, with role, status, capacity and open conversations",
          topics: ["agent", "agents"],
        },
      ],
      action: "setup_read",
      parse: nothing,
    }),
    command({
      kind: "role",
      phrase: "role",
      usage: "/desk role @user agent|manager|admin",
      help: [
        {
          syntax: "role @user agent|manager|admin",
          meaning: "change someone's role",
          topics: ["role", "roles", "agent"],
        },
      ],
      action: "setup",
      parse: (a: Args) => {
        // Forgiving about order: `role @bob manager` or `role manager @bob`.
        const first = a.peek();
        if (first !== undefined && roleOf(first) !== undefined && a.peek(1) !== undefined) {
          const role = a.role();
          return { userId: a.person("the person"), role };
        }
        const userId = a.person("the person");
        return { userId, role: a.role() };
      },
    }),
    command({
      kind: "team_add",
      phrase: "team add",
      aliases: ["team create"],
      usage: "/desk team add Tier 2",
      help: [
        { syntax: "team add <name>", meaning: "create a team (names may have spaces)", topics: TEAM_TOPICS },
      ],
      action: "setup",
      parse: teamByName,
    }),
    command({
      kind: "team_remove",
      phrase: "team remove",
      aliases: ["team rm", "team delete"],
      usage: "/desk team remove Tier 2",
      help: [{ syntax: "team remove <name>", meaning: "delete a team", topics: TEAM_TOPICS }],
      action: "setup",
      parse: teamByName,
    }),
    command({
      kind: "team_join",
      phrase: "team join",
      usage: "/desk team join Tier 2 @user @user",
      help: [
        { syntax: "team join <name> @user @user", meaning: "add people to a team", topics: TEAM_TOPICS },
      ],
      action: "setup",
      parse: teamMembers("who joins the team"),
    }),
    command({
      kind: "team_leave",
      phrase: "team leave",
      usage: "/desk team leave Tier 2 @user",
      help: [
        { syntax: "team leave <name> @user", meaning: "take people out of a team", topics: TEAM_TOPICS },
      ],
      action: "setup",
      parse: teamMembers("who leaves the team"),
    }),
    command({
      kind: "team_list",
      phrase: "team list",
      aliases: ["team ls", "teams"],
      usage: "/desk team list",
      help: [{ syntax: "team list", meaning: "teams and their members", topics: TEAM_TOPICS }],
      action: "setup_read",
      parse: nothing,
    }),
    command({
      kind: "rule_add",
      phrase: "rule add",
      usage: "/desk rule add language=es team Spanish",
      help: [
        {
          syntax: "rule add <attribute>=<value> team <name>",
          meaning:
            "send conversations whose customer attribute, tag or priority matches to a team, like language=es team Spanish or tag=billing team Billing",
          topics: RULE_TOPICS,
        },
      ],
      action: "setup",
      parse: (a: Args) => {
        const tokens = a.rest();
        const text = tokens.join(" ");
        if (text === "") a.fail("Missing the condition, like language=es, and the team it routes to.");
        const condition = CONDITION.exec(text);
        if (!condition) a.fail(`Expected a condition like language=es, got ${show(tokens[0]!)}.`);
        const attribute = unescapeSlackText(condition[1]!);
        const value = unescapeSlackText((condition[2] ?? condition[3] ?? condition[4] ?? "").trim());
        if (value === "") a.fail(`The condition ${show(condition[0])} has no value, like language=es.`);
        // `tag` and `priority` are the conversation's own: a value no one can set would route nothing.
        const never = triageConditionProblem(attribute, value);
        if (never) a.fail(`${show(value)} ${never}.`);
        const after = text.slice(condition[0].length);
        if (after.trim() === "")
          a.fail("Say which team gets these conversations: add `team` and its name, like `team Spanish`.");
        const keyword = TEAM_KEYWORD.exec(after);
        if (!keyword)
          a.fail(`Expected \`team\` and a team name after the condition, got ${show(after.trim())}.`);
        return { attribute, value, team: a.team(tokenize(after.slice(keyword[0].length))) };
      },
    }),
    command({
      kind: "rule_move",
      phrase: "rule move",
      aliases: ["rule mv"],
      usage: "/desk rule move 3 1",
      help: [{ syntax: "rule move 3 1", meaning: "move rule 3 to position 1", topics: RULE_TOPICS }],
      action: "setup",
      parse: (a: Args) => {
        const from = a.position("the position of the rule to move");
        a.optional("to");
        return { from, to: a.position("the position to move it to") };
      },
    }),
    command({
      kind: "rule_remove",
      phrase: "rule remove",
      aliases: ["rule rm", "rule delete"],
      usage: "/desk rule remove 2",
      help: [{ syntax: "rule remove 2", meaning: "delete rule 2", topics: RULE_TOPICS }],
      action: "setup",
      // 1-based, as shown by `rule list`.
      parse: (a: Args) => ({ position: a.position("the rule's position") }),
    }),
    command({
      kind: "rule_list",
      phrase: "rule list",
      aliases: ["rule ls", "rules"],
      usage: "/desk rule list",
      help: [
        { syntax: "rule list", meaning: "the rules, in the order they are checked", topics: RULE_TOPICS },
      ],
      action: "setup_read",
      parse: nothing,
    }),
    command({
      kind: "channel_add",
      phrase: "channel add",
      usage: "/desk channel add #acme-support",
      help: [
        {
          syntax: "channel add <#channel>",
          meaning:
            'make a channel a customer channel of the source whose customerChannels is "invited": its customers\' messages become conversations',
          topics: ["channel", "channels", "slack"],
        },
      ],
      action: "setup",
      parse: (a: Args) => ({ channel: a.channel() }),
    }),
    command({
      kind: "channel_remove",
      phrase: "channel remove",
      aliases: ["channel rm"],
      usage: "/desk channel remove #acme-support",
      help: [
        {
          syntax: "channel remove <#channel>",
          meaning: "a customer channel no longer starts conversations (open ones go on)",
          topics: ["channel", "channels", "slack"],
        },
      ],
      action: "setup",
      parse: (a: Args) => ({ channel: a.channel() }),
    }),
  ] as const,
};
