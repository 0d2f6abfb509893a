// views.* against trigger_ids handed out by the driver, and response_url effects.
import type { WebClient } from "@slack/web-api";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { SlackEmulator } from "../../src/emulator/index.ts";
import { client, type FakeApp, slackError, startFakeApp } from "./helpers.ts";

let emu: SlackEmulator;
let app: FakeApp;
let slack: WebClient;

const modal = (title = "Assign conversation", extra: Record<string, unknown> = {}) => ({
  type: "modal" as const,
  title: { type: "plain_text" as const, text: title },
  close: { type: "plain_text" as const, text: "Cancel" },
  blocks: [{ type: "section", text: { type: "mrkdwn", text: "Pick an agent" } }],
  ...extra,
});

async function trigger(): Promise<string> {
  return (await emu.driver.slashCommand({ userId: "U1", channelId: "C1", text: "assign" })).triggerId;
}

beforeAll(async () => {
  app = await startFakeApp();
  emu = await SlackEmulator.start({ rateLimit: false, appUrl: app.url, triggerTtlMs: 300 });
  emu.workspace.addUser({ id: "U1", name: "alice" });
  emu.workspace.addChannel({ id: "C1", name: "support", members: ["U1"] });
  emu.workspace.addChannel({ id: "C9", name: "no-bot", members: ["U1"], botIsMember: false });
  slack = client(emu);
});

afterAll(async () => {
  await emu.stop();
  await app.close();
});

describe("views.open", () => {
  it("opens a modal with a fresh trigger_id and returns the view", async () => {
    const res = await slack.views.open({ trigger_id: await trigger(), view: modal() });
    expect(res.view).toMatchObject({
      type: "modal",
      team_id: "T0HERODESK",
      app_id: "A0HERODESK",
      bot_id: "B0HEROBOT",
      title: { text: "Assign conversation" },
      state: { values: {} },
      previous_view_id: null,
    });
    expect(res.view?.id).toMatch(/^V[A-Z0-9]+$/);
    expect(res.view?.root_view_id).toBe(res.view?.id);
    expect(res.view?.hash).toMatch(/^\d+\.[0-9a-f]{8}$/);
    expect(emu.workspace.openViews.at(-1)).toMatchObject({ id: res.view?.id, userId: "U1", isOpen: true });
  });

  it("refuses unknown, reused and expired trigger_ids", async () => {
    expect((await slackError(slack.views.open({ trigger_id: "1.2.abc", view: modal() }))).error).toBe(
      "invalid_trigger_id",
    );
    const t = await trigger();
    await slack.views.open({ trigger_id: t, view: modal() });
    // views.open reference: exchanged_trigger_id, "already exchanged in a previous call".
    expect((await slackError(slack.views.open({ trigger_id: t, view: modal() }))).error).toBe(
      "exchanged_trigger_id",
    );
    const late = await trigger();
    await new Promise((r) => setTimeout(r, 400)); // triggerTtlMs is 300 here (Slack's is 3 s)
    expect((await slackError(slack.views.open({ trigger_id: late, view: modal() }))).error).toBe(
      "expired_trigger_id",
    );
  });

  it("validates the view: title over 24 characters is invalid_arguments with a pointer", async () => {
    const err = await slackError(
      slack.views.open({ trigger_id: await trigger(), view: modal("This title is far too long") }),
    );
    expect(err.error).toBe("invalid_arguments");
    expect(err.response_metadata).toMatchObject({
      messages: ["[ERROR] must be less than 25 characters [json-pointer:/view/title/text]"],
    });
  });
});

describe("views.update / views.push", () => {
  it("updates by view_id and by external_id, checking hash", async () => {
    const opened = await slack.views.open({
      trigger_id: await trigger(),
      view: modal("Step 1", { external_id: "assign-42" }),
    });
    const id = opened.view?.id as string;
    const byId = await slack.views.update({
      view_id: id,
      hash: opened.view?.hash as string,
      view: modal("Step 2", { external_id: "assign-42" }),
    });
    expect(byId.view).toMatchObject({ id, title: { text: "Step 2" } });
    expect(byId.view?.hash).not.toBe(opened.view?.hash);
    expect(
      (
        await slackError(
          slack.views.update({ view_id: id, hash: opened.view?.hash as string, view: modal("Stale") }),
        )
      ).error,
    ).toBe("hash_conflict");
    const byExternal = await slack.views.update({
      external_id: "assign-42",
      view: modal("Step 3", { external_id: "assign-42" }),
    });
    expect(byExternal.view?.id).toBe(id);
    expect(emu.workspace.openViews.find((v) => v.id === id)?.view.title).toMatchObject({ text: "Step 3" });
    expect((await slackError(slack.views.update({ view_id: "VNOPE", view: modal() }))).error).toBe(
      "not_found",
    );
  });

  it("pushes a view on top of the open one", async () => {
    const opened = await slack.views.open({ trigger_id: await trigger(), view: modal("Base") });
    const pushed = await slack.views.push({ trigger_id: await trigger(), view: modal("Pushed") });
    expect(pushed.view?.previous_view_id).toBeTruthy();
    expect(pushed.view?.root_view_id).toBeTruthy();
    expect(opened.ok).toBe(true);
  });
});

