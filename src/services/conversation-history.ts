// `/desk history #42`: every change of assignee and hero, the team it waited for, closes and
// reopens, with who, when and why; and `/desk queue`.
import { escapeSlackText, slackDate } from "../core/slack-text.ts";
import { authorize, conversationOrRefusal, type DeskDeps, done, mention, type Outcome } from "./context.ts";

const REASONS: Record<string, string> = {
  routed: "routed",
  rule: "routed by a rule",
  hero: "to the hero",
  claimed: "claimed",
  manual: "by hand",
  bulk: "bulk reassign",
  queue: "from the queue",
  removed: "removed",
};

export function createConversationHistory(deps: DeskDeps) {
  const history = (input: { userId: string; conversationId: number }): Promise<Outcome> =>
    deps.store.transaction(async (tx) => {
      const found = await conversationOrRefusal(tx, input.conversationId, { deps, userId: input.userId });
      if (!found.ok) return found.outcome;
      const auth = await authorize(tx, deps, input.userId, "history", found.conversation);
      if (!auth.ok) return auth.outcome;
      const { conversation } = found;
      const entries = await tx.events.history(conversation.id, conversation.customerId);
      const lines = entries.map((e) => {
        const who = e.actorSlackId ? ` by ${mention(e.actorSlackId)}` : "";
        const when = slackDate(e.createdAt);
        const to = e.toSlackId
          ? mention(e.toSlackId)
          : e.toTeamId !== null
            ? e.teamName
              ? `team ${escapeSlackText(e.teamName)}`
              : "a team since removed"
            : null;
        const rule = e.detail ? ` ${escapeSlackText(e.detail)}` : "";
        if (e.kind === "hero")
          return `${when} · hero ${e.reason === "removed" ? "removed" : `set to ${to}`}${who}`;
        if (e.kind === "status")
          return `${when} · ${e.reason === "closed" ? "closed" : "reopened"}${who || (e.reason === "reopened" ? " (the customer wrote again)" : "")}`;
        if (e.kind === "queue") return `${when} · waits for ${to ?? "a team"} (rule${rule})`;
        const why =
          e.reason === "rule" && rule ? `routed by the rule${rule}` : (REASONS[e.reason] ?? e.reason);
        return `${when} · ${to ? `assigned to ${to}` : "back to the queue"} (${why})${who}`;
      });
      return done(
        `*History of #${conversation.id}*\n${lines.length ? lines.join("\n") : "_No assignment yet._"}`,
      );
    });

  const queue = (input: { userId: string }): Promise<Outcome> =>
    deps.store.transaction(async (tx) => {
      const auth = await authorize(tx, deps, input.userId, "queue");
      if (!auth.ok) return auth.outcome;
      const waiting = await tx.conversations.queue(20);
      if (!waiting.length) return done("The queue is empty: every open conversation has someone.");
      const lines = waiting.map(
        (c) =>
          `#${c.id} · ${c.sourceId} · ${c.heroWaitUntil && c.heroWaitUntil > new Date() ? "waiting for the hero" : "waiting"} since ${slackDate(c.waitingSince ?? c.createdAt)}`,
      );
      return done(`*Queue* (oldest first)\n${lines.join("\n")}`);
    });

  return { history, queue };
}
