-- Auto-close (issue 12, part 4): when an agent last answered, and whether auto-close closed it.
-- AlterTable
ALTER TABLE "Conversation" ADD COLUMN "answeredAt" DATETIME;
ALTER TABLE "Conversation" ADD COLUMN "closeReason" TEXT;
