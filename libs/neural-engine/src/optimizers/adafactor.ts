import { z } from 'zod';
import type { Backend } from '../backend/backend.js';
import { parseConfig } from '../config.js';
import type { Variable } from '../layers/variable.js';
import type { Tensor } from '../tensor.js';
import { BaseOptimizer, optimizerObjectSchema } from './base-optimizer.js';
import { nonNegative, positive } from './config-schemas.js';

export const adafactorSchema = optimizerObjectSchema('Adafactor', {
  /** β2 at step t is 1 - t^beta2Decay. */
  beta2Decay: z.number().finite().optional(),
  /** Added to g² to keep the denominator away from 0. */
  epsilon1: nonNegative.optional(),
  /** Floor of the parameter scale RMS(w), so zero-initialized weights still move. */
  epsilon2: nonNegative.optional(),
  /** Threshold of Adafactor's own update clipping (independent of clipnorm/clipvalue). */
  clipThreshold: positive.optional(),
  /** Cap a constant learning rate at 1/sqrt(t). */
  relativeStep: z.boolean().optional(),
});
export type AdafactorConfig = z.input<typeof adafactorSchema>;

/**
 * Adafactor (Keras Adafactor, learningRate 0.001, beta2Decay -0.8, epsilon1 1e-30, epsilon2 1e-3, clipThreshold 1,
 * relativeStep true). Variables of rank >= 2 keep factored second moments over their last two axes, a row mean r
 * and a column mean c of g² + ε1, and use v = r/mean(r)·c; others keep a full v. The update is
 * u = g/sqrt(v), û = u/max(1, RMS(u)/clipThreshold), w -= max(ε2, RMS(w))·min(lr, 1/sqrt(t))·û. Keras has no first
 * moment (β1) and, unlike the paper, always caps the step at min(lr, 1/sqrt(t)), so relativeStep changes nothing.
 */
export class Adafactor extends BaseOptimizer {
  readonly name = 'adafactor';
  readonly className = 'Adafactor';
  // u = g / sqrt(v) is computed in the gradient's place.
  protected override readonly updateWritesGradients = true;
  readonly beta2Decay: number;
  readonly epsilon1: number;
  readonly epsilon2: number;
  readonly clipThreshold: number;
  readonly relativeStep: boolean;

  constructor(config: Omit<AdafactorConfig, 'type'> = {}) {
    const c = parseConfig(adafactorSchema, { ...config, type: 'Adafactor' });
    super(c, 0.001);
    this.beta2Decay = c.beta2Decay ?? -0.8;
    this.epsilon1 = c.epsilon1 ?? 1e-30;
    this.epsilon2 = c.epsilon2 ?? 1e-3;
    this.clipThreshold = c.clipThreshold ?? 1;
    this.relativeStep = c.relativeStep ?? true;
  }

  protected argsConfig(): Record<string, unknown> {
    return {
      beta2Decay: this.beta2Decay,
      epsilon1: this.epsilon1,
      epsilon2: this.epsilon2,
      clipThreshold: this.clipThreshold,
      relativeStep: this.relativeStep,
    };
  }

  /** Slots: rank >= 2: r (shape[:-1]), c (shape[:-2] + [last]), v; otherwise v only. */
  protected createSlots(variable: Variable, backend: Backend): Tensor[] {
    const shape = variable.value.shape;
    const v = backend.zeros(shape);
    if (shape.length < 2) return [v];
    return [backend.zeros(shape.slice(0, -1)), backend.zeros([...shape.slice(0, -2), shape[shape.length - 1]!]), v];
  }

  protected updateStep(variable: Variable, grad: Tensor, slots: readonly Tensor[], learningRate: number): void {
    const t = this.localStep;
    const shape = variable.value.shape;
    const w = variable.value.data;
    const g = grad.data;
    const size = w.length;
    let lr = learningRate;
    if (this.schedule === null && this.relativeStep) lr = Math.min(lr, 1 / Math.sqrt(t));
    const rho = Math.min(lr, 1 / Math.sqrt(t));
    const alpha = Math.max(this.epsilon2, rms(w)) * rho;
    const beta2 = 1 - Math.pow(t, this.beta2Decay);
    const eps1 = this.epsilon1;

    if (shape.length >= 2) {
      const rows = shape[shape.length - 2]!;
      const cols = shape[shape.length - 1]!;
      const batches = size / (rows * cols);
      const r = slots[0]!.data;
      const c = slots[1]!.data;
      const v = slots[2]!.data;
      for (let b = 0; b < batches; b++) {
        const base = b * rows * cols;
        for (let i = 0; i < rows; i++) {
          let mean = 0;
          for (let j = 0; j < cols; j++) mean += g[base + i * cols + j]! ** 2 + eps1;
          r[b * rows + i] = beta2 * r[b * rows + i]! + (1 - beta2) * (mean / cols);
        }
        for (let j = 0; j < cols; j++) {
          let mean = 0;
          for (let i = 0; i < rows; i++) mean += g[base + i * cols + j]! ** 2 + eps1;
          c[b * cols + j] = beta2 * c[b * cols + j]! + (1 - beta2) * (mean / rows);
        }
        let rMean = 0;
        for (let i = 0; i < rows; i++) rMean += r[b * rows + i]!;
        rMean /= rows;
        for (let i = 0; i < rows; i++) {
          for (let j = 0; j < cols; j++) v[base + i * cols + j] = (r[b * rows + i]! / rMean) * c[b * cols + j]!;
        }
      }
    } else {
      const v = slots[0]!.data;
      for (let i = 0; i < size; i++) v[i] = beta2 * v[i]! + (1 - beta2) * (g[i]! ** 2 + eps1);
    }

    // u = g / sqrt(v) goes into the gradient's scratch copy, then the clipped step is applied.
    const v = slots[slots.length - 1]!.data;
    for (let i = 0; i < size; i++) g[i] = g[i]! / Math.sqrt(v[i]!);
    const scale = alpha / Math.max(1, rms(g) / this.clipThreshold);
    for (let i = 0; i < size; i++) w[i] = w[i]! - scale * g[i]!;
  }
}

/** Root mean square of an array (0 for an empty one). */
function rms(x: ArrayLike<number>): number {
  let s = 0;
  for (let i = 0; i < x.length; i++) s += x[i]! * x[i]!;
  return x.length === 0 ? 0 : Math.sqrt(s / x.length);
}
