-- Slack troubles a person must fix, the outbox items waiting on them, and the card each thread
-- last showed (identical card updates are not sent again).
-- AlterTable
ALTER TABLE "SlackThread" ADD COLUMN "cardHash" TEXT;

-- AlterTable
ALTER TABLE "OutboxItem" ADD COLUMN "waitingOn" TEXT;

-- CreateTable
CREATE TABLE "SlackProblem" (
    "id" INTEGER NOT NULL PRIMARY KEY AUTOINCREMENT,
    "key" TEXT NOT NULL,
    "error" TEXT NOT NULL,
    "channel" TEXT,
    "method" TEXT,
    "detail" TEXT,
    "firstSeenAt" DATETIME NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "lastSeenAt" DATETIME NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "resolvedAt" DATETIME
);

-- CreateIndex
CREATE INDEX "OutboxItem_waitingOn_idx" ON "OutboxItem"("waitingOn");

-- CreateIndex
CREATE UNIQUE INDEX "SlackProblem_key_key" ON "SlackProblem"("key");
