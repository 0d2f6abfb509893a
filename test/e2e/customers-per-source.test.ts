// Issue 15, part 9: a `mail` message for `cust-42` renamed the `web` customer and changed the
// attribute routing rules read. A customer id belongs to its source; linking one person across
// sources is the admin's choice (linkCustomersByEmail), by email, and linked customers share one
// Dedicated Hero. `/desk hero` takes `source:id` where a bare id names customers of two sources.
import { afterEach, describe, expect, it } from "vitest";
import { customerMessage, type Stack, startStack } from "../helpers/stack.ts";

const ADMIN = "U0ADMIN";
const BOB = "U0BOB";
const MAIL_SECRET = "mail-secret-0123456789";

let stack: Stack;
afterEach(async () => {
  await stack?.stop();
});

async function start(file: Record<string, unknown> = {}) {
  stack = await startStack({ file });
  stack.addPerson(BOB, "Bob Baker");
  await stack.desk(ADMIN, `agent add <@${BOB}> 5`);
  return stack;
}

const fromWeb = (text: string, customer: Record<string, unknown>) =>
  stack.sendMessage(customerMessage({ source: "web", customer, text }));
const fromMail = (text: string, customer: Record<string, unknown>) =>
  stack.sendMessage(customerMessage({ source: "mail", customer, text }), { secret: MAIL_SECRET });

describe("customers belong to their source", () => {
  it("the same customer id on another source is another customer: nothing of the first changes", async () => {
    await start();
    const ada = { id: "cust-42", name: "Ada", email: "ada@example.com", attributes: { plan: "enterprise" } };
    const web = await fromWeb("web question", ada);
    const mail = await fromMail("mail question", {
      id: "cust-42",
      name: "Mallory",
      email: "mallory@example.com",
      attributes: { plan: "free" },
    });
    expect([web.status, mail.status]).toEqual([202, 202]);
    await stack.drained();

    const onWeb = await stack.app.store.customers.ofSource("web", "cust-42");
    const onMail = await stack.app.store.customers.ofSource("mail", "cust-42");
    expect(onWeb).toMatchObject({
      name: "Ada",
      email: "ada@example.com",
      attributes: { plan: "enterprise" },
    });
    expect(onMail).toMatchObject({ name: "Mallory", attributes: { plan: "free" } });
    expect(onWeb!.id).not.toBe(onMail!.id);
    // Two conversations, each with its own customer on its card.
    expect(web.body.conversationNumber).not.toBe(mail.body.conversationNumber);
    expect(JSON.stringify(stack.card(web.body.conversationNumber).blocks)).toContain("Ada");
    expect(JSON.stringify(stack.card(web.body.conversationNumber).blocks)).not.toContain("Mallory");
    expect(JSON.stringify(stack.card(mail.body.conversationNumber, "C0OTHER").blocks)).toContain("Mallory");
  });

  it("/desk hero asks which customer a shared id means, and takes source:id", async () => {
    await start();
    await fromWeb("hi", { id: "cust-42", name: "Ada" });
    await fromMail("hi", { id: "cust-42", name: "Mallory" });
    await stack.drained();
    expect(await stack.desk(ADMIN, `hero make cust-42 <@${BOB}>`)).toBe(
      "`cust-42` names 2 customers (a customer id belongs to its source): say which, as `web:cust-42` or `mail:cust-42`.",
    );
    expect(await stack.desk(ADMIN, `hero make mail:cust-42 <@${BOB}>`)).toContain(
      `<@${BOB}> is now the Dedicated Hero of Mallory.`,
    );
    expect(await stack.desk(ADMIN, "hero show web:cust-42")).toBe("Ada has no Dedicated Hero.");
    expect(await stack.desk(ADMIN, "hero show mail:cust-42")).toBe(
      `The Dedicated Hero of Mallory is <@${BOB}>.`,
    );
    // An id only one source uses needs no source.
    await fromWeb("hi", { id: "cust-7", name: "Grace" });
    await stack.drained();
    expect(await stack.desk(ADMIN, "hero show cust-7")).toBe("Grace has no Dedicated Hero.");
  });

  it("an email that two unlinked customers have is asked about too", async () => {
    await start();
    await fromWeb("hi", { id: "w-1", name: "Ada", email: "ada@example.com" });
    await fromMail("hi", { id: "m-1", name: "Ada L.", email: "ADA@example.com" });
    await stack.drained();
    expect(await stack.desk(ADMIN, "hero show ada@example.com")).toBe(
      "`ada@example.com` names 2 customers (customers who are not linked share this email): say which, as `web:w-1` or `mail:m-1`.",
    );
  });
});

describe("linkCustomersByEmail", () => {
  it("links a new customer of another source with the same email: one hero for both", async () => {
    await start({ linkCustomersByEmail: true });
    await fromWeb("hi", { id: "w-1", name: "Ada", email: "ada@example.com", attributes: { plan: "gold" } });
    await stack.drained();
    expect(await stack.desk(ADMIN, `hero make w-1 <@${BOB}>`)).toContain(
      `<@${BOB}> is now the Dedicated Hero of Ada.`,
    );

    // First seen on mail with the same email (any capitals): linked, and it has Ada's hero.
    await fromMail("hi by mail", {
      id: "m-9",
      name: "Ada L.",
      email: "Ada@Example.com",
      attributes: { plan: "free" },
    });
    await stack.drained();
    const onMail = await stack.app.store.customers.ofSource("mail", "m-9");
    const onWeb = await stack.app.store.customers.ofSource("web", "w-1");
    expect(onMail!.linkedToId).toBe(onWeb!.id);
    expect(await stack.desk(ADMIN, "hero show mail:m-9")).toBe(`The Dedicated Hero of Ada L. is <@${BOB}>.`);
    // Each keeps what its own source sends.
    expect(onWeb).toMatchObject({ name: "Ada", attributes: { plan: "gold" } });
    expect(onMail).toMatchObject({ name: "Ada L.", attributes: { plan: "free" } });

    // The email names both, linked: one answer, for both.
    expect(await stack.desk(ADMIN, "hero remove ada@example.com")).toBe(
      "Ada (and 1 customer linked with them) has no Dedicated Hero any more.",
    );
    expect(await stack.desk(ADMIN, "hero show m-9")).toBe("Ada L. has no Dedicated Hero.");
  });

  it("is off by default: the same email on another source is another customer", async () => {
    await start();
    await fromWeb("hi", { id: "w-1", name: "Ada", email: "ada@example.com" });
    await fromMail("hi", { id: "m-9", name: "Ada", email: "ada@example.com" });
    await stack.drained();
    expect((await stack.app.store.customers.ofSource("mail", "m-9"))!.linkedToId).toBeNull();
  });
});
