import type { Model } from '@kiln/neural-engine';

/**
 * Work (≈ multiply-adds) below which a request runs inline on the main thread rather than in a prediction thread.
 *
 * Measured by apps/api/bench/inline-threshold.mjs (a benchmark; it prints both figures): the median round trip to a
 * thread through the pool is 66-129 µs, and the MNIST MLP on the engine's default WebAssembly backend computes
 * 0.19-0.21 ns per unit of work on a quiet machine (0.3-0.5 ns with other processes competing for the two cores; it
 * was 1.65-4.9 ns on the plain-TypeScript backend, when this was 400,000). A thread pays off from where the round trip
 * is at most 10 % of the compute: about 4-6 million units. 4,000,000 holds the event loop for at most about 0.8 ms
 * (quiet) to 2 ms (loaded), and runs the MNIST MLP (about 101,900 units a row) inline up to 39 rows.
 */
export const DEFAULT_INLINE_MAX_WORK = 4_000_000;

/**
 * Estimated multiply-adds of one sample: each layer's parameters times the positions they are applied at (1 for
 * Dense, the output pixels for a convolution), plus one per output value (activations, pooling). Counting
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
