import type { FloatArray } from '../tensor.js';

/*
 * The activations training spends its time in, as plain loops over a range of elements: one loop per function, so
 * V8 compiles each monomorphic (the generic `map` with a closure per element cost W2 about a third of a step). They do
 * the same float64 operations as the activations' scalar functions (activations/math.ts, rectifiers.ts, sigmoids.ts,
 * tanh-like.ts), so results are bitwise equal to the generic path. The ranges let a backend split the work.
 */

/** Activations with dedicated kernels. */
export type ActivationKernel = 'relu' | 'sigmoid' | 'tanh';

/** y[i] = f(x[i]) for i in [start, end). `y` may be `x`. */
export function activationForward(kind: ActivationKernel, x: FloatArray, y: FloatArray, start: number, end: number): void {
  switch (kind) {
    case 'relu':
      for (let i = start; i < end; i++) y[i] = Math.max(x[i]!, 0);
      return;
    case 'sigmoid':
      // 1 / (1 + e^-x), through e^x for negative x so that e^-x never overflows (math.ts `sigmoid`).
      for (let i = start; i < end; i++) {
        const v = x[i]!;
        if (v >= 0) y[i] = 1 / (1 + Math.exp(-v));
        else {
          const e = Math.exp(v);
          y[i] = e / (1 + e);
        }
      }
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
