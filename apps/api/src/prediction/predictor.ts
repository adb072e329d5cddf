import { getModel, getModelVersion, getModelVersionInfo, type PrismaClient } from '@kiln/db';
import { type Model, modelFromDefinition, type WeightSpec } from '@kiln/neural-engine';
import { AppError, notFound } from '../errors.js';
import { type PredictionInputs, readPredictionInputs } from './instances.js';
import { LruCache } from './lru-cache.js';

/** A loaded version, ready to predict. */
interface LoadedVersion {
  model: Model;
  version: number;
  classNames: string[] | null;
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
}

/**
 * Serves predictions from model versions kept loaded in an LRU cache bounded by weight bytes. Versions are immutable,
 * so a cached one never goes stale; asking for the newest costs one indexed metadata query.
 */
export class CachedPredictor implements Predictor {
  private readonly cache: LruCache<LoadedVersion>;
  private readonly loading = new Map<string, Promise<LoadedVersion>>();

  constructor(private readonly db: PrismaClient, options: { cacheBytes: number; maxRows: number }) {
    this.cache = new LruCache(options.cacheBytes);
    this.maxRows = options.maxRows;
  }

  private readonly maxRows: number;

  async predict(request: PredictRequest): Promise<PredictResult> {
    const loaded = await this.load(request.tenantId, request.modelId, request.version);
    const { model } = loaded;
    const input = readPredictionInputs(request.body, model, this.maxRows);
    const feed = Object.fromEntries(model.inputNames.map((name, k) => [name, { shape: [input.rows, ...model.inputShapes[k]!], data: input.inputs[k]! }]));
    const outputs = model.predictOutputs(feed, { batchSize: 256 });
    const perSample = outputs.map((tensor) => unflatten(tensor.data, input.rows, tensor.shape.slice(1)));
    const single = model.outputNames.length === 1;
    const byOutput = () => Object.fromEntries(model.outputNames.map((name, k) => [name, perSample[k]]));
    const values =
      input.form === 'row'
        ? single
          ? perSample[0]
          : Array.from({ length: input.rows }, (_, r) => Object.fromEntries(model.outputNames.map((name, k) => [name, perSample[k]![r]])))
        : single
          ? perSample[0]
          : byOutput();
    return {
      modelId: request.modelId,
      version: loaded.version,
      form: input.form,
      values,
      classNames: loaded.classNames,
      predictedClasses: single ? predictedClasses(outputs[0]!.data, input.rows, outputs[0]!.shape.slice(1), loaded.classNames) : null,
    };
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
      pending = this.loadVersion(tenantId, modelId, info.version).finally(() => this.loading.delete(info.id));
      this.loading.set(info.id, pending);
    }
    const loaded = await pending;
    this.cache.set(info.id, loaded, info.sizeBytes);
    return loaded;
  }

  private async loadVersion(tenantId: string, modelId: string, version: number): Promise<LoadedVersion> {
    const [model, row] = await Promise.all([getModel(this.db, tenantId, modelId), getModelVersion(this.db, tenantId, modelId, version)]);
    if (!model || !row) throw notFound('model', modelId);
    const engineModel = modelFromDefinition(model.definition);
    engineModel.loadWeights({ manifest: row.manifest as unknown as WeightSpec[], data: row.weights });
    return { model: engineModel, version: row.version, classNames: (row.classNames as string[] | null) ?? null };
  }
}

/** Flat values of `rows` samples back into nested arrays of `shape` each. */
function unflatten(data: ArrayLike<number>, rows: number, shape: readonly number[]): unknown[] {
  const size = shape.reduce((a, b) => a * b, 1);
  const build = (offset: number, depth: number): unknown => {
    if (depth === shape.length) return data[offset];
    const stride = shape.slice(depth + 1).reduce((a, b) => a * b, 1);
    return Array.from({ length: shape[depth]! }, (_, i) => build(offset + i * stride, depth + 1));
  };
  return Array.from({ length: rows }, (_, r) => build(r * size, 0));
}

/** For a vector output with more than one unit (a classifier), the arg-max per sample, as a class name when known. */
function predictedClasses(data: ArrayLike<number>, rows: number, shape: readonly number[], classNames: string[] | null): (string | number)[] | null {
  if (shape.length !== 1 || shape[0]! < 2) return null;
  const units = shape[0]!;
  return Array.from({ length: rows }, (_, r) => {
    let best = 0;
    for (let j = 1; j < units; j++) if (data[r * units + j]! > data[r * units + best]!) best = j;
    return classNames?.[best] ?? best;
  });
}
