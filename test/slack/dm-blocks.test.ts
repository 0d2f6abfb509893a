// The one DM of a bulk reassign: valid Block Kit however many conversations moved, every one
// counted, and customer names shown as written (they are untrusted text).
import { describe, expect, it } from "vitest";
import type { CardModel } from "../../src/core/card.ts";
import { validateBlocks } from "../../src/emulator/blockkit.ts";
import { agentDm, MOVED_DM_LIST, movedDm } from "../../src/slack/blocks/dm.ts";

const card = (number: number, customerName = `Customer ${number}`): CardModel => ({
  number,
  customerName,
  customerExternalId: `c-${number}`,
  sourceId: "web",
  firstResponseAt: null,
  customerEmail: null,
  customerAttributes: {},
  priority: "normal",
  tags: [],
  sourceLabel: "Web chat",
  status: "open",
  assignee: { slackUserId: "U0MONA", name: "Mona" },
  hero: null,
  waitingSince: null,
  heroWaitUntil: null,
  createdAt: new Date("2026-11-21T10:00:00Z"),
});

describe("movedDm", () => {
  it("lists the first conversations with their links and counts the rest", () => {
    const total = 40;
    const items = Array.from({ length: MOVED_DM_LIST }, (_, i) => ({
      card: card(i + 1),
      permalink: `https://herodesk-demo.slack.com/archives/C0SUPPORT/p${1000 + i}`,
    }));
    const dm = movedDm({ fromUserId: "U0BOB", items, total });
    expect(validateBlocks(dm.blocks)).toEqual([]);
    expect(dm.text).toBe("40 conversations moved to you from <@U0BOB>");
    const body = JSON.stringify(dm.blocks);
    expect(body).toContain(
      "<https://herodesk-demo.slack.com/archives/C0SUPPORT/p1000|#1> Customer 1 via Web chat",
    );
    expect(body).toContain(`…and 25 more: your App Home lists them all.`);
    expect(body).not.toContain(`#${MOVED_DM_LIST + 1}>`);
  });

  it("a single conversation, without a link, reads naturally", () => {
    const dm = movedDm({ fromUserId: "U0BOB", items: [{ card: card(7), permalink: null }], total: 1 });
    expect(dm.text).toBe("1 conversation moved to you from <@U0BOB>");
    expect(JSON.stringify(dm.blocks)).toContain("• #7 Customer 7 via Web chat");
  });

  it("customer names cannot ping anyone", () => {
    const dm = movedDm({
      fromUserId: "U0BOB",
      items: [{ card: card(3, "<!channel> <@U0CEO> & co"), permalink: null }],
      total: 1,
    });
    const body = JSON.stringify(dm.blocks);
    expect(body).toContain("&lt;!channel&gt; &lt;@U0CEO&gt; &amp; co");
    expect(body).not.toContain("<!channel>");
  });
});

describe("agentDm for response targets", () => {
  const due = new Date("2026-11-21T10:30:00Z");
  it.each([
    ["at_risk", "first", ":warning: *#7 needs an answer soon*: its first response is due <!date^"],
    ["breached", "next", ":red_circle: *#7 is past its target*: its next response was due <!date^"],
  ] as const)(
    "%s: valid blocks that say which response, when due, and who holds it",
    (kind, target, head) => {
      const dm = agentDm({ kind, card: card(7), permalink: null, messageText: null, target, due });
      expect(validateBlocks(dm.blocks)).toEqual([]);
      const body = JSON.stringify(dm.blocks);
      expect(body).toContain(head);
      if (kind === "breached") expect(body).toContain("held by <@U0MONA>");
      expect(dm.text).toMatch(/^#7 from Customer 7 via Web chat /);
    },
  );
});
