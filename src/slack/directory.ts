// Names of Slack users, for the author of a reply the customer reads. Cached: users.info is
// rate-limited and names rarely change. Never asked from a listener before its ack: a listener
// stores what Slack sent, and the names are looked up by the work that follows (reply delivery,
// `/desk agent add` after its acknowledgement).
import type { WebClient } from "@slack/web-api";

const TTL_MS = 60 * 60 * 1000;

interface Entry {
  name: string;
  unfit?: string;
  at: number;
}

export class SlackDirectory {
  private readonly cache = new Map<string, Entry>();

  constructor(private readonly client: WebClient) {}

  async nameOf(userId: string): Promise<string> {
    return (await this.person(userId)).name;
  }

  /**
   * A person's name, and why they cannot hold conversations when Slack says so (no such user in
   * this workspace, deactivated, a bot). When Slack cannot be asked, they are taken as they are.
   */
  async person(userId: string): Promise<{ name: string; unfit?: string }> {
    const hit = this.cache.get(userId);
    // Someone unfit is asked again: they may have been reactivated since.
    if (hit && !hit.unfit && this.fresh(hit)) return { name: hit.name };
    try {
      const entry = await this.ask(userId);
      return entry.unfit ? { name: entry.name, unfit: entry.unfit } : { name: entry.name };
    } catch (err) {
      if (slackError(err) === "user_not_found")
        return { name: userId, unfit: "is not in this Slack workspace" };
      return { name: hit?.name ?? userId }; // a name is nice to have; the work must not wait for it
    }
  }

  async namesOf(userIds: string[]): Promise<Map<string, string>> {
    return new Map(await Promise.all(userIds.map(async (id) => [id, await this.nameOf(id)] as const)));
  }

  /**
   * The name Slack shows for the person (from the cache, else users.info); an older cached name
   * when Slack cannot answer now; undefined when there is none (Slack cannot answer, or there is
   * no such user), so the caller chooses its own fallback.
   */
  async knownName(userId: string): Promise<string | undefined> {
    const hit = this.cache.get(userId);
    if (hit && this.fresh(hit)) return hit.name;
    try {
      return (await this.ask(userId)).name;
    } catch {
      return hit?.name;
    }
  }

  private fresh(entry: Entry): boolean {
    return Date.now() - entry.at < TTL_MS;
  }

  private async ask(userId: string): Promise<Entry> {
    const res = await this.client.users.info({ user: userId });
    const u = res.user;
    const name = u?.profile?.display_name || u?.real_name || u?.profile?.real_name || u?.name || userId;
    const unfit = u?.deleted
      ? "is deactivated in Slack"
      : u?.is_bot || u?.id === "USLACKBOT"
        ? "is a bot"
        : undefined;
    const entry: Entry = { name, at: Date.now(), ...(unfit ? { unfit } : {}) };
    this.cache.set(userId, entry);
    return entry;
  }
}

const slackError = (err: unknown) => (err as { data?: { error?: string } }).data?.error;
