import type { Backend } from '../backend/backend.js';
import { type Callback, type CallbackModel, type Logs, History, createCallback } from '../callbacks/index.js';
import type { CallbackConfig } from '../callbacks/callback.js';
import type { Rng } from '../rng.js';
import { type ArrayData, gatherSamples, gatherWeights, sampleCount } from '../model/data.js';
import type { Compiled } from './compiled.js';
import { GradientNormTracker, type LayerDiagnostics } from './diagnostics.js';
import type { Network } from './network.js';
import { MeanTracker, testStep, trainStep } from './train-step.js';

/** Progress reported while training: after every batch and every epoch. */
export type ProgressEvent =
  | {
      type: 'batch';
      epoch: number;
      batch: number;
      /** Batches per epoch. */
      batches: number;
      /** Loss of this batch alone. */
      batchLoss: number;
      /** Running epoch averages so far (Keras batch logs). */
      logs: Logs;
      /** Present every `diagnosticsEveryBatches` batches. */
      diagnostics?: LayerDiagnostics[];
    }
  | {
      type: 'epoch';
      epoch: number;
      epochs: number;
      logs: Logs;
      learningRate: number;
      diagnostics: LayerDiagnostics[];
      durationMs: number;
      samplesPerSecond: number;
    };

/** Everything runFit needs, already validated and converted. */
export interface FitPlan {
  network: Network;
  compiled: Compiled;
  backend: Backend;
  rng: Rng;
  model: CallbackModel;
  x: ArrayData;
  y: ArrayData;
  sampleWeight: Float64Array | null;
  validation: { x: ArrayData; y: ArrayData; sampleWeight: Float64Array | null } | null;
  epochs: number;
  initialEpoch: number;
  batchSize: number;
  shuffle: boolean;
  callbacks: (Callback | CallbackConfig)[];
  diagnosticsEveryBatches?: number | undefined;
  signal?: AbortSignal | undefined;
  onProgress?: ((event: ProgressEvent) => void) | undefined;
  /** Runs before onTrainEnd (EMA finalization). */
  finalize: () => void;
}

