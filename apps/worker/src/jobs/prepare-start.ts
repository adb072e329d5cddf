import type { StoredJobConfig } from '@kiln/contracts';
import { storedJobConfigSchema } from '@kiln/contracts';
import type { TrainingDataPlan } from '@kiln/datasets';
import { DatasetDataError, readDatasetArrays, type StartedAttempt } from '@kiln/db';
import type { ModelDefinition, WeightSpec } from '@kiln/neural-engine';
import { withDbRetry } from '../db-retry.js';
import type { Logger } from '../logger.js';
import type { StartMessage, TrainerArrays, TrainerResume } from '../trainer-protocol.js';
import type { TrainDeps } from './train.js';

/** A job that cannot run as stored (retrying cannot help): it fails for good with this code. */
export class InvalidJobError extends Error {
  constructor(readonly code: string, message: string) {
    super(message);
    this.name = 'InvalidJobError';
  }
}

/** What the trainer thread starts with, the buffers to transfer to it, and the parsed config and plan. */
export interface PreparedStart {
  config: StoredJobConfig;
  plan: TrainingDataPlan;
  start: Pick<StartMessage, 'definition' | 'compile' | 'fit' | 'plan' | 'train' | 'validation' | 'resume'>;
  transfer: ArrayBuffer[];
}

/** Reads and checks everything the trainer needs; InvalidJobError when the job cannot run as stored. */
export async function prepareStart(deps: Pick<TrainDeps, 'db'>, started: Extract<StartedAttempt, { kind: 'run' }>, log: Logger): Promise<PreparedStart> {
  const parsed = storedJobConfigSchema.safeParse(started.job.config);
  if (!parsed.success) throw new InvalidJobError('INVALID_JOB', `the stored job config is invalid: ${parsed.error.issues.map((i) => `${i.path.join('.') || '(root)'}: ${i.message}`).join('; ')}`);
  const config = parsed.data;
  const plan = started.job.plan as TrainingDataPlan | null;
  if (!plan || typeof plan !== 'object' || !Array.isArray((plan as { targetShape?: unknown }).targetShape)) {
    throw new InvalidJobError('INVALID_JOB', `the stored training plan is invalid: expected {inputShape, targetEncoding, numClasses, targetShape}, found ${JSON.stringify(plan)}`);
  }
  if (!started.model) throw new InvalidJobError('MODEL_MISSING', `model ${started.job.modelId} of the job no longer exists`);
  if (!started.dataset) throw new InvalidJobError('DATASET_MISSING', `dataset ${started.job.datasetId} of the job no longer exists`);
  if (config.validationDatasetId && !started.validationDataset) throw new InvalidJobError('DATASET_MISSING', `validation dataset ${config.validationDatasetId} of the job no longer exists`);
  if (config.initialWeights && !started.initialWeights && !started.checkpoint) {
    throw new InvalidJobError('MODEL_VERSION_MISSING', `version ${config.initialWeights.modelVersion} of model ${started.job.modelId} (initialWeights) no longer exists`);
  }

  const read = async (id: string): Promise<TrainerArrays> => {
    try {
      const arrays = await withDbRetry('readDatasetArrays', () => readDatasetArrays(deps.db, started.run.tenantId, id), log);
      if (!arrays) throw new InvalidJobError('DATASET_MISSING', `dataset ${id} of the job no longer exists`);
      return { x: arrays.x, y: arrays.y, rows: arrays.rows };
    } catch (error) {
      if (error instanceof DatasetDataError) throw new InvalidJobError('INVALID_DATASET', error.message);
      throw error;
    }
  };
  const train = await read(started.dataset.id);
  const validation = started.validationDataset ? await read(started.validationDataset.id) : null;

  // Bytes from Postgres may be views of Node's shared Buffer pool: copy them before transferring their buffers away.
  let resume: TrainerResume = { kind: 'fresh' };
  if (started.checkpoint) resume = { kind: 'checkpoint', epoch: started.checkpoint.epoch, state: new Uint8Array(started.checkpoint.state) };
  else if (started.initialWeights) resume = { kind: 'weights', manifest: started.initialWeights.manifest as WeightSpec[], data: new Uint8Array(started.initialWeights.weights) };
  const transfer: ArrayBuffer[] = [train.x.buffer, train.y.buffer, ...(validation ? [validation.x.buffer, validation.y.buffer] : [])] as ArrayBuffer[];
  if (resume.kind === 'checkpoint') transfer.push(resume.state.buffer as ArrayBuffer);
  if (resume.kind === 'weights') transfer.push(resume.data.buffer as ArrayBuffer);

  const start: PreparedStart['start'] = {
    definition: started.model.definition as ModelDefinition,
    compile: config.compile as StartMessage['compile'],
    fit: config.fit,
    plan,
    train,
    validation,
    resume,
  };
  return { config, plan, start, transfer };
}
