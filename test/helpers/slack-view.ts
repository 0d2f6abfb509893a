import { unescapeSlackText } from "../../src/core/slack-text.ts";

/** What a Slack client shows of a mirrored post: its plain_text sections, decoded. */
export function shownText(m: { blocks?: unknown[] }): string {
  return ((m.blocks ?? []) as { type: string; text?: { type: string; text: string } }[])
    .filter((b) => b.type === "section" && b.text?.type === "plain_text")
    .map((b) => unescapeSlackText(b.text!.text))
    .join("");
}
