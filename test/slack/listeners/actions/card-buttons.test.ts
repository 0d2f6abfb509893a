// A card button's listener (conv_claim: src/slack/listeners/actions/card-buttons.ts, through
// card-action.ts), called as Bolt calls it, with fakes for ack, respond and the use case.
import { describe, expect, it } from "vitest";
import type { DeskServices } from "../../../../src/services/desk.ts";
import type { Answer } from "../../../../src/services/results.ts";
import { register } from "../../../../src/slack/listeners/actions/card-buttons.ts";
import {
  afterFollowUp,
  fakeAck,
  fakeApp,
  fakeRespond,
  type Log,
  quietLogger,
  settled,
} from "../../../helpers/listener-fakes.ts";

/** Registers the card's buttons with a claim that answers `answer`, and clicks Claim as U0ME. */
async function clickClaim(value: string | undefined, answer: Answer | (() => Promise<Answer>)) {
  const log: Log = [];
  const claims: { userId: string; conversation: number }[] = [];
  const desk = {
    claim: async (actor: { userId: string }, { conversation }: { conversation: number }) => {
      const input = { userId: actor.userId, conversation };
      log.push("claim");
      claims.push(input);
      return typeof answer === "function" ? answer() : answer;
    },
  } as unknown as DeskServices;
  const slack = fakeApp();
  register(slack.app, desk);
  const { ack, calls: acks } = fakeAck(log);
  const { respond, payloads } = fakeRespond(log);
  const { logger, errors } = quietLogger();
  await slack.action("conv_claim")({
    ack,
    action: { action_id: "conv_claim", type: "button", ...(value ? { value } : {}) },
    body: { user: { id: "U0ME" }, channel: { id: "C0SUPPORT" } },
    respond,
    client: {},
    logger,
  });
  return { log, claims, acks, payloads, errors };
}

describe("conv_claim listener", () => {
  it("acknowledges at once, then tells the clicker alone, leaving the card as it is", async () => {
    const r = await clickClaim("7", { done: "claimed", conversation: 7 });
    expect(r.acks).toEqual([undefined]);
    expect(r.log).toEqual(["ack"]); // the claim runs after the acknowledgement
    await settled("the answer", () => r.payloads.length > 0);
    expect(r.log).toEqual(["ack", "claim", "respond"]);
    expect(r.claims).toEqual([{ userId: "U0ME", conversation: 7 }]);
    expect(r.payloads).toEqual([
      { response_type: "ephemeral", replace_original: false, text: "You have #7 now." },
    ]);
    expect(r.errors).toEqual([]);
  });

  it("says who has it when someone was faster", async () => {
    const r = await clickClaim("7", { refused: "already_claimed", conversation: 7, by: "U0BOB" });
    await settled("the answer", () => r.payloads.length > 0);
    expect(r.payloads).toEqual([
      { response_type: "ephemeral", replace_original: false, text: expect.stringContaining("<@U0BOB>") },
    ]);
  });

  it("a button that names no conversation is answered without asking the use case", async () => {
    const r = await clickClaim(undefined, { done: "claimed", conversation: 7 });
    await settled("the answer", () => r.payloads.length > 0);
    expect(r.claims).toEqual([]);
    expect(r.payloads).toHaveLength(1);
    expect(r.payloads[0]).toMatchObject({ response_type: "ephemeral", replace_original: false });
  });

  it("a use case that fails is answered with the apology, and logged", async () => {
    const r = await clickClaim("7", () => Promise.reject(new Error("disk full")));
    await settled("the answer", () => r.payloads.length > 0);
    expect(r.payloads).toEqual([
      {
        response_type: "ephemeral",
        replace_original: false,
        text: "Sorry, that did not work; nothing was changed. Try again in a moment.",
      },
    ]);
    await afterFollowUp();
    expect(r.errors.flat().join(" ")).toContain("disk full");
  });
});
