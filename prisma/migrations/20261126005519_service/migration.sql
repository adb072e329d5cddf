-- CreateTable
CREATE TABLE "Dataset" (
    "id" UUID NOT NULL DEFAULT gen_random_uuid(),
    "tenantId" UUID NOT NULL,
    "name" TEXT NOT NULL,
    "format" TEXT NOT NULL,
    "status" TEXT NOT NULL,
    "rows" INTEGER NOT NULL DEFAULT 0,
    "sizeBytes" BIGINT NOT NULL DEFAULT 0,
    "featureShape" INTEGER[],
    "labelShape" INTEGER[],
    "featureNames" JSONB,
    "labelNames" JSONB,
    "classNames" JSONB,
    "classCounts" JSONB,
    "featureStats" JSONB,
    "labelStats" JSONB,
    "createdAt" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "Dataset_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "DatasetChunk" (
    "datasetId" UUID NOT NULL,
    "part" TEXT NOT NULL,
    "index" INTEGER NOT NULL,
    "tenantId" UUID NOT NULL,
    "rows" INTEGER NOT NULL,
    "data" BYTEA NOT NULL,

    CONSTRAINT "DatasetChunk_pkey" PRIMARY KEY ("datasetId","part","index")
);

-- CreateTable
CREATE TABLE "Model" (
    "id" UUID NOT NULL DEFAULT gen_random_uuid(),
    "tenantId" UUID NOT NULL,
    "name" TEXT NOT NULL,
    "source" TEXT NOT NULL,
    "definition" JSONB NOT NULL,
    "summary" JSONB NOT NULL,
    "latestVersion" INTEGER NOT NULL DEFAULT 0,
    "createdAt" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "Model_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "ModelVersion" (
    "id" UUID NOT NULL DEFAULT gen_random_uuid(),
    "tenantId" UUID NOT NULL,
    "modelId" UUID NOT NULL,
    "version" INTEGER NOT NULL,
    "jobId" UUID,
    "manifest" JSONB NOT NULL,
    "weights" BYTEA NOT NULL,
    "sizeBytes" INTEGER NOT NULL,
    "metrics" JSONB,
    "classNames" JSONB,
    "featureStats" JSONB,
    "compile" JSONB,
    "createdAt" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "ModelVersion_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "Job" (
    "id" UUID NOT NULL DEFAULT gen_random_uuid(),
    "tenantId" UUID NOT NULL,
    "modelId" UUID NOT NULL,
    "datasetId" UUID,
    "validationDatasetId" UUID,
    "config" JSONB NOT NULL,
    "plan" JSONB NOT NULL,
    "status" TEXT NOT NULL,
    "attempt" INTEGER NOT NULL DEFAULT 0,
    "epochs" INTEGER NOT NULL,
    "epoch" INTEGER NOT NULL DEFAULT 0,
    "batchesPerEpoch" INTEGER,
    "progress" DOUBLE PRECISION NOT NULL DEFAULT 0,
    "samplesPerSecond" DOUBLE PRECISION,
    "etaSeconds" DOUBLE PRECISION,
    "finalMetrics" JSONB,
    "errorCode" TEXT,
    "errorMessage" TEXT,
    "cancelRequested" BOOLEAN NOT NULL DEFAULT false,
    "lastSeq" INTEGER NOT NULL DEFAULT 0,
    "modelVersion" INTEGER,
    "idempotencyKey" TEXT,
    "requestHash" TEXT,
    "createdAt" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "updatedAt" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "startedAt" TIMESTAMPTZ(3),
    "finishedAt" TIMESTAMPTZ(3),

    CONSTRAINT "Job_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "JobEpoch" (
    "jobId" UUID NOT NULL,
    "epoch" INTEGER NOT NULL,
    "tenantId" UUID NOT NULL,
    "attempt" INTEGER NOT NULL,
    "logs" JSONB NOT NULL,
    "learningRate" DOUBLE PRECISION,
    "durationMs" DOUBLE PRECISION NOT NULL,
    "samplesPerSecond" DOUBLE PRECISION NOT NULL,
    "diagnostics" JSONB NOT NULL,
    "createdAt" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "JobEpoch_pkey" PRIMARY KEY ("jobId","epoch")
);

-- CreateTable
CREATE TABLE "JobBatchSample" (
    "jobId" UUID NOT NULL,
    "epoch" INTEGER NOT NULL,
    "batch" INTEGER NOT NULL,
    "tenantId" UUID NOT NULL,
    "attempt" INTEGER NOT NULL,
    "loss" DOUBLE PRECISION NOT NULL,
    "createdAt" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "JobBatchSample_pkey" PRIMARY KEY ("jobId","epoch","batch")
);

-- CreateTable
CREATE TABLE "Checkpoint" (
    "jobId" UUID NOT NULL,
    "epoch" INTEGER NOT NULL,
    "tenantId" UUID NOT NULL,
    "attempt" INTEGER NOT NULL,
    "state" BYTEA NOT NULL,
    "sizeBytes" INTEGER NOT NULL,
    "createdAt" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "Checkpoint_pkey" PRIMARY KEY ("jobId","epoch")
);

-- CreateTable
CREATE TABLE "JobEvent" (
    "jobId" UUID NOT NULL,
    "seq" INTEGER NOT NULL,
    "tenantId" UUID NOT NULL,
    "type" TEXT NOT NULL,
    "data" JSONB NOT NULL,
    "createdAt" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "JobEvent_pkey" PRIMARY KEY ("jobId","seq")
);

-- CreateIndex
CREATE INDEX "Dataset_tenantId_status_createdAt_idx" ON "Dataset"("tenantId", "status", "createdAt");

-- CreateIndex
CREATE INDEX "Model_tenantId_createdAt_idx" ON "Model"("tenantId", "createdAt");

-- CreateIndex
CREATE UNIQUE INDEX "ModelVersion_jobId_key" ON "ModelVersion"("jobId");

-- CreateIndex
CREATE UNIQUE INDEX "ModelVersion_modelId_version_key" ON "ModelVersion"("modelId", "version");

-- CreateIndex
CREATE INDEX "Job_tenantId_createdAt_idx" ON "Job"("tenantId", "createdAt");

-- CreateIndex
CREATE INDEX "Job_tenantId_status_createdAt_idx" ON "Job"("tenantId", "status", "createdAt");

-- CreateIndex
CREATE INDEX "Job_status_idx" ON "Job"("status");

-- CreateIndex
CREATE UNIQUE INDEX "Job_tenantId_idempotencyKey_key" ON "Job"("tenantId", "idempotencyKey");

-- AddForeignKey
ALTER TABLE "Dataset" ADD CONSTRAINT "Dataset_tenantId_fkey" FOREIGN KEY ("tenantId") REFERENCES "Tenant"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "DatasetChunk" ADD CONSTRAINT "DatasetChunk_datasetId_fkey" FOREIGN KEY ("datasetId") REFERENCES "Dataset"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "Model" ADD CONSTRAINT "Model_tenantId_fkey" FOREIGN KEY ("tenantId") REFERENCES "Tenant"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "ModelVersion" ADD CONSTRAINT "ModelVersion_modelId_fkey" FOREIGN KEY ("modelId") REFERENCES "Model"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "Job" ADD CONSTRAINT "Job_tenantId_fkey" FOREIGN KEY ("tenantId") REFERENCES "Tenant"("id") ON DELETE CASCADE ON UPDATE CASCADE;
