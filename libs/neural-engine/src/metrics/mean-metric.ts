import type { Tensor } from '../tensor.js';
import { WeightedMean, batchSize, checkSampleWeight } from './common.js';
import type { Metric, MetricConfig } from './metric.js';

/**
 * Base of the metrics Keras builds with MeanMetricWrapper: a per-row function of (yTrue, yPred) averaged over every
 * sample seen since the last reset, each sample weighted by its sample weight.
 */
export abstract class MeanMetric implements Metric {
  private readonly mean = new WeightedMean();

  constructor(readonly name: string) {}

  /** Per-row values of a batch, rows grouped by sample (length is a multiple of the batch size). */
  protected abstract rowValues(yTrue: Tensor, yPred: Tensor): ArrayLike<number>;

  update(yTrue: Tensor, yPred: Tensor, sampleWeight?: ArrayLike<number> | null): void {
    const batch = batchSize(yPred);
    const weights = checkSampleWeight(this.name, sampleWeight, batch);
    this.mean.addRows(this.rowValues(yTrue, yPred), batch, weights);
  }

  result(): number {
    return this.mean.value();
  }

  reset(): void {
    this.mean.reset();
  }

  abstract getConfig(): MetricConfig;
}
