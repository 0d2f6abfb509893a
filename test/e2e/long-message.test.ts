// Issue 15, part 6: a 200,000-character message became 334 thread posts and held its channel's
// posts (one a second: docs.slack.dev/reference/methods/chat.postMessage, "Rate limiting") for
// 5.5 minutes while another customer's message waited behind it. Now its first part is posted,
// the whole text follows as a text file in the thread (Slack's external upload flow), and the
// next customer's message goes out seconds later; no character is lost, and a retry after a lost
// answer shares the file once. Slack's limits as they are: no leniency in this file.
import { afterEach, describe, expect, it } from "vitest";
import { startFlakyProxy } from "../helpers/flaky-proxy.ts";
import { mirroredText } from "../helpers/mirrored.ts";
import { CHANNEL, customerMessage, type Stack, startStack } from "../helpers/stack.ts";

let stack: Stack | undefined;
const cleanups: (() => Promise<void>)[] = [];
afterEach(async () => {
  await stack?.stop();
  stack = undefined;
  for (const c of cleanups.splice(0)) await c();
});

type Posted = {
  ts: string;
  blocks?: unknown[];
  files?: { id: string; name: string }[];
  metadata?: { event_type?: string };
};

const LONG = 'Order R&D-42 <urgent> & "broken" 🎉 | <!channel>\n'.repeat(4200).slice(0, 200_000);

function threadOf(s: Stack, n: number): Posted[] {
  return s.emulator.workspace.replies(CHANNEL, (s.card(n) as Posted).ts) as Posted[];
}

/** What agents can read of a long message: the file's text (the first post is its start). */
function fileText(s: Stack, thread: Posted[]): { inline: string; file: string; shares: number } {
  const shares = thread.filter((m) => m.files?.some((f) => f.name.startsWith("message-")));
  const id = shares[0]?.files?.[0]?.id;
  const stored = id ? s.emulator.workspace.storedFile(id) : undefined;
  const parts = thread.filter((m) => m.metadata?.event_type === "herodesk_message");
  return {
    inline: mirroredText(parts),
    file: stored?.bytes ? Buffer.from(stored.bytes).toString("utf8") : "",
    shares: shares.length,
  };
}

describe("a very long customer message", () => {
  it("is its first part and a text file in the thread; the next customer's message goes out seconds later", async () => {
    stack = await startStack();
    const started = Date.now();
    expect((await stack.sendMessage(customerMessage({ text: LONG }))).status).toBe(202);
    const next = customerMessage({ customer: { id: "cust-2", name: "Bob" }, text: "urgent: site down" });
    expect((await stack.sendMessage(next)).status).toBe(202);
    const counts = await stack.drained(60_000);
    const took = Date.now() - started;
    expect(counts.failed ?? 0).toBe(0);

    const thread = threadOf(stack, 1);
    const { inline, file, shares } = fileText(stack, thread);
    expect(shares).toBe(1);
    expect(file).toBe(LONG);
    expect(inline.length).toBeGreaterThan(1000);
    expect(LONG.startsWith(inline)).toBe(true);

    // The channel's calls for the long message: its card, its first part, its file.
    const posts = stack.emulator.calls.filter(
      (c) =>
        (c.method === "chat.postMessage" || c.method === "files.completeUploadExternal") &&
        (c.params.channel ?? c.params.channel_id) === CHANNEL &&
        c.ok,
    );
    const nextCard = posts.findIndex((c) => String(c.params.text).startsWith("#2 "));
    expect(nextCard).toBe(3);
    expect(mirroredText(threadOf(stack, 2))).toBe("urgent: site down");
    // HeroDesk's own file share in the thread is not an agent's reply.
    expect(stack.reply.received).toHaveLength(0);
    console.info(`long message: ${thread.length} replies, both customers mirrored in ${took} ms`);
  }, 60_000);

  it("shares its file once when Slack's answer to the share is lost", async () => {
    const proxy = await startFlakyProxy();
    cleanups.push(proxy.close);
    stack = await startStack({ slackApiUrl: (url) => proxy.forward(url) });
    proxy.loseAnswerOf.push("files.completeUploadExternal");
    expect((await stack.sendMessage(customerMessage({ text: LONG }))).status).toBe(202);
    const counts = await stack.drained(60_000);
    expect(counts.failed ?? 0).toBe(0);
    expect(proxy.lost).toBe(1);
    const { file, shares } = fileText(stack, threadOf(stack, 1));
    expect(shares).toBe(1);
    expect(file).toBe(LONG);
  }, 60_000);
});
