import { sigmoid } from '../activations/math.js';
import type { FloatArray } from '../tensor.js';

/*
 * The activations training spends its time in, as plain loops over a range of elements: one loop per function, so
 * V8 compiles each monomorphic (the generic `map` with a closure per element cost W2 about a third of a step). They do
 * the same float64 operations as the activations' scalar functions (activations/math.ts, rectifiers.ts, sigmoids.ts,
 * tanh-like.ts), so results are bitwise equal to the generic path. The ranges let a backend split the work.
 */

/** Activations with dedicated kernels. */
export type ActivationKernel = 'relu' | 'sigmoid' | 'tanh';

/** f(x) of one element, for fused kernels (the same operations as activationForward). */
export function scalarActivation(kind: ActivationKernel): (x: number) => number {
  return SCALAR[kind].f;
}

/** f'(x) of one element given y = f(x), for fused kernels (the factor activationBackward multiplies dy by). */
export function scalarDerivative(kind: ActivationKernel): (x: number, y: number) => number {
  return SCALAR[kind].df;
}

// Separate functions, not one with a switch: a fused loop then calls one target per call site, which V8 inlines.
const SCALAR: Record<ActivationKernel, { f: (x: number) => number; df: (x: number, y: number) => number }> = {
  relu: { f: (x) => Math.max(x, 0), df: (x) => (x > 0 ? 1 : 0) },
  sigmoid: { f: sigmoid, df: (_x, y) => y * (1 - y) },
  tanh: { f: (x) => Math.tanh(x), df: (_x, y) => 1 - y * y },
};

/** y[i] = f(x[i]) for i in [start, end). `y` may be `x`. */
export function activationForward(kind: ActivationKernel, x: FloatArray, y: FloatArray, start: number, end: number): void {
  switch (kind) {
    case 'relu':
      for (let i = start; i < end; i++) y[i] = Math.max(x[i]!, 0);
      return;
    case 'sigmoid':
      // One call target here: V8 inlines it.
      for (let i = start; i < end; i++) y[i] = sigmoid(x[i]!);
      return;
    case 'tanh':
      for (let i = start; i < end; i++) y[i] = Math.tanh(x[i]!);
      return;
  }
}

/**
 * dx[i] = dy[i] · f'(x[i]) for i in [start, end), given y = f(x): relu' from x (0 at 0, as TensorFlow), sigmoid' and
 * tanh' from y. `dx` may be `dy`.
 */
export function activationBackward(
  kind: ActivationKernel, x: FloatArray, y: FloatArray, dy: FloatArray, dx: FloatArray, start: number, end: number,
): void {
  switch (kind) {
    case 'relu':
      for (let i = start; i < end; i++) dx[i] = dy[i]! * (x[i]! > 0 ? 1 : 0);
      return;
    case 'sigmoid':
      for (let i = start; i < end; i++) {
        const s = y[i]!;
        dx[i] = dy[i]! * (s * (1 - s));
      }
      return;
    case 'tanh':
      for (let i = start; i < end; i++) {
        const t = y[i]!;
        dx[i] = dy[i]! * (1 - t * t);
      }
      return;
  }
}
