import type { Backend } from '../backend/backend.js';
import type { Tensor } from '../tensor.js';
import type { Compiled, NamedMetric } from './compiled.js';
import { type Network, regularizationLoss, trainableVariables } from './network.js';

/** Result of one optimization step. */
export interface StepResult {
  /** Total loss of the batch: the weighted output losses plus regularization terms (what Keras reports). */
  loss: number;
  /** Each output's own loss (unweighted). */
  outputLosses: number[];
  /** False when the loss was NaN or infinite; the weights were then left untouched. */
  finite: boolean;
}

/**
 * One training step on a batch: forward, each output's loss and gradient (scaled by its loss weight), backward,
 * regularizer gradients, optimizer update (which applies constraints), metric updates. `beforeUpdate` sees the raw
 * gradients (diagnostics). Callers run it inside `backend.step('train', …)`, with the batch gathered there too, so
 * its tensors live in the step's planned memory.
 */
export function trainStep(
  network: Network,
  compiled: Compiled,
  backend: Backend,
  xs: readonly Tensor[],
  ys: readonly Tensor[],
  sampleWeight: Float64Array | null,
  beforeUpdate?: () => void,
): StepResult {
  const variables = trainableVariables(network);
  for (const v of variables) backend.fill(v.grad, 0);
  const yPreds = network.forward(xs, true);
  const outputLosses: number[] = [];
  const grads: Tensor[] = [];
  // Per output: whether its gradient is dL/d(logits), the loss having taken over its softmax's backward pass.
  const logits: boolean[] = [];
  let total = 0;
  yPreds.forEach((yPred, k) => {
    const outputLoss = compiled.losses[k]!;
    const fused = network.takesLogitsGradient(k) ? (outputLoss.callWithLogitsGradient?.(ys[k]!, yPred, sampleWeight) ?? null) : null;
    const { loss, grad } = fused ?? outputLoss.callWithGradient(ys[k]!, yPred, sampleWeight);
    const weight = compiled.lossWeights[k]!;
    if (weight !== 1) backend.scale(grad, weight, grad);
    outputLosses.push(loss);
    grads.push(grad);
    logits.push(fused !== null);
    total += weight * loss;
  });
  total += regularizationLoss(network, backend);
  if (!Number.isFinite(total)) return { loss: total, outputLosses, finite: false };
  network.backward(grads, logits);
  for (const v of variables) if (v.regularizer) v.regularizer.accumulateGradient(v.value, v.grad, backend);
  beforeUpdate?.();
  // The optimizer applies the variables' constraints after its update, as Keras optimizers do.
  compiled.optimizer.applyGradients(variables, backend);
  updateMetrics(compiled.metrics(ys.map((y) => y.shape), yPreds.map((y) => y.shape)), ys, yPreds, sampleWeight);
  return { loss: total, outputLosses, finite: true };
}

/**
 * Forward in inference mode; returns the batch's total and per-output losses and updates the metrics. Callers run it
 * inside `backend.step('test', …)`.
 */
export function testStep(
  network: Network,
  compiled: Compiled,
  backend: Backend,
  xs: readonly Tensor[],
  ys: readonly Tensor[],
  sampleWeight: Float64Array | null,
): { loss: number; outputLosses: number[] } {
  const yPreds = network.forward(xs, false);
  const outputLosses = yPreds.map((yPred, k) => compiled.losses[k]!.call(ys[k]!, yPred, sampleWeight));
  const loss = outputLosses.reduce((sum, l, k) => sum + compiled.lossWeights[k]! * l, 0) + regularizationLoss(network, backend);
  updateMetrics(compiled.metrics(ys.map((y) => y.shape), yPreds.map((y) => y.shape)), ys, yPreds, sampleWeight);
  return { loss, outputLosses };
}

function updateMetrics(metrics: NamedMetric[], ys: readonly Tensor[], yPreds: readonly Tensor[], sampleWeight: Float64Array | null): void {
  for (const { metric, output } of metrics) metric.update(ys[output]!, yPreds[output]!, sampleWeight);
}

/** Batch-size-weighted mean of batch losses over an epoch (Keras' loss tracker). */
export class MeanTracker {
  private sum = 0;
  private count = 0;
  add(value: number, weight: number): void {
    this.sum += value * weight;
    this.count += weight;
  }
  result(): number {
    return this.count === 0 ? 0 : this.sum / this.count;
  }
  reset(): void {
    this.sum = 0;
    this.count = 0;
  }
}
