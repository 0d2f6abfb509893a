// Jobs that wait on other jobs (issue 15, part 2). An agent's DM links to the conversation's card,
// so it waits while the card is on its way; once the card waits on a person (an archived channel)
// or was given up on, the DM goes without the link, and later DMs to that agent are not held.
import { afterEach, describe, expect, it } from "vitest";
import { validateMessage } from "../../src/emulator/blockkit.ts";
import { AGENT, CHANNEL, customerMessage, type Stack, startStack } from "../helpers/stack.ts";
import { waitFor } from "../helpers/wait.ts";

const ADMIN = "U0ADMIN";

let stack: Stack;
afterEach(async () => {
  await stack?.stop();
});

async function setup() {
  stack = await startStack();
  await stack.desk(ADMIN, `agent add <@${AGENT}> agent 5`);
  await stack.desk(AGENT, "status online");
}

const youHave = (n: number) => stack.dms(AGENT).find((m) => m.text?.startsWith(`You have #${n} `));

describe("an agent's DM and the card it links to", () => {
  it("a card waiting on an archived channel does not hold the DM, nor the agent's later DMs", async () => {
    await setup();
    stack.emulator.workspace.archiveChannel(CHANNEL);
    const first = await stack.sendMessage(
      customerMessage({ customer: { id: "cust-1", name: "Ann" }, text: "Help" }),
    );
    expect(first.status).toBe(202);
    const dm = await waitFor("the DM for the first conversation", () =>
      youHave(first.body.conversationNumber),
    );
    // No card to open: no button (the admins are told about the channel).
    expect(JSON.stringify(dm.blocks ?? [])).not.toContain("open_thread");
    const second = await stack.sendMessage(
      customerMessage({ source: "mail", customer: { id: "mail-1", name: "Bo" }, text: "Hello" }),
    );
    expect(second.status).toBe(202);
    const later = await waitFor("the DM for the other source's conversation", () =>
      youHave(second.body.conversationNumber),
    );
    expect(JSON.stringify(later.blocks)).toContain("open_thread");
  });

  it("a card of '&'-heavy attributes is posted (escaped sizes fit), and its DM links to it", async () => {
    await setup();
    const attributes = Object.fromEntries(Array.from({ length: 8 }, (_, i) => [`attr${i}`, "&".repeat(80)]));
    const res = await stack.sendMessage(
      customerMessage({ customer: { id: "cust-amp", name: "Amp & Co", attributes }, text: "Hello" }),
    );
    expect(res.status).toBe(202);
    await stack.drained();
    const n = res.body.conversationNumber as number;
    const card = stack.card(n);
    expect(validateMessage({ text: card.text, blocks: card.blocks }).ok).toBe(true);
    const dm = await waitFor("the DM", () => youHave(n));
    expect(JSON.stringify(dm.blocks)).toContain("open_thread");
  });
});
