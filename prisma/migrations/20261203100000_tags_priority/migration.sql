-- Tags and priority (issue 12, part 7): each conversation has a priority (low, normal, high,
-- urgent; every existing one is normal) and a set of tags, one row each, so summaries count
-- conversations per tag and open ones per priority in plain SQL.
-- AlterTable
ALTER TABLE "Conversation" ADD COLUMN "priority" TEXT NOT NULL DEFAULT 'normal';

-- CreateTable
CREATE TABLE "ConversationTag" (
    "conversationId" INTEGER NOT NULL,
    "tag" TEXT NOT NULL,
    "createdAt" DATETIME NOT NULL DEFAULT CURRENT_TIMESTAMP,

    PRIMARY KEY ("conversationId", "tag"),
    CONSTRAINT "ConversationTag_conversationId_fkey" FOREIGN KEY ("conversationId") REFERENCES "Conversation" ("id") ON DELETE CASCADE ON UPDATE CASCADE
);

-- CreateIndex
CREATE INDEX "ConversationTag_tag_idx" ON "ConversationTag"("tag");

-- CreateIndex
CREATE INDEX "Conversation_status_assigneeId_priority_idx" ON "Conversation"("status", "assigneeId", "priority");
