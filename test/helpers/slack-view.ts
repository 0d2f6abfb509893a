/**
 * What a Slack client shows of a mirrored post's text: its plain_text sections, joined. HeroDesk
 * sends plain_text as the customer wrote it (Slack parses nothing there), so nothing is decoded.
 */
export function shownText(m: { blocks?: unknown[] }): string {
  return ((m.blocks ?? []) as { type: string; text?: { type: string; text: string } }[])
    .filter((b) => b.type === "section" && b.text?.type === "plain_text")
    .map((b) => b.text!.text)
    .join("");
}
