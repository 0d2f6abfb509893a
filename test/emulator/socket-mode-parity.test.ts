// One switch: the same Bolt app and the same driver calls over HTTP (HTTPReceiver, signed POSTs)
// and over Socket Mode (SocketModeReceiver, envelopes) give the same answers, so an app's e2e
// tests can run in either mode. Over Socket Mode an ack's payload plays the HTTP body's role
// (docs.slack.dev/apis/events-api/using-socket-mode: "Slash commands", "Modals").
import type { Server } from "node:http";
import type { AddressInfo } from "node:net";
import { App, HTTPReceiver, SocketModeReceiver } from "@slack/bolt";
import { afterAll, describe, expect, it } from "vitest";
import { SlackEmulator } from "../../src/emulator/index.ts";
import { client, silentLogger, TOKEN } from "./helpers.ts";

type Mode = "http" | "socket";
const outcomes: Record<Mode, Record<string, unknown>> = { http: {}, socket: {} };
const running: { app: App; emu: SlackEmulator }[] = [];

afterAll(async () => {
  for (const { app, emu } of running) {
    await app.stop();
    await emu.stop();
  }
});

async function boot(mode: Mode) {
  const emu = await SlackEmulator.start({ delivery: mode, rateLimit: false });
  emu.workspace.addUser({ id: "U1", name: "alice", realName: "Alice Agent" });
  emu.workspace.addChannel({ id: "C1", name: "support", members: ["U1", emu.workspace.bot.userId] });
  const receiver =
    mode === "socket"
      ? new SocketModeReceiver({
          appToken: emu.appToken,
          logger: silentLogger,
          installerOptions: { clientOptions: { slackApiUrl: emu.apiUrl } },
        })
      : new HTTPReceiver({ signingSecret: emu.signingSecret, logger: silentLogger });
  const app = new App({
    token: TOKEN,
    receiver,
    logger: silentLogger,
    clientOptions: { slackApiUrl: emu.apiUrl },
  });
  const messages: string[] = [];
  app.message(async ({ message }) => {
    messages.push(String((message as { text?: string }).text));
  });
  app.command("/desk", async ({ command, ack, client }) => {
    if (command.text !== "assign") return ack({ text: `Usage: /desk ${command.text}` });
    await ack();
    await client.views.open({
      trigger_id: command.trigger_id,
      view: {
        type: "modal",
        callback_id: "assign_modal",
        title: { type: "plain_text", text: "Assign" },
        submit: { type: "plain_text", text: "Assign" },
        blocks: [
          {
            type: "input",
            block_id: "agent",
            label: { type: "plain_text", text: "Agent" },
            element: { type: "users_select", action_id: "pick" },
          },
        ],
      },
    });
  });
  app.action("conv_claim", async ({ ack }) => ack());
  app.action("home_refresh", async ({ ack }) => ack());
  app.view("assign_modal", async ({ ack }) =>
    ack({ response_action: "errors", errors: { agent: "Pick someone" } }),
  );
  app.event("app_home_opened", async ({ event, client }) => {
    await client.views.publish({
      user_id: event.user,
      view: {
        type: "home",
        blocks: [
          {
            type: "actions",
            elements: [
              { type: "button", action_id: "home_refresh", text: { type: "plain_text", text: "Refresh" } },
            ],
          },
        ],
      },
    });
  });
  if (mode === "socket") {
    await app.start();
  } else {
    const server = (await app.start(0)) as Server;
    emu.setAppUrl(`http://127.0.0.1:${(server.address() as AddressInfo).port}/slack/events`);
  }
  running.push({ app, emu });
  return { emu, messages };
}

const answer = (r: { status: number; body: unknown }) => ({ status: r.status, body: r.body });

for (const mode of ["http", "socket"] as const) {
  describe(`delivery: "${mode}"`, () => {
    it("runs every driver surface", async () => {
      const { emu, messages } = await boot(mode);
      const got = outcomes[mode];
      got.command = answer(await emu.driver.slashCommand({ userId: "U1", channelId: "C1", text: "help" }));
      got.ephemeral = emu.ephemerals.map((e) => e.text);

      const posted = await client(emu).chat.postMessage({
        channel: "C1",
        text: "Conversation #7",
        blocks: [
          {
            type: "actions",
            block_id: "card",
            elements: [
              { type: "button", action_id: "conv_claim", text: { type: "plain_text", text: "Claim" } },
            ],
          },
        ],
      });
      got.blockAction = answer(
        await emu.driver.blockAction({
          userId: "U1",
          channelId: "C1",
          messageTs: String(posted.ts),
          actionId: "conv_claim",
        }),
      );

      got.openModal = answer(
        await emu.driver.slashCommand({ userId: "U1", channelId: "C1", text: "assign" }),
      );
      const modal = await emu.waitFor(() => emu.workspace.openViews.find((v) => v.isOpen));
      got.viewSubmission = answer(await emu.driver.viewSubmission({ userId: "U1", viewId: modal.id }));
      got.modalStillOpen = emu.workspace.openViews.find((v) => v.id === modal.id)?.isOpen;

      emu.driver.message({ userId: "U1", channelId: "C1", text: "hello desk" });
      await emu.waitFor(() => messages.length > 0);
      await emu.idle();
      got.messages = messages;
      got.deliveries = emu.deliveries.map((d) => [d.attempt, d.outcome]);

      got.homeOpened = answer(await emu.driver.appHomeOpened("U1"));
      await emu.waitFor(() => emu.workspace.homeView("U1"));
      got.homeAction = answer(await emu.driver.homeAction({ userId: "U1", actionId: "home_refresh" }));

      if (mode === "socket") expect(emu.socketMode.envelopes.every((e) => e.outcome === "acked")).toBe(true);
      else expect(emu.socketMode.envelopes).toHaveLength(0);
    });
  });
}

describe("both modes", () => {
  it("answer the same", () => {
    expect(outcomes.socket).toEqual(outcomes.http);
    expect(outcomes.http).toMatchObject({
      command: { status: 200, body: { text: "Usage: /desk help" } },
      ephemeral: ["Usage: /desk help"],
      blockAction: { status: 200, body: "" },
      viewSubmission: { status: 200, body: { response_action: "errors", errors: { agent: "Pick someone" } } },
      modalStillOpen: true,
      messages: ["hello desk"],
      deliveries: [
        [1, "ok"], // the bot's own card (Bolt's ignoreSelf drops it)
        [1, "ok"],
      ],
      homeOpened: { status: 200, body: "" },
      homeAction: { status: 200, body: "" },
    });
  });
});
