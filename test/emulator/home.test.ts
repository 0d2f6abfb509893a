// App Home as HeroDesk uses it: the driver opens the Home tab (signed app_home_opened), the app
// publishes with the real WebClient's views.publish, tests read the latest Home view back and click
// buttons in it (block_actions with container.type "view", as Slack sends them).
import { readFileSync } from "node:fs";
import type { WebClient } from "@slack/web-api";
import { afterAll, afterEach, beforeAll, describe, expect, it } from "vitest";
import { SlackEmulator } from "../../src/emulator/index.ts";
import { verifySignature } from "../../src/emulator/signing.ts";
import { client, type FakeApp, type Received, slackError, startFakeApp } from "./helpers.ts";

let emu: SlackEmulator;
let app: FakeApp;
let slack: WebClient;

const SAMPLES = "/work/shared/slack-samples";
const sample = (path: string) =>
  JSON.parse(readFileSync(`${SAMPLES}/${path}`, "utf8")) as Record<string, unknown>;
const homeEventKeys = Object.keys(
  sample("events/AppHomeOpenedPayload.json").event as Record<string, unknown>,
);
const blockActionKeys = Object.keys(sample("app-backend/interactive-components/BlockActionPayload.json"));
const containerKeys = Object.keys(
  sample("app-backend/interactive-components/BlockActionPayload.json").container as Record<string, unknown>,
);

const homeView = (userId: string, opens: number) => ({
  type: "home" as const,
  callback_id: "desk_home",
  private_metadata: JSON.stringify({ opens }),
  blocks: [
    { type: "header", text: { type: "plain_text", text: "Your queue" } },
    { type: "section", text: { type: "mrkdwn", text: `<@${userId}> has 2 open conversations` } },
    {
      type: "actions",
      block_id: "home_actions",
      elements: [
        {
          type: "button",
          action_id: "status_online",
          text: { type: "plain_text", text: "Go online" },
          value: "online",
        },
        {
          type: "button",
          action_id: "status_away",
          text: { type: "plain_text", text: "Away" },
          value: "away",
        },
      ],
    },
  ],
});

function interactivePayload(r: Received): Record<string, unknown> | undefined {
  const form = new URLSearchParams(r.raw);
  const payload = form.get("payload");
  return payload ? (JSON.parse(payload) as Record<string, unknown>) : undefined;
}

function eventOf(r: Received | undefined): Record<string, unknown> {
  return (r?.json as { event?: Record<string, unknown> } | undefined)?.event ?? {};
}

let opens = 0;

beforeAll(async () => {
  app = await startFakeApp();
  emu = await SlackEmulator.start({ rateLimit: false, appUrl: app.url });
  emu.workspace.addUser({ id: "U1", name: "alice", realName: "Alice Agent" });
  emu.workspace.addUser({ id: "U2", name: "bob", realName: "Bob Builder" });
  slack = client(emu);
  // The "app": publishes a Home view for whoever opens the Home tab, like HeroDesk will.
  app.respond = async (req) => {
    const body = req.json as
      | { type?: string; event?: { type?: string; user?: string; tab?: string } }
      | undefined;
    if (body?.event?.type === "app_home_opened" && body.event.tab === "home" && body.event.user) {
      opens++;
      await slack.views.publish({ user_id: body.event.user, view: homeView(body.event.user, opens) });
    }
    return { status: 200 };
  };
});

afterAll(async () => {
  await emu.stop();
  await app.close();
});

afterEach(async () => {
  await emu.idle();
});

describe("opening App Home", () => {
  it("sends a signed app_home_opened event shaped like Slack's, without a view the first time", async () => {
    app.received.length = 0;
    const res = await emu.driver.appHomeOpened("U1");
    expect(res.status).toBe(200);
    const received = app.received[0] as Received;
    expect(
      verifySignature(
        emu.signingSecret,
        {
          timestamp: received.headers["x-slack-request-timestamp"] as string,
          signature: received.headers["x-slack-signature"] as string,
        },
        received.raw,
      ),
    ).toBe(true);
    const envelope = received.json as Record<string, unknown>;
    expect(envelope).toMatchObject({ type: "event_callback", event_id: res.eventId, team_id: "T0HERODESK" });
    const event = envelope.event as Record<string, unknown>;
    expect(event).toEqual({
      type: "app_home_opened",
      user: "U1",
      channel: emu.workspace.dmChannelFor("U1"),
      tab: "home",
      event_ts: expect.stringMatching(/^\d+\.\d{6}$/),
    });
    expect(Object.keys(event).filter((k) => !homeEventKeys.includes(k))).toEqual([]);
  });

  it("lets tests read the Home view the app published for that user", async () => {
    const view = emu.workspace.homeView("U1");
    expect(view).toMatchObject({
      id: expect.stringMatching(/^V[A-Z0-9]+$/),
      type: "home",
      callback_id: "desk_home",
      team_id: "T0HERODESK",
      app_id: "A0HERODESK",
      bot_id: "B0HEROBOT",
      blocks: [{ type: "header" }, { text: { text: "<@U1> has 2 open conversations" } }, { type: "actions" }],
    });
    expect(emu.workspace.homeView("U2")).toBeUndefined();
    // A copy: changing it does not change what the emulator stores.
    if (view) view.blocks = [];
    expect(emu.workspace.homeView("U1")?.blocks).toHaveLength(3);
  });

  it("carries the published view when the user opens Home again; the app's republish replaces it", async () => {
    const before = emu.workspace.homeView("U1");
    app.received.length = 0;
    await emu.driver.appHomeOpened("U1");
    const event = eventOf(app.received[0]);
    expect(event.view).toMatchObject({
      id: before?.id,
      type: "home",
      hash: before?.hash,
      callback_id: "desk_home",
    });
    const after = emu.workspace.homeView("U1");
    expect(after?.id).toBe(before?.id);
    expect(after?.hash).not.toBe(before?.hash);
    expect(JSON.parse(after?.private_metadata ?? "{}")).toEqual({ opens });
  });

  it("opens the Messages tab without a view", async () => {
    app.received.length = 0;
    const publishes = emu.calls.filter((c) => c.method === "views.publish").length;
    await emu.driver.appHomeOpened("U1", { tab: "messages" });
    const event = eventOf(app.received[0]);
    expect(event).toMatchObject({ type: "app_home_opened", tab: "messages", user: "U1" });
    expect(event.view).toBeUndefined();
    expect(emu.calls.filter((c) => c.method === "views.publish")).toHaveLength(publishes);
  });
});

