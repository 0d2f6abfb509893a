-- CreateTable
CREATE TABLE "SlackPace" (
    "key" TEXT NOT NULL,
    "freeAt" BIGINT NOT NULL,

    CONSTRAINT "SlackPace_pkey" PRIMARY KEY ("key")
);
