// The card's buttons that run one use case on the card's conversation, and answer the clicker
// alone (card-action.ts). A new button is its place on the card (blocks/card.ts) and one line here.
import type { App } from "@slack/bolt";
import type { DeskServices } from "../../../services/desk.ts";
import { CARD_ACTIONS } from "../../blocks/card.ts";
import { answer } from "./card-action.ts";

type UseCase = Parameters<typeof answer>[1];

function buttons(desk: DeskServices): Record<string, UseCase> {
  return {
    [CARD_ACTIONS.claim]: desk.claim,
    [CARD_ACTIONS.close]: desk.close,
    [CARD_ACTIONS.reopen]: desk.reopen,
    [CARD_ACTIONS.reassignHero]: desk.reassignToHero,
    [CARD_ACTIONS.removeHero]: (actor, customer) => desk.removeHero(actor, { customer }),
  };
}

export function register(app: App, desk: DeskServices) {
  for (const [actionId, useCase] of Object.entries(buttons(desk)))
    app.action(actionId, (args) => answer(args, useCase));
}
