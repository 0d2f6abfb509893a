// The emulator against a real Bolt app (HTTPReceiver): Bolt must accept the driver's signatures
// and payloads, reject forged ones, and its WebClient must work against the emulated Web API.
import type { Server } from "node:http";
import type { AddressInfo } from "node:net";
import { App, HTTPReceiver, LogLevel } from "@slack/bolt";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { SlackEmulator } from "../../src/emulator/index.ts";
import { silentLogger, TOKEN } from "./helpers.ts";

let emu: SlackEmulator;
let app: App;
const seen: {
  commands: Record<string, unknown>[];
  actions: Record<string, unknown>[];
  messages: Record<string, unknown>[];
  submissions: Record<string, unknown>[];
} = {
  commands: [],
  actions: [],
  messages: [],
  submissions: [],
};

const card = (n: number) => [
  { type: "section", block_id: "summary", text: { type: "mrkdwn", text: `*Conversation #${n}*` } },
  {
    type: "actions",
    block_id: "card_actions",
    elements: [
      {
        type: "button",
        action_id: "conv_claim",
        text: { type: "plain_text", text: "Claim" },
        value: String(n),
        style: "primary",
      },
      { type: "users_select", action_id: "conv_assign", placeholder: { type: "plain_text", text: "Assign" } },
    ],
  },
];

beforeAll(async () => {
  emu = await SlackEmulator.start({ rateLimit: false });
  emu.workspace.addUser({ id: "U1", name: "alice", realName: "Alice Agent" });
  emu.workspace.addUser({ id: "U2", name: "bob", realName: "Bob Builder" });
  emu.workspace.addChannel({ id: "C1", name: "support", members: ["U1", "U2"] });

  const receiver = new HTTPReceiver({ signingSecret: emu.signingSecret, logLevel: LogLevel.ERROR });
  app = new App({
    token: TOKEN,
    receiver,
    logger: silentLogger,
    clientOptions: { slackApiUrl: emu.apiUrl, retryConfig: { retries: 0 } },
  });

  app.command("/desk", async ({ command, ack, respond, client }) => {
    seen.commands.push(command as unknown as Record<string, unknown>);
    if (command.text === "assign") {
      await ack();
      await client.views.open({
        trigger_id: command.trigger_id,
        view: {
          type: "modal",
          callback_id: "assign_modal",
          private_metadata: "conv-7",
          title: { type: "plain_text", text: "Assign #7" },
          submit: { type: "plain_text", text: "Assign" },
          blocks: [
            {
              type: "input",
              block_id: "agent",
              label: { type: "plain_text", text: "Agent" },
              element: { type: "users_select", action_id: "pick" },
            },
            {
              type: "input",
              block_id: "reason",
              label: { type: "plain_text", text: "Reason" },
              element: {
                type: "static_select",
                action_id: "why",
                options: [
                  { text: { type: "plain_text", text: "Language" }, value: "lang" },
                  { text: { type: "plain_text", text: "Workload" }, value: "load" },
                ],
              },
            },
          ],
        },
      });
    } else if (command.text === "announce") {
      await ack();
      await respond({ response_type: "in_channel", text: "Summary posted for everyone" });
    } else if (command.text === "slow") {
      // Past Slack's 3 s: the answer comes too late to be shown.
      await new Promise((r) => setTimeout(r, 3200));
      await ack({ text: "Too late" });
    } else {
      await ack({ text: `Usage: /desk ${command.text ? "help" : "assign"}` });
    }
  });

  app.action("conv_claim", async ({ ack, body, action, client }) => {
    await ack();
    seen.actions.push({ body, action } as unknown as Record<string, unknown>);
    const b = body as unknown as { channel: { id: string }; message: { ts: string }; user: { id: string } };
    await client.chat.update({
      channel: b.channel.id,
      ts: b.message.ts,
      text: `Claimed by <@${b.user.id}>`,
      blocks: [{ type: "section", text: { type: "mrkdwn", text: `Claimed by <@${b.user.id}>` } }],
    });
  });

  app.view("assign_modal", async ({ ack, view, body }) => {
    seen.submissions.push({ view, user: body.user } as unknown as Record<string, unknown>);
    const values = view.state.values as Record<string, Record<string, { selected_user?: string }>>;
    if (!values.agent?.pick?.selected_user) {
      await ack({ response_action: "errors", errors: { agent: "Pick someone" } });
    } else {
      await ack();
    }
  });

  app.message(async ({ message }) => {
    seen.messages.push(message as unknown as Record<string, unknown>);
  });

  app.event("app_home_opened", async ({ event, client }) => {
    await client.views.publish({
      user_id: event.user,
      view: {
        type: "home",
        blocks: [{ type: "section", text: { type: "mrkdwn", text: `Queue for <@${event.user}>` } }],
      },
    });
  });

  const server = (await app.start(0)) as Server;
  const { port } = server.address() as AddressInfo;
  emu.setAppUrl(`http://127.0.0.1:${port}/slack/events`);
});

