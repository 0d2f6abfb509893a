-- The slots of the last minute per shared budget, so replicas keep Slack's per-minute limits as
-- one process does (issue 14); unused on SQLite.
-- AlterTable
ALTER TABLE "SlackPace" ADD COLUMN "recent" TEXT NOT NULL DEFAULT '';
