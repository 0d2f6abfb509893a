// Admin set-up through /desk as a team meets it in real use: adding someone twice, roles for people
// who are not agents yet, team changes that are partly refused, and `/desk status` on its own.
import { afterEach, describe, expect, it } from "vitest";
import { customerMessage, type Stack, startStack } from "../helpers/stack.ts";

const ADMIN = "U0ADMIN";
const MONA = "U0MONA";
const BOB = "U0BOB";
const NOBODY = "U0NOBODY";

let stack: Stack;
afterEach(async () => {
  await stack?.stop();
});

async function setup() {
  stack = await startStack();
  stack.addPerson(MONA, "Mona Manager");
  stack.addPerson(BOB, "Bob Baker");
  stack.addPerson(NOBODY, "Nobody Yet");
  expect(await stack.desk(ADMIN, `agent add <@${MONA}> manager 4`)).toBe(
    `<@${MONA}> is a HeroDesk manager (up to 4 open conversations). They go online with \`/desk status online\`.`,
  );
  expect(await stack.desk(ADMIN, `agent add <@${BOB}> 1`)).toBe(
    `<@${BOB}> is a HeroDesk agent (up to 1 open conversation). They go online with \`/desk status online\`.`,
  );
  return stack;
}

const agentList = () => stack.desk(ADMIN, "agent list");

describe("/desk agent add, again", () => {
  it("keeps the role and capacity of someone already added, and says how to change them", async () => {
    await setup();
    expect(await stack.desk(ADMIN, `agent add <@${MONA}>`)).toBe(
      `<@${MONA}> is already a manager (up to 4 open conversations). ` +
        "Change that with `/desk role @them manager` or `/desk agent capacity @them 5`.",
    );
    expect(await agentList()).toContain(`<@${MONA}>: manager, offline, 0 open of 4`);
  });

  it("changes only what the command names", async () => {
    await setup();
    expect(await stack.desk(ADMIN, `agent add <@${MONA}> 7`)).toBe(
      `<@${MONA}> is now a HeroDesk manager (up to 7 open conversations).`,
    );
    expect(await agentList()).toContain(`<@${MONA}>: manager, offline, 0 open of 7`);
  });

  it("brings back someone who was removed, as they were", async () => {
    await setup();
    await stack.desk(ADMIN, `agent remove <@${MONA}>`);
    expect(await agentList()).not.toContain(`<@${MONA}>`);
    expect(await stack.desk(ADMIN, `agent add <@${MONA}>`)).toBe(
      `<@${MONA}> is a HeroDesk manager (up to 4 open conversations) again. They go online with \`/desk status online\`.`,
    );
  });
});

describe("/desk agent add, for someone who cannot hold conversations", () => {
  it("refuses a user Slack does not know, a deactivated one, and a bot, and adds nobody", async () => {
    await setup();
    const bot = stack.emulator.workspace.bot.userId;
    stack.emulator.workspace.deactivateUser(NOBODY);
    expect(await stack.desk(ADMIN, "agent add <@U0GHOST>")).toBe(
      "<@U0GHOST> is not in this Slack workspace, so they cannot be a HeroDesk agent.",
    );
    expect(await stack.desk(ADMIN, `agent add <@${NOBODY}>`)).toBe(
      `<@${NOBODY}> is deactivated in Slack, so they cannot be a HeroDesk agent.`,
    );
    expect(await stack.desk(ADMIN, `agent add <@${bot}> 3`)).toBe(
      `<@${bot}> is a bot, so they cannot be a HeroDesk agent.`,
    );
    const list = await agentList();
    for (const id of ["U0GHOST", NOBODY, bot]) expect(list).not.toContain(`<@${id}>`);
  });

  it("asks about permission first: an agent learns only that set-up is for admins", async () => {
    await setup();
    const answer = await stack.desk(BOB, "agent add <@U0GHOST>");
    expect(answer).not.toContain("workspace");
    expect(answer).toMatch(/admin/i);
  });
});

