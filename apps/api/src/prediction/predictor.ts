import { availableParallelism } from 'node:os';
import { getModel, getModelVersion, getModelVersionInfo, type PrismaClient } from '@kiln/db';
import { type Model, modelFromDefinition, type WeightSpec } from '@kiln/neural-engine';
import { AppError, notFound } from '../errors.js';
import { type PredictionInputs, readPredictionInputs } from './instances.js';
import { LruCache } from './lru-cache.js';
import { formatValues, predictedClasses } from './prediction-output.js';
import { type PoolVersion, PredictionPool } from './prediction-pool.js';
import { type PredictionOutput, runModel } from './run-model.js';
import { DEFAULT_INLINE_MAX_WORK, estimateWorkPerSample } from './work-estimate.js';

/** A loaded version: an engine model for inline work, plus what a thread needs to build its own. */
interface LoadedVersion extends PoolVersion {
  model: Model;
  version: number;
  classNames: string[] | null;
  /** Estimated multiply-adds of one sample. */
  workPerSample: number;
}

export interface PredictRequest {
  tenantId: string;
  modelId: string;
  /** A version number, or the newest when undefined. */
  version?: number | undefined;
  body: { instances?: unknown[] | undefined; inputs?: unknown };
}

export interface PredictResult {
  modelId: string;
  version: number;
  form: PredictionInputs['form'];
  /** One entry per sample (row form) of the single output, or of an object by output name. */
  values: unknown;
  classNames: string[] | null;
  /** Name (or index) of the most probable class per sample, for classifiers. */
  predictedClasses: (string | number)[] | null;
}

export interface Predictor {
  predict(request: PredictRequest): Promise<PredictResult>;
  /** Stops the prediction threads (call once the server stops taking requests). Idempotent. */
  close(): Promise<void>;
}

export interface CachedPredictorOptions {
  /** Bytes of loaded versions kept on the main thread (each counts twice its weights: the model and the bytes sent to threads). */
  cacheBytes: number;
  maxRows: number;
  /** Prediction threads; 0 runs everything on the main thread. Default: min(2, available parallelism). */
  threads?: number;
  /** Bytes of versions each thread may hold. Default: cacheBytes. */
  threadCacheBytes?: number;
  /** Work (rows × estimated multiply-adds per sample) below which a request runs inline. Default: DEFAULT_INLINE_MAX_WORK. */
  inlineMaxWork?: number;
  /** Nice value of the threads on Linux (default 10): the event loop gets a core first. 0 when they must not yield to other processes. */
  threadNiceness?: number;
}

/**
 * Serves predictions from model versions kept loaded in an LRU cache bounded by weight bytes. Versions are immutable,
 * so a cached one never goes stale; asking for the newest costs one indexed metadata query. Tiny batches run inline;
 * the rest run in a pool of threads, so a large batch never blocks the event loop.
 */
export class CachedPredictor implements Predictor {
  private readonly cache: LruCache<LoadedVersion>;
  private readonly loading = new Map<string, Promise<LoadedVersion>>();
  private readonly maxRows: number;
  private readonly inlineMaxWork: number;
  /** Null when configured with 0 threads. Exposed for diagnostics and tests. */
  readonly pool: PredictionPool | null;

  constructor(private readonly db: PrismaClient, options: CachedPredictorOptions) {
    this.cache = new LruCache(options.cacheBytes);
    this.maxRows = options.maxRows;
    this.inlineMaxWork = options.inlineMaxWork ?? DEFAULT_INLINE_MAX_WORK;
    const threads = options.threads ?? Math.min(2, availableParallelism());
    this.pool =
      threads > 0
        ? new PredictionPool({ threads, threadCacheBytes: options.threadCacheBytes ?? options.cacheBytes, ...(options.threadNiceness === undefined ? {} : { niceness: options.threadNiceness }) })
        : null;
  }

  async predict(request: PredictRequest): Promise<PredictResult> {
    const loaded = await this.load(request.tenantId, request.modelId, request.version);
    const { model } = loaded;
    const input = await readPredictionInputs(request.body, model, this.maxRows);
    const outputs = await this.run(loaded, input);
    const single = model.outputNames.length === 1;
    return {
      modelId: request.modelId,
      version: loaded.version,
      form: input.form,
      values: await formatValues(outputs, model.outputNames, input.rows, input.form),
      classNames: loaded.classNames,
      predictedClasses: single ? predictedClasses(outputs[0]!.data, input.rows, outputs[0]!.shape.slice(1), loaded.classNames) : null,
    };
  }

  /** Ids of the versions loaded on the main thread, least recently used first. */
  cachedVersionIds(): string[] {
    return this.cache.keys();
  }

  close(): Promise<void> {
    return this.pool?.close() ?? Promise.resolve();
  }

  private run(loaded: LoadedVersion, input: PredictionInputs): Promise<PredictionOutput[]> | PredictionOutput[] {
    const work = input.rows * loaded.workPerSample;
    if (!this.pool || work < this.inlineMaxWork) return runModel(loaded.model, input.inputs, input.rows);
    return this.pool.run({ version: loaded, rows: input.rows, inputs: input.inputs, work });
  }

  private async load(tenantId: string, modelId: string, version: number | undefined): Promise<LoadedVersion> {
    const info = await getModelVersionInfo(this.db, tenantId, modelId, version);
    if (!info) {
      if (!(await getModel(this.db, tenantId, modelId))) throw notFound('model', modelId);
      throw version === undefined
        ? new AppError(409, 'MODEL_NOT_TRAINED', `model ${modelId} has no trained version yet; train it with POST /v1/jobs or import weights`)
        : notFound(`version ${version} of model`, modelId);
    }
    const cached = this.cache.get(info.id);
    if (cached) return cached;
    let pending = this.loading.get(info.id);
    if (!pending) {
      pending = this.loadVersion(tenantId, modelId, info.id, info.version).finally(() => this.loading.delete(info.id));
      this.loading.set(info.id, pending);
    }
    const loaded = await pending;
    // Twice the weights: the engine model's arrays, and the bytes kept for threads that do not hold the version yet.
    this.cache.set(info.id, loaded, 2 * loaded.sizeBytes);
    return loaded;
  }

  private async loadVersion(tenantId: string, modelId: string, versionId: string, version: number): Promise<LoadedVersion> {
    const [model, row] = await Promise.all([getModel(this.db, tenantId, modelId), getModelVersion(this.db, tenantId, modelId, version)]);
    if (!model || !row) throw notFound('model', modelId);
    // On shared memory, the weights reach any number of threads without a copy.
    const weights = new Uint8Array(new SharedArrayBuffer(row.weights.byteLength));
    weights.set(row.weights);
    const manifest = row.manifest as unknown as WeightSpec[];
    const engineModel = modelFromDefinition(model.definition);
    engineModel.loadWeights({ manifest, data: weights });
    const workPerSample = estimateWorkPerSample(engineModel);
    return {
      id: versionId,
      sizeBytes: weights.byteLength,
      definition: model.definition,
      manifest,
      weights,
      // Loading unpacks every weight, about as costly as two samples through a dense network.
      loadWork: 2 * engineModel.countParams(),
      model: engineModel,
      version: row.version,
      classNames: (row.classNames as string[] | null) ?? null,
      workPerSample,
    };
  }
}
