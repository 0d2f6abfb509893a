import type { App } from "@slack/bolt";
import type { DeskServices } from "../../../services/desk.ts";
import { CARD_ACTIONS } from "../../blocks/card.ts";
import { answer } from "./card-action.ts";

export function register(app: App, desk: DeskServices) {
  app.action(CARD_ACTIONS.reassignHero, (args) => answer(args, desk.reassignToHero));
}