describe("/desk role", () => {
  it("is for agents: it never adds someone on the side", async () => {
    await setup();
    expect(await stack.desk(ADMIN, `role <@${NOBODY}> manager`)).toBe(
      `<@${NOBODY}> is not a HeroDesk agent; add them with \`/desk agent add @them manager\`.`,
    );
    expect(await agentList()).not.toContain(`<@${NOBODY}>`);
    expect(await stack.desk(ADMIN, `role <@${BOB}> agent`)).toBe(`<@${BOB}> is now an agent.`);
  });
});

describe("/desk team join and leave", () => {
  it("a refusal for one person changes nothing for the others", async () => {
    await setup();
    await stack.desk(ADMIN, "team add Silver");
    expect(await stack.desk(ADMIN, `team join Silver <@${BOB}> <@${NOBODY}>`)).toBe(
      `<@${NOBODY}> is not a HeroDesk agent; add them first with \`/desk agent add @them\`. Nobody joined team Silver.`,
    );
    expect(await stack.desk(ADMIN, "team list")).toBe("*Silver*: _nobody yet_");
  });

  it("says who was already in, or not in, the team", async () => {
    await setup();
    await stack.desk(ADMIN, "team add Silver");
    await stack.desk(ADMIN, `team join Silver <@${BOB}>`);
    expect(await stack.desk(ADMIN, `team join Silver <@${BOB}> <@${MONA}>`)).toBe(
      `<@${MONA}> joined team Silver.\n<@${BOB}> already in team Silver.`,
    );
    expect(await stack.desk(ADMIN, `team leave Silver <@${MONA}>`)).toBe(`<@${MONA}> left team Silver.`);
    expect(await stack.desk(ADMIN, `team leave Silver <@${MONA}>`)).toBe(`<@${MONA}> not in team Silver.`);
    expect(await stack.desk(ADMIN, "team list")).toBe(`*Silver*: <@${BOB}>`);
  });
});

describe("/desk status on its own", () => {
  it("tells agents where they stand and how to change it", async () => {
    await setup();
    expect(await stack.desk(BOB, "status")).toBe(
      "You are offline, with 0 open conversations of 1. Change it with `/desk status online` or `/desk status away`.",
    );
    await stack.desk(BOB, "status online");
    expect(await stack.desk(BOB, "status")).toBe(
      "You are online, with 0 open conversations of 1. Change it with `/desk status away` or `/desk status offline`.",
    );
  });
});

describe("/desk rule move with no rules", () => {
  it("says there are none, with an example", async () => {
    await setup();
    expect(await stack.desk(ADMIN, "rule move 1 2")).toBe(
      "There are no rules yet: `/desk rule add language=es team Spanish`.",
    );
  });
});

describe("customers named by email", () => {
  it("match whatever the capitals, as Slack's autocomplete writes them", async () => {
    await setup();
    const res = await stack.sendMessage(
      customerMessage({ customer: { id: "cust-3", name: "Cleo", email: "Cleo@Example.com" }, text: "Hi" }),
    );
    expect(res.status).toBe(202);
    await stack.drained();
    expect(
      await stack.desk(ADMIN, `hero make <mailto:cleo@example.com|cleo@example.com> <@${BOB}>`),
    ).toContain(`<@${BOB}> is now the Dedicated Hero of Cleo.`);
    expect(await stack.desk(ADMIN, "hero show CLEO@EXAMPLE.COM")).toContain("Cleo");
    expect(await stack.desk(ADMIN, "hero show nobody@example.com")).toContain("No customer");
  });
});

