-- Customers who write in Slack (issue 13): a message's edits and deletion there, the customer's
-- own thread of a conversation (and the status shown on it), and the channels an invited source takes.
-- AlterTable
ALTER TABLE "Message" ADD COLUMN "editedAt" DATETIME;
ALTER TABLE "Message" ADD COLUMN "deletedAt" DATETIME;

-- CreateTable
CREATE TABLE "CustomerThread" (
    "conversationId" INTEGER NOT NULL PRIMARY KEY,
    "channel" TEXT NOT NULL,
    "ts" TEXT NOT NULL,
    "statusShown" TEXT,
    "createdAt" DATETIME NOT NULL DEFAULT CURRENT_TIMESTAMP
);

-- CreateTable
CREATE TABLE "CustomerChannel" (
    "channel" TEXT NOT NULL PRIMARY KEY,
    "sourceId" TEXT NOT NULL,
    "addedBy" TEXT,
    "addedAt" DATETIME NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "removedAt" DATETIME
);

-- CreateIndex
CREATE INDEX "CustomerThread_channel_ts_idx" ON "CustomerThread"("channel", "ts");
