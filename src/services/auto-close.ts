// Auto-close: a conversation waiting on the customer (an agent answered last) gets one nudge, then
// closes, when the customer stays silent. Each step is an outbox job due at its instant (durable,
// so a restart keeps it), runs once per conversation and answer, and does nothing once the
// customer wrote or an agent answered again (the stretch it was set for is over).
import type { SourceConfig } from "../config.ts";
import type { Conversation } from "../core/domain.ts";
import { formatDuration } from "../core/summary.ts";
import type { JobHandlers } from "../outbox/handler.ts";
import { enqueueIdleSteps, enqueueNotice } from "../outbox/jobs.ts";
import type { Repositories, Store } from "../store/index.ts";
import { sendAutomaticReply } from "./automatic-reply.ts";
import { setConversationStatus } from "./close-conversation.ts";

/** Sets auto-close's steps from an agent's answer at `answeredAt`, if the source auto-closes. */
export async function scheduleIdleSteps(
  tx: Repositories,
  source: SourceConfig | undefined,
  conversation: Conversation,
  answeredAt: Date,
) {
  const auto = source?.autoClose;
  if (!auto || conversation.status !== "open") return;
  const at = (ms: number) => new Date(answeredAt.getTime() + ms);
  await enqueueIdleSteps(tx, conversation.id, answeredAt, {
    nudge: auto.nudge !== undefined && auto.nudgeAfter !== undefined ? at(auto.nudgeAfter) : null,
    close: at(auto.after),
  });
}

/** Still the idle stretch that began with the answer at `since`: open, nobody waiting, no newer answer. */
const stillIdle = (c: Conversation, since: number) =>
  c.status === "open" && c.waitingSince === null && c.answeredAt?.getTime() === since;

export function createAutoClose(deps: {
  store: Store;
  sources: ReadonlyMap<string, SourceConfig>;
  now?: () => Date;
}) {
  const now = () => deps.now?.() ?? new Date();
  const idle: JobHandlers["conversations.idle"] = {
    retry: () => ({ initialDelayMs: 1000, maxDelayMs: 60_000 }),
    async perform({ conversationId, since, step }) {
      await deps.store.transaction(async (tx) => {
        const conversation = await tx.conversations.get(conversationId);
        const auto = conversation && deps.sources.get(conversation.sourceId);
        if (!conversation || !auto?.autoClose || !stillIdle(conversation, since)) return;
        const silent = formatDuration(now().getTime() - since);
        if (step === "nudge") {
          if (auto.autoClose.nudge === undefined) return;
          await sendAutomaticReply(tx, auto, conversation, {
            key: `nudge-${conversation.id}-${since}`,
            text: auto.autoClose.nudge,
            notice: `:wave: No word from the customer for ${silent} since the last answer: they got the nudge. It closes in ${formatDuration(auto.autoClose.after - (auto.autoClose.nudgeAfter ?? 0))} unless they write.`,
            at: now(),
          });
          return;
        }
        await setConversationStatus(tx, conversation, "closed", {
          actorSlackId: null,
          reason: "auto_closed",
          detail: `no word from the customer for ${silent} after the last answer`,
          at: now(),
        });
        await enqueueNotice(
          tx,
          conversation,
          `auto-closed-${conversation.id}-${since}`,
          `:zzz: Closed automatically: no word from the customer for ${silent} after the last answer. A message from them within ${formatDuration(auto.autoClose.reopenWithin)} reopens it.`,
        );
      });
    },
  };
  return { handlers: { "conversations.idle": idle } satisfies Pick<JobHandlers, "conversations.idle"> };
}
