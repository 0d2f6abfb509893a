// reactions.add / reactions.remove: the bot's emoji reactions on a message. Each change is also a
// reaction_added / reaction_removed event, the bot's own included (Bolt's ignoreSelf drops those:
// their `user` is the bot).
import { reactionEvent } from "../events.ts";
import type { Params } from "../params.ts";
import { SlackApiError } from "../params.ts";
import type { SlackChannel } from "../types.ts";
import { type ApiContext, type ApiHandler, type MethodTable, ok, visibleChannel } from "./shared.ts";

/** An emoji name as Slack accepts it (`thumbsup`, `+1`, `wave::skin-tone-3`), without colons. */
export const REACTION_NAME = /^[a-z0-9_+'-]+(::skin-tone-[2-6])?$/;

function target(ctx: ApiContext, params: Params): { channel: SlackChannel; ts: string; name: string } {
  const channel = visibleChannel(ctx, params.string("channel"));
  if (channel.is_archived) throw new SlackApiError("is_archived");
  const ts = params.requireString("timestamp");
  const name = params.requireString("name");
  if (!REACTION_NAME.test(name)) throw new SlackApiError("invalid_name");
  if (!ctx.ws.message(channel.id, ts)) throw new SlackApiError("message_not_found");
  return { channel, ts, name };
}

const reactionsAdd: ApiHandler = (ctx, params) => {
  const { channel, ts, name } = target(ctx, params);
  if (!ctx.ws.addReaction(channel.id, ts, name, ctx.ws.bot.userId)) {
    throw new SlackApiError("already_reacted");
  }
  ctx.announce(channel.id, reactionEvent(ctx.ws, "reaction_added", channel.id, ts, name, ctx.ws.bot.userId));
  return ok();
};

const reactionsRemove: ApiHandler = (ctx, params) => {
  const { channel, ts, name } = target(ctx, params);
  if (!ctx.ws.removeReaction(channel.id, ts, name, ctx.ws.bot.userId)) throw new SlackApiError("no_reaction");
  ctx.announce(
    channel.id,
    reactionEvent(ctx.ws, "reaction_removed", channel.id, ts, name, ctx.ws.bot.userId),
  );
  return ok();
};

export const REACTIONS_METHODS: MethodTable = {
  "reactions.add": reactionsAdd,
  "reactions.remove": reactionsRemove,
};