describe("clicking in App Home", () => {
  it("sends block_actions with container.type view and the home view, as Slack does", async () => {
    app.received.length = 0;
    const view = emu.workspace.homeView("U1");
    const res = await emu.driver.homeAction({ userId: "U1", actionId: "status_away" });
    expect(res.status).toBe(200);
    const payload = interactivePayload(app.received[0] as Received) as Record<string, unknown>;
    expect(payload).toMatchObject({
      type: "block_actions",
      user: { id: "U1", username: "alice", team_id: "T0HERODESK" },
      api_app_id: "A0HERODESK",
      team: { id: "T0HERODESK", domain: "herodesk-demo" },
      trigger_id: res.triggerId,
      container: { type: "view", view_id: view?.id },
      view: { id: view?.id, type: "home", callback_id: "desk_home", hash: view?.hash },
      actions: [
        {
          type: "button",
          action_id: "status_away",
          block_id: "home_actions",
          value: "away",
          text: { type: "plain_text", text: "Away" },
          action_ts: expect.stringMatching(/^\d+\.\d{6}$/),
        },
      ],
    });
    // Home clicks have no message, channel or response_url.
    expect(payload.response_url).toBeUndefined();
    expect(payload.message).toBeUndefined();
    expect(payload.channel).toBeUndefined();
    expect(Object.keys(payload).filter((k) => !blockActionKeys.includes(k))).toEqual([]);
    expect(Object.keys(payload.container as object).filter((k) => !containerKeys.includes(k))).toEqual([]);
  });

  it("is the same as blockAction with the home view's ID", async () => {
    app.received.length = 0;
    const view = emu.workspace.homeView("U1");
    await emu.driver.blockAction({ userId: "U1", view: view?.id as string, actionId: "status_online" });
    const payload = interactivePayload(app.received[0] as Received);
    expect(payload).toMatchObject({
      container: { type: "view", view_id: view?.id },
      actions: [{ action_id: "status_online", value: "online" }],
    });
  });

  it("gives a trigger_id that opens a modal, and the app can update the Home view by view_id", async () => {
    const view = emu.workspace.homeView("U1");
    const { triggerId } = await emu.driver.homeAction({ userId: "U1", actionId: "status_online" });
    const modal = await slack.views.open({
      trigger_id: triggerId,
      view: { type: "modal", title: { type: "plain_text", text: "Status" }, blocks: [] },
    });
    expect(modal.ok).toBe(true);
    const updated = await slack.views.update({
      view_id: view?.id as string,
      hash: view?.hash as string,
      view: { type: "home", blocks: [{ type: "section", text: { type: "mrkdwn", text: "You are online" } }] },
    });
    expect(updated.view?.id).toBe(view?.id);
    expect(emu.workspace.homeView("U1")?.blocks).toMatchObject([{ text: { text: "You are online" } }]);
    expect(
      (
        await slackError(
          slack.views.update({
            view_id: view?.id as string,
            hash: view?.hash as string,
            view: homeView("U1", 0),
          }),
        )
      ).error,
    ).toBe("hash_conflict");
  });

  it("refuses clicks Slack could not produce", async () => {
    await expect(emu.driver.homeAction({ userId: "U2", actionId: "status_online" })).rejects.toThrow(
      /no App Home view was published for U2/,
    );
    const view = emu.workspace.homeView("U1");
    await expect(
      emu.driver.blockAction({ userId: "U2", view: view?.id as string, actionId: "status_online" }),
    ).rejects.toThrow(/App Home of U1, not of U2/);
    await expect(emu.driver.homeAction({ userId: "U1", actionId: "nope" })).rejects.toThrow(
      /no element with action_id "nope"/,
    );
  });
});
