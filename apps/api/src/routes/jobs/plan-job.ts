import type { ParsedTrainingJobRequest, StoredJobConfig } from '@kiln/contracts';
import { planTrainingData, type TrainingDataPlan } from '@kiln/datasets';
import { type DatasetRow, getDataset, getModel, getModelVersionInfo, type ModelRow } from '@kiln/db';
import type { AppDeps } from '../../deps.js';
import { AppError, notFound } from '../../errors.js';
import { buildModel, storedDefinition } from '../models/build-model.js';

/** Everything a job needs, checked before anything is written or enqueued. */
export interface JobPlan {
  /** The registered model, or null for an inline definition (created with the job). */
  model: ModelRow | null;
  definition: unknown;
  summary: unknown;
  config: StoredJobConfig;
  plan: TrainingDataPlan;
}

/**
 * Resolves and cross-checks a job request: the model and datasets exist for the tenant (404 otherwise), the compile
 * config suits the model, and the dataset's features and labels fit the model's input and output under the loss
 * (422 naming both shapes otherwise).
 */
export async function planJob(deps: AppDeps, tenantId: string, body: ParsedTrainingJobRequest): Promise<JobPlan> {
  const registered = body.modelId === undefined ? null : await getModel(deps.db, tenantId, body.modelId);
  if (body.modelId !== undefined && !registered) throw notFound('model', body.modelId);
  const dataset = await requireDataset(deps, tenantId, body.datasetId);
  const validation = body.validationDatasetId === undefined ? null : await requireDataset(deps, tenantId, body.validationDatasetId);
  if (body.initialWeights && registered && !(await getModelVersionInfo(deps.db, tenantId, registered.id, body.initialWeights.modelVersion))) {
    throw notFound(`version ${body.initialWeights.modelVersion} of model`, registered.id);
  }

  const model = buildModel(registered ? registered.definition : body.model, deps.env.MAX_MODEL_PARAMS);
  // Compiling checks what the schema cannot: per-output losses and metrics against this model's outputs.
  model.compile(body.compile);
  const shapes = { inputShapes: model.inputShapes.map((s) => [...s]), outputShapes: model.outputShapes.map((s) => [...s]) };
  const plan = planTrainingData(dataset, shapes, body.compile.loss);
  if (validation) {
    const same = (a: number[], b: number[]) => a.length === b.length && a.every((v, i) => v === b[i]);
    if (!same(validation.featureShape, dataset.featureShape) || !same(validation.labelShape, dataset.labelShape)) {
      throw new AppError(
        422,
        'SHAPE_MISMATCH',
        `the validation dataset has features [${validation.featureShape}] and labels [${validation.labelShape}]; the training dataset has [${dataset.featureShape}] and [${dataset.labelShape}]`,
      );
    }
    planTrainingData(validation, shapes, body.compile.loss);
  }
  return {
    model: registered,
    definition: storedDefinition(model, registered ? registered.definition : body.model),
    summary: model.summaryData(),
    config: {
      compile: body.compile,
      fit: body.fit,
      validationDatasetId: body.validationDatasetId ?? null,
      initialWeights: body.initialWeights ?? null,
    },
    plan,
  };
}

async function requireDataset(deps: AppDeps, tenantId: string, id: string): Promise<DatasetRow & { classNames: string[] | null; classCounts: Record<string, number> | null }> {
  const row = await getDataset(deps.db, tenantId, id);
  if (!row) throw notFound('dataset', id);
  return row as DatasetRow & { classNames: string[] | null; classCounts: Record<string, number> | null };
}
