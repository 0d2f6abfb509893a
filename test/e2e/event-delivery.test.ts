// End to end (issue 9 part 7): agents' replies as Slack really delivers their events. Slack sends
// events concurrently, promises no order, and retries one it has no answer to after 3 s even while
// the first attempt is still running (`http_timeout`: "Your server took longer than 3 seconds to
// respond to the previous event delivery attempt"; retries carry `x-slack-retry-num` and the same
// event_id; https://docs.slack.dev/apis/events-api, "Retries"). Through the real surfaces: signed
// event_callbacks from the emulator's driver into Bolt, a real SQLite file, and the customer's
// replyUrl (test/helpers/reply-server.ts).
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { AGENT, CHANNEL, type Stack, startStack } from "../helpers/stack.ts";
import { waitFor } from "../helpers/wait.ts";

/** The reply order window of this stack (HeroDesk's default is 2 s). */
const WINDOW_MS = 1000;

let stack: Stack;
beforeAll(async () => {
  stack = await startStack({ file: { replyOrderWindowMs: WINDOW_MS } });
});
afterAll(() => stack?.stop());

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));
let seconds = Math.floor(Date.now() / 1000);
/** Slack ts of replies written one after the other (a fresh second per test). */
const tsSeries = () => {
  seconds += 1;
  return (i: number) => `${seconds}.${String(100 + i).padStart(6, "0")}`;
};

/** The message event of an agent's thread reply, as Slack sends it. */
const reply = (threadTs: string, ts: string, text: string, user = AGENT) => ({
  type: "message",
  channel: CHANNEL,
  user,
  text,
  ts,
  thread_ts: threadTs,
  channel_type: "channel",
});

/** The texts the customer received for conversation `n`, in the order they arrived. */
const receivedBy = (customerConversationId: string) =>
  stack.reply.received
    .filter((r) => r.body.conversationId === customerConversationId)
    .map((r) => r.body.text);

async function conversation(id: string) {
  const n = await stack.customerWrites(`cust-${id}`, "hello?", { conversationId: id });
  return stack.card(n).ts;
}

describe("a reply is delivered once, however often and however concurrently Slack delivers its event", () => {
  it("the same event twice at the same moment, retried while the first attempt is still in its listener, and redelivered under a new event id", async () => {
    const threadTs = await conversation("c-once");
    const event = reply(threadTs, tsSeries()(1), "only once, please");
    // A busy database: hold it, so that the first attempts wait inside the listener (storing the
    // reply is the last thing the listener does before Slack is answered).
    let release!: () => void;
    const busy = stack.app.store.transaction(() => new Promise<void>((r) => (release = r)));
    const answered: string[] = [];
    const deliver = (what: string, options: Parameters<typeof stack.emulator.driver.event>[1]) =>
      stack.emulator.driver.event(event, options).then((res) => {
        answered.push(what);
        return res;
      });

    const first = deliver("first", { eventId: "Ev0ONCE" });
    const twin = deliver("twin", { eventId: "Ev0ONCE" }); // the same delivery, at the same moment
    await sleep(300);
    expect(answered).toEqual([]); // both are still being handled
    // Slack's retry after its 3 s, while the first attempt is still running (compressed here).
    const retry = deliver("retry", { eventId: "Ev0ONCE", retryNum: 1, retryReason: "http_timeout" });
    // The same message under another event id (Slack may redeliver an event as a new one).
    const again = deliver("again", { eventId: "Ev0ONCE2" });
    await sleep(300);
    expect(answered).toEqual([]); // the retry arrived before the first attempt was answered
    release();
    await busy;

    const answers = await Promise.all([first, twin, retry, again]);
    expect(answers.map((a) => a.status)).toEqual([200, 200, 200, 200]);
    await waitFor("the reply delivered", () => receivedBy("c-once").length >= 1);
    await sleep(WINDOW_MS + 200); // a second delivery would have had its window by now
    await stack.drained();
    expect(receivedBy("c-once")).toEqual(["only once, please"]);
    const stored = await stack.app.store.messages.findByExternalId("web", `slack-${CHANNEL}-${event.ts}`);
    expect(stored?.deliveryStatus).toBe("delivered");
  });
});

describe("an agent's replies reach the customer in the order they were written (their ts)", () => {
  it("a reply whose event arrives after a later reply's (within the window) still goes first", async () => {
    const threadTs = await conversation("c-late");
    const ts = tsSeries();
    // ts 2 is delivered by Slack first; ts 1 a moment later.
    expect((await stack.emulator.driver.event(reply(threadTs, ts(2), "second"))).status).toBe(200);
    await sleep(WINDOW_MS / 4);
    expect((await stack.emulator.driver.event(reply(threadTs, ts(1), "first"))).status).toBe(200);

    await waitFor("both replies delivered", () => receivedBy("c-late").length === 2);
    expect(receivedBy("c-late")).toEqual(["first", "second"]);
  });

  it("replies whose events arrive concurrently, in any order, go in ts order", async () => {
    const threadTs = await conversation("c-together");
    const ts = tsSeries();
    const answers = await Promise.all([
      stack.emulator.driver.event(reply(threadTs, ts(3), "three")),
      stack.emulator.driver.event(reply(threadTs, ts(1), "one")),
      stack.emulator.driver.event(reply(threadTs, ts(4), "four", "U0ADMIN")), // two agents, one thread
      stack.emulator.driver.event(reply(threadTs, ts(2), "two")),
    ]);
    expect(answers.map((a) => a.status)).toEqual([200, 200, 200, 200]);

    await waitFor("all four delivered", () => receivedBy("c-together").length === 4);
    expect(receivedBy("c-together")).toEqual(["one", "two", "three", "four"]);
  });

  it("the window bounds the wait: a reply whose event comes after a later reply was delivered goes when it comes", async () => {
    const threadTs = await conversation("c-beyond");
    const ts = tsSeries();
    const started = Date.now();
    await stack.emulator.driver.event(reply(threadTs, ts(2), "second"));
    await waitFor("the later reply delivered", () => receivedBy("c-beyond").length === 1);
    // Held for the window, not longer (Slack's own retries of a failed delivery come after a minute).
    expect(Date.now() - started).toBeGreaterThanOrEqual(WINDOW_MS);
    expect(Date.now() - started).toBeLessThan(WINDOW_MS + 2000);
    await stack.emulator.driver.event(reply(threadTs, ts(1), "first, but late"));
    await waitFor("the late reply delivered", () => receivedBy("c-beyond").length === 2);
    expect(receivedBy("c-beyond")).toEqual(["second", "first, but late"]);
  });
});
