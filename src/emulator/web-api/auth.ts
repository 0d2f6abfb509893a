// auth.test and api.test: what an app calls to check its token and its connection.
import { SlackApiError } from "../params.ts";
import { type ApiHandler, type MethodTable, ok } from "./shared.ts";

const authTest: ApiHandler = (ctx) => {
  const { ws } = ctx;
  return ok({
    url: `https://${ws.team.domain}.slack.com/`,
    team: ws.team.name,
    user: ws.user(ws.bot.userId)?.name ?? ws.bot.name,
    team_id: ws.team.id,
    user_id: ws.bot.userId,
    bot_id: ws.bot.botId,
    app_id: ws.bot.appId,
    is_enterprise_install: false,
  });
};

const apiTest: ApiHandler = (_ctx, params) => {
  const error = params.string("error");
  if (error) throw new SlackApiError(error);
  return ok({ args: params.toRecord() });
};

export const AUTH_METHODS: MethodTable = {
  "api.test": apiTest,
  "auth.test": authTest,
};

/** Methods that work without a token (Slack's api.test). */
export const UNAUTHENTICATED = new Set(["api.test"]);
