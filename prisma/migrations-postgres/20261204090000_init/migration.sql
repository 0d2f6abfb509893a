-- CreateSchema
CREATE SCHEMA IF NOT EXISTS "public";

-- CreateTable
CREATE TABLE "Customer" (
    "id" SERIAL NOT NULL,
    "sourceId" TEXT NOT NULL,
    "externalId" TEXT NOT NULL,
    "linkedToId" INTEGER,
    "name" TEXT NOT NULL,
    "email" TEXT,
    "attributes" TEXT NOT NULL DEFAULT '{}',
    "heroAgentId" INTEGER,
    "heroTeamId" INTEGER,
    "createdAt" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "updatedAt" TIMESTAMP(3) NOT NULL,

    CONSTRAINT "Customer_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "Agent" (
    "id" SERIAL NOT NULL,
    "slackUserId" TEXT NOT NULL,
    "name" TEXT NOT NULL,
    "role" TEXT NOT NULL DEFAULT 'agent',
    "status" TEXT NOT NULL DEFAULT 'offline',
    "capacity" INTEGER NOT NULL DEFAULT 0,
    "openCount" INTEGER NOT NULL DEFAULT 0,
    "active" BOOLEAN NOT NULL DEFAULT true,
    "lastAssignedAt" TIMESTAMP(3),
    "createdAt" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "updatedAt" TIMESTAMP(3) NOT NULL,

    CONSTRAINT "Agent_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "Team" (
    "id" SERIAL NOT NULL,
    "name" TEXT NOT NULL,
    "createdAt" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "Team_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "RoutingRule" (
    "id" SERIAL NOT NULL,
    "position" INTEGER NOT NULL,
    "attribute" TEXT NOT NULL,
    "value" TEXT NOT NULL,
    "teamId" INTEGER NOT NULL,
    "createdAt" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "RoutingRule_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "SourceSubscription" (
    "sourceId" TEXT NOT NULL,
    "agentId" INTEGER NOT NULL,

    CONSTRAINT "SourceSubscription_pkey" PRIMARY KEY ("sourceId","agentId")
);

-- CreateTable
CREATE TABLE "TeamMember" (
    "teamId" INTEGER NOT NULL,
    "agentId" INTEGER NOT NULL,

    CONSTRAINT "TeamMember_pkey" PRIMARY KEY ("teamId","agentId")
);

-- CreateTable
CREATE TABLE "Conversation" (
    "id" SERIAL NOT NULL,
    "sourceId" TEXT NOT NULL,
    "externalId" TEXT NOT NULL,
    "customerId" INTEGER NOT NULL,
    "slackChannel" TEXT NOT NULL,
    "status" TEXT NOT NULL DEFAULT 'open',
    "assigneeId" INTEGER,
    "assignedAt" TIMESTAMP(3),
    "unassignedFromId" INTEGER,
    "firstResponseAt" TIMESTAMP(3),
    "firstResponseMs" INTEGER,
    "waitingSince" TIMESTAMP(3),
    "heroWaitUntil" TIMESTAMP(3),
    "answeredAt" TIMESTAMP(3),
    "closedAt" TIMESTAMP(3),
    "closeReason" TEXT,
    "createdAt" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "updatedAt" TIMESTAMP(3) NOT NULL,
    "priority" TEXT NOT NULL DEFAULT 'normal',

    CONSTRAINT "Conversation_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "ConversationTag" (
    "conversationId" INTEGER NOT NULL,
    "tag" TEXT NOT NULL,
    "createdAt" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "ConversationTag_pkey" PRIMARY KEY ("conversationId","tag")
);

-- CreateTable
CREATE TABLE "Message" (
    "id" SERIAL NOT NULL,
    "conversationId" INTEGER NOT NULL,
    "sourceId" TEXT NOT NULL,
    "externalId" TEXT NOT NULL,
    "direction" TEXT NOT NULL,
    "authorName" TEXT NOT NULL,
    "authorSlackId" TEXT,
    "text" TEXT NOT NULL,
    "attachments" TEXT NOT NULL DEFAULT '[]',
    "textFormat" TEXT,
    "slackTs" TEXT,
    "sentAt" TIMESTAMP(3) NOT NULL,
    "createdAt" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "deliveryStatus" TEXT,
    "deliveryError" TEXT,
    "deliveredAt" TIMESTAMP(3),

    CONSTRAINT "Message_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "SlackThread" (
    "conversationId" INTEGER NOT NULL,
    "channel" TEXT NOT NULL,
    "ts" TEXT NOT NULL,
    "createdAt" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "cardHash" TEXT,

    CONSTRAINT "SlackThread_pkey" PRIMARY KEY ("channel","ts")
);

-- CreateTable
CREATE TABLE "SlackPost" (
    "messageId" INTEGER NOT NULL,
    "part" INTEGER NOT NULL,
    "channel" TEXT NOT NULL,
    "ts" TEXT NOT NULL,

    CONSTRAINT "SlackPost_pkey" PRIMARY KEY ("messageId","part")
);

