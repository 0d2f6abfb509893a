-- Slack event ids are pruned once a day old: the index finds them.
-- CreateIndex
CREATE INDEX "SlackEvent_receivedAt_idx" ON "SlackEvent"("receivedAt");
