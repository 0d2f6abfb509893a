-- AlterTable
ALTER TABLE "SlackPace" ADD COLUMN     "recent" TEXT NOT NULL DEFAULT '';
