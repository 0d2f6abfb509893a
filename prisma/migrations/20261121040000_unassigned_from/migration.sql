-- Unassign: who a conversation was taken from, so routing does not hand it straight back to them.
-- AlterTable
ALTER TABLE "Conversation" ADD COLUMN "unassignedFromId" INTEGER;
