// apps.connections.open (docs.slack.dev/reference/methods/apps.connections.open): Socket Mode's
// one-time WebSocket URL. It takes the app-level token, not the bot's: server.ts checks that token
// (POST, the Authorization header, connections:write) before this runs.
import { type ApiHandler, type MethodTable, ok } from "./shared.ts";

const appsConnectionsOpen: ApiHandler = (ctx) =>
  ok({
    url: ctx.socketMode.issueUrl(ctx.baseUrl()),
    // What Slack adds (bolt-js#2496 debug log).
    response_metadata: { scopes: [...ctx.appTokenScopes], acceptedScopes: ["connections:write"] },
  });

export const APPS_METHODS: MethodTable = {
  "apps.connections.open": appsConnectionsOpen,
};
