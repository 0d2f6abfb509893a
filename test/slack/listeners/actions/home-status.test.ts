// An App Home control's listener (the availability buttons: src/slack/listeners/actions/
// home-status.ts, through home-action.ts), called as Bolt calls it, with fakes for ack, the Web API
// client and the use cases. A home has no response_url: a refusal opens a small modal, a change
// shows in the republished home.
import { describe, expect, it } from "vitest";
import type { Availability } from "../../../../src/core/domain.ts";
import type { DeskServices } from "../../../../src/services/desk.ts";
import type { HomeServices } from "../../../../src/services/home.ts";
import type { Answer } from "../../../../src/services/results.ts";
import { register } from "../../../../src/slack/listeners/actions/home-status.ts";
import {
  afterFollowUp,
  fakeAck,
  fakeApp,
  fakeClient,
  type Log,
  quietLogger,
  settled,
} from "../../../helpers/listener-fakes.ts";

/** Registers the availability buttons with use cases answering `answer`; clicks `actionId` as U0ME. */
async function clickHome(actionId: string, answer: Answer) {
  const log: Log = [];
  const set: { userId: string; availability: Availability }[] = [];
  const published: string[] = [];
  const desk = {
    setAvailability: async (actor: { userId: string }, { availability }: { availability: Availability }) => {
      const input = { userId: actor.userId, availability };
      log.push("setAvailability");
      set.push(input);
      return answer;
    },
  } as unknown as DeskServices;
  const home = {
    publishNow: async (userId: string) => {
      log.push("publishNow");
      published.push(userId);
    },
  } as unknown as HomeServices;
  const slack = fakeApp();
  register(slack.app, { desk, home });
  const { ack, calls: acks } = fakeAck(log);
  const { client, opened } = fakeClient(log);
  const { logger, errors } = quietLogger();
  await slack.action(actionId)({
    ack,
    action: { action_id: actionId, type: "button", value: actionId.replace("home_status_", "") },
    body: { user: { id: "U0ME" }, trigger_id: "trigger-1" },
    client,
    logger,
  });
  return { log, set, published, acks, opened, errors };
}

describe("App Home availability buttons", () => {
  it("a refusal opens a modal for the clicker that says why", async () => {
    const r = await clickHome("home_status_away", { refused: "add_yourself_first" });
    expect(r.acks).toEqual([undefined]);
    expect(r.log).toEqual(["ack"]); // the use case runs after the acknowledgement
    await settled("the modal", () => r.opened.length > 0);
    expect(r.log).toEqual(["ack", "setAvailability", "publishNow", "views.open"]);
    expect(r.set).toEqual([{ userId: "U0ME", availability: "away" }]);
    expect(r.opened).toEqual([
      {
        trigger_id: "trigger-1",
        view: expect.objectContaining({
          type: "modal",
          blocks: [
            expect.objectContaining({
              text: expect.objectContaining({
                text: "Add yourself as an agent first: `/desk agent add @you admin`.",
              }),
            }),
          ],
        }),
      },
    ]);
    expect(r.errors).toEqual([]);
  });

  it("a change opens no modal: the republished home shows it", async () => {
    const r = await clickHome("home_status_online", { done: "availability_set", status: "online", open: 0 });
    await settled("the home republished", () => r.published.length > 0);
    await afterFollowUp();
    expect(r.set).toEqual([{ userId: "U0ME", availability: "online" }]);
    expect(r.published).toEqual(["U0ME"]);
    expect(r.opened).toEqual([]);
    expect(r.log).toEqual(["ack", "setAvailability", "publishNow"]);
  });
});
