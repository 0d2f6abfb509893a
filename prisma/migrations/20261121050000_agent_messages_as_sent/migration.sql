-- Agents' thread messages are stored as Slack sent them, before the event is acknowledged and
-- without asking Slack anything: `textFormat` "slack" marks a text in Slack's markup (mentions as
-- <@U…>), which reply delivery renders for the customer with people's names; `slackTs` is the
-- message's Slack ts, the order an agent's replies reach the customer in.
-- AlterTable
ALTER TABLE "Message" ADD COLUMN "textFormat" TEXT;
ALTER TABLE "Message" ADD COLUMN "slackTs" TEXT;
-- Earlier agents' messages: their externalId ends in the ts (slack-<channel>-<seconds>.<micros>).
UPDATE "Message" SET "slackTs" = substr("externalId", -17) WHERE "externalId" LIKE 'slack-%';
