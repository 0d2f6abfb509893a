// The store: repositories over one database, and transactions that hand out the same set.
import { ConversationRepository } from "./conversations.ts";
import { CustomerRepository } from "./customers.ts";
import type { Db, DbClient } from "./db.ts";
import { MessageRepository } from "./messages.ts";
import { OutboxRepository } from "./outbox.ts";
import { SlackRepository } from "./slack.ts";

export interface Repositories {
  customers: CustomerRepository;
  conversations: ConversationRepository;
  messages: MessageRepository;
  slack: SlackRepository;
  outbox: OutboxRepository;
}

export interface Store extends Repositories {
  /** Runs `fn` atomically: every write in it lands, or none does. */
  transaction<T>(fn: (tx: Repositories) => Promise<T>): Promise<T>;
  isReachable(): Promise<boolean>;
  close(): Promise<void>;
}

function repositories(db: DbClient): Repositories {
  return {
    customers: new CustomerRepository(db),
    conversations: new ConversationRepository(db),
    messages: new MessageRepository(db),
    slack: new SlackRepository(db),
    outbox: new OutboxRepository(db),
  };
}

export function createStore(db: Db): Store {
  return {
    ...repositories(db),
    transaction: (fn) => db.$transaction((tx) => fn(repositories(tx)), { timeout: 15_000, maxWait: 15_000 }),
    isReachable: async () => {
      try {
        // A real table, not just `SELECT 1`: an unmigrated or broken database is not healthy.
        await db.$queryRawUnsafe('SELECT 1 FROM "OutboxItem" LIMIT 1');
        return true;
      } catch {
        return false;
      }
    },
    close: () => db.$disconnect(),
  };
}

export type * from "../core/domain.ts";
export { openDatabase } from "./db.ts";
