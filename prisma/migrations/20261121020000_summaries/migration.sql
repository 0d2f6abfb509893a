-- Summaries (issue 4): stored summaries for exactly-once slots, first response durations, report indexes.
-- AlterTable
ALTER TABLE "Conversation" ADD COLUMN "firstResponseMs" INTEGER;
-- CreateTable
CREATE TABLE "Summary" (
    "id" INTEGER NOT NULL PRIMARY KEY AUTOINCREMENT,
    "channel" TEXT NOT NULL,
    "slot" DATETIME,
    "trigger" TEXT NOT NULL,
    "requestedBy" TEXT,
    "since" DATETIME NOT NULL,
    "until" DATETIME NOT NULL,
    "figures" TEXT NOT NULL,
    "timezone" TEXT NOT NULL,
    "createdAt" DATETIME NOT NULL DEFAULT CURRENT_TIMESTAMP
);
-- CreateIndex
CREATE INDEX "Summary_channel_until_idx" ON "Summary"("channel", "until");
-- CreateIndex
CREATE UNIQUE INDEX "Summary_channel_slot_key" ON "Summary"("channel", "slot");
-- CreateIndex
CREATE INDEX "Conversation_createdAt_idx" ON "Conversation"("createdAt");
-- CreateIndex
CREATE INDEX "Conversation_closedAt_idx" ON "Conversation"("closedAt");
-- CreateIndex
CREATE INDEX "Conversation_firstResponseAt_idx" ON "Conversation"("firstResponseAt");
-- CreateIndex
CREATE INDEX "AssignmentEvent_kind_createdAt_idx" ON "AssignmentEvent"("kind", "createdAt");

-- Backfill: conversations answered before this column existed (SQLite date arithmetic; migrations are per provider).
UPDATE "Conversation" SET "firstResponseMs" = MAX(0, CAST(ROUND((julianday("firstResponseAt") - julianday("createdAt")) * 86400000) AS INTEGER)) WHERE "firstResponseAt" IS NOT NULL;
