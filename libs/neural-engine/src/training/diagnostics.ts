import type { Backend } from '../backend/backend.js';
import type { Network } from './network.js';

/** Per-layer gradient and weight L2 norms: how vanishing or exploding gradients become visible. */
export interface LayerDiagnostics {
  layer: string;
  /** Mean over the batches of the epoch (or the sampled batch) of the L2 norm of the layer's gradients. */
  gradNorm: number;
  /** Largest batch gradient norm seen in the epoch. */
  gradNormMax: number;
  /** L2 norm of the layer's trainable weights at the end of the epoch (or batch). */
  weightNorm: number;
}

/** Accumulates per-layer gradient norms over batches; layers without trainable weights are skipped. */
export class GradientNormTracker {
  private sums: number[] = [];
  private maxes: number[] = [];
  private batches = 0;
  private last: number[] = [];

  constructor(private readonly network: Network, private readonly backend: Backend) {
    this.reset();
  }

  reset(): void {
    const n = this.network.layers.length;
    this.sums = new Array<number>(n).fill(0);
    this.maxes = new Array<number>(n).fill(0);
    this.last = new Array<number>(n).fill(0);
    this.batches = 0;
  }

  /** Records the gradients currently held by the variables (call after backward, before the optimizer). */
  record(): void {
    this.network.layers.forEach((layer, i) => {
      let sq = 0;
      for (const v of layer.trainableVariables) sq += this.backend.sumSquares(v.grad);
      const norm = Math.sqrt(sq);
      this.sums[i]! += norm;
      this.maxes[i] = Math.max(this.maxes[i]!, norm);
      this.last[i] = norm;
    });
    this.batches += 1;
  }

  /** Norms of the epoch so far (mean and max over batches). */
  epochSummary(): LayerDiagnostics[] {
    return this.summarize((i) => (this.batches ? this.sums[i]! / this.batches : 0), (i) => this.maxes[i]!);
  }

  /** Norms of the last recorded batch. */
  lastBatch(): LayerDiagnostics[] {
    return this.summarize((i) => this.last[i]!, (i) => this.last[i]!);
  }

  private summarize(grad: (i: number) => number, max: (i: number) => number): LayerDiagnostics[] {
    const out: LayerDiagnostics[] = [];
    this.network.layers.forEach((layer, i) => {
      const vars = layer.trainableVariables;
      if (vars.length === 0) return;
      let sq = 0;
      for (const v of vars) sq += this.backend.sumSquares(v.value);
      out.push({ layer: layer.name, gradNorm: grad(i), gradNormMax: max(i), weightNorm: Math.sqrt(sq) });
    });
    return out;
  }
}
