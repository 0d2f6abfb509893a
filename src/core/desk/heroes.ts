// /desk commands on Dedicated Heroes.
import type { HeroRef } from "../domain.ts";
import type { Args, HeroSubjectRef } from "./args.ts";
import { show, userIdOf, word } from "./args.ts";
import { command } from "./command.ts";

const oneSubject = (a: Args) => ({ customer: a.heroSubject() });
/** The hero follows the account's name in `hero make`: a person, or `team`. */
const heroStarts = (token: string) => userIdOf(token) !== undefined || word(token) === "team";

export const HEROES = {
  title: "Heroes",
  topics: ["heroes", "hero"],
  intro:
    "A customer's Dedicated Hero (an agent or a team) gets their new conversations first. Heroes can also be set on an account or a customer channel; the customer's own hero wins, then the channel's, then the account's.",
  notes: [
    {
      topics: ["hero", "heroes"],
      text:
        "An online hero with free capacity gets the customer's new conversation at once. A hero at capacity gets " +
        "it if capacity frees within the source's hero wait (5 minutes unless set otherwise); after that, and " +
        "straight away when the hero is away or offline, normal routing takes over. A conversation someone else " +
        "holds stays with them until it closes. `hero make` never moves the open conversation; `hero reassign` does.",
    },
  ],
  commands: [
    command({
      kind: "hero_make",
      phrase: "hero make",
      aliases: ["hero set"],
      usage: "/desk hero make cust-1 @agent\n/desk hero make cust-1 team Tier 2",
      help: [
        {
          syntax: "hero make <customer> @agent",
          meaning: "make an agent the customer's hero; the open conversation stays where it is",
          topics: ["hero"],
        },
        {
          syntax: "hero make <customer> team <name>",
          meaning: "make a team the hero: its available member with the most free capacity gets the work",
          topics: ["hero"],
        },
        {
          syntax: "hero make <account> @agent",
          meaning:
            "the hero of everyone in an account (a Slack Connect organisation; `account Acme Corp` makes one); a customer's own hero wins",
          topics: ["hero", "account", "accounts"],
        },
        {
          syntax: "hero make #channel team <name>",
          meaning:
            "the hero of a customer channel's conversations; a customer's own hero wins, then the channel's",
          topics: ["hero", "channel"],
        },
        {
          syntax: "hero make <email> @agent",
          meaning:
            "the hero of a customer who has not written yet (by email, or as `source:id`): theirs from their first message",
          topics: ["hero"],
        },
      ],
      action: "hero_make",
      parse: (a: Args): { customer: HeroSubjectRef; hero: HeroRef } => {
        const customer = a.heroSubject(heroStarts);
        const next = a.peek();
        if (next === undefined)
          a.fail("Say who the hero is: a person like @alice, or `team` and the team's name.");
        if (word(next) === "team") {
          a.next();
          return { customer, hero: { kind: "team", team: a.team() } };
        }
        const userId = userIdOf(next);
        if (!userId) a.fail(`Expected a person like @alice or \`team\` and a team name, got ${show(next)}.`);
        a.next();
        return { customer, hero: { kind: "agent", userId } };
      },
    }),
    command({
      kind: "hero_reassign",
      phrase: "hero reassign",
      usage: "/desk hero reassign #42",
      help: [
        {
          syntax: "hero reassign #42",
          meaning: "give the conversation to the customer's hero",
          topics: ["hero"],
        },
      ],
      action: "hero_reassign",
      parse: (a: Args) => ({ conversation: a.conversation() }),
    }),
    command({
      kind: "hero_remove",
      phrase: "hero remove",
      aliases: ["hero rm", "hero delete"],
      usage: "/desk hero remove cust-1",
      help: [
        {
          syntax: "hero remove <customer>",
          meaning: "the customer (or account, or #channel) has no hero any more",
          topics: ["hero"],
        },
      ],
      action: "hero_remove",
      parse: oneSubject,
    }),
    command({
      kind: "hero_show",
      phrase: "hero show",
      usage: "/desk hero show cust-1",
      help: [
        {
          syntax: "hero show <customer>",
          meaning: "who the hero of the customer (or account, or #channel) is",
          topics: ["hero"],
        },
      ],
      action: "hero_show",
      parse: oneSubject,
    }),
  ] as const,
};
