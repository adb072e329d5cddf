import type { Backend } from '../backend/backend.js';
import { z } from 'zod';
import { parseConfig } from '../config.js';
import { ConfigError } from '../errors.js';
import { type Tensor, formatShape } from '../tensor.js';
import { penaltyFactor } from './penalty-args.js';
import type { Regularizer, RegularizerConfig } from './regularizer.js';

/** Keras backend epsilon: `normalize` divides by max(norm, epsilon). */
const EPSILON = 1e-7;

export const orthogonalRegularizerSchema = z.object({
  type: z.literal('OrthogonalRegularizer'),
  factor: penaltyFactor.optional(),
  mode: z.enum(['rows', 'columns']).optional(),
}).strict();

/** The vectors a 2-D weight is seen as: rows or columns of a row-major [rows, cols] matrix. */
interface VectorView {
  count: number;
  length: number;
  /** Flat index of element k of vector i. */
  at(i: number, k: number): number;
}

/**
 * Keras `OrthogonalRegularizer(factor=0.01, mode="rows")`: factor times the mean |cosine| between distinct pairs of
 * rows (or columns) of a 2-D weight, i.e. factor·½·Σ_{i≠j}|uᵢ·uⱼ| / (n(n−1)/2) with uᵢ the L2-normalized vectors.
 */
export class OrthogonalRegularizer implements Regularizer {
  readonly name = 'OrthogonalRegularizer';
  readonly factor: number;
  readonly mode: 'rows' | 'columns';

  constructor(args: Omit<z.input<typeof orthogonalRegularizerSchema>, 'type'> = {}) {
    const c = parseConfig(orthogonalRegularizerSchema, { ...args, type: 'OrthogonalRegularizer' });
    this.factor = c.factor ?? 0.01;
    this.mode = c.mode ?? 'rows';
  }

  penalty(x: Tensor, _backend?: Backend): number {
    const view = this.view(x);
    const n = view.count;
    // Keras divides by n(n−1)/2 = 0 here (NaN); a single vector is trivially orthogonal to the others, so 0.
    if (n < 2) return 0;
    const u = normalized(x, view);
    let sum = 0;
    for (let i = 0; i < n; i++) {
      for (let j = i + 1; j < n; j++) sum += Math.abs(dot(u, i, j, view.length));
    }
    // Σ over i<j counts each pair once; Keras's ½·Σ_{i≠j} counts it twice and halves: the same value.
    return (this.factor * sum) / ((n * (n - 1)) / 2);
  }

  accumulateGradient(x: Tensor, grad: Tensor, _backend?: Backend): void {
    const view = this.view(x);
    const n = view.count;
    const d = view.length;
    if (n < 2) return;
    const u = normalized(x, view);
    const norms = vectorNorms(x, view);
    const coefficient = this.factor / ((n * (n - 1)) / 2);
    const g = new Float64Array(d);
    const out = grad.data;
    for (let i = 0; i < n; i++) {
      // dP/duᵢ = coefficient · Σ_{j≠i} sign(uᵢ·uⱼ) uⱼ, with sign(0) = 0 as TensorFlow's subgradient of |·|.
      g.fill(0);
      for (let j = 0; j < n; j++) {
        if (j === i) continue;
        const s = Math.sign(dot(u, i, j, d));
        if (s === 0) continue;
        for (let k = 0; k < d; k++) g[k] = g[k]! + s * u[j * d + k]!;
      }
      const r = norms[i]!;
      if (r > EPSILON) {
        // Through uᵢ = wᵢ/‖wᵢ‖: dP/dwᵢ = (gᵢ − (gᵢ·uᵢ)uᵢ) / ‖wᵢ‖.
        let gu = 0;
        for (let k = 0; k < d; k++) gu += g[k]! * u[i * d + k]!;
        for (let k = 0; k < d; k++) {
          const idx = view.at(i, k);
          out[idx] = out[idx]! + (coefficient * (g[k]! - gu * u[i * d + k]!)) / r;
        }
      } else {
        // Below epsilon Keras scales by the constant 1/epsilon, so uᵢ = wᵢ/epsilon is linear in wᵢ.
        for (let k = 0; k < d; k++) {
          const idx = view.at(i, k);
          out[idx] = out[idx]! + (coefficient * g[k]!) / EPSILON;
        }
      }
    }
  }

  getConfig(): RegularizerConfig {
    return { type: 'OrthogonalRegularizer', factor: this.factor, mode: this.mode };
  }

  private view(x: Tensor): VectorView {
    if (x.shape.length !== 2) {
      throw new ConfigError(
        `OrthogonalRegularizer needs a rank-2 weight, received shape ${formatShape(x.shape, false)} of rank ${x.shape.length}`,
      );
    }
    const [rows, cols] = x.shape as [number, number];
    return this.mode === 'rows'
      ? { count: rows, length: cols, at: (i, k) => i * cols + k }
      : { count: cols, length: rows, at: (i, k) => k * cols + i };
  }
}

/** Euclidean norm of each vector. */
function vectorNorms(x: Tensor, view: VectorView): Float64Array {
  const norms = new Float64Array(view.count);
  for (let i = 0; i < view.count; i++) {
    let s = 0;
    for (let k = 0; k < view.length; k++) s += x.data[view.at(i, k)]! ** 2;
    norms[i] = Math.sqrt(s);
  }
  return norms;
}

/** The vectors divided by max(norm, epsilon) (Keras `normalize`), packed as count×length. */
function normalized(x: Tensor, view: VectorView): Float64Array {
  const norms = vectorNorms(x, view);
  const u = new Float64Array(view.count * view.length);
  for (let i = 0; i < view.count; i++) {
    const scale = 1 / Math.max(norms[i]!, EPSILON);
    for (let k = 0; k < view.length; k++) u[i * view.length + k] = x.data[view.at(i, k)]! * scale;
  }
  return u;
}

/** uᵢ·uⱼ of packed vectors of length d. */
function dot(u: Float64Array, i: number, j: number, d: number): number {
  let s = 0;
  for (let k = 0; k < d; k++) s += u[i * d + k]! * u[j * d + k]!;
  return s;
}