afterAll(async () => {
  await app.stop();
  await emu.stop();
});

describe("signatures", () => {
  it("Bolt accepts the driver's signed slash command", async () => {
    const res = await emu.driver.slashCommand({ userId: "U1", channelId: "C1", text: "help me" });
    expect(res.status).toBe(200);
    expect(seen.commands.at(-1)).toMatchObject({
      command: "/desk",
      text: "help me",
      user_id: "U1",
      user_name: "alice",
      channel_id: "C1",
      channel_name: "support",
      team_id: "T0HERODESK",
      team_domain: "herodesk-demo",
      api_app_id: "A0HERODESK",
      trigger_id: res.triggerId,
      response_url: res.responseUrl,
    });
  });

  it("Bolt rejects a bad signature and a stale timestamp with 401", async () => {
    const body = new URLSearchParams({
      command: "/desk",
      text: "forged",
      user_id: "U1",
      channel_id: "C1",
    }).toString();
    const forged = await emu.driver.raw(body, "application/x-www-form-urlencoded", {
      signature: "v0=deadbeef",
    });
    expect(forged.status).toBe(401);
    const stale = await emu.driver.raw(body, "application/x-www-form-urlencoded", {
      timestamp: Math.floor(Date.now() / 1000) - 600,
    });
    expect(stale.status).toBe(401);
    expect(seen.commands.map((c) => c.text)).not.toContain("forged");
  });

  it("answers url_verification with the challenge", async () => {
    const res = await emu.driver.urlVerification("chal-123");
    expect(res.status).toBe(200);
    expect(JSON.stringify(res.body)).toContain("chal-123");
  });
});

describe("slash command responses", () => {
  it("shows an ack body to the user only", async () => {
    const before = emu.ephemerals.length;
    await emu.driver.slashCommand({ userId: "U2", channelId: "C1", text: "" });
    expect(emu.ephemerals.slice(before)).toEqual([
      expect.objectContaining({ channel: "C1", user: "U2", text: "Usage: /desk assign", source: "ack" }),
    ]);
  });

  // docs.slack.dev/interactivity/implementing-slash-commands: "you must respond within 3000 ms";
  // past that the user sees an error and the answer is dropped.
  it("an answer after Slack's 3 s is late: not shown", async () => {
    const before = emu.ephemerals.length;
    const res = await emu.driver.slashCommand({ userId: "U2", channelId: "C1", text: "slow" });
    expect(res.late).toBe(true);
    expect(emu.ephemerals.slice(before)).toEqual([]);
  });

  it("posts in the channel through response_url with response_type in_channel", async () => {
    const res = await emu.driver.slashCommand({ userId: "U1", channelId: "C1", text: "announce" });
    const posted = await emu.waitFor(() =>
      emu.workspace.messages("C1").find((m) => m.text === "Summary posted for everyone"),
    );
    expect(posted.bot_id).toBe("B0HEROBOT");
    const post = emu.responseUrlPosts.at(-1);
    expect(post?.url).toBe(res.responseUrl);
    expect(post?.body).toMatchObject({ response_type: "in_channel", text: "Summary posted for everyone" });
  });
});

