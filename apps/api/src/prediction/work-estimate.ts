import type { Model } from '@kiln/neural-engine';

/**
 * Work (≈ multiply-adds) below which a request runs inline on the main thread rather than in a prediction thread.
 *
 * Measured on this machine (inline-threshold.test.ts prints both figures): a round trip to a thread through the pool
 * costs about 0.1 ms, and a Dense network computes about 1.65 ns per row × parameter (2.5 ns for a single row). The
 * hand-off is worth its cost from where it is at most 10 % of the compute, 1 ms ≈ 600,000 row × parameters: for
 * the 784-128-10 MNIST MLP (101,770 parameters), up to 5 rows run inline. Inline work therefore never blocks the
 * event loop for more than about a millisecond.
 */
export const DEFAULT_INLINE_MAX_WORK = 600_000;

/**
 * Estimated multiply-adds of one sample: each layer's parameters times the positions they are applied at (1 for
 * Dense, the output pixels for a convolution), plus one per output value for layers without parameters. Counting
 * parameters alone would call a convolution over a large image "tiny". Recurrent layers that return only their last
 * step are underestimated by their number of time steps.
 */
export function estimateWorkPerSample(model: Model): number {
  let work = 0;
  for (const layer of model.summaryData().layers) {
    const values = layer.outputShape.reduce((a, b) => a * b, 1);
    const positions = values / Math.max(1, layer.outputShape.at(-1) ?? 1);
    work += layer.params * Math.max(1, positions) + values;
  }
  return Math.max(1, work);
}
