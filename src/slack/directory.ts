// Names of Slack users, for the author of a reply the customer reads. Cached: users.info is
// rate-limited and names rarely change.
import type { WebClient } from "@slack/web-api";

const TTL_MS = 60 * 60 * 1000;

export class SlackDirectory {
  private readonly cache = new Map<string, { name: string; at: number }>();

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
    if (hit && Date.now() - hit.at < TTL_MS) return { name: hit.name };
    try {
      const res = await this.client.users.info({ user: userId });
      const u = res.user;
      const name = u?.profile?.display_name || u?.real_name || u?.profile?.real_name || u?.name || userId;
      if (u?.deleted) return { name, unfit: "is deactivated in Slack" };
      if (u?.is_bot || u?.id === "USLACKBOT") return { name, unfit: "is a bot" };
      this.cache.set(userId, { name, at: Date.now() });
      return { name };
    } catch (err) {
      if ((err as { data?: { error?: string } }).data?.error === "user_not_found")
        return { name: userId, unfit: "is not in this Slack workspace" };
      return { name: hit?.name ?? userId }; // a name is nice to have; the reply must not wait for it
    }
  }

  async namesOf(userIds: string[]): Promise<Map<string, string>> {
    return new Map(await Promise.all(userIds.map(async (id) => [id, await this.nameOf(id)] as const)));
  }
}
