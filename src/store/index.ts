// The store: repositories over one database, and transactions that hand out the same set.

import { AccountRepository } from "./accounts.ts";
import { AgentRepository, RosterMemory, RuleRepository, TeamRepository } from "./agents.ts";
import { ConversationRepository } from "./conversations.ts";
import { CustomerSlackRepository } from "./customer-slack.ts";
import { CustomerRepository } from "./customers.ts";
import { type Db, type DbClient, openPostgresConnection, postgresUrl } from "./db.ts";
import { EventRepository } from "./events.ts";
import { HomeTabRepository } from "./home-tabs.ts";
import { type LaneLeases, ONE_PROCESS, postgresLeases } from "./lane-leases.ts";
import { MessageRepository } from "./messages.ts";
import { OutboxRepository } from "./outbox.ts";
import { ProblemRepository } from "./problems.ts";
import { ReportRepository } from "./reports.ts";
import { ResponseRepository } from "./responses.ts";
import { SlackRepository } from "./slack.ts";
import { SummaryRepository } from "./summaries.ts";

/** What a transaction's repositories share with the store: hooks that run once it commits. */
export interface TxHooks {
  /** Hears each outbox lane written to (the store announces them once committed). */
  noteLane(lane: string): void;
  /** Runs `fn` once the transaction has committed (never when it rolls back). */
  afterCommit(fn: () => void): void;
  /** The roster this process keeps between routings (AgentRepository.onlineRoster). */
  roster: RosterMemory;
}

/** Every repository, built once per transaction over its client: the one list of them. */
const REPOSITORIES = {
  customers: (db: DbClient) => new CustomerRepository(db),
  accounts: (db: DbClient) => new AccountRepository(db),
  conversations: (db: DbClient) => new ConversationRepository(db),
  messages: (db: DbClient) => new MessageRepository(db),
  slack: (db: DbClient) => new SlackRepository(db),
  customerSlack: (db: DbClient) => new CustomerSlackRepository(db),
  outbox: (db: DbClient, hooks: TxHooks) => new OutboxRepository(db, hooks.noteLane),
  agents: (db: DbClient, hooks: TxHooks) => new AgentRepository(db, hooks),
  teams: (db: DbClient) => new TeamRepository(db),
  rules: (db: DbClient) => new RuleRepository(db),
  events: (db: DbClient) => new EventRepository(db),
  reports: (db: DbClient) => new ReportRepository(db),
  responses: (db: DbClient) => new ResponseRepository(db),
  summaries: (db: DbClient) => new SummaryRepository(db),
  homeTabs: (db: DbClient) => new HomeTabRepository(db),
  problems: (db: DbClient) => new ProblemRepository(db),
};
type Name = keyof typeof REPOSITORIES;
const NAMES = Object.keys(REPOSITORIES) as Name[];

export type Repositories = { readonly [K in Name]: ReturnType<(typeof REPOSITORIES)[K]> };

export interface Store extends Repositories {
  /** Runs `fn` atomically: every write in it lands, or none does. */
  transaction<T>(fn: (tx: Repositories) => Promise<T>): Promise<T>;
  /**
   * Like transaction, for small, frequent units of work (one inbound message): units that arrive
   * while a commit is under way share the next transaction and its commit (group commit).
   * Each unit is still all-or-nothing: when one fails, the batch is rolled back and every unit
   * runs again in a transaction of its own.
   */
  groupTransaction<T>(fn: (tx: Repositories) => Promise<T>): Promise<T>;
  /**
   * The lease of an outbox lane: only its holder works on the lane (null: another HeroDesk process
   * holds it). Read the lane's head again once leased: another process may have moved it on.
   */
  leaseLane: LaneLeases["lease"];
  /** Other HeroDesk processes may share this database (PostgreSQL): what they share is kept here. */
  readonly replicated: boolean;
  isReachable(): Promise<boolean>;
  close(): Promise<void>;
}

/** The writer lock's advisory-lock key (one bigint; lane leases use the two-int key space). */
const WRITER_LOCK = 0x4865726f4465736bn >> 2n; // "HeroDesk"

function repositories(db: DbClient, hooks: TxHooks): Repositories {
  return Object.fromEntries(NAMES.map((name) => [name, REPOSITORIES[name](db, hooks)])) as Repositories;
}

/**
 * Repositories for use outside a transaction. SQLite has one connection, and Prisma's adapter
 * only queues transactions behind each other: a plain query issued while another transaction is
 * open would run inside it (seeing its uncommitted rows, and rolled back with it). So every call
 * made here runs in a short transaction of its own.
 */