describe("removing a hero", () => {
  async function customerOfBob() {
    await setup();
    const res = await stack.sendMessage(
      customerMessage({ customer: { id: "cust-9", name: "Nina" }, text: "Where is my parcel?" }),
    );
    expect(res.status).toBe(202);
    await stack.drained();
    return res.body.conversationNumber as number;
  }

  it("an agent who leaves stops being anyone's hero, and each customer's history says so", async () => {
    const n = await customerOfBob();
    await stack.desk(ADMIN, `hero make cust-9 <@${BOB}>`);
    expect(await stack.desk(ADMIN, `agent remove <@${BOB}>`)).toBe(
      `<@${BOB}> is no longer a HeroDesk agent. They were the Dedicated Hero of 1 customer, who has none now.`,
    );
    expect(await stack.desk(ADMIN, "hero show cust-9")).toBe("Nina has no Dedicated Hero.");
    expect(await stack.desk(ADMIN, `hero reassign #${n}`)).toBe(
      "Nina has no Dedicated Hero; an admin can set one with Make Hero.",
    );
    const history = await stack.desk(ADMIN, `history #${n}`);
    expect(history).toMatch(
      new RegExp(`hero set to <@${BOB}> by <@${ADMIN}>\n.* · hero removed by <@${ADMIN}>$`),
    );
  });

  it("a team that is removed stops being a hero; the history names it as removed, never as null", async () => {
    const n = await customerOfBob();
    await stack.desk(ADMIN, "team add Gold");
    await stack.desk(ADMIN, "hero make cust-9 team Gold");
    expect(await stack.desk(ADMIN, "team remove Gold")).toBe(
      "Team Gold removed (no routing rule sent conversations to it). It was the Dedicated Hero of 1 customer, who has none now.",
    );
    const history = await stack.desk(ADMIN, `history #${n}`);
    expect(history).not.toContain("null");
    expect(history).toMatch(
      new RegExp(`hero set to a team since removed by <@${ADMIN}>\n.* · hero removed by <@${ADMIN}>$`),
    );
  });
});

describe("/desk subscribe", () => {
  it("finds a source whatever the capitals", async () => {
    await setup();
    expect(await stack.desk(BOB, "subscribe WEB")).toBe(
      "You will hear about every message of `web`'s unassigned conversations.",
    );
  });
});

describe("giving someone work by hand", () => {
  it("tells the manager when it takes the agent over capacity, and when they are not online", async () => {
    await setup();
    await stack.desk(BOB, "status online");
    const numbers: number[] = [];
    for (const id of ["c-a", "c-b"]) {
      const res = await stack.sendMessage(customerMessage({ customer: { id, name: id }, text: "Hello" }));
      numbers.push(res.body.conversationNumber as number);
      await stack.drained();
    }
    // Bob (capacity 1) got the first; the second waits in the queue.
    expect(await stack.desk(ADMIN, `assign #${numbers[1]} <@${BOB}>`)).toBe(
      `#${numbers[1]} is now with <@${BOB}>. They are over their capacity (2 open of 1).`,
    );
    expect(await stack.desk(ADMIN, `reassign <@${BOB}> <@${MONA}>`)).toBe(
      `Moved 2 open conversations from <@${BOB}> to <@${MONA}>. They are offline: it waits for them until they are back, unless you move it on.`,
    );
    await stack.drained();
    // One DM for the whole move, listing both conversations with links to their threads.
    const dms = stack.emulator.workspace.dms(MONA);
    expect(dms.map((m) => m.text)).toEqual([`2 conversations moved to you from <@${BOB}>`]);
    const body = JSON.stringify(dms[0]!.blocks);
    for (const n of numbers) expect(body).toMatch(new RegExp(`<https?://[^|]+\\|#${n}> c-`));
  });
});

describe("close and reopen", () => {
  it("an agent reopening an open conversation hears that it is open, not a permission rule", async () => {
    await setup();
    const res = await stack.sendMessage(
      customerMessage({ customer: { id: "c-r", name: "Rae" }, text: "Hi" }),
    );
    const n = res.body.conversationNumber as number;
    await stack.drained();
    expect(await stack.desk(BOB, `reopen #${n}`)).toBe(`#${n} is already open.`);
    expect(await stack.desk(BOB, `close #${n}`)).toMatch(/^Nobody is assigned to this conversation/);
  });
});

