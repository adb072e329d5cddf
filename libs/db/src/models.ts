import { toBytes } from './bytes.js';
import type { Db } from './job-events.js';
import type { Model, ModelVersion, Prisma } from './generated/client.js';
import { afterCursor, decodeCursor, type Page, type PageRequest, toPage } from './pagination.js';

export type ModelRow = Model;
export type ModelVersionRow = ModelVersion;
/** A version without its weight bytes (listings). */
export type ModelVersionInfo = Omit<ModelVersion, 'weights'>;

const versionInfo = {
  id: true, tenantId: true, modelId: true, version: true, jobId: true, manifest: true, sizeBytes: true,
  metrics: true, classNames: true, featureStats: true, compile: true, createdAt: true,
} as const;

export interface NewModel {
  name: string;
  /** `definition` (POST /v1/models), `tfjs` or `keras` (imports), `inline` (defined in a job request). */
  source: string;
  definition: unknown;
  summary: unknown;
}

export interface NewVersion {
  manifest: unknown;
  weights: Uint8Array;
  metrics?: unknown;
  classNames?: string[] | null;
  featureStats?: unknown;
  compile?: unknown;
  jobId?: string | null;
}

export async function createModel(db: Db, tenantId: string, model: NewModel): Promise<ModelRow> {
  return db.model.create({
    data: { tenantId, name: model.name, source: model.source, definition: model.definition as Prisma.InputJsonValue, summary: model.summary as Prisma.InputJsonValue },
  });
}

/** Adds the next version of a model (numbers allocated by incrementing Model.latestVersion, so they never collide). */
export async function addModelVersion(tx: Prisma.TransactionClient, tenantId: string, modelId: string, version: NewVersion): Promise<ModelVersionInfo> {
  const { latestVersion } = await tx.model.update({ where: { id: modelId, tenantId }, data: { latestVersion: { increment: 1 } }, select: { latestVersion: true } });
  const json = (v: unknown) => (v === undefined || v === null ? undefined : (v as Prisma.InputJsonValue));
  return tx.modelVersion.create({
    data: {
      tenantId,
      modelId,
      version: latestVersion,
      jobId: version.jobId ?? null,
      manifest: version.manifest as Prisma.InputJsonValue,
      weights: toBytes(version.weights),
      sizeBytes: version.weights.byteLength,
      metrics: json(version.metrics),
      classNames: json(version.classNames),
      featureStats: json(version.featureStats),
      compile: json(version.compile),
    },
    select: versionInfo,
  });
}

export async function getModel(db: Db, tenantId: string, id: string): Promise<ModelRow | null> {
  return db.model.findFirst({ where: { id, tenantId } });
}

export async function listModels(db: Db, tenantId: string, page: PageRequest): Promise<Page<ModelRow> | null> {
  const cursor = page.cursor === undefined ? null : decodeCursor(page.cursor);
  if (page.cursor !== undefined && !cursor) return null;
  const rows = await db.model.findMany({ where: { tenantId, ...afterCursor(cursor) }, orderBy: [{ createdAt: 'desc' }, { id: 'desc' }], take: page.limit + 1 });
  return toPage(rows, page.limit);
}

export async function listModelVersions(db: Db, tenantId: string, modelId: string): Promise<ModelVersionInfo[]> {
  return db.modelVersion.findMany({ where: { tenantId, modelId }, orderBy: { version: 'desc' }, select: versionInfo });
}

/** A version with its weights: a given number, or the newest when `version` is undefined. */
export async function getModelVersion(db: Db, tenantId: string, modelId: string, version?: number): Promise<ModelVersionRow | null> {
  return db.modelVersion.findFirst({
    where: { tenantId, modelId, ...(version === undefined ? {} : { version }) },
    orderBy: { version: 'desc' },
  });
}

/** Version metadata without weights (cheap: used to check cache freshness). */
export async function getModelVersionInfo(db: Db, tenantId: string, modelId: string, version?: number): Promise<ModelVersionInfo | null> {
  return db.modelVersion.findFirst({ where: { tenantId, modelId, ...(version === undefined ? {} : { version }) }, orderBy: { version: 'desc' }, select: versionInfo });
}
