import type { Backend } from '../backend/backend.js';
import type { Tensor } from '../tensor.js';
import type { Compiled, NamedMetric } from './compiled.js';
import { type Network, regularizationLoss, trainableVariables } from './network.js';

/** Result of one optimization step. */
export interface StepResult {
  /** Total loss of the batch: the compiled loss plus regularization terms (what Keras reports). */
  loss: number;
  /** False when the loss was NaN or infinite; the weights were then left untouched. */
  finite: boolean;
}

/**
 * One training step on a batch: forward, loss and its gradient, backward, regularizer gradients, optimizer update
 * (which applies constraints), metric updates. `beforeUpdate` sees the raw gradients (diagnostics).
 */
export function trainStep(
  network: Network,
  compiled: Compiled,
  backend: Backend,
  x: Tensor,
  y: Tensor,
  sampleWeight: Float64Array | null,
  beforeUpdate?: () => void,
): StepResult {
  const variables = trainableVariables(network);
  for (const v of variables) backend.fill(v.grad, 0);
  const yPred = network.forward(x, true);
  const { loss, grad } = compiled.loss.callWithGradient(y, yPred, sampleWeight);
  const total = loss + regularizationLoss(network, backend);
  if (!Number.isFinite(total)) return { loss: total, finite: false };
  network.backward(grad);
  for (const v of variables) if (v.regularizer) v.regularizer.accumulateGradient(v.value, v.grad, backend);
  beforeUpdate?.();
  // The optimizer applies the variables' constraints after its update, as Keras optimizers do.
  compiled.optimizer.applyGradients(variables, backend);
  updateMetrics(compiled.metrics(y.shape, yPred.shape), y, yPred, sampleWeight);
  return { loss: total, finite: true };
}

/** Forward in inference mode; returns the batch's total loss and updates the metrics. */
export function testStep(
  network: Network,
  compiled: Compiled,
  backend: Backend,
  x: Tensor,
  y: Tensor,
  sampleWeight: Float64Array | null,
): number {
  const yPred = network.forward(x, false);
  const loss = compiled.loss.call(y, yPred, sampleWeight) + regularizationLoss(network, backend);
  updateMetrics(compiled.metrics(y.shape, yPred.shape), y, yPred, sampleWeight);
  return loss;
}

function updateMetrics(metrics: NamedMetric[], y: Tensor, yPred: Tensor, sampleWeight: Float64Array | null): void {
  for (const { metric } of metrics) metric.update(y, yPred, sampleWeight);
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
