// /desk commands on conversations: who holds them, closing, tags and priority, history, the queue
// and what waits.

import type { Args } from "./args.ts";
import { parseConversation } from "./args.ts";
import { command } from "./command.ts";

const oneConversation = (a: Args) => ({ conversation: a.conversation() });
const nothing = () => ({});

export const CONVERSATIONS = {
  title: "Conversations",
  topics: ["conversations", "conversation", "conv"],
  notes: [
    {
      topics: ["assign", "unassign", "reassign"],
      text: "You can also use the buttons on the conversation's card.",
    },
    {
      topics: ["tag", "untag", "priority", "tags", "triage"],
      text:
        "Any agent can tag a conversation and set its priority: triage is everyone's job. The card shows " +
        "both; `/desk queue` lists urgent and high first. Routing rules and response-target overrides " +
        "can match them (`/desk rule add tag=billing team Billing`, `priority=urgent`): a conversation " +
        "in the queue is routed again when one starts to match, and its due time follows.",
    },
  ],
  commands: [
    command({
      kind: "assign",
      phrase: "assign",
      usage: "/desk assign #42 @agent",
      help: [{ syntax: "assign #42 @agent", meaning: "give a conversation to an agent", topics: ["assign"] }],
      action: "assign",
      parse: (a: Args) => {
        const conversation = a.conversation();
        a.optional("to");
        return { conversation, agent: a.person("the agent") };
      },
    }),
    command({
      kind: "unassign",
      phrase: "unassign",
      usage: "/desk unassign #42",
      help: [{ syntax: "unassign #42", meaning: "put it back in the queue", topics: ["unassign"] }],
      action: "unassign",
      parse: oneConversation,
    }),
    command({
      kind: "reassign",
      phrase: "reassign",
      usage: "/desk reassign @from @to",
      help: [
        {
          syntax: "reassign @from @to",
          meaning: "move all of one agent's open conversations to another",
          topics: ["reassign"],
        },
      ],
      action: "reassign_bulk",
      parse: (a: Args) => {
        const first = a.peek();
        const n = first === undefined ? undefined : parseConversation(first);
        if (n !== undefined) {
          a.fail(
            `\`/desk reassign\` moves all of one agent's open conversations. To move #${n} alone, use \`/desk assign #${n} @agent\`.`,
          );
        }
        const from = a.person("whose conversations to move");
        a.optional("to");
        const to = a.person("who gets them");
        a.end();
        if (from === to)
          a.fail("That's the same person twice: name who gives the conversations and who gets them.");
        return { from, to };
      },
    }),
    command({
      kind: "close",
      phrase: "close",
      usage: "/desk close #42",
      help: [{ syntax: "close #42", meaning: "close a conversation", topics: ["close"] }],
      action: "close",
      parse: oneConversation,
    }),
    command({
      kind: "reopen",
      phrase: "reopen",
      usage: "/desk reopen #42",
      help: [{ syntax: "reopen #42", meaning: "reopen a closed conversation", topics: ["reopen"] }],
      action: "reopen",
      parse: oneConversation,
    }),
    command({
      kind: "tag",
      phrase: "tag",
      usage: "/desk tag #42 billing refund",
      help: [
        {
          syntax: "tag #42 billing refund",
          meaning: "tag a conversation (letters, digits, - and _)",
          topics: ["tag", "tags", "triage"],
        },
      ],
      action: "triage",
      parse: (a: Args) => ({ conversation: a.conversation(), tags: a.tags() }),
    }),
    command({
      kind: "untag",
      phrase: "untag",
      usage: "/desk untag #42 billing",
      help: [
        { syntax: "untag #42 billing", meaning: "remove tags", topics: ["untag", "tag", "tags", "triage"] },
      ],
      action: "triage",
      parse: (a: Args) => ({ conversation: a.conversation(), tags: a.tags() }),
    }),
    command({
      kind: "priority",
      phrase: "priority",
      usage: "/desk priority #42 low|normal|high|urgent",
      help: [
        {
          syntax: "priority #42 low|normal|high|urgent",
          meaning: "set a conversation's priority (normal until someone sets it)",
          topics: ["priority", "triage"],
        },
      ],
      action: "triage",
      parse: (a: Args) => ({ conversation: a.conversation(), priority: a.priority() }),
    }),
    command({
      kind: "history",
      phrase: "history",
      usage: "/desk history #42",
      help: [
        {
          syntax: "history #42",
          meaning: "every change of assignee and hero: who, when and why",
          topics: ["history"],
        },
      ],
      action: "history",
      parse: oneConversation,
    }),
    command({
      kind: "queue",
      phrase: "queue",
      usage: "/desk queue",
      help: [
        {
          syntax: "queue",
          meaning: "unassigned conversations: urgent and high first, then the longest waiting",
          topics: ["queue"],
        },
      ],
      action: "queue",
      parse: nothing,
    }),
    command({
      kind: "summary",
      phrase: "summary",
      usage: "/desk summary",
      help: [{ syntax: "summary", meaning: "post the assignment summary here now", topics: ["summary"] }],
      action: "summary",
      parse: nothing,
    }),
    command({
      kind: "waiting",
      phrase: "waiting",
      usage: "/desk waiting",
      help: [
        {
          syntax: "waiting",
          meaning: "what HeroDesk holds back (a channel it cannot post in, a missing scope…) and what to do",
          topics: ["waiting"],
        },
      ],
      action: "waiting",
      parse: nothing,
    }),
    command({
      kind: "waiting_retry",
      phrase: "waiting retry",
      usage: "/desk waiting retry",
      help: [
        { syntax: "waiting retry", meaning: "once fixed, send what waited at once", topics: ["waiting"] },
      ],
      action: "waiting_retry",
      parse: nothing,
    }),
  ] as const,
};
