// The demo workspace: an admin, three agents and a manager, #support (where conversations are
// mirrored) and #managers (where summaries go). IDs match the example herodesk.config.json in the
// spec (admins ["U0ADMIN"], slackChannel "C0SUPPORT", summaries to "C0MANAGERS").
import type { Workspace } from "./workspace.ts";

export const DEMO_USERS = {
  admin: "U0ADMIN",
  agents: ["U0AGENT1", "U0AGENT2", "U0AGENT3"],
  manager: "U0MANAGER",
} as const;

export const DEMO_CHANNELS = { support: "C0SUPPORT", managers: "C0MANAGERS" } as const;

export function seedDemoWorkspace(ws: Workspace): void {
  const people = [
    { id: "U0ADMIN", name: "ada", realName: "Ada Admin", isAdmin: true, title: "Support lead" },
    { id: "U0AGENT1", name: "grace", realName: "Grace Hopper", title: "Support agent" },
    { id: "U0AGENT2", name: "alan", realName: "Alan Turing", title: "Support agent" },
    { id: "U0AGENT3", name: "katherine", realName: "Katherine Johnson", title: "Support agent" },
    { id: "U0MANAGER", name: "margaret", realName: "Margaret Hamilton", title: "Support manager" },
  ];
  for (const p of people) {
    if (ws.user(p.id)) continue;
    ws.addUser({
      ...p,
      displayName: p.realName.split(" ")[0] ?? p.name,
      email: `${p.name}@${ws.team.domain}.example`,
      tz: "Europe/Berlin",
    });
  }
  const everyone = people.map((p) => p.id);
  if (!ws.channel(DEMO_CHANNELS.support)) {
    ws.addChannel({
      id: DEMO_CHANNELS.support,
      name: "support",
      members: everyone,
      purpose: "Customer conversations, one thread each",
    });
  }
  if (!ws.channel(DEMO_CHANNELS.managers)) {
    ws.addChannel({
      id: DEMO_CHANNELS.managers,
      name: "managers",
      members: ["U0ADMIN", "U0MANAGER"],
      purpose: "Assignment summaries",
    });
  }
}
