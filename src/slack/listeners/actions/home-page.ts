// Previous / Next on the person's own open conversations in App Home; the page is in the value.
import type { App } from "@slack/bolt";
import type { HomeServices } from "../../../services/home.ts";
import { HOME_ACTIONS } from "../../blocks/home.ts";
import { answerHome } from "./home-action.ts";

export function register(app: App, deps: { home: HomeServices }) {
  for (const actionId of [HOME_ACTIONS.pagePrev, HOME_ACTIONS.pageNext])
    app.action(actionId, (args) =>
      answerHome(args, (userId, value) => deps.home.turnPage(userId, Number(value))),
    );
}
