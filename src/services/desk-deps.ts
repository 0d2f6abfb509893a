// What every /desk and button use case is built from.
import type { SourceConfig } from "../config.ts";
import type { Repositories, Store } from "../store/index.ts";
import type { CustomerChannelMembership } from "./customer-channel-membership.ts";
import type { TargetSettingsOf } from "./target-settings.ts";

/** Who runs a use case: the Slack user behind the command or click. */
export interface Actor {
  userId: string;
}

export interface DeskDeps {
  store: Store;
  sources: ReadonlyMap<string, SourceConfig>;
  /** Bootstrap admins from the config file: always admins. */
  admins: readonly string[];
  managersCanSetHeroes: boolean;
  now?: () => Date;
  /**
   * Routes a conversation now, inside the caller's transaction (src/services/route-conversation.ts),
   * so that an answer can say where it went. Without it, routing runs after the commit.
   */
  routeNow?: (tx: Repositories, conversationId: number) => Promise<number>;
  /** The capacity `agent add` gives when none is named (config `defaultCapacity`; 0 = no limit). */
  defaultCapacity?: number;
  /** The hours and targets a conversation keeps (its team's hours); default its source's. */
  targetSettings?: TargetSettingsOf;
  /** Customer channels of the invited source (`/desk channel add|remove`). */
  customerChannels?: Pick<CustomerChannelMembership, "change">;
  /** The link to a conversation's thread in Slack (null: not known, e.g. Slack unreachable). */
  threadLink?: (thread: { channel: string; ts: string }) => Promise<string | null>;
}

/** The link to conversation `id`'s thread, when its card is posted and links can be made. */
export async function linkOf(
  tx: Pick<Repositories, "slack">,
  deps: Pick<DeskDeps, "threadLink">,
  id: number,
): Promise<string | null> {
  if (!deps.threadLink) return null;
  const thread = await tx.slack.threadForConversation(id);
  return thread ? deps.threadLink(thread) : null;
}
