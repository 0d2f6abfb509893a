// Auto-close on a real store: an agent's answer sets two durable steps (the nudge, the close) from
// the answer's time; each acts once, and not at all once the customer wrote or an agent answered
// again; a customer message after an auto-close reopens the same conversation.
import { afterEach, describe, expect, it } from "vitest";
import { parseFileConfig, type SourceConfig } from "../../src/config.ts";
import { pendingJobs } from "../../src/outbox/jobs.ts";
import { createAutoClose, scheduleIdleSteps } from "../../src/services/auto-close.ts";
import { createReceiveCustomerMessage } from "../../src/services/receive-customer-message.ts";
import { openDesk, type TestDesk } from "../helpers/factories.ts";

let w: TestDesk | undefined;
afterEach(async () => {
  await w?.close();
  w = undefined;
});

const H = 3_600_000;
const AUTO = { after: "3d", nudge: "Anything else we can help with?" };
const attempt = { attempts: 0, uncertain: false, id: 1 } as never;

function sourcesWith(web: Record<string, unknown>): ReadonlyMap<string, SourceConfig> {
  const file = parseFileConfig({
    sources: [
      {
        id: "web",
        secret: "web-secret-0123456789",
        slackChannel: "C0SUPPORT",
        replyUrl: "https://example.com/replies",
        ...web,
      },
    ],
  });
  return new Map(file.sources.map((s) => [s.id, s]));
}

/** A customer wrote, an agent answered `hoursAgo` hours ago; the clock reads `now`. */
async function setUp(options: { auto?: Record<string, unknown>; hoursAgo?: number } = {}) {
  w = await openDesk();
  const store = w.store;
  const sources = sourcesWith({ autoClose: options.auto ?? AUTO });
  const source = sources.get("web")!;
  const answeredAt = new Date(Date.now() - (options.hoursAgo ?? 1) * H);
  let messageNo = 0;
  const receive = createReceiveCustomerMessage({ store, sources, linkCustomersByEmail: false });
  const customerWrites = async (sentAt: Date) => {
    const r = await receive({
      source: "web",
      messageId: `m-${messageNo++}`,
      customer: { id: "cust-1", name: "Ada" },
      text: "Hello",
      attachments: [],
      sentAt,
    });
    if (!r.ok) throw new Error(r.error);
    return r.conversationNumber;
  };
  const n = await customerWrites(new Date(answeredAt.getTime() - H));
  const answer = async (at: Date) => {
    const c = await store.transaction(async (tx) => {
      const updated = await tx.conversations.update(n, { waitingSince: null, answeredAt: at });
      await scheduleIdleSteps(tx, source, updated, at);
      return updated;
    });
    return c;
  };
  await answer(answeredAt);
  let now = new Date();
  const idle = createAutoClose({ store, sources, now: () => now }).handlers["conversations.idle"];
  const run = (step: "nudge" | "close", since = answeredAt) =>
    idle.perform({ conversationId: n, since: since.getTime(), step }, attempt);
  /** The nudge of this answer's idle stretch, if one was sent. */
  const nudge = () => store.messages.findByExternalId("web", `nudge-${n}-${answeredAt.getTime()}`);
  return {
    n,
    store,
    answeredAt,
    run,
    answer,
    customerWrites,
    nudge,
    setNow: (d: Date) => {
      now = d;
    },
  };
}

