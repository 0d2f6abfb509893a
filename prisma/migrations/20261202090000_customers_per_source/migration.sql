-- A customer id belongs to its source (issue 15, part 9): Customer is unique per (sourceId,
-- externalId). Until now one customer spanned every source, so a `mail` message for `cust-42`
-- renamed the `web` customer. Each existing customer keeps the source of its first conversation;
-- one who has conversations on other sources is copied once per such source (name, email,
-- attributes and hero as they are now), linked to the original so the two keep sharing a hero as
-- they did, and those conversations and their history move to the copy.

-- RedefineTables
PRAGMA defer_foreign_keys=ON;
PRAGMA foreign_keys=OFF;
CREATE TABLE "new_Customer" (
    "id" INTEGER NOT NULL PRIMARY KEY AUTOINCREMENT,
    "sourceId" TEXT NOT NULL,
    "externalId" TEXT NOT NULL,
    "linkedToId" INTEGER,
    "name" TEXT NOT NULL,
    "email" TEXT,
    "attributes" TEXT NOT NULL DEFAULT '{}',
    "heroAgentId" INTEGER,
    "heroTeamId" INTEGER,
    "createdAt" DATETIME NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "updatedAt" DATETIME NOT NULL,
    CONSTRAINT "Customer_heroAgentId_fkey" FOREIGN KEY ("heroAgentId") REFERENCES "Agent" ("id") ON DELETE SET NULL ON UPDATE CASCADE,
    CONSTRAINT "Customer_heroTeamId_fkey" FOREIGN KEY ("heroTeamId") REFERENCES "Team" ("id") ON DELETE SET NULL ON UPDATE CASCADE
);
INSERT INTO "new_Customer" ("attributes", "createdAt", "email", "externalId", "heroAgentId", "heroTeamId", "id", "name", "updatedAt", "sourceId")
SELECT "attributes", "createdAt", "email", "externalId", "heroAgentId", "heroTeamId", "id", "name", "updatedAt",
    COALESCE((SELECT v."sourceId" FROM "Conversation" v WHERE v."customerId" = "Customer"."id" ORDER BY v."id" LIMIT 1), '')
FROM "Customer";
DROP TABLE "Customer";
ALTER TABLE "new_Customer" RENAME TO "Customer";

-- One copy per customer and other source it has conversations on.
INSERT INTO "Customer" ("sourceId", "externalId", "linkedToId", "name", "email", "attributes", "heroAgentId", "heroTeamId", "createdAt", "updatedAt")
SELECT DISTINCT v."sourceId", c."externalId", c."id", c."name", c."email", c."attributes", c."heroAgentId", c."heroTeamId", c."createdAt", c."updatedAt"
FROM "Conversation" v JOIN "Customer" c ON c."id" = v."customerId"
WHERE v."sourceId" <> c."sourceId";

UPDATE "Conversation" SET "customerId" = (
    SELECT n."id" FROM "Customer" n
    WHERE n."linkedToId" = "Conversation"."customerId" AND n."sourceId" = "Conversation"."sourceId")
WHERE EXISTS (
    SELECT 1 FROM "Customer" n
    WHERE n."linkedToId" = "Conversation"."customerId" AND n."sourceId" = "Conversation"."sourceId");

-- A conversation's history belongs to its customer.
UPDATE "AssignmentEvent" SET "customerId" = (
    SELECT v."customerId" FROM "Conversation" v WHERE v."id" = "AssignmentEvent"."conversationId")
WHERE "conversationId" IS NOT NULL AND "customerId" IS NOT NULL;

CREATE INDEX "Customer_email_idx" ON "Customer"("email");
CREATE INDEX "Customer_linkedToId_idx" ON "Customer"("linkedToId");
CREATE UNIQUE INDEX "Customer_sourceId_externalId_key" ON "Customer"("sourceId", "externalId");
PRAGMA foreign_keys=ON;
PRAGMA defer_foreign_keys=OFF;