function serialized(transaction: <T>(fn: (tx: Repositories) => Promise<T>) => Promise<T>): Repositories {
  // PostgreSQL: each call still runs in a transaction of its own (a method may issue several
  // statements), but beside the others, from Prisma's pool, and without the writer lock.
  const wrap = <K extends Name>(key: K): Repositories[K] =>
    new Proxy({} as Repositories[K], {
      get:
        (_target, method: string) =>
        (...args: unknown[]) =>
          transaction((tx) =>
            (tx[key] as unknown as Record<string, (...a: unknown[]) => Promise<unknown>>)[method]!(...args),
          ),
    });
  return Object.fromEntries(NAMES.map((name) => [name, wrap(name)])) as Repositories;
}

/**
 * `onEnqueued` hears which outbox lanes got new work once that work is committed, so the outbox
 * worker looks at just those lanes, at once.
 */
export function createStore(db: Db, options: { onEnqueued?: (lanes: string[]) => void } = {}): Store {
  const announce = (lanes: string[]) => {
    if (lanes.length) options.onEnqueued?.(lanes);
  };
  const postgres = postgresUrl(db);
  const leases = postgres ? postgresLeases(() => openPostgresConnection(postgres)) : ONE_PROCESS;
  const roster = new RosterMemory();
  /** A transaction; on PostgreSQL `writer` ones first take the writer lock (see below). */
  const run = async <T>(fn: (tx: Repositories) => Promise<T>, writer: boolean): Promise<T> => {
    const lanes = new Set<string>();
    const committed: (() => void)[] = [];
    const result = await db.$transaction(
      async (tx) => {
        // SQLite has one writer: every use case's load → decide → save runs alone, and the code
        // counts on it (no two routings give one free slot away, one claim wins, a message id is
        // stored once). Several replicas on PostgreSQL keep that with one transaction-scoped
        // advisory lock that every use case's transaction takes first: its reads then see every
        // commit before it, and nothing commits between them and its writes. Held to the commit,
        // dropped by PostgreSQL if the replica dies.
        if (postgres && writer)
          await tx.$queryRawUnsafe(`SELECT pg_advisory_xact_lock(${WRITER_LOCK})::text`);
        return fn(
          repositories(tx, {
            noteLane: (lane) => lanes.add(lane),
            afterCommit: (f) => committed.push(f),
            roster,
          }),
        );
      },
      { timeout: 15_000, maxWait: 15_000 },
    );
    for (const f of committed) f();
    announce([...lanes]);
    return result;
  };
  // SQLite runs one transaction at a time anyway. HeroDesk queues them itself and lets I/O in
  // between two: better-sqlite3 answers synchronously, so transactions queued behind Prisma's own
  // lock would run back to back as one unbroken chain of microtasks, and Slack's acknowledgements
  // and the inbound API would wait for the whole backlog. (On PostgreSQL the queue also keeps a
  // process's transactions from holding pool connections while they wait for the writer lock.)
  let tail: Promise<unknown> = Promise.resolve();
  const transaction = <T>(fn: (tx: Repositories) => Promise<T>): Promise<T> => {
    const next = async () => {
      await new Promise<void>((resolve) => setImmediate(resolve));
      return run(fn, true);
    };
    const result = tail.then(next, next);
    tail = result.catch(() => undefined);
    return result;
  };

  type Unit = {
    fn: (tx: Repositories) => Promise<unknown>;
    resolve: (v: unknown) => void;
    reject: (e: unknown) => void;
  };
  let waiting: Unit[] = [];
  let committing = false;
  const MAX_BATCH = 64;
  const runBatches = async () => {
    committing = true;
    while (waiting.length) {
      const batch = waiting.slice(0, MAX_BATCH);
      waiting = waiting.slice(MAX_BATCH);
      try {
        const results = await transaction(async (tx) => {
          const out: unknown[] = [];
          for (const unit of batch) out.push(await unit.fn(tx));
          return out;
        });
        for (const [i, unit] of batch.entries()) unit.resolve(results[i]);
      } catch {
        // Find the unit that failed: each runs alone, so the others still land.
        for (const unit of batch) await transaction(unit.fn).then(unit.resolve, unit.reject);
      }
    }
    committing = false;
  };

  return {
    ...serialized(postgres ? (fn) => run(fn, false) : transaction),
    transaction,
    leaseLane: (lane) => leases.lease(lane),
    replicated: postgres !== null,
    groupTransaction: <T>(fn: (tx: Repositories) => Promise<T>) =>
      new Promise<T>((resolve, reject) => {
        waiting.push({ fn, resolve: resolve as (v: unknown) => void, reject });
        if (!committing) void runBatches();
      }),
    isReachable: async () => {
      try {
        // A real table, not just `SELECT 1`: an unmigrated or broken database is not healthy.
        await db.$transaction((tx) => tx.$queryRawUnsafe('SELECT 1 FROM "OutboxItem" LIMIT 1'));
        return true;
      } catch {
        return false;
      }
    },
    close: async () => {
      await leases.close();
      await db.$disconnect();
    },
  };
}

export { openDatabase } from "./db.ts";
