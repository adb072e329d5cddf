import { z } from 'zod';
import type { Backend } from '../backend/backend.js';
import { parseConfig } from '../config.js';
import type { Tensor } from '../tensor.js';
import { penaltyFactor } from './penalty-args.js';
import type { Regularizer, RegularizerConfig } from './regularizer.js';

export const l1Schema = z.object({ type: z.literal('L1'), l1: penaltyFactor.optional() }).strict();
export const l2Schema = z.object({ type: z.literal('L2'), l2: penaltyFactor.optional() }).strict();
export const l1l2Schema = z.object({ type: z.literal('L1L2'), l1: penaltyFactor.optional(), l2: penaltyFactor.optional() }).strict();

/** l1·Σ|x| + l2·Σx² (no ½, as in Keras). */
function elasticPenalty(x: Tensor, l1: number, l2: number, backend: Backend): number {
  let penalty = 0;
  if (l1 !== 0) {
    let sumAbs = 0;
    for (const v of x.data) sumAbs += Math.abs(v);
    penalty += l1 * sumAbs;
  }
  if (l2 !== 0) penalty += l2 * backend.sumSquares(x);
  return penalty;
}

/** grad += l1·sign(x) + 2·l2·x, with sign(0) = 0 as TensorFlow's subgradient of |x|. */
function accumulateElastic(x: Tensor, grad: Tensor, l1: number, l2: number): void {
  const xs = x.data;
  const g = grad.data;
  for (let i = 0; i < xs.length; i++) {
    const v = xs[i]!;
    g[i] = g[i]! + l1 * Math.sign(v) + 2 * l2 * v;
  }
}

/** Keras `L1(l1=0.01)`: penalty l1·Σ|x|. */
export class L1 implements Regularizer {
  readonly name = 'L1';
  readonly l1: number;
  constructor(args: Omit<z.input<typeof l1Schema>, 'type'> = {}) {
    this.l1 = parseConfig(l1Schema, { ...args, type: 'L1' }).l1 ?? 0.01;
  }
  penalty(x: Tensor, backend: Backend): number {
    return elasticPenalty(x, this.l1, 0, backend);
  }
  accumulateGradient(x: Tensor, grad: Tensor, _backend?: Backend): void {
    accumulateElastic(x, grad, this.l1, 0);
  }
  getConfig(): RegularizerConfig {
    return { type: 'L1', l1: this.l1 };
  }
}

/** Keras `L2(l2=0.01)`: penalty l2·Σx². */
export class L2 implements Regularizer {
  readonly name = 'L2';
  readonly l2: number;
  constructor(args: Omit<z.input<typeof l2Schema>, 'type'> = {}) {
    this.l2 = parseConfig(l2Schema, { ...args, type: 'L2' }).l2 ?? 0.01;
  }
  penalty(x: Tensor, backend: Backend): number {
    return elasticPenalty(x, 0, this.l2, backend);
  }
  accumulateGradient(x: Tensor, grad: Tensor, backend: Backend): void {
    // d/dx l2·Σx² = 2·l2·x.
    backend.axpyInPlace(grad, 2 * this.l2, x);
  }
  getConfig(): RegularizerConfig {
    return { type: 'L2', l2: this.l2 };
  }
}

/** Keras `L1L2(l1=0.0, l2=0.0)`: penalty l1·Σ|x| + l2·Σx². */
export class L1L2 implements Regularizer {
  readonly name = 'L1L2';
  readonly l1: number;
  readonly l2: number;
  constructor(args: Omit<z.input<typeof l1l2Schema>, 'type'> = {}) {
    const c = parseConfig(l1l2Schema, { ...args, type: 'L1L2' });
    this.l1 = c.l1 ?? 0;
    this.l2 = c.l2 ?? 0;
  }
  penalty(x: Tensor, backend: Backend): number {
    return elasticPenalty(x, this.l1, this.l2, backend);
  }
  accumulateGradient(x: Tensor, grad: Tensor, _backend?: Backend): void {
    accumulateElastic(x, grad, this.l1, this.l2);
  }
  getConfig(): RegularizerConfig {
    return { type: 'L1L2', l1: this.l1, l2: this.l2 };
  }
}
