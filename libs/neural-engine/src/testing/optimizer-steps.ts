import { expect } from 'vitest';
import type { Backend } from '../backend/backend.js';
import type { OptimizerRule, UpdateCoefficients } from '../kernels/optimizer-updates.js';
import { Variable } from '../layers/variable.js';
import type { Shape } from '../tensor.js';
import type { Optimizer } from '../optimizers/optimizer.js';
import { float64Backend } from './gradient-check.js';
import { testBackend } from './test-backend.js';

/*
 * Helpers for the optimizer tests (imported by *.test.ts only): variables on a float32 backend, a step with given
 * gradients, and a relative comparison sized for float32 storage.
 */

/** The float32 backend the optimizer tests run on (training storage): the test backend. */
export const backend32 = testBackend();

/** A variable holding `values` (rank 1 unless `shape` is given). */
export function variable(values: readonly number[], shape: Shape = [values.length], backend: Backend = backend32, name = 'dense/kernel'): Variable {
  return new Variable(name, backend.fromValues(shape, values), backend);
}

/** Sets each variable's grad to the given values and applies one optimizer step. */
export function step(optimizer: Optimizer, variables: readonly Variable[], grads: ReadonlyArray<readonly number[]>, backend: Backend = backend32): void {
  variables.forEach((v, i) => v.grad.data.set(grads[i]!));
  optimizer.applyGradients(variables, backend);
}

/** Expects |actual - expected| <= rel · max(|expected|, floor) element-wise. */
export function expectClose(actual: ArrayLike<number>, expected: readonly number[], rel = 1e-6, floor = 1e-3): void {
  expect(actual.length).toBe(expected.length);
  const errors = expected.map((e, i) => Math.abs(actual[i]! - e) / Math.max(Math.abs(e), floor));
  const worst = Math.max(...errors);
  if (!(worst <= rel)) expect.fail(`relative error ${worst} > ${rel}: got [${Array.from(actual).join(', ')}], expected [${expected.join(', ')}]`);
}

/** The shared 3-step scenario of the optimizer tests: a 3-element variable and fixed gradients per step. */
export const W0 = [1, -2, 0.5];
export const GRADS = [
  [0.1, -0.2, 0.3],
  [0.4, 0, -0.5],
  [-0.3, 0.2, 0.1],
];

/** Runs `optimizer` on one variable starting at `w0` with one gradient per step; returns the values after each step. */
export function trajectory(optimizer: Optimizer, grads: ReadonlyArray<readonly number[]> = GRADS, w0: readonly number[] = W0, shape?: Shape): number[][] {
  const w = variable(w0, shape);
  return grads.map((g) => {
    step(optimizer, [w], [g]);
    return Array.from(w.value.data);
  });
}

/** Expects each step of a trajectory to match the expected one (see expectClose). */
export function expectTrajectory(actual: readonly number[][], expected: readonly number[][], rel = 1e-6): void {
  expect(actual.length).toBe(expected.length);
  actual.forEach((w, i) => expectClose(w, expected[i]!, rel));
}

/** Rounds an operation's result: Math.fround for float32 arithmetic, the identity for float64. */
export type Rounding = (x: number) => number;

/**
 * One update of a rule that computes in the storage precision, on one element: `values` are w, g and the slots (null
 * for an absent optional one), float32 values; `reference(r)` is the rule's operations with r applied to each result
 * and to each coefficient, giving w and the given slots after the step. The float32 test backend must give
 * reference(Math.fround) and JsBackend('float64') reference(identity), bit for bit; the element must be one where the
 * two differ, so the check tells the precisions apart.
 */
export function expectStoragePrecision<R extends OptimizerRule>(
  rule: R, values: readonly (number | null)[], c: UpdateCoefficients<R>, reference: (r: Rounding) => number[],
): void {
  const in32 = reference(Math.fround);
  const in64 = reference((x) => x);
  expect(in64.map(Math.fround), 'the precisions differ on this element').not.toEqual(in32);
  for (const [backend, expected] of [[backend32, in32], [float64Backend, in64]] as const) {
    const [w, g, ...slots] = values.map((x) => (x === null ? null : backend.fromValues([1], [x])));
    backend.optimizerUpdate(rule, w!, g!, slots, c);
    const after = [w, ...slots].flatMap((t) => (t ? [t.data[0]!] : []));
    expect(after, `${rule} on ${backend.name}`).toEqual(expected);
  }
}