describe("interactions inside a modal", () => {
  it("sends block_actions with a view container, and view_closed when asked to notify", async () => {
    const opened = await slack.views.open({
      trigger_id: await trigger(),
      view: modal("Pick", {
        notify_on_close: true,
        callback_id: "picker",
        blocks: [
          {
            type: "actions",
            block_id: "row",
            elements: [
              { type: "button", action_id: "more", text: { type: "plain_text", text: "More" }, value: "m" },
            ],
          },
        ],
      }),
    });
    const id = opened.view?.id as string;
    await emu.driver.blockAction({ userId: "U1", view: id, actionId: "more" });
    const payload = JSON.parse(new URLSearchParams(app.received.at(-1)?.raw).get("payload") as string);
    expect(payload).toMatchObject({
      type: "block_actions",
      container: { type: "view", view_id: id },
      view: { id, callback_id: "picker" },
      actions: [{ type: "button", action_id: "more", block_id: "row", value: "m" }],
    });
    expect(payload).not.toHaveProperty("response_url");

    await emu.driver.viewClosed({ userId: "U1", viewId: id });
    const closed = JSON.parse(new URLSearchParams(app.received.at(-1)?.raw).get("payload") as string);
    expect(closed).toMatchObject({ type: "view_closed", view: { id }, user: { id: "U1" } });
    expect(emu.workspace.openViews.find((v) => v.id === id)?.isOpen).toBe(false);
    expect((await slackError(slack.views.update({ view_id: id, view: modal() }))).error).toBe("not_found");
  });
});

describe("views.publish", () => {
  it("publishes App Home per user", async () => {
    const res = await slack.views.publish({
      user_id: "U1",
      view: { type: "home", blocks: [{ type: "section", text: { type: "mrkdwn", text: "Your queue: 3" } }] },
    });
    expect(res.view).toMatchObject({ type: "home", blocks: [{ text: { text: "Your queue: 3" } }] });
    const again = await slack.views.publish({ user_id: "U1", view: { type: "home", blocks: [] } });
    expect(again.view?.id).toBe(res.view?.id);
    expect(emu.workspace.homeViews.get("U1")?.blocks).toEqual([]);
  });

  it("refuses non-home views, too many blocks and unknown users", async () => {
    expect((await slackError(slack.views.publish({ user_id: "U1", view: modal() as never }))).error).toBe(
      "invalid_arguments",
    );
    const blocks = Array.from({ length: 101 }, () => ({ type: "divider" }));
    const tooMany = await slackError(slack.views.publish({ user_id: "U1", view: { type: "home", blocks } }));
    expect(tooMany.error).toBe("invalid_arguments");
    expect(tooMany.response_metadata).toMatchObject({
      messages: ["[ERROR] must be less than 101 items [json-pointer:/view/blocks]"],
    });
    expect(
      (await slackError(slack.views.publish({ user_id: "U0NOPE", view: { type: "home", blocks: [] } })))
        .error,
    ).toBe("user_not_found");
  });
});

describe("response_url", () => {
  async function post(url: string, body: unknown) {
    const res = await fetch(url, {
      method: "POST",
      headers: { "content-type": "application/json" },
      body: JSON.stringify(body),
    });
    return { status: res.status, body: (await res.json()) as Record<string, unknown> };
  }

  it("records posts; ephemeral by default, in the channel with response_type in_channel", async () => {
    const { responseUrl } = await emu.driver.slashCommand({ userId: "U1", channelId: "C9", text: "status" });
    expect(responseUrl.startsWith(`${emu.baseUrl}/response/`)).toBe(true);
    expect(await post(responseUrl, { text: "just for you" })).toEqual({ status: 200, body: { ok: true } });
    expect(emu.ephemerals.at(-1)).toMatchObject({
      channel: "C9",
      user: "U1",
      text: "just for you",
      source: "response_url",
    });
    // Works even where the bot is not a member, as response_url does on Slack.
    await post(responseUrl, { response_type: "in_channel", text: "for everyone" });
    expect(emu.workspace.messages("C9").map((m) => m.text)).toEqual(["for everyone"]);
    expect(emu.responseUrlPosts.slice(-2).map((p) => p.body.text)).toEqual(["just for you", "for everyone"]);
  });

  it("replaces or deletes the message a button was on", async () => {
    const posted = await slack.chat.postMessage({
      channel: "C1",
      text: "card",
      blocks: [
        {
          type: "actions",
          elements: [
            { type: "button", action_id: "conv_close", text: { type: "plain_text", text: "Close" } },
          ],
        },
      ],
    });
    const ts = posted.ts as string;
    await emu.driver.blockAction({ userId: "U1", channelId: "C1", messageTs: ts, actionId: "conv_close" });
    const payload = JSON.parse(new URLSearchParams(app.received.at(-1)?.raw).get("payload") as string) as {
      response_url: string;
    };
    await post(payload.response_url, { replace_original: true, text: "Closed" });
    expect(emu.workspace.message("C1", ts)).toMatchObject({ text: "Closed" });
    expect(emu.workspace.message("C1", ts)?.blocks).toBeUndefined();
    await post(payload.response_url, { delete_original: true });
    expect(emu.workspace.message("C1", ts)).toBeUndefined();
  });

  it("rejects invalid blocks and unknown URLs", async () => {
    const { responseUrl } = await emu.driver.slashCommand({ userId: "U1", channelId: "C1", text: "x" });
    const bad = await post(responseUrl, {
      blocks: [{ type: "header", text: { type: "plain_text", text: "" } }],
    });
    expect(bad.status).toBe(400);
    expect(bad.body.error).toBe("invalid_blocks");
    expect((await post(`${emu.baseUrl}/response/nope`, { text: "x" })).status).toBe(404);
  });
});