describe("block actions", () => {
  it("sends the stored message with its blocks; the app updates it in place", async () => {
    const posted = await app.client.chat.postMessage({ channel: "C1", text: "card", blocks: card(7) });
    const res = await emu.driver.blockAction({
      userId: "U2",
      channelId: "C1",
      messageTs: posted.ts as string,
      actionId: "conv_claim",
    });
    expect(res.status).toBe(200);
    const { body, action } = seen.actions.at(-1) as {
      body: Record<string, unknown>;
      action: Record<string, unknown>;
    };
    expect(body).toMatchObject({
      type: "block_actions",
      user: { id: "U2", username: "bob", team_id: "T0HERODESK" },
      team: { id: "T0HERODESK", domain: "herodesk-demo" },
      api_app_id: "A0HERODESK",
      container: { type: "message", message_ts: posted.ts, channel_id: "C1", is_ephemeral: false },
      channel: { id: "C1", name: "support" },
      message: { ts: posted.ts, text: "card", bot_id: "B0HEROBOT" },
      trigger_id: res.triggerId,
    });
    // The payload carries the message as stored, generated IDs included.
    expect((body.message as { blocks: unknown[] }).blocks).toEqual(
      (posted.message as { blocks: unknown[] }).blocks,
    );
    expect(action).toMatchObject({
      type: "button",
      action_id: "conv_claim",
      block_id: "card_actions",
      value: "7",
      style: "primary",
      text: { type: "plain_text", text: "Claim" },
    });
    const updated = await emu.waitFor(() => {
      const m = emu.workspace.message("C1", posted.ts as string);
      return m?.text.startsWith("Claimed") ? m : undefined;
    });
    expect(updated.text).toBe("Claimed by <@U2>");
    expect(updated.edited?.user).toBe("U0HEROBOT");
  });

  it("refuses to click an element that is not on the message", async () => {
    const posted = await app.client.chat.postMessage({ channel: "C1", text: "card", blocks: card(8) });
    await expect(
      emu.driver.blockAction({
        userId: "U2",
        channelId: "C1",
        messageTs: posted.ts as string,
        actionId: "hero_make",
      }),
    ).rejects.toThrow(/hero_make/);
  });
});

describe("modals", () => {
  it("opens a modal with the command's trigger_id and submits it with state values", async () => {
    await emu.driver.slashCommand({ userId: "U1", channelId: "C1", text: "assign" });
    const opened = await emu.waitFor(() =>
      emu.workspace.openViews.find((v) => v.view.callback_id === "assign_modal"),
    );
    expect(opened).toMatchObject({
      userId: "U1",
      isOpen: true,
      view: { type: "modal", private_metadata: "conv-7", title: { text: "Assign #7" } },
    });
    expect(opened.view.id).toMatch(/^V[A-Z0-9]+$/);

    const missing = await emu.driver.viewSubmission({
      userId: "U1",
      viewId: opened.view.id,
      values: { reason: { why: "lang" } },
    });
    expect(missing.status).toBe(200);
    expect(missing.body).toEqual({ response_action: "errors", errors: { agent: "Pick someone" } });
    expect(opened.isOpen).toBe(true);

    const res = await emu.driver.viewSubmission({
      userId: "U1",
      viewId: opened.view.id,
      values: { agent: { pick: "U2" }, reason: { why: "load" } },
    });
    expect(res.status).toBe(200);
    const submitted = seen.submissions.at(-1) as {
      view: { id: string; private_metadata: string; state: { values: unknown } };
    };
    expect(submitted.view.id).toBe(opened.view.id);
    expect(submitted.view.private_metadata).toBe("conv-7");
    expect(submitted.view.state.values).toEqual({
      agent: { pick: { type: "users_select", selected_user: "U2" } },
      reason: {
        why: {
          type: "static_select",
          selected_option: { text: { type: "plain_text", text: "Workload" }, value: "load" },
        },
      },
    });
    expect(opened.isOpen).toBe(false);
  });
});

describe("events through Bolt", () => {
  it("delivers people's messages to app.message and Bolt ignores the bot's own", async () => {
    const before = seen.messages.length;
    await app.client.chat.postMessage({ channel: "C1", text: "from the bot" });
    emu.driver.message({ userId: "U1", channelId: "C1", text: "from a person" });
    await emu.idle();
    await emu.waitFor(() => seen.messages.length > before);
    await emu.idle({ settleMs: 50 });
    expect(seen.messages.slice(before).map((m) => m.text)).toEqual(["from a person"]);
    expect(emu.deliveries.filter((d) => d.outcome !== "ok")).toEqual([]);
  });

  it("app_home_opened lets the app publish a Home view", async () => {
    const res = await emu.driver.appHomeOpened("U2");
    expect(res.status).toBe(200);
    const home = await emu.waitFor(() => emu.workspace.homeViews.get("U2"));
    expect(home).toMatchObject({ type: "home", blocks: [{ text: { text: "Queue for <@U2>" } }] });
  });
});
