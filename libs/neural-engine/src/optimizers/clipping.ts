import type { Backend } from '../backend/backend.js';
import type { Tensor } from '../tensor.js';

/*
 * Gradient clipping as Keras 3 computes it (BaseOptimizer._clip_by_norm, clip_by_global_norm, ops.clip), in place on
 * the optimizer's scratch copy of each gradient.
 */

/** g ← g · clipnorm / max(‖g‖₂, clipnorm): scales g down to norm `clipnorm` when it is longer. */
export function clipByNorm(g: Tensor, clipnorm: number): void {
  const d = g.data;
  let sumSquares = 0;
  for (let i = 0; i < d.length; i++) sumSquares += d[i]! * d[i]!;
  const divisor = Math.max(Math.sqrt(sumSquares), clipnorm);
  for (let i = 0; i < d.length; i++) d[i] = (d[i]! * clipnorm) / divisor;
}

/** Every g ← g · clipnorm · min(1/‖all‖₂, 1/clipnorm); a non-finite global norm turns every gradient to NaN (Keras). */
export function clipByGlobalNorm(grads: readonly Tensor[], clipnorm: number, backend: Backend): void {
  let sumSquares = 0;
  for (const g of grads) sumSquares += backend.sumSquares(g);
  const norm = Math.sqrt(sumSquares);
  // (norm - norm) is 0 for a finite norm and NaN otherwise, which is how Keras propagates inf/NaN gradients.
  const scale = clipnorm * Math.min(1 / norm, 1 / clipnorm) + (norm - norm);
  for (const g of grads) backend.scale(g, scale, g);
}

/** g ← clip(g, -clipvalue, clipvalue) element-wise. */
export function clipByValue(g: Tensor, clipvalue: number): void {
  const d = g.data;
  for (let i = 0; i < d.length; i++) d[i] = Math.min(Math.max(d[i]!, -clipvalue), clipvalue);
}