-- CreateTable
CREATE TABLE "SlackEvent" (
    "eventId" TEXT NOT NULL,
    "receivedAt" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "SlackEvent_pkey" PRIMARY KEY ("eventId")
);

-- CreateTable
CREATE TABLE "AssignmentEvent" (
    "id" SERIAL NOT NULL,
    "kind" TEXT NOT NULL,
    "conversationId" INTEGER,
    "customerId" INTEGER,
    "fromAgentId" INTEGER,
    "toAgentId" INTEGER,
    "toTeamId" INTEGER,
    "actorSlackId" TEXT,
    "reason" TEXT NOT NULL,
    "detail" TEXT,
    "createdAt" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "AssignmentEvent_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "ResponseRecord" (
    "id" SERIAL NOT NULL,
    "conversationId" INTEGER NOT NULL,
    "sourceId" TEXT NOT NULL,
    "agentId" INTEGER,
    "kind" TEXT NOT NULL,
    "waitingSince" TIMESTAMP(3) NOT NULL,
    "answeredAt" TIMESTAMP(3) NOT NULL,
    "businessMs" INTEGER NOT NULL,
    "targetMs" INTEGER,
    "createdAt" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "ResponseRecord_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "OutboxItem" (
    "id" SERIAL NOT NULL,
    "lane" TEXT NOT NULL,
    "kind" TEXT NOT NULL,
    "payload" TEXT NOT NULL,
    "status" TEXT NOT NULL DEFAULT 'pending',
    "attempts" INTEGER NOT NULL DEFAULT 0,
    "startedAt" TIMESTAMP(3),
    "nextAttemptAt" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "lastError" TEXT,
    "createdAt" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "doneAt" TIMESTAMP(3),
    "waitingOn" TEXT,

    CONSTRAINT "OutboxItem_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "SlackProblem" (
    "id" SERIAL NOT NULL,
    "key" TEXT NOT NULL,
    "error" TEXT NOT NULL,
    "channel" TEXT,
    "method" TEXT,
    "detail" TEXT,
    "firstSeenAt" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "lastSeenAt" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "resolvedAt" TIMESTAMP(3),

    CONSTRAINT "SlackProblem_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "Summary" (
    "id" SERIAL NOT NULL,
    "channel" TEXT NOT NULL,
    "slot" TIMESTAMP(3),
    "trigger" TEXT NOT NULL,
    "requestedBy" TEXT,
    "since" TIMESTAMP(3) NOT NULL,
    "until" TIMESTAMP(3) NOT NULL,
    "figures" TEXT NOT NULL,
    "timezone" TEXT NOT NULL,
    "createdAt" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "Summary_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "HomeTab" (
    "slackUserId" TEXT NOT NULL,
    "openedAt" TIMESTAMP(3) NOT NULL,
    "page" INTEGER NOT NULL DEFAULT 0,
    "teamPage" INTEGER NOT NULL DEFAULT 0,
    "updatedAt" TIMESTAMP(3) NOT NULL,

    CONSTRAINT "HomeTab_pkey" PRIMARY KEY ("slackUserId")
);

-- CreateIndex
CREATE INDEX "Customer_email_idx" ON "Customer"("email");

-- CreateIndex
CREATE INDEX "Customer_linkedToId_idx" ON "Customer"("linkedToId");

-- CreateIndex
CREATE UNIQUE INDEX "Customer_sourceId_externalId_key" ON "Customer"("sourceId", "externalId");

-- CreateIndex
CREATE UNIQUE INDEX "Agent_slackUserId_key" ON "Agent"("slackUserId");

-- CreateIndex
CREATE UNIQUE INDEX "Team_name_key" ON "Team"("name");

-- CreateIndex
CREATE INDEX "RoutingRule_position_idx" ON "RoutingRule"("position");

-- CreateIndex
CREATE INDEX "TeamMember_agentId_idx" ON "TeamMember"("agentId");

-- CreateIndex
CREATE INDEX "Conversation_customerId_sourceId_status_idx" ON "Conversation"("customerId", "sourceId", "status");

-- CreateIndex
CREATE INDEX "Conversation_status_assigneeId_idx" ON "Conversation"("status", "assigneeId");

-- CreateIndex
CREATE INDEX "Conversation_status_heroWaitUntil_idx" ON "Conversation"("status", "heroWaitUntil");

-- CreateIndex
CREATE INDEX "Conversation_createdAt_idx" ON "Conversation"("createdAt");

-- CreateIndex
CREATE INDEX "Conversation_closedAt_idx" ON "Conversation"("closedAt");

-- CreateIndex
CREATE INDEX "Conversation_firstResponseAt_idx" ON "Conversation"("firstResponseAt");

-- CreateIndex
CREATE INDEX "Conversation_status_waitingSince_idx" ON "Conversation"("status", "waitingSince");

-- CreateIndex
CREATE INDEX "Conversation_status_assigneeId_priority_idx" ON "Conversation"("status", "assigneeId", "priority");

-- CreateIndex
CREATE UNIQUE INDEX "Conversation_sourceId_externalId_key" ON "Conversation"("sourceId", "externalId");

