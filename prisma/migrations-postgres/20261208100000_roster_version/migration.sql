-- The roster's version (issue 14): every change to agents, teams, memberships or rules bumps it,
-- so routing may keep the roster in memory while nothing changed.
-- CreateTable
CREATE TABLE "RosterVersion" (
    "id" INTEGER NOT NULL,
    "version" BIGINT NOT NULL DEFAULT 0,

    CONSTRAINT "RosterVersion_pkey" PRIMARY KEY ("id")
);
INSERT INTO "RosterVersion" ("id", "version") VALUES (1, 0);

-- Statement triggers that fire BEFORE the statement: a transaction takes the version row's lock
-- before any roster row's, in the order routing takes them (the version row first, then the agent
-- it assigns), so the two never wait for each other in a circle. A change not yet committed
-- holds the row, so routing reads the roster only once it has committed (or after routing's own
-- commit, when its bump makes the kept roster stale).
CREATE FUNCTION "roster_changed"() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  UPDATE "RosterVersion" SET "version" = "version" + 1 WHERE "id" = 1;
  RETURN NULL;
END;
$$;
CREATE TRIGGER "Agent_roster" BEFORE INSERT OR UPDATE OR DELETE ON "Agent" FOR EACH STATEMENT EXECUTE FUNCTION "roster_changed"();
CREATE TRIGGER "Team_roster" BEFORE INSERT OR UPDATE OR DELETE ON "Team" FOR EACH STATEMENT EXECUTE FUNCTION "roster_changed"();
CREATE TRIGGER "TeamMember_roster" BEFORE INSERT OR UPDATE OR DELETE ON "TeamMember" FOR EACH STATEMENT EXECUTE FUNCTION "roster_changed"();
CREATE TRIGGER "RoutingRule_roster" BEFORE INSERT OR UPDATE OR DELETE ON "RoutingRule" FOR EACH STATEMENT EXECUTE FUNCTION "roster_changed"();
