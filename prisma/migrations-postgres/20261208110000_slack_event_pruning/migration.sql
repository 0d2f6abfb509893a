-- CreateIndex
CREATE INDEX "SlackEvent_receivedAt_idx" ON "SlackEvent"("receivedAt");