describe("manager commands asked by an agent", () => {
  it("say who may use them before whether the conversation exists", async () => {
    await setup();
    for (const text of [`assign #999 <@${MONA}>`, "unassign #999"])
      expect(await stack.desk(BOB, text)).toMatch(
        /^Only managers and admins can (assign|unassign) conversations\.$/,
      );
    expect(await stack.desk(MONA, "unassign #999")).toBe("There is no conversation #999.");
  });
});

// Issue 10, part 5: managers steer the work, so they may read the setup; changing it stays the
// admins'.
describe("reading the setup", () => {
  it("agent list, team list and rule list are open to managers, not to agents", async () => {
    await setup();
    await stack.desk(ADMIN, "team add Gold");
    await stack.desk(ADMIN, "rule add plan=gold team Gold");
    expect(await stack.desk(MONA, "agent list")).toContain(`<@${BOB}>: agent, offline, 0 open of 1`);
    expect(await stack.desk(MONA, "team list")).toContain("*Gold*");
    expect(await stack.desk(MONA, "rule list")).toContain("plan");
    for (const command of ["agent list", "team list", "rule list"])
      expect(await stack.desk(BOB, command)).toBe(
        "Only managers and admins can see the setup (agents, teams and rules).",
      );
    expect(await stack.desk(MONA, "team add Silver")).toBe(
      "Only admins can change the setup (agents, teams, rules and roles).",
    );
  });
});

describe("/desk agent remove", () => {
  it("sends the agent's open conversations back to routing and says where each went", async () => {
    await setup();
    await stack.desk(ADMIN, `agent capacity <@${MONA}> 1`);
    await stack.desk(BOB, "status online");
    const first = await stack.customerWrites("c1", "one");
    const second = await stack.customerWrites("c2", "two", {});
    // Bob (capacity 1) holds the first; the second waits. Raise him, let him take both.
    await stack.desk(ADMIN, `agent capacity <@${BOB}> 2`);
    await stack.drained();
    expect(await stack.assigneeOf(first)).toBe(BOB);
    expect(await stack.assigneeOf(second)).toBe(BOB);
    await stack.desk(MONA, "status online");
    const answer = await stack.desk(ADMIN, `agent remove <@${BOB}>`);
    expect(answer).toBe(
      `<@${BOB}> is no longer a HeroDesk agent. Their 2 open conversations went back to routing:\n` +
        `• #${first} went to <@${MONA}> at once (routing picked the next free agent).\n` +
        `• #${second} is back in the queue: nobody else is free right now, so it goes to the next agent who is.`,
    );
    await stack.drained();
    expect(await stack.assigneeOf(first)).toBe(MONA);
    expect(await stack.assigneeOf(second)).toBeNull();
  });
});

describe("/desk team remove", () => {
  it("names the routing rules that went with the team", async () => {
    await setup();
    await stack.desk(ADMIN, "team add Spanish");
    await stack.desk(ADMIN, "rule add language=es team Spanish");
    await stack.desk(ADMIN, "rule add country=mx team Spanish");
    expect(await stack.desk(ADMIN, "team remove Spanish")).toBe(
      "Team Spanish removed, with its 2 routing rules (language = es; country = mx): those customers go to all agents now.",
    );
    expect(await stack.desk(ADMIN, "rule list")).toBe(
      "No routing rules: every conversation goes to all agents.",
    );
  });
});

describe("/desk agent add without a capacity", () => {
  it("says the capacity it set is the default, and the default is the config's", async () => {
    await setup();
    expect(await stack.desk(ADMIN, `agent add <@${NOBODY}> admin`)).toBe(
      `<@${NOBODY}> is a HeroDesk admin (no capacity limit: the default; \`/desk agent capacity @them 5\` changes it). They go online with \`/desk status online\`.`,
    );
    await stack.stop();
    stack = await startStack({ file: { defaultCapacity: 3 } });
    stack.addPerson(MONA, "Mona Manager");
    expect(await stack.desk(ADMIN, `agent add <@${MONA}> manager`)).toBe(
      `<@${MONA}> is a HeroDesk manager (up to 3 open conversations: the default; \`/desk agent capacity @them 3\` changes it). They go online with \`/desk status online\`.`,
    );
    expect(await stack.desk(ADMIN, "agent list")).toContain(`<@${MONA}>: manager, offline, 0 open of 3`);
  });
});

