-- Response figures (issue 12, part 6): every answer that stopped a response clock, with its wait
-- in business time and its target, so summaries and App Home count met and breached responses and
-- take medians and percentiles over a period.
-- CreateTable
CREATE TABLE "ResponseRecord" (
    "id" INTEGER NOT NULL PRIMARY KEY AUTOINCREMENT,
    "conversationId" INTEGER NOT NULL,
    "sourceId" TEXT NOT NULL,
    "agentId" INTEGER,
    "kind" TEXT NOT NULL,
    "waitingSince" DATETIME NOT NULL,
    "answeredAt" DATETIME NOT NULL,
    "businessMs" INTEGER NOT NULL,
    "targetMs" INTEGER,
    "createdAt" DATETIME NOT NULL DEFAULT CURRENT_TIMESTAMP
);

-- CreateIndex
CREATE INDEX "Conversation_status_waitingSince_idx" ON "Conversation"("status", "waitingSince");

-- CreateIndex
CREATE INDEX "ResponseRecord_answeredAt_idx" ON "ResponseRecord"("answeredAt");

-- CreateIndex
CREATE INDEX "ResponseRecord_conversationId_idx" ON "ResponseRecord"("conversationId");
