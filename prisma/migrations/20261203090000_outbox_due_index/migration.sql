-- The outbox worker asks for due lane heads and the next due time (src/store/outbox.ts
-- dueLaneHeads), so that its scan costs what is due, not every waiting timer.
CREATE INDEX "OutboxItem_status_nextAttemptAt_idx" ON "OutboxItem"("status", "nextAttemptAt");