describe("/desk help", () => {
  it("shows each person the commands their role may run; /desk help all shows every command", async () => {
    await setup();
    const agentHelp = await stack.desk(BOB, "help");
    expect(agentHelp).toContain("These are the commands you can run as an agent.");
    expect(agentHelp).toContain("`/desk close #42`"); // as the assignee
    expect(agentHelp).toContain("`/desk status online|away|offline`");
    expect(agentHelp).not.toContain("`/desk assign #42 @agent`");
    expect(agentHelp).not.toContain("`/desk agent add");
    expect(agentHelp).toContain("Every command, including those for managers and admins: `/desk help all`.");

    const managerHelp = await stack.desk(MONA, "help");
    expect(managerHelp).toContain("`/desk assign #42 @agent`");
    expect(managerHelp).toContain("`/desk agent list`");
    expect(managerHelp).not.toContain("`/desk agent add");
    // managersCanSetHeroes is off: a manager is not shown hero make, which they cannot run.
    expect(managerHelp).not.toContain("hero make");
    expect(managerHelp).toContain("including those for admins: `/desk help all`");

    const adminHelp = await stack.desk(ADMIN, "help");
    expect(adminHelp).toContain("`/desk agent add");
    expect(adminHelp).not.toContain("/desk help all");

    expect(await stack.desk(NOBODY, "help")).toContain("You're not a HeroDesk agent yet");
    const all = await stack.desk(BOB, "help all");
    expect(all).toContain("`/desk agent add");
    expect(all).toContain("`/desk assign #42 @agent`");
  });
});

describe("/desk rule add on an attribute nobody has sent", () => {
  it("is accepted with a warning naming the attributes customers have sent", async () => {
    await setup();
    await stack.desk(ADMIN, "team add Spanish");
    expect(await stack.desk(ADMIN, "rule add language=es team Spanish")).toContain(
      "No customer has sent the attribute language yet, so this rule matches nobody for now. No customer has sent any attributes yet.",
    );
    await stack.sendMessage(
      customerMessage({ customer: { id: "c1", name: "Ana", attributes: { Language: "es", plan: "gold" } } }),
    );
    await stack.drained();
    expect(await stack.desk(ADMIN, "rule add langauge=es team Spanish")).toContain(
      "No customer has sent the attribute langauge yet, so this rule matches nobody for now. Attributes customers have sent: Language, plan.",
    );
    // Names compare case-insensitively, as rules do: no warning.
    const ok = await stack.desk(ADMIN, "rule add language=mx team Spanish");
    expect(ok).toContain("Rule added: customers with language = mx go to team Spanish.");
    expect(ok).not.toContain("No customer has sent");
  });
});

describe("small answers that say what is wrong", () => {
  it("a rule that repeats an earlier one (any capitals) is refused: the first match wins", async () => {
    await setup();
    await stack.desk(ADMIN, "team add Spanish");
    await stack.desk(ADMIN, "team add Gold");
    await stack.desk(ADMIN, "rule add language=es team Spanish");
    expect(await stack.desk(ADMIN, "rule add Language=ES team Gold")).toBe(
      "Rule 1 already sends language = es to team Spanish, and the first match wins; remove it first (`/desk rule remove 1`) to send them elsewhere.",
    );
  });

  it("hero make with a source that does not exist says so", async () => {
    await setup();
    expect(await stack.desk(ADMIN, `hero make nosuch:cust-1 <@${BOB}>`)).toBe(
      "No customer with id or email `nosuch:cust-1`. There is no source `nosuch` (sources: `web`, `mail`).",
    );
  });
});
