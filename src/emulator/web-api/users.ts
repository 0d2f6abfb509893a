// users.*: the workspace's people as the bot may read them.
import { SlackApiError } from "../params.ts";
import type { JsonObject, SlackUser } from "../types.ts";
import { clone } from "../workspace.ts";
import { type ApiContext, type ApiHandler, limitArg, type MethodTable, ok, paginate } from "./shared.ts";

/**
 * A user object as the bot may read it: the email only with users:read.email (Slack's rule). A
 * member of an external organisation keeps their own team_id and shows only Slack Connect's
 * default "basic details", name and photo (slack.com/help/articles/4417558556691): no email,
 * title, phone or status, whatever the scopes; one the bot shares no channel with `is_stranger`
 * (docs.slack.dev/reference/methods/users.info, "Shared channels").
 */
function userForApi(ctx: ApiContext, user: SlackUser): JsonObject {
  const out = clone(user) as unknown as JsonObject & { profile: JsonObject };
  if (!ctx.access.has("users:read.email")) delete out.profile.email;
  if (ctx.ws.isExternal(user.id)) {
    delete out.profile.email;
    for (const field of ["title", "phone", "skype", "status_text", "status_emoji"]) out.profile[field] = "";
    out.profile.status_emoji_display_info = [];
    out.is_email_confirmed = false;
    if (!sharesChannelWithBot(ctx, user.id)) out.is_stranger = true;
  }
  return out;
}

/** Whether the user is in a shared channel the bot is a member of. */
function sharesChannelWithBot(ctx: ApiContext, userId: string): boolean {
  const bot = ctx.ws.bot.userId;
  return ctx.ws.channels.some(
    (c) => c.is_shared && ctx.ws.isMember(c.id, bot) && ctx.ws.isMember(c.id, userId),
  );
}

const usersInfo: ApiHandler = (ctx, params) => {
  const user = ctx.ws.user(params.requireString("user"));
  if (!user) throw new SlackApiError("user_not_found");
  const out = userForApi(ctx, user);
  if (params.bool("include_locale")) out.locale = "en-US";
  return ok({ user: out });
};

/** The workspace's own members: people of external organisations are not listed (chosen, README). */
const usersList: ApiHandler = (ctx, params) => {
  const users = [...ctx.ws.users.values()].filter((u) => !ctx.ws.isExternal(u.id));
  const { page, nextCursor } = paginate(users, params, "user", (u) => u.id, limitArg(params, 1000, 1000));
  return ok({
    members: page.map((u) => userForApi(ctx, u)),
    cache_ts: Math.floor(Date.now() / 1000),
    response_metadata: { next_cursor: nextCursor },
  });
};

/** External organisations' emails are not the app's to see, so they find nobody (chosen, README). */
const usersLookupByEmail: ApiHandler = (ctx, params) => {
  const user = ctx.ws.userByEmail(params.requireString("email"));
  if (!user || ctx.ws.isExternal(user.id)) throw new SlackApiError("users_not_found");
  return ok({ user: clone(user) as unknown as JsonObject });
};

export const USERS_METHODS: MethodTable = {
  "users.info": usersInfo,
  "users.list": usersList,
  "users.lookupByEmail": usersLookupByEmail,
};
