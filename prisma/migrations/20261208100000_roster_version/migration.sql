-- The roster's version (issue 14): every change to agents, teams, memberships or rules bumps it,
-- so routing may keep the roster in memory while nothing changed.
-- CreateTable
CREATE TABLE "RosterVersion" (
    "id" INTEGER NOT NULL PRIMARY KEY,
    "version" BIGINT NOT NULL DEFAULT 0
);
INSERT INTO "RosterVersion" ("id", "version") VALUES (1, 0);

-- Row triggers: SQLite has one writer, so nothing can change between a bump and its commit.
CREATE TRIGGER "Agent_roster_insert" AFTER INSERT ON "Agent" BEGIN UPDATE "RosterVersion" SET "version" = "version" + 1 WHERE "id" = 1; END;
CREATE TRIGGER "Agent_roster_update" AFTER UPDATE ON "Agent" BEGIN UPDATE "RosterVersion" SET "version" = "version" + 1 WHERE "id" = 1; END;
CREATE TRIGGER "Agent_roster_delete" AFTER DELETE ON "Agent" BEGIN UPDATE "RosterVersion" SET "version" = "version" + 1 WHERE "id" = 1; END;
CREATE TRIGGER "Team_roster_insert" AFTER INSERT ON "Team" BEGIN UPDATE "RosterVersion" SET "version" = "version" + 1 WHERE "id" = 1; END;
CREATE TRIGGER "Team_roster_update" AFTER UPDATE ON "Team" BEGIN UPDATE "RosterVersion" SET "version" = "version" + 1 WHERE "id" = 1; END;
CREATE TRIGGER "Team_roster_delete" AFTER DELETE ON "Team" BEGIN UPDATE "RosterVersion" SET "version" = "version" + 1 WHERE "id" = 1; END;
CREATE TRIGGER "TeamMember_roster_insert" AFTER INSERT ON "TeamMember" BEGIN UPDATE "RosterVersion" SET "version" = "version" + 1 WHERE "id" = 1; END;
CREATE TRIGGER "TeamMember_roster_update" AFTER UPDATE ON "TeamMember" BEGIN UPDATE "RosterVersion" SET "version" = "version" + 1 WHERE "id" = 1; END;
CREATE TRIGGER "TeamMember_roster_delete" AFTER DELETE ON "TeamMember" BEGIN UPDATE "RosterVersion" SET "version" = "version" + 1 WHERE "id" = 1; END;
CREATE TRIGGER "RoutingRule_roster_insert" AFTER INSERT ON "RoutingRule" BEGIN UPDATE "RosterVersion" SET "version" = "version" + 1 WHERE "id" = 1; END;
CREATE TRIGGER "RoutingRule_roster_update" AFTER UPDATE ON "RoutingRule" BEGIN UPDATE "RosterVersion" SET "version" = "version" + 1 WHERE "id" = 1; END;
CREATE TRIGGER "RoutingRule_roster_delete" AFTER DELETE ON "RoutingRule" BEGIN UPDATE "RosterVersion" SET "version" = "version" + 1 WHERE "id" = 1; END;
