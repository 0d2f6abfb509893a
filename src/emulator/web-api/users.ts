// users.*: the workspace's people as the bot may read them.
import { SlackApiError } from "../params.ts";
import type { JsonObject, SlackUser } from "../types.ts";
import { clone } from "../workspace.ts";
import { type ApiContext, type ApiHandler, limitArg, type MethodTable, ok, paginate } from "./shared.ts";

/** A user object as the bot may read it: the email only with users:read.email (Slack's rule). */
function userForApi(ctx: ApiContext, user: SlackUser): JsonObject {
  const out = clone(user) as unknown as JsonObject & { profile: JsonObject };
  if (!ctx.access.has("users:read.email")) delete out.profile.email;
  return out;
}

const usersInfo: ApiHandler = (ctx, params) => {
  const user = ctx.ws.user(params.requireString("user"));
  if (!user) throw new SlackApiError("user_not_found");
  const out = userForApi(ctx, user);
  if (params.bool("include_locale")) out.locale = "en-US";
  return ok({ user: out });
};

const usersList: ApiHandler = (ctx, params) => {
  const users = [...ctx.ws.users.values()];
  const { page, nextCursor } = paginate(users, params, "user", (u) => u.id, limitArg(params, 1000, 1000));
  return ok({
    members: page.map((u) => userForApi(ctx, u)),
    cache_ts: Math.floor(Date.now() / 1000),
    response_metadata: { next_cursor: nextCursor },
  });
};

const usersLookupByEmail: ApiHandler = (ctx, params) => {
  const user = ctx.ws.userByEmail(params.requireString("email"));
  if (!user) throw new SlackApiError("users_not_found");
  return ok({ user: clone(user) as unknown as JsonObject });
};

export const USERS_METHODS: MethodTable = {
  "users.info": usersInfo,
  "users.list": usersList,
  "users.lookupByEmail": usersLookupByEmail,
};
