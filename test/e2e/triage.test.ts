// Tags and priority through Slack: `/desk tag` and `/desk priority` update the card in place, and
// a priority override of the source's response target moves the due time the card shows.
import { afterEach, describe, expect, it } from "vitest";
import { AGENT, type Stack, startStack } from "../helpers/stack.ts";
import { waitFor } from "../helpers/wait.ts";

let stack: Stack | undefined;
afterEach(async () => {
  await stack?.stop();
  stack = undefined;
});

/** The card's section field with this title ("Waiting", "Priority", "Tags"), or undefined. */
const field = (s: Stack, n: number, title: string) =>
  (s.card(n).blocks as { fields?: { text: string }[] }[])
    .flatMap((b) => b.fields ?? [])
    .find((f) => f.text.startsWith(`*${title}*\n`))
    ?.text.slice(title.length + 3);

const dueIn = (s: Stack, n: number) => Number(/due <!date\^(\d+)\^/.exec(field(s, n, "Waiting") ?? "")?.[1]);

describe("tags and priority on the card", () => {
  it("an agent tags and raises a conversation: the card shows both, and the urgent target's due time", async () => {
    stack = await startStack({
      web: {
        targets: {
          firstResponse: "60m",
          overrides: [{ attribute: "priority", value: "urgent", firstResponse: "10m" }],
        },
      },
    });
    const n = await stack.customerWrites("cust-down", "The whole site is down!");
    const wrote = Math.floor(Date.now() / 1000);
    await stack.desk("U0ADMIN", `agent add <@${AGENT}>`);
    // Normal priority and no tags: the card shows neither, and the 60-minute target.
    expect(field(stack, n, "Priority")).toBeUndefined();
    expect(field(stack, n, "Tags")).toBeUndefined();
    expect(dueIn(stack, n) - wrote).toBeGreaterThan(55 * 60);

    expect(await stack.desk(AGENT, `tag #${n} outage Billing`)).toBe(
      `#${n} is tagged \`outage\` \`billing\`. Tags: \`billing\` \`outage\`.`,
    );
    await waitFor("the tags on the card", () => field(stack!, n, "Tags") === "`billing` `outage`");

    expect(await stack.desk(AGENT, `priority #${n} urgent`)).toMatch(
      new RegExp(
        `^#${n} is now :rotating_light: Urgent priority \\(it was normal\\)\\. Its first response is now due <!date`,
      ),
    );
    await waitFor(
      "the priority on the card",
      () => field(stack!, n, "Priority") === ":rotating_light: Urgent",
    );
    // Ten minutes from the customer's message, not sixty.
    expect(dueIn(stack, n) - wrote).toBeLessThanOrEqual(10 * 60 + 1);
    expect(dueIn(stack, n) - wrote).toBeGreaterThanOrEqual(10 * 60 - 5);

    // And /desk history says who did what.
    const history = await stack.desk(AGENT, `history #${n}`);
    expect(history).toContain(`tagged \`outage\` \`billing\` by <@${AGENT}>`);
    expect(history).toContain(`priority set to :rotating_light: Urgent by <@${AGENT}>`);
  });
});
