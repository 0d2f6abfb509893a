-- AlterTable
ALTER TABLE "Customer" ADD COLUMN "accountId" INTEGER;

-- AlterTable
ALTER TABLE "Conversation" ADD COLUMN "accountId" INTEGER;

-- CreateTable
CREATE TABLE "Account" (
    "id" INTEGER NOT NULL PRIMARY KEY AUTOINCREMENT,
    "name" TEXT NOT NULL,
    "nameKey" TEXT NOT NULL,
    "slackTeamId" TEXT,
    "heroAgentId" INTEGER,
    "heroTeamId" INTEGER,
    "createdAt" DATETIME NOT NULL DEFAULT CURRENT_TIMESTAMP
);

-- CreateTable
CREATE TABLE "HeroSetting" (
    "subject" TEXT NOT NULL PRIMARY KEY,
    "heroAgentId" INTEGER,
    "heroTeamId" INTEGER,
    "createdAt" DATETIME NOT NULL DEFAULT CURRENT_TIMESTAMP
);

-- CreateIndex
CREATE UNIQUE INDEX "Account_nameKey_key" ON "Account"("nameKey");

-- CreateIndex
CREATE UNIQUE INDEX "Account_slackTeamId_key" ON "Account"("slackTeamId");

