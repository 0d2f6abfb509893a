// What the app may do in a Slack Connect channel. Where Slack documents the rule it is cited;
// where it is silent the emulator takes the stricter plausible behaviour, written in
// src/emulator/README.md "Behaviour chosen where Slack is vague":
// - chat.postMessage username / icon_url (chat:write.customize, docs.slack.dev/reference/methods/
//   chat.postMessage#authorship) are ignored in an externally shared channel: the app's own
//   identity is what the other organisation sees (chosen);
// - conversations.join does not let the bot into an externally shared channel: a person invites
//   it (chosen; docs.slack.dev/apis/slack-connect: apps belong to their organisation's install);
// - chat.postEphemeral reaches an external member who is in the channel ("user_not_in_channel"
//   otherwise, docs.slack.dev/reference/methods/chat.postEphemeral).
import type { WebClient } from "@slack/web-api";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { SlackEmulator } from "../../src/emulator/index.ts";
import { client, slackError } from "./helpers.ts";

let emu: SlackEmulator;
let slack: WebClient;

beforeAll(async () => {
  emu = await SlackEmulator.start({
    rateLimit: false,
    scopes: ["channels:read", "channels:join", "channels:history", "chat:write", "chat:write.customize"],
    botEvents: [],
  });
  const ws = emu.workspace;
  ws.addExternalOrg({ teamId: "T0ACME", name: "Acme" });
  ws.addExternalOrg({ teamId: "T0GLOBEX", name: "Globex" });
  ws.addUser({ id: "U1", name: "alice" });
  ws.addUser({ id: "UACME1", name: "wile", teamId: "T0ACME" });
  ws.addUser({ id: "UGLOBEX1", name: "hank", teamId: "T0GLOBEX" });
  ws.addChannel({
    id: "C0ACME",
    name: "acme",
    members: ["U1", "UACME1"],
    isExtShared: true,
    connectedTeams: ["T0ACME"],
  });
  ws.addChannel({
    id: "C0GLOBEX",
    name: "globex",
    members: ["U1", "UGLOBEX1"],
    isExtShared: true,
    connectedTeams: ["T0GLOBEX"],
    botIsMember: false,
  });
  ws.addChannel({ id: "C0HELP", name: "help", members: ["U1"] });
  slack = client(emu);
});

afterAll(async () => {
  await emu.stop();
});

describe("chat.postMessage customization", () => {
  it("is ignored in a Slack Connect channel and kept in an internal one", async () => {
    const args = { text: "Hi", username: "Alice (HeroDesk)", icon_url: "https://example.com/a.png" };
    const shared = await slack.chat.postMessage({ channel: "C0ACME", ...args });
    expect(shared.message?.username).toBeUndefined();
    expect(shared.message?.icons).toBeUndefined();
    expect(emu.workspace.message("C0ACME", shared.ts as string)?.bot_profile?.name).toBe(
      emu.workspace.bot.name,
    );
    const internal = await slack.chat.postMessage({ channel: "C0HELP", ...args });
    expect(internal.message?.username).toBe("Alice (HeroDesk)");
  });
});

describe("conversations.join", () => {
  it("does not let the bot into a Slack Connect channel; an invitation does", async () => {
    expect((await slackError(slack.conversations.join({ channel: "C0GLOBEX" }))).error).toBe(
      "method_not_supported_for_channel_type",
    );
    expect(emu.workspace.isMember("C0GLOBEX", emu.workspace.bot.userId)).toBe(false);
    emu.driver.inviteBot({ userId: "U1", channelId: "C0GLOBEX" });
    const again = await slack.conversations.join({ channel: "C0GLOBEX" });
    expect(again.warning).toBe("already_in_channel");
  });
});

describe("chat.postEphemeral", () => {
  it("reaches an external member of the channel, not one of another organisation", async () => {
    await slack.chat.postEphemeral({ channel: "C0ACME", user: "UACME1", text: "Only you" });
    expect(emu.ephemerals.at(-1)).toMatchObject({ channel: "C0ACME", user: "UACME1", text: "Only you" });
    expect(
      (await slackError(slack.chat.postEphemeral({ channel: "C0ACME", user: "UGLOBEX1", text: "x" }))).error,
    ).toBe("user_not_in_channel");
  });
});
