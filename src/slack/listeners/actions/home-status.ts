// Availability buttons on App Home: the same use case as `/desk status`, then the home republished.
import type { App } from "@slack/bolt";
import type { Availability } from "../../../core/domain.ts";
import type { DeskServices } from "../../../services/desk.ts";
import type { HomeServices } from "../../../services/home.ts";
import { HOME_ACTIONS } from "../../blocks/home.ts";
import { answerHome } from "./home-action.ts";

export function register(app: App, deps: { desk: DeskServices; home: HomeServices }) {
  for (const availability of Object.keys(HOME_ACTIONS.status) as Availability[])
    app.action(HOME_ACTIONS.status[availability], (args) =>
      answerHome(args, async (userId) => {
        const outcome = await deps.desk.setAvailability({ userId }, { availability });
        await deps.home.publishNow(userId);
        return outcome;
      }),
    );
}
