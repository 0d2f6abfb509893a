// Sits between HeroDesk and the Slack emulator and can lose Slack's answer after Slack has acted:
// the request goes through, the connection drops before the response, as on a real network.
import { createServer, request } from "node:http";
import type { AddressInfo } from "node:net";

export async function startFlakyProxy() {
  let upstream = new URL("http://127.0.0.1:9/api/");
  /** Web API methods whose next answers are lost, one per entry. */
  const loseAnswerOf: string[] = [];
  let lost = 0;
  const server = createServer((req, res) => {
    const method = (req.url ?? "").split("/").pop()?.split("?")[0] ?? "";
    const index = loseAnswerOf.indexOf(method);
    const lose = index >= 0;
    if (lose) loseAnswerOf.splice(index, 1);
    const out = request(
      {
        host: upstream.hostname,
        port: upstream.port,
        path: `${upstream.pathname}${method}`,
        method: req.method,
        headers: req.headers,
      },
      (up) => {
        if (lose) {
          up.resume();
          up.on("end", () => {
            lost++;
            res.destroy(); // Slack acted; HeroDesk never hears of it
          });
          return;
        }
        res.writeHead(up.statusCode ?? 502, up.headers);
        up.pipe(res);
      },
    );
    out.on("error", () => res.destroy());
    req.pipe(out);
  });
  await new Promise<void>((r) => server.listen(0, "127.0.0.1", r));
  const { port } = server.address() as AddressInfo;
  return {
    apiUrl: `http://127.0.0.1:${port}/api/`,
    /** Points the proxy at the emulator; returns the URL HeroDesk should use instead. */
    forward(upstreamApiUrl: string) {
      upstream = new URL(upstreamApiUrl);
      return `http://127.0.0.1:${port}/api/`;
    },
    loseAnswerOf,
    get lost() {
      return lost;
    },
    close: () =>
      new Promise<void>((r) => {
        server.close(() => r());
        server.closeAllConnections();
      }),
  };
}
