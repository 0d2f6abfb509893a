import type { App } from "@slack/bolt";
import type { DeskServices } from "../../../services/desk.ts";
import { CARD_ACTIONS } from "../../blocks/card.ts";
import { answer } from "./card-action.ts";

export function register(app: App, desk: DeskServices) {
  app.action(CARD_ACTIONS.assign, (args) =>
    answer(args, (actor, { conversation }) => {
      const agent = (args.action as { selected_user?: string }).selected_user;
      if (!agent) return Promise.resolve({ refused: "nobody_picked" });
      return desk.assign(actor, { conversation, agent });
    }),
  );
}
