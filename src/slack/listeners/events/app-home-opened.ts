// Someone opens HeroDesk's Home tab: their home is published (through the outbox), and kept
// current while they look at it.
import type { App } from "@slack/bolt";
import type { HomeServices } from "../../../services/home.ts";

export function register(app: App, deps: { home: HomeServices }) {
  app.event("app_home_opened", async ({ event }) => {
    if (event.tab !== "home") return; // the Messages tab needs nothing
    await deps.home.opened(event.user);
  });
}
