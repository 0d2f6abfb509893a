-- CreateTable
CREATE TABLE "SlackRequest" (
    "key" TEXT NOT NULL,
    "expiresAt" BIGINT NOT NULL,

    CONSTRAINT "SlackRequest_pkey" PRIMARY KEY ("key")
);

-- CreateIndex
CREATE INDEX "SlackRequest_expiresAt_idx" ON "SlackRequest"("expiresAt");
