// reactions.add: the bot's emoji reaction on a message.
import { SlackApiError } from "../params.ts";
import { type ApiHandler, type MethodTable, ok, visibleChannel } from "./shared.ts";

const reactionsAdd: ApiHandler = (ctx, params) => {
  const channel = visibleChannel(ctx, params.string("channel"));
  if (channel.is_archived) throw new SlackApiError("is_archived");
  const ts = params.requireString("timestamp");
  const name = params.requireString("name");
  if (!/^[a-z0-9_+'-]+(::skin-tone-[2-6])?$/.test(name)) throw new SlackApiError("invalid_name");
  if (!ctx.ws.message(channel.id, ts)) throw new SlackApiError("message_not_found");
  if (!ctx.ws.addReaction(channel.id, ts, name, ctx.ws.bot.userId)) {
    throw new SlackApiError("already_reacted");
  }
  return ok();
};

export const REACTIONS_METHODS: MethodTable = {
  "reactions.add": reactionsAdd,
};
