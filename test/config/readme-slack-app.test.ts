// The README's "Create the Slack app" (issue 10, part 4), checked against what it describes: the
// scopes table is the manifest's list exactly, every event and URL the steps name is in the
// manifest, and the step that needs HeroDesk running (Slack's check of the events URL, its
// url_verification challenge: docs.slack.dev/reference/events/url_verification) is answered by
// HeroDesk at the one path the manifest names.
import { readFileSync } from "node:fs";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { type Stack, startStack } from "../helpers/stack.ts";

const readme = readFileSync("README.md", "utf8");
const manifest = JSON.parse(readFileSync("manifest/manifest.json", "utf8"));
const section = readme.slice(readme.indexOf("## Create the Slack app"), readme.indexOf("\n## Inbound API"));

describe("the README's Slack app steps", () => {
  it("list exactly the manifest's scopes", () => {
    const table = section.slice(section.indexOf("| scope"));
    const scopes = [...table.matchAll(/^\| `([a-z:.]+)` +\|/gm)].map((m) => m[1]);
    expect([...scopes].sort()).toEqual([...manifest.oauth_config.scopes.bot].sort());
  });

  it("name the placeholder URL the manifest has, and every request URL is /slack/events", () => {
    const placeholder = /`(https:\/\/[a-z.-]+)` in it/.exec(section)?.[1];
    expect(placeholder).toBe("https://herodesk.example.com");
    const urls = [
      manifest.features.slash_commands[0].url,
      manifest.settings.event_subscriptions.request_url,
      manifest.settings.interactivity.request_url,
    ];
    for (const url of urls) expect(url).toBe(`${placeholder}/slack/events`);
    expect(section).toContain("`POST /slack/events`");
  });

  it("put starting HeroDesk before Slack's check of the events URL", () => {
    const start = section.indexOf("`npm start`");
    const verify = section.indexOf("**Event Subscriptions**");
    const install = section.indexOf("**Install to Workspace**");
    expect(install).toBeGreaterThan(0);
    expect(start).toBeGreaterThan(install);
    expect(verify).toBeGreaterThan(start);
  });
});

describe("Slack's check of the events URL", () => {
  let stack: Stack;
  beforeAll(async () => {
    stack = await startStack();
  });
  afterAll(async () => {
    await stack.stop();
  });

  it("is answered with its challenge once HeroDesk runs", async () => {
    const res = await stack.emulator.driver.urlVerification(
      "3eZbrw1aBm2rZgRNFdxV2595E9CY3gmdALWMmHkvFXO7tYXAYM8P",
    );
    expect(res.status).toBe(200);
    const body = res.body as { challenge?: string } | string;
    const challenge = typeof body === "string" ? body : body.challenge;
    expect(challenge).toBe("3eZbrw1aBm2rZgRNFdxV2595E9CY3gmdALWMmHkvFXO7tYXAYM8P");
  });
});
