// Previous / Next on the team's load in App Home (managers and admins; checked on the server).
import type { App } from "@slack/bolt";
import type { HomeServices } from "../../../services/home.ts";
import { HOME_ACTIONS } from "../../blocks/home.ts";
import { answerHome } from "./home-action.ts";

export function register(app: App, deps: { home: HomeServices }) {
  for (const actionId of [HOME_ACTIONS.teamPagePrev, HOME_ACTIONS.teamPageNext])
    app.action(actionId, (args) =>
      answerHome(args, (userId, value) => deps.home.turnTeamPage(userId, Number(value))),
    );
}