-- CreateIndex
CREATE INDEX "ConversationTag_tag_idx" ON "ConversationTag"("tag");

-- CreateIndex
CREATE INDEX "Message_conversationId_id_idx" ON "Message"("conversationId", "id");

-- CreateIndex
CREATE UNIQUE INDEX "Message_sourceId_externalId_key" ON "Message"("sourceId", "externalId");

-- CreateIndex
CREATE UNIQUE INDEX "SlackThread_conversationId_key" ON "SlackThread"("conversationId");

-- CreateIndex
CREATE UNIQUE INDEX "SlackPost_channel_ts_key" ON "SlackPost"("channel", "ts");

-- CreateIndex
CREATE INDEX "AssignmentEvent_conversationId_idx" ON "AssignmentEvent"("conversationId");

-- CreateIndex
CREATE INDEX "AssignmentEvent_customerId_idx" ON "AssignmentEvent"("customerId");

-- CreateIndex
CREATE INDEX "AssignmentEvent_kind_createdAt_idx" ON "AssignmentEvent"("kind", "createdAt");

-- CreateIndex
CREATE INDEX "ResponseRecord_answeredAt_idx" ON "ResponseRecord"("answeredAt");

-- CreateIndex
CREATE INDEX "ResponseRecord_conversationId_idx" ON "ResponseRecord"("conversationId");

-- CreateIndex
CREATE INDEX "OutboxItem_status_lane_id_idx" ON "OutboxItem"("status", "lane", "id");

-- CreateIndex
CREATE INDEX "OutboxItem_status_nextAttemptAt_idx" ON "OutboxItem"("status", "nextAttemptAt");

-- CreateIndex
CREATE INDEX "OutboxItem_waitingOn_idx" ON "OutboxItem"("waitingOn");

-- CreateIndex
CREATE INDEX "OutboxItem_status_doneAt_idx" ON "OutboxItem"("status", "doneAt");

-- CreateIndex
CREATE UNIQUE INDEX "SlackProblem_key_key" ON "SlackProblem"("key");

-- CreateIndex
CREATE INDEX "Summary_channel_until_idx" ON "Summary"("channel", "until");

-- CreateIndex
CREATE UNIQUE INDEX "Summary_channel_slot_key" ON "Summary"("channel", "slot");

-- CreateIndex
CREATE INDEX "HomeTab_openedAt_idx" ON "HomeTab"("openedAt");

-- AddForeignKey
ALTER TABLE "Customer" ADD CONSTRAINT "Customer_heroAgentId_fkey" FOREIGN KEY ("heroAgentId") REFERENCES "Agent"("id") ON DELETE SET NULL ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "Customer" ADD CONSTRAINT "Customer_heroTeamId_fkey" FOREIGN KEY ("heroTeamId") REFERENCES "Team"("id") ON DELETE SET NULL ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "RoutingRule" ADD CONSTRAINT "RoutingRule_teamId_fkey" FOREIGN KEY ("teamId") REFERENCES "Team"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "SourceSubscription" ADD CONSTRAINT "SourceSubscription_agentId_fkey" FOREIGN KEY ("agentId") REFERENCES "Agent"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "TeamMember" ADD CONSTRAINT "TeamMember_teamId_fkey" FOREIGN KEY ("teamId") REFERENCES "Team"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "TeamMember" ADD CONSTRAINT "TeamMember_agentId_fkey" FOREIGN KEY ("agentId") REFERENCES "Agent"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "Conversation" ADD CONSTRAINT "Conversation_customerId_fkey" FOREIGN KEY ("customerId") REFERENCES "Customer"("id") ON DELETE RESTRICT ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "Conversation" ADD CONSTRAINT "Conversation_assigneeId_fkey" FOREIGN KEY ("assigneeId") REFERENCES "Agent"("id") ON DELETE SET NULL ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "ConversationTag" ADD CONSTRAINT "ConversationTag_conversationId_fkey" FOREIGN KEY ("conversationId") REFERENCES "Conversation"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "Message" ADD CONSTRAINT "Message_conversationId_fkey" FOREIGN KEY ("conversationId") REFERENCES "Conversation"("id") ON DELETE RESTRICT ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "SlackThread" ADD CONSTRAINT "SlackThread_conversationId_fkey" FOREIGN KEY ("conversationId") REFERENCES "Conversation"("id") ON DELETE RESTRICT ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "SlackPost" ADD CONSTRAINT "SlackPost_messageId_fkey" FOREIGN KEY ("messageId") REFERENCES "Message"("id") ON DELETE RESTRICT ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "AssignmentEvent" ADD CONSTRAINT "AssignmentEvent_conversationId_fkey" FOREIGN KEY ("conversationId") REFERENCES "Conversation"("id") ON DELETE SET NULL ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "AssignmentEvent" ADD CONSTRAINT "AssignmentEvent_customerId_fkey" FOREIGN KEY ("customerId") REFERENCES "Customer"("id") ON DELETE SET NULL ON UPDATE CASCADE;

