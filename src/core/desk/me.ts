// /desk commands about oneself: availability and subscriptions.
import type { Availability } from "../domain.ts";
import type { Args } from "./args.ts";
import { command } from "./command.ts";

const oneSource = (a: Args) => ({ source: a.source() });

export const ME = {
  title: "Me",
  topics: ["me", "my"],
  notes: [
    {
      topics: ["status", "me"],
      text:
        "Online: new conversations can come to you. Away or offline: none come to you, and you keep the " +
        "conversations you already have.",
    },
    {
      topics: ["subscribe", "unsubscribe"],
      text: "Subscribers hear about a source's conversations only while nobody is assigned.",
    },
  ],
  commands: [
    command({
      kind: "status",
      phrase: "status",
      usage: "/desk status online|away|offline",
      help: [
        {
          syntax: "status online|away|offline",
          meaning: "your availability; away and offline get no new work but keep their open conversations",
          topics: ["status"],
        },
      ],
      action: "status",
      parse: (a: Args): { availability: Availability } => ({ availability: a.availability(a.next() ?? "") }),
    }),
    command({
      kind: "status_show",
      phrase: "status",
      bare: true,
      usage: "/desk status",
      help: [
        { syntax: "status", meaning: "your status, capacity and open conversations", topics: ["status"] },
      ],
      action: "status",
      parse: () => ({}),
    }),
    command({
      kind: "subscribe",
      phrase: "subscribe",
      usage: "/desk subscribe web",
      help: [
        {
          syntax: "subscribe <source>",
          meaning: "be notified of a source's unassigned conversations (its id, like web, or its #channel)",
          topics: ["subscribe"],
        },
      ],
      action: "subscribe",
      parse: oneSource,
    }),
    command({
      kind: "unsubscribe",
      phrase: "unsubscribe",
      usage: "/desk unsubscribe web",
      help: [
        {
          syntax: "unsubscribe <source>",
          meaning: "stop those notifications",
          topics: ["subscribe", "unsubscribe"],
        },
      ],
      action: "subscribe",
      parse: oneSource,
    }),
  ] as const,
};
