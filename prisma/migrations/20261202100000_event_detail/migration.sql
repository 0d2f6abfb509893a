-- History that says why (issue 10, part 5): the rule that routed a conversation, or the team it
-- waits for; and events for closes and reopens (kind "status").
-- AlterTable
ALTER TABLE "AssignmentEvent" ADD COLUMN "detail" TEXT;