describe("auto-close's steps", () => {
  it("an answer sets the nudge at half of `after`, then the close, in one lane of the idle stretch", async () => {
    const { n, store, answeredAt } = await setUp();
    const lane = `idle:${n}:${answeredAt.getTime()}`;
    // One lane, nudge first: due together (a replica was down), the nudge still goes out first.
    expect((await store.outbox.laneHead(lane))?.nextAttemptAt).toEqual(
      new Date(answeredAt.getTime() + 36 * H),
    );
    expect(await pendingJobs(store, lane, "conversations.idle")).toEqual([
      { conversationId: n, since: answeredAt.getTime(), step: "nudge" },
      { conversationId: n, since: answeredAt.getTime(), step: "close" },
    ]);
  });

  it("without a nudge only the close is set, at `after`; nudgeAfter places the nudge", async () => {
    const plain = await setUp({ auto: { after: "2h" } });
    const plainLane = `idle:${plain.n}:${plain.answeredAt.getTime()}`;
    expect(await pendingJobs(plain.store, plainLane, "conversations.idle")).toEqual([
      { conversationId: plain.n, since: plain.answeredAt.getTime(), step: "close" },
    ]);
    expect((await plain.store.outbox.laneHead(plainLane))?.nextAttemptAt).toEqual(
      new Date(plain.answeredAt.getTime() + 2 * H),
    );
    await w?.close();
    const early = await setUp({ auto: { ...AUTO, nudgeAfter: "1h" } });
    expect(
      (await early.store.outbox.laneHead(`idle:${early.n}:${early.answeredAt.getTime()}`))?.nextAttemptAt,
    ).toEqual(new Date(early.answeredAt.getTime() + H));
  });

  it("the nudge goes to the customer once, through replyUrl, and the thread says so", async () => {
    const { n, store, run, nudge } = await setUp();
    await run("nudge");
    await run("nudge"); // a retry, or a second replica: still one
    const sent = await nudge();
    expect([sent?.text, sent?.authorSlackId, sent?.deliveryStatus]).toEqual([
      "Anything else we can help with?",
      null,
      "pending",
    ]);
    expect(await pendingJobs(store, `reply:${n}`, "reply.deliver")).toEqual([
      { messageId: sent!.id, sourceId: "web" },
    ]);
  });

  it("the close closes it, records why in its history, and says so in the thread", async () => {
    const { n, store, run, setNow, answeredAt } = await setUp();
    setNow(new Date(answeredAt.getTime() + 72 * H));
    await run("close");
    const c = await store.conversations.get(n);
    expect([c?.status, c?.closeReason]).toEqual(["closed", "auto"]);
    const history = (await w!.say("U0ADMIN", `history #${n}`)).split("\n");
    expect(history.at(-1)).toMatch(
      /closed automatically \(no word from the customer for 3 d 0 h after the last answer\)$/,
    );
  });

  it("does nothing once the customer wrote, or an agent answered again, or it was closed", async () => {
    const wrote = await setUp();
    await wrote.customerWrites(new Date());
    await wrote.run("nudge");
    await wrote.run("close");
    expect((await wrote.store.conversations.get(wrote.n))?.status).toBe("open");
    expect(await wrote.nudge()).toBeNull();
    await w?.close();

    const again = await setUp({ hoursAgo: 2 });
    await again.answer(new Date(Date.now() - H));
    await again.run("close"); // the step of the first answer
    expect((await again.store.conversations.get(again.n))?.status).toBe("open");
    await w?.close();

    const closed = await setUp();
    await w!.run("U0ADMIN", `close #${closed.n}`);
    await closed.run("nudge");
    expect(await closed.nudge()).toBeNull();
  });
});

describe("a customer message after an auto-close", () => {
  it("reopens the same conversation (no conversationId needed) within reopenWithin, says why in history", async () => {
    const { n, store, run, customerWrites } = await setUp();
    await run("close");
    expect(await customerWrites(new Date())).toBe(n);
    const c = await store.conversations.get(n);
    expect([c?.status, c?.closeReason, c?.waitingSince !== null]).toEqual(["open", null, true]);
    expect((await w!.say("U0ADMIN", `history #${n}`)).split("\n").at(-1)).toMatch(
      /reopened \(the customer wrote after it closed automatically\)$/,
    );
  });

  it("starts a new conversation after reopenWithin, or when a person closed it", async () => {
    const late = await setUp({ auto: { ...AUTO, reopenWithin: "0s" } });
    await late.run("close");
    expect(await late.customerWrites(new Date(Date.now() + 1000))).not.toBe(late.n);
    await w?.close();

    const byPerson = await setUp();
    await w!.run("U0ADMIN", `close #${byPerson.n}`);
    expect(await byPerson.customerWrites(new Date())).not.toBe(byPerson.n);
  });
});
