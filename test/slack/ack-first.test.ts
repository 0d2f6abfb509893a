// The acknowledgements-first gate: follow-up work waits while Slack requests keep arriving, goes on
// once they stop (one job at a time), and never waits longer than its bound. Real timers, with
// quiet periods long enough that a stalled test process cannot fake one.
import { describe, expect, it } from "vitest";
import { AckFirst } from "../../src/slack/ack-first.ts";

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

/** Reports an arrival every `everyMs` until stopped. */
function arrivals(gate: AckFirst, everyMs: number) {
  gate.arrived();
  const timer = setInterval(() => gate.arrived(), everyMs);
  return () => clearInterval(timer);
}

describe("AckFirst", () => {
  it("lets work go soon when nothing else is arriving", async () => {
    const gate = new AckFirst({ quietMs: 5, maxHoldMs: 10_000 });
    const started = performance.now();
    await gate.afterAcks();
    expect(performance.now() - started).toBeLessThan(1000);
    expect(gate.held).toBe(0);
  });

  it("holds work while requests keep arriving, and lets it go once they stop", async () => {
    const gate = new AckFirst({ quietMs: 200, maxHoldMs: 10_000 });
    const stop = arrivals(gate, 2);
    let done = false;
    const work = gate.afterAcks().then(() => {
      done = true;
    });
    await sleep(300);
    expect(done).toBe(false);
    expect(gate.held).toBe(1);
    const stoppedAt = performance.now();
    stop();
    await work;
    expect(performance.now() - stoppedAt).toBeGreaterThanOrEqual(190); // the quiet period
  });

  it("lets held jobs go one at a time, in order", async () => {
    const gate = new AckFirst({ quietMs: 100, maxHoldMs: 10_000 });
    const stop = arrivals(gate, 2);
    const order: number[] = [];
    const jobs = [1, 2, 3, 4].map((n) => gate.afterAcks().then(() => order.push(n)));
    await sleep(50);
    expect(order).toEqual([]);
    stop();
    // Each job runs in a turn of its own: after the first goes, the others are still waiting.
    await jobs[0];
    expect(order).toEqual([1]);
    expect(gate.held).toBe(3);
    await Promise.all(jobs);
    expect(order).toEqual([1, 2, 3, 4]);
  });

  it("never holds work longer than maxHoldMs, however busy Slack is", async () => {
    const gate = new AckFirst({ quietMs: 1000, maxHoldMs: 100 });
    const stop = arrivals(gate, 2);
    try {
      const started = performance.now();
      await Promise.all([gate.afterAcks(), gate.afterAcks(), gate.afterAcks()]);
      const waited = performance.now() - started;
      expect(waited).toBeGreaterThanOrEqual(95);
      expect(waited).toBeLessThan(5000);
    } finally {
      stop();
    }
  });
});
