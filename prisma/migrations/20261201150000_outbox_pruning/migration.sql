-- Finished outbox items are pruned by age (src/jobs/outbox-pruning.ts): found by status and doneAt.
CREATE INDEX "OutboxItem_status_doneAt_idx" ON "OutboxItem"("status", "doneAt");
