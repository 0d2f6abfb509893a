// The Web API the server dispatches on, merged here from one table per method family. Each
// method is a function of (context, arguments); responses use the field names of
// slack-samples/api/<method>.json, errors Slack's codes.
import { APPS_METHODS } from "./apps.ts";
import { AUTH_METHODS } from "./auth.ts";
import { CHAT_METHODS } from "./chat.ts";
import { CONVERSATIONS_METHODS } from "./conversations.ts";
import { FILES_METHODS } from "./files.ts";
import { REACTIONS_METHODS } from "./reactions.ts";
import type { MethodTable } from "./shared.ts";
import { USERS_METHODS } from "./users.ts";
import { VIEWS_METHODS } from "./views.ts";

/** The methods called with the bot token (or none, UNAUTHENTICATED). */
export const METHODS: MethodTable = {
  ...AUTH_METHODS,
  ...CHAT_METHODS,
  ...CONVERSATIONS_METHODS,
  ...USERS_METHODS,
  ...VIEWS_METHODS,
  ...REACTIONS_METHODS,
  ...FILES_METHODS,
};

/** The methods called with the app-level token: their own table, so no bot-token method takes it. */
export const APP_TOKEN_METHODS: MethodTable = APPS_METHODS;

export { UNAUTHENTICATED } from "./auth.ts";
export type { ApiContext, ApiHandler } from "./shared.ts";
