// How long what Slack hands an app with an interaction stays usable:
// - response_url: "You can use response_url to post up to 5 times within 30 minutes" of receiving
//   it (https://docs.slack.dev/interactivity/handling-user-interaction#message_responses; the same
//   for slash commands, https://docs.slack.dev/interactivity/implementing-slash-commands). Slack does
//   not document its answer past that: the emulator answers HTTP 404 (Bolt's respond() then throws
//   RespondError, as it does for "an expired response_url", @slack/bolt create-respond.js);
// - trigger_id: expires 3 seconds after it was issued and can be exchanged once
//   (https://docs.slack.dev/interactivity/handling-user-interaction#modal_responses); views.open
//   answers expired_trigger_id and exchanged_trigger_id ("The trigger_id was already exchanged in
//   a previous call", https://docs.slack.dev/reference/methods/views.open).
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { SlackEmulator } from "../../src/emulator/index.ts";
import {
  RESPONSE_URL_LIMITS,
  type ResponseOrigin,
  ResponseUrlRegistry,
  TriggerRegistry,
} from "../../src/emulator/surfaces.ts";
import { client, type FakeApp, slackError, startFakeApp } from "./helpers.ts";

let app: FakeApp;
let emu: SlackEmulator;

beforeAll(async () => {
  app = await startFakeApp();
  emu = await SlackEmulator.start({ rateLimit: false, appUrl: app.url });
  emu.workspace.addUser({ id: "U1", name: "alice" });
  emu.workspace.addChannel({ id: "C1", name: "support", members: ["U1"] });
});

afterAll(async () => {
  await emu.stop();
  await app.close();
});

async function post(url: string, text: string) {
  const res = await fetch(url, {
    method: "POST",
    headers: { "content-type": "application/json" },
    body: JSON.stringify({ text }),
  });
  return { status: res.status, body: (await res.json()) as Record<string, unknown> };
}

const origin: ResponseOrigin = { kind: "command", channel: "C1", userId: "U1" };

describe("response_url", () => {
  it("takes 5 posts, then answers 404 used_url", async () => {
    const { responseUrl } = await emu.driver.slashCommand({ userId: "U1", channelId: "C1", text: "status" });
    for (let i = 1; i <= 5; i++) expect((await post(responseUrl, `answer ${i}`)).status).toBe(200);
    expect(await post(responseUrl, "answer 6")).toEqual({
      status: 404,
      body: { ok: false, error: "used_url" },
    });
    expect(emu.ephemerals.filter((e) => e.text.startsWith("answer "))).toHaveLength(5);
  });

  it("counts a post Slack refuses as a use too", async () => {
    const { responseUrl } = await emu.driver.slashCommand({ userId: "U1", channelId: "C1", text: "status" });
    for (let i = 0; i < 5; i++) expect((await post(responseUrl, "")).status).toBe(400); // no_text
    expect((await post(responseUrl, "now with text")).body.error).toBe("used_url");
  });

  it("expires 30 minutes after it was issued", () => {
    expect(RESPONSE_URL_LIMITS).toEqual({ ttlMs: 30 * 60_000, maxUses: 5 });
    let now = 0;
    const urls = new ResponseUrlRegistry(
      () => "http://emu",
      RESPONSE_URL_LIMITS,
      () => now,
    );
    const id = (urls.issue(origin).split("/response/")[1] ?? "") as string;
    now = 30 * 60_000;
    expect(urls.use(id).ok).toBe(true);
    now += 1;
    expect(urls.use(id)).toEqual({ ok: false, error: "expired_url" });
    expect(urls.use("unknown/abc")).toEqual({ ok: false, error: "invalid_url" });
  });

  it("answers 404 expired_url over HTTP once expired", async () => {
    const quick = await SlackEmulator.start({ rateLimit: false, appUrl: app.url, responseUrlTtlMs: 50 });
    try {
      quick.workspace.addUser({ id: "U1", name: "alice" });
      quick.workspace.addChannel({ id: "C1", name: "support", members: ["U1"] });
      const { responseUrl } = await quick.driver.slashCommand({ userId: "U1", channelId: "C1", text: "x" });
      await new Promise((r) => setTimeout(r, 80));
      expect(await post(responseUrl, "late")).toEqual({
        status: 404,
        body: { ok: false, error: "expired_url" },
      });
    } finally {
      await quick.stop();
    }
  });
});

describe("trigger_id", () => {
  const view = {
    type: "modal" as const,
    title: { type: "plain_text" as const, text: "Assign" },
    blocks: [{ type: "section", text: { type: "mrkdwn", text: "Pick an agent" } }],
  };

  it("expires 3 s after it was issued, by default", async () => {
    const fresh = await emu.driver.slashCommand({ userId: "U1", channelId: "C1", text: "assign" });
    const late = await emu.driver.slashCommand({ userId: "U1", channelId: "C1", text: "assign" });
    expect((await client(emu).views.open({ trigger_id: fresh.triggerId, view })).ok).toBe(true);
    await new Promise((r) => setTimeout(r, 3100));
    const err = await slackError(client(emu).views.open({ trigger_id: late.triggerId, view }));
    expect(err.error).toBe("expired_trigger_id");
  });

  it("is valid up to 3000 ms, and exchanged once", () => {
    let now = 0;
    const triggers = new TriggerRegistry(3000, () => now);
    const id = triggers.issue("U1");
    now = 3000;
    expect(triggers.check(id)).toEqual({ ok: true, userId: "U1" });
    triggers.consume(id);
    expect(triggers.check(id)).toEqual({ ok: false, error: "exchanged_trigger_id" });
    const other = triggers.issue("U1");
    now = 6001;
    expect(triggers.check(other)).toEqual({ ok: false, error: "expired_trigger_id" });
    expect(triggers.check("1.2.nope")).toEqual({ ok: false, error: "invalid_trigger_id" });
  });
});
