import type { Backend } from '../backend/backend.js';
import { type Callback, type CallbackModel, type Logs, History, createCallback } from '../callbacks/index.js';
import type { CallbackConfig } from '../callbacks/callback.js';
import type { Rng } from '../rng.js';
import { type ArrayData, gatherSamples, gatherWeights, sampleCount } from '../model/data.js';
import type { Compiled, NamedMetric } from './compiled.js';
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
  /** One array per model input and per model output. */
  x: ArrayData[];
  y: ArrayData[];
  sampleWeight: Float64Array | null;
  validation: { x: ArrayData[]; y: ArrayData[]; sampleWeight: Float64Array | null } | null;
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

  const n = sampleCount(plan.x[0]!);
  const batches = Math.ceil(n / plan.batchSize);
  const order = new Uint32Array(n);
  const tracker = new LossTrackers(compiled, network, plan.y);
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
    tracker.reset();
    norms.reset();

    for (let batch = 0; batch < batches; batch++) {
      if (plan.signal?.aborted) {
        history.stopped = { reason: 'cancelled', epoch, batch, message: `cancelled at epoch ${epoch + 1}, batch ${batch + 1}` };
        break epochs;
      }
      for (const c of callbacks) await c.onBatchBegin?.(batch);
      const start = batch * plan.batchSize;
      const end = Math.min(start + plan.batchSize, n);
      const wb = gatherWeights(plan.sampleWeight, order, start, end);
      // The batch is gathered inside the step, into the step's planned memory.
      const step = backend.step('train', end - start, () => {
        const xb = plan.x.map((x) => gatherSamples(backend, x, order, start, end));
        const yb = plan.y.map((y) => gatherSamples(backend, y, order, start, end));
        return trainStep(network, compiled, backend, xb, yb, wb, () => norms.record());
      });
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
      tracker.add(step.loss, step.outputLosses, end - start);
      const logs = tracker.logs();
      for (const c of callbacks) await c.onBatchEnd?.(batch, logs);
      if (plan.onProgress) {
        const every = plan.diagnosticsEveryBatches;
        const diagnostics = every && (batch + 1) % every === 0 ? norms.lastBatch() : undefined;
        plan.onProgress({ type: 'batch', epoch, batch, batches, batchLoss: step.loss, logs, ...(diagnostics ? { diagnostics } : {}) });
      }
      // Keras checks stop_training after every batch; the epoch still ends normally (validation, callbacks).
      if (model.stopTraining) break;
    }

    const logs = tracker.logs();
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

/** Keras evaluate over arrays: batch-size-weighted mean losses and metric results, in inference mode. */
export function evaluateData(
  network: Network,
  compiled: Compiled,
  backend: Backend,
  x: readonly ArrayData[],
  y: readonly ArrayData[],
  sampleWeight: Float64Array | null,
  batchSize: number,
): Logs {
  const n = sampleCount(x[0]!);
  const order = Uint32Array.from({ length: n }, (_, i) => i);
  const tracker = new LossTrackers(compiled, network, y);
  tracker.reset();
  for (let start = 0; start < n; start += batchSize) {
    const end = Math.min(start + batchSize, n);
    const step = backend.step('test', end - start, () => {
      const xb = x.map((a) => gatherSamples(backend, a, order, start, end));
      const yb = y.map((a) => gatherSamples(backend, a, order, start, end));
      return testStep(network, compiled, backend, xb, yb, gatherWeights(sampleWeight, order, start, end));
    });
    tracker.add(step.loss, step.outputLosses, end - start);
  }
  return tracker.logs();
}

/**
 * The epoch's running logs, as Keras names them: `loss` (the total), `<output>_loss` per output when there are
 * several, and every metric.
 */
class LossTrackers {
  private readonly total = new MeanTracker();
  private readonly perOutput: MeanTracker[];
  private readonly metrics: NamedMetric[];

  constructor(private readonly compiled: Compiled, network: Network, y: readonly ArrayData[]) {
    this.perOutput = network.outputNames.map(() => new MeanTracker());
    this.metrics = compiled.metrics(y.map((a) => a.shape), network.outputShapes.map((s) => [0, ...s]));
  }

  reset(): void {
    this.total.reset();
    for (const t of this.perOutput) t.reset();
    for (const { metric } of this.metrics) metric.reset();
  }

  add(loss: number, outputLosses: readonly number[], samples: number): void {
    this.total.add(loss, samples);
    outputLosses.forEach((l, k) => this.perOutput[k]!.add(l, samples));
  }

  logs(): Logs {
    const logs: Logs = { loss: this.total.result() };
    if (this.compiled.multiOutput) this.perOutput.forEach((t, k) => (logs[this.compiled.lossName(k)] = t.result()));
    for (const { name, metric } of this.metrics) logs[name] = metric.result();
    return logs;
  }
}

function isCallback(c: Callback | CallbackConfig): c is Callback {
  return !('type' in c && typeof (c as CallbackConfig).type === 'string');
}
