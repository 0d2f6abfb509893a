import type { App } from "@slack/bolt";
import type { DeskServices } from "../../../services/desk.ts";
import { CARD_ACTIONS } from "../../blocks/card.ts";
import { answer } from "./card-action.ts";

export function register(app: App, desk: DeskServices) {
  app.action(CARD_ACTIONS.assign, (args) =>
    answer(args, (conversationId, userId) => {
      const agentUserId = (args.action as { selected_user?: string }).selected_user;
      if (!agentUserId) return Promise.resolve({ refused: "nobody_picked" });
      return desk.assign({ userId, conversationId, agentUserId });
    }),
  );
}
