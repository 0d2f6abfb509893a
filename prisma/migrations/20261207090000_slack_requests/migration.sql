-- Replay guard shared by replicas (issue 14): signed slash commands and clicks already taken.
-- CreateTable
CREATE TABLE "SlackRequest" (
    "key" TEXT NOT NULL PRIMARY KEY,
    "expiresAt" BIGINT NOT NULL
);

-- CreateIndex
CREATE INDEX "SlackRequest_expiresAt_idx" ON "SlackRequest"("expiresAt");
