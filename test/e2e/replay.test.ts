// Replayed and future-dated Slack requests (issue 15, part 11). Bolt refuses only requests older
// than 5 minutes; HeroDesk also refuses a signature it already answered (a captured request sent
// again) and a timestamp more than 5 minutes ahead, and still lets Slack's retry of a failed
// request through.
import { createServer, type Server } from "node:http";
import type { AddressInfo } from "node:net";
import { afterEach, describe, expect, it } from "vitest";
import { signedHeaders } from "../../src/emulator/signing.ts";
import { onPostgres } from "../helpers/db.ts";
import { CHANNEL, type Stack, startStack } from "../helpers/stack.ts";
import { waitFor } from "../helpers/wait.ts";

let stack: Stack;
/** A second HeroDesk on the same database (a replica), when a test starts one. */
let replica: Stack | undefined;
let answers: Server | undefined;
afterEach(async () => {
  await replica?.stop();
  replica = undefined;
  await stack?.stop();
  await new Promise((r) => (answers ? answers.close(r) : r(null)));
});

/** A response_url of our own that counts the answers HeroDesk posts to it. */
async function answerCounter() {
  const posts: string[] = [];
  answers = createServer((req, res) => {
    let body = "";
    req.on("data", (c) => (body += c));
    req.on("end", () => {
      posts.push(body);
      res.writeHead(200).end("ok");
    });
  });
  await new Promise<void>((r) => answers!.listen(0, "127.0.0.1", r));
  return { url: `http://127.0.0.1:${(answers.address() as AddressInfo).port}/answer`, posts };
}

async function post(raw: string, headers: Record<string, string>, to: Stack = stack) {
  const res = await fetch(`${to.app.url}/slack/events`, {
    method: "POST",
    headers: { "content-type": "application/x-www-form-urlencoded", ...headers },
    body: raw,
  });
  return res.status;
}

function slashCommand(responseUrl: string) {
  return new URLSearchParams({
    command: "/desk",
    text: "help hero",
    user_id: "U0ADMIN",
    channel_id: CHANNEL,
    team_id: "T0HERODESK",
    response_url: responseUrl,
    trigger_id: "1.2.3",
  }).toString();
}

describe("Slack requests sent twice or dated ahead", () => {
  it("a captured /desk request sent again is refused and runs once", async () => {
    stack = await startStack();
    const { url, posts } = await answerCounter();
    const raw = slashCommand(url);
    const headers = signedHeaders(stack.emulator.signingSecret, raw);
    expect(await post(raw, headers)).toBe(200);
    // The help answer may take more than one message: all of them, then nothing more.
    await waitFor("the answer", () => posts.length >= 1);
    await new Promise((r) => setTimeout(r, 300));
    const answered = posts.length;
    expect(await post(raw, headers)).toBe(401);
    await new Promise((r) => setTimeout(r, 300));
    expect(posts).toHaveLength(answered);
  });

  it("a captured /desk request sent again after a restart (or a deploy) is still refused", async () => {
    stack = await startStack();
    const { url, posts } = await answerCounter();
    const raw = slashCommand(url);
    const headers = signedHeaders(stack.emulator.signingSecret, raw);
    expect(await post(raw, headers)).toBe(200);
    await waitFor("the answer", () => posts.length === 1);
    await stack.restart();
    expect(await post(raw, headers)).toBe(401);
    await new Promise((r) => setTimeout(r, 300));
    expect(posts).toHaveLength(1);
  });

  // SQLite serves one HeroDesk per file (its file lock); replicas share PostgreSQL.
  it.runIf(onPostgres())(
    "one signed /desk request sent to two replicas on one database at once runs once",
    async () => {
      stack = await startStack();
      replica = await startStack({ databaseUrl: stack.config.databaseUrl });
      const { url, posts } = await answerCounter();
      const raw = slashCommand(url);
      const headers = signedHeaders(stack.emulator.signingSecret, raw);
      const statuses = await Promise.all([post(raw, headers, stack), post(raw, headers, replica)]);
      expect(statuses.sort()).toEqual([200, 401]);
      await waitFor("the answer", () => posts.length === 1);
      // Later, to either of them: refused.
      expect(await post(raw, headers, replica)).toBe(401);
      expect(await post(raw, headers, stack)).toBe(401);
      await new Promise((r) => setTimeout(r, 300));
      expect(posts).toHaveLength(1);
    },
  );

  it("a timestamp an hour ahead is refused, though correctly signed", async () => {
    stack = await startStack();
    const { url, posts } = await answerCounter();
    const raw = slashCommand(url);
    const headers = signedHeaders(stack.emulator.signingSecret, raw, Math.floor(Date.now() / 1000) + 3600);
    expect(await post(raw, headers)).toBe(401);
    await new Promise((r) => setTimeout(r, 300));
    expect(posts).toHaveLength(0);
  });

  it("an event sent twice with one signature (Slack's retry within a second) gets through; the event id dedupes it", async () => {
    stack = await startStack();
    const raw = JSON.stringify({
      type: "event_callback",
      team_id: "T0HERODESK",
      api_app_id: "A0HERODESK",
      event_id: "Ev0SAMESIG",
      event_time: Math.floor(Date.now() / 1000),
      event: { type: "app_home_opened", user: "U0ADMIN", channel: "D0ADMIN", tab: "home" },
    });
    const headers = {
      ...signedHeaders(stack.emulator.signingSecret, raw),
      "content-type": "application/json",
    };
    expect(await post(raw, headers)).toBe(200);
    expect(
      await post(raw, { ...headers, "x-slack-retry-num": "1", "x-slack-retry-reason": "http_timeout" }),
    ).toBe(200);
  });

  it("a request that was not answered 2xx is not remembered: the same signature gets through again", async () => {
    stack = await startStack();
    // Signed, but not JSON: Bolt cannot parse it and does not answer it 2xx.
    const raw = "{not json";
    const headers = {
      ...signedHeaders(stack.emulator.signingSecret, raw),
      "content-type": "application/json",
    };
    const first = await post(raw, headers);
    expect(first).not.toBe(401);
    expect(first === 200).toBe(false);
    expect(await post(raw, headers)).toBe(first);
  });
});
