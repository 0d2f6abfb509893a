// Team hours override the source's (issue 12, part 1): a conversation keeps the hours of the team
// that serves its customer (their team hero, else the first rule they match) when that team has
// its own in the config file; the first-response clock then counts that team's business time.
import { afterEach, describe, expect, it } from "vitest";
import { parseFileConfig } from "../../src/config.ts";
import { addBusinessMs } from "../../src/core/business-hours.ts";
import { createReceiveCustomerMessage } from "../../src/services/receive-customer-message.ts";
import { createTargetSettings } from "../../src/services/target-settings.ts";
import { openDesk, type TestDesk, team } from "../helpers/factories.ts";

let w: TestDesk | undefined;
afterEach(async () => {
  await w?.close();
  w = undefined;
});

const ALL_WEEK = (hours: string[]) =>
  Object.fromEntries(["mon", "tue", "wed", "thu", "fri", "sat", "sun"].map((d) => [d, hours]));
// The source is open around the clock; team Spanish only 09:00-10:00 Madrid time.
const file = parseFileConfig({
  sources: [
    {
      id: "web",
      secret: "web-secret-0123456789",
      slackChannel: "C0SUPPORT",
      targets: { firstResponse: "1h" },
      businessHours: { timezone: "UTC", weekly: ALL_WEEK(["00:00-24:00"]) },
    },
  ],
  teams: [
    { name: "spanish", businessHours: { timezone: "Europe/Madrid", weekly: ALL_WEEK(["09:00-10:00"]) } },
  ],
});
const sources = new Map(file.sources.map((s) => [s.id, s]));

describe("team hours", () => {
  it("a customer a rule sends to a team with its own hours: the clock counts that team's hours", async () => {
    w = await openDesk();
    const spanish = await team(w.store, "Spanish");
    await w.store.rules.add({ attribute: "language", value: "es", teamId: spanish.id });
    const receive = createReceiveCustomerMessage({
      store: w.store,
      sources,
      linkCustomersByEmail: false,
      targetSettings: createTargetSettings({ sources, teams: file.teams }),
    });
    // 10:30 Madrid (09:30 UTC in December), an hour ago at most: the team opens again tomorrow 09:00.
    const sentAt = new Date(Date.now() - 30 * 60_000);
    const write = async (id: string, attributes: Record<string, string>) => {
      const r = await receive({
        source: "web",
        messageId: `m-${id}`,
        customer: { id, name: id, attributes },
        text: "Hola",
        attachments: [],
        sentAt,
      });
      if (!r.ok) throw new Error(r.error);
      return r.conversationNumber;
    };
    const breachedAt = async (n: number, due: Date) =>
      (await w!.store.outbox.laneHead(`target:${n}:${sentAt.getTime()}:breached:${due.getTime()}`))
        ?.nextAttemptAt;
    const hourLater = new Date(sentAt.getTime() + 3_600_000);
    const teamDue = addBusinessMs(file.teams[0]!.businessHours, sentAt, 3_600_000)!;

    const es = await write("cust-es", { language: "es" });
    const en = await write("cust-en", { language: "en" });
    // The source's hours (always open): an hour after the message.
    expect(await breachedAt(en, hourLater)).toEqual(hourLater);
    // The team's: an hour of 09:00-10:00 Madrid, so never the plain hour later.
    expect(await breachedAt(es, hourLater)).toBeUndefined();
    expect(await breachedAt(es, teamDue)).toEqual(teamDue);
    const madrid = new Intl.DateTimeFormat("en-GB", {
      timeZone: "Europe/Madrid",
      hour: "2-digit",
      minute: "2-digit",
      hourCycle: "h23",
    }).format(teamDue);
    expect(madrid >= "09:00" && madrid <= "10:00").toBe(true);
  });
});
