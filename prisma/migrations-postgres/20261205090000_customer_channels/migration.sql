-- AlterTable
ALTER TABLE "Message" ADD COLUMN     "deletedAt" TIMESTAMP(3),
ADD COLUMN     "editedAt" TIMESTAMP(3);

-- CreateTable
CREATE TABLE "CustomerThread" (
    "conversationId" INTEGER NOT NULL,
    "channel" TEXT NOT NULL,
    "ts" TEXT NOT NULL,
    "statusShown" TEXT,
    "createdAt" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "CustomerThread_pkey" PRIMARY KEY ("conversationId")
);

-- CreateTable
CREATE TABLE "CustomerChannel" (
    "channel" TEXT NOT NULL,
    "sourceId" TEXT NOT NULL,
    "addedBy" TEXT,
    "addedAt" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "removedAt" TIMESTAMP(3),

    CONSTRAINT "CustomerChannel_pkey" PRIMARY KEY ("channel")
);

-- CreateIndex
CREATE INDEX "CustomerThread_channel_ts_idx" ON "CustomerThread"("channel", "ts");
