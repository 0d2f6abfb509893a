// Abusive clients for the inbound benchmark (issue 15): `clients` connections each POST a 1 MiB
// body of nested JSON arrays, unsigned, again and again, until the parent says stop. Runs in a
// process of its own so that it takes neither the app's nor the signed load's event loop.
import { request } from "node:http";

export interface AbusePlan {
  url: string;
  clients: number;
}
export type AbuseMessage =
  | { type: "ready" }
  | { type: "done"; requests: number; statuses: Record<string, number> };

const DEPTH = 512 * 1024;
const BODY = Buffer.from(`${"[".repeat(DEPTH)}${"]".repeat(DEPTH)}`);

function abuse(plan: AbusePlan, stopped: () => boolean, tally: (status: string) => void): Promise<void> {
  const url = new URL(`${plan.url}/api/v1/messages`);
  return new Promise((resolve) => {
    const once = () => {
      if (stopped()) return resolve();
      let counted = false;
      const count = (status: string) => {
        if (counted) return;
        counted = true;
        tally(status);
        setImmediate(once);
      };
      const req = request(
        {
          host: url.hostname,
          port: url.port,
          path: url.pathname,
          method: "POST",
          headers: { "content-type": "application/json", "content-length": BODY.length },
        },
        (res) => {
          res.resume();
          res.on("end", () => count(String(res.statusCode)));
        },
      );
      req.on("error", () => count("closed"));
      req.end(BODY);
    };
    once();
  });
}

if (process.send) {
  let stop = false;
  process.on("message", async (m: AbusePlan | "stop") => {
    if (m === "stop") {
      stop = true;
      return;
    }
    const statuses: Record<string, number> = {};
    let requests = 0;
    await Promise.all(
      Array.from({ length: m.clients }, () =>
        abuse(
          m,
          () => stop,
          (s) => {
            requests++;
            statuses[s] = (statuses[s] ?? 0) + 1;
          },
        ),
      ),
    );
    process.send!({ type: "done", requests, statuses } satisfies AbuseMessage, () => process.exit(0));
  });
  process.send({ type: "ready" } satisfies AbuseMessage);
}
