-- AlterTable
ALTER TABLE "Conversation" ADD COLUMN     "accountId" INTEGER;

-- AlterTable
ALTER TABLE "Customer" ADD COLUMN     "accountId" INTEGER;

-- CreateTable
CREATE TABLE "Account" (
    "id" SERIAL NOT NULL,
    "name" TEXT NOT NULL,
    "nameKey" TEXT NOT NULL,
    "slackTeamId" TEXT,
    "heroAgentId" INTEGER,
    "heroTeamId" INTEGER,
    "createdAt" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "Account_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "HeroSetting" (
    "subject" TEXT NOT NULL,
    "heroAgentId" INTEGER,
    "heroTeamId" INTEGER,
    "createdAt" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "HeroSetting_pkey" PRIMARY KEY ("subject")
);

-- CreateIndex
CREATE UNIQUE INDEX "Account_nameKey_key" ON "Account"("nameKey");

-- CreateIndex
CREATE UNIQUE INDEX "Account_slackTeamId_key" ON "Account"("slackTeamId");
