// Acknowledgements first. Node accepts one new connection per turn of its event loop (libuv
// >= 1.45 calls accept() once per wake-up, libuv/libuv#3696), and each turn also runs whatever
// else is due: in HeroDesk, typically one database transaction, which better-sqlite3 runs
// synchronously (a few ms, more under load). When 50 Slack requests arrive together, the last one
// waits in the kernel's accept queue behind up to 49 turns, and so behind every transaction that
// the earlier requests' follow-up work (answers through response_url) started meanwhile. Bolt's
// own handling of one request is about a millisecond; 49 transactions are hundreds.
//
// So the work that can wait does: follow-up work asks `afterAcks()` before it starts, and that
// resolves once Slack requests have stopped arriving for a moment (none since the last look, a
// millisecond timer, and none for `quietMs`), one waiting job at a time (so a request arriving
// meanwhile waits behind one transaction at most), and in any case after `maxHoldMs`, so a
// steady stream of requests cannot starve it. Acknowledgements themselves never wait, nor does
// the work that must happen before one (storing an event: processBeforeResponse).
//
// The event loop is the process's, so the gate is too: `ackFirst` below is the one HeroDesk uses.

export interface AckFirstOptions {
  /** How long no Slack request may have arrived before held work goes on. Default 5 ms. */
  quietMs?: number;
  /** The longest a job is held while requests keep arriving. Default 500 ms. */
  maxHoldMs?: number;
}

export class AckFirst {
  private readonly quietMs: number;
  private readonly maxHoldMs: number;
  private lastArrival = Number.NEGATIVE_INFINITY;
  private arrivedSinceCheck = false;
  /** When the job at the head of the queue started waiting, or the last one was let go. */
  private heldSince = 0;
  private waiting: (() => void)[] = [];
  private timer: NodeJS.Timeout | undefined;

  constructor(options: AckFirstOptions = {}) {
    this.quietMs = options.quietMs ?? 5;
    this.maxHoldMs = options.maxHoldMs ?? 500;
  }

  /** A Slack request came in: called for every request, before Bolt reads it. */
  arrived(): void {
    this.lastArrival = performance.now();
    this.arrivedSinceCheck = true;
  }

  /** Resolves when follow-up work may start (see the top of this file). */
  afterAcks(): Promise<void> {
    return new Promise((resolve) => {
      if (!this.waiting.length) this.heldSince = performance.now();
      this.waiting.push(resolve);
      this.timer ??= setTimeout(() => this.check(), 1);
    });
  }

  /** Jobs waiting now (for tests and diagnostics). */
  get held(): number {
    return this.waiting.length;
  }

  private check(): void {
    this.timer = undefined;
    const now = performance.now();
    const quiet = !this.arrivedSinceCheck && now - this.lastArrival >= this.quietMs;
    this.arrivedSinceCheck = false;
    if (now - this.heldSince >= this.maxHoldMs) {
      // Held long enough: everything goes, whatever is arriving.
      const all = this.waiting;
      this.waiting = [];
      for (const go of all) go();
      return;
    }
    if (quiet) {
      // One at a time: its transaction runs in this turn, and a request that arrives meanwhile
      // holds the rest again.
      this.waiting.shift()!();
      this.heldSince = now;
    }
    if (this.waiting.length) this.timer = setTimeout(() => this.check(), 1);
  }
}

/** The process's gate: the HTTP listener reports arrivals, listeners' follow-up work waits on it. */
export const ackFirst = new AckFirst();