/** The Keras fit loop: epochs of shuffled batches, metrics, validation, callbacks, cancellation, divergence. */
export async function runFit(plan: FitPlan): Promise<History> {
  const { network, compiled, backend, model } = plan;
  const history = new History();
  const callbacks: Callback[] = plan.callbacks.map((c, i) => (isCallback(c) ? c : createCallback(c, ['callbacks', i])));
  callbacks.push(history);
  for (const c of callbacks) c.model = model;

  const n = sampleCount(plan.x);
  const batches = Math.ceil(n / plan.batchSize);
  const order = new Uint32Array(n);
  const lossTracker = new MeanTracker();
  const norms = new GradientNormTracker(network, backend);

  model.stopTraining = false;
  for (const c of callbacks) await c.onTrainBegin?.({});
  let lastLogs: Logs = {};

  epochs: for (let epoch = plan.initialEpoch; epoch < plan.epochs; epoch++) {
    if (model.stopTraining) break;
    const started = performance.now();
    for (const c of callbacks) await c.onEpochBegin?.(epoch);
    for (let i = 0; i < n; i++) order[i] = i;
    if (plan.shuffle) plan.rng.shuffle(order);
    lossTracker.reset();
    norms.reset();
    for (const { metric } of compiled.metrics(plan.y.shape, [0, ...network.outputShape])) metric.reset();

    for (let batch = 0; batch < batches; batch++) {
      if (plan.signal?.aborted) {
        history.stopped = { reason: 'cancelled', epoch, batch, message: `cancelled at epoch ${epoch + 1}, batch ${batch + 1}` };
        break epochs;
      }
      for (const c of callbacks) await c.onBatchBegin?.(batch);
      const start = batch * plan.batchSize;
      const end = Math.min(start + plan.batchSize, n);
      const xb = gatherSamples(backend, plan.x, order, start, end);
      const yb = gatherSamples(backend, plan.y, order, start, end);
      const wb = gatherWeights(plan.sampleWeight, order, start, end);
      const step = trainStep(network, compiled, backend, xb, yb, wb, () => norms.record());
      for (const t of [xb, yb]) backend.release(t);
      if (!step.finite) {
        history.stopped = {
          reason: 'diverged',
          epoch,
          batch,
          message: `loss became ${step.loss} at epoch ${epoch + 1}, batch ${batch + 1}; lower the learning rate, normalize the inputs or clip gradients`,
        };
        for (const c of callbacks) await c.onBatchEnd?.(batch, { loss: step.loss });
        break epochs;
      }
      lossTracker.add(step.loss, end - start);
      const logs = currentLogs(plan, lossTracker);
      for (const c of callbacks) await c.onBatchEnd?.(batch, logs);
      if (plan.onProgress) {
        const every = plan.diagnosticsEveryBatches;
        const diagnostics = every && (batch + 1) % every === 0 ? norms.lastBatch() : undefined;
        plan.onProgress({ type: 'batch', epoch, batch, batches, batchLoss: step.loss, logs, ...(diagnostics ? { diagnostics } : {}) });
      }
      // Keras checks stop_training after every batch; the epoch still ends normally (validation, callbacks).
      if (model.stopTraining) break;
    }

    const logs = currentLogs(plan, lossTracker);
    if (plan.validation) {
      const val = evaluateData(network, compiled, backend, plan.validation.x, plan.validation.y, plan.validation.sampleWeight, plan.batchSize);
      for (const [key, value] of Object.entries(val)) logs[`val_${key}`] = value;
    }
    const diagnostics = norms.epochSummary();
    for (const c of callbacks) await c.onEpochEnd?.(epoch, logs);
    lastLogs = logs;
    const durationMs = performance.now() - started;
    plan.onProgress?.({
      type: 'epoch',
      epoch,
      epochs: plan.epochs,
      logs,
      learningRate: model.learningRate,
      diagnostics,
      durationMs,
      samplesPerSecond: durationMs > 0 ? (n * 1000) / durationMs : 0,
    });
  }

  if (model.stopTraining && !history.stopped) {
    const epoch = history.epoch[history.epoch.length - 1] ?? plan.initialEpoch;
    history.stopped = { reason: 'callback', epoch, batch: batches - 1, message: `stopped by a callback after epoch ${epoch + 1}` };
  }
  plan.finalize();
  for (const c of callbacks) await c.onTrainEnd?.(lastLogs);
  return history;
}

/** Keras evaluate over arrays: batch-size-weighted mean loss and metric results, in inference mode. */
export function evaluateData(
  network: Network,
  compiled: Compiled,
  backend: Backend,
  x: ArrayData,
  y: ArrayData,
  sampleWeight: Float64Array | null,
  batchSize: number,
): Logs {
  const n = sampleCount(x);
  const order = Uint32Array.from({ length: n }, (_, i) => i);
  const tracker = new MeanTracker();
  const metrics = compiled.metrics(y.shape, [0, ...network.outputShape]);
  for (const { metric } of metrics) metric.reset();
  for (let start = 0; start < n; start += batchSize) {
    const end = Math.min(start + batchSize, n);
    const xb = gatherSamples(backend, x, order, start, end);
    const yb = gatherSamples(backend, y, order, start, end);
    tracker.add(testStep(network, compiled, backend, xb, yb, gatherWeights(sampleWeight, order, start, end)), end - start);
    backend.release(xb);
    backend.release(yb);
  }
  const logs: Logs = { loss: tracker.result() };
  for (const { name, metric } of metrics) logs[name] = metric.result();
  return logs;
}

function currentLogs(plan: FitPlan, lossTracker: MeanTracker): Logs {
  const logs: Logs = { loss: lossTracker.result() };
  for (const { name, metric } of plan.compiled.metrics(plan.y.shape, [0, ...plan.network.outputShape])) logs[name] = metric.result();
  return logs;
}

function isCallback(c: Callback | CallbackConfig): c is Callback {
  return !('type' in c && typeof (c as CallbackConfig).type === 'string');
}
