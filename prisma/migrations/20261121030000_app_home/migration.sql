-- App Home (issue part 4): who opened their Home tab, and the page they look at.
-- CreateTable
CREATE TABLE "HomeTab" (
    "slackUserId" TEXT NOT NULL PRIMARY KEY,
    "openedAt" DATETIME NOT NULL,
    "page" INTEGER NOT NULL DEFAULT 0,
    "teamPage" INTEGER NOT NULL DEFAULT 0,
    "updatedAt" DATETIME NOT NULL
);

-- CreateIndex
CREATE INDEX "HomeTab_openedAt_idx" ON "HomeTab"("openedAt");

