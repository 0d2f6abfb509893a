-- Slack's rate limits shared by replicas on PostgreSQL (issue 14); unused on SQLite.
-- CreateTable
CREATE TABLE "SlackPace" (
    "key" TEXT NOT NULL PRIMARY KEY,
    "freeAt" BIGINT NOT NULL
);
