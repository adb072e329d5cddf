import { describe, expect, it } from 'vitest';
import { Rng } from '../rng.js';
import type { Shape } from '../tensor.js';
import { float64Backend as backend, maxRelativeError, numericGradient, testInputs } from '../testing/gradient-check.js';
import type { ActivationConfig } from './activation.js';
import { activationRegistry, getActivation } from './index.js';

/*
 * Finite-difference gradient checks of every activation, in float64. The loss is L = Σ w_i·(y_i(x) - y_i(x₀)) with
 * fixed random weights w: subtracting the outputs at the base point x₀ changes L by a constant only (same gradient),
 * but makes every output a probe does not move contribute an exact 0, so the difference quotient's rounding error is
 * relative to the change rather than to |L|.
 *
 * Kinks: piecewise functions are not differentiable at their corners (relu at 0, hard_sigmoid at ±3...), where a
 * centered difference averages two slopes. Each element-wise case lists its corners, and the inputs include every
 * corner exactly; at those coordinates the analytic value must equal one of the two one-sided difference quotients
 * (it is the left or the right derivative, as in TensorFlow), and everywhere else the centered difference. Points
 * where only the second derivative jumps (sparse_plus at ±1, softsign at 0) are listed too: a centered difference
 * straddling them is off by O(h).
 */

const TOLERANCE = 1e-6; // max relative error of centered differences (h = 1e-6)
const ONE_SIDED_TOLERANCE = 1e-5; // one-sided differences (h = 1e-7) carry an O(h·f'') error on curved pieces
const H_ONE_SIDED = 1e-7;

interface Case {
  config: ActivationConfig;
  /** Input corners (element-wise cases); they are appended to the inputs. */
  kinks?: number[];
  /** Half-width of the random inputs. */
  scale?: number;
  shape?: Shape;
  /** Explicit inputs instead of random ones. */
  inputs?: number[];
  /** Every coordinate is at a kink (sparsemax on a support boundary). */
  allKinks?: boolean;
}

const elementwise: Case[] = [
  // celu, elu (alpha = 1) and softsign are C¹ at 0 but their second derivative jumps there, which gives a centered
  // difference an O(h) error (1e-6 relative for softsign); 0 is listed as a corner so the one-sided check applies.
  { config: 'celu', kinks: [0] },
  { config: { type: 'celu', alpha: 0.5 }, kinks: [0] },
  { config: 'elu', kinks: [0] },
  { config: { type: 'elu', alpha: 0.5 }, kinks: [0] },
  { config: 'exponential' },
  { config: 'gelu', scale: 4 },
  { config: { type: 'gelu', approximate: true }, scale: 4 },
  { config: 'hard_shrink', kinks: [-0.5, 0.5] },
  { config: { type: 'hard_shrink', threshold: 1 }, kinks: [-1, 1] },
  { config: 'hard_sigmoid', kinks: [-3, 3], scale: 5 },
  { config: 'hard_sigmoid_keras2', kinks: [-2.5, 2.5], scale: 5 },
  { config: 'hard_silu', kinks: [-3, 3], scale: 5 },
  { config: 'hard_tanh', kinks: [-1, 1] },
  { config: 'leaky_relu', kinks: [0] },
  { config: { type: 'leaky_relu', negativeSlope: 0.5 }, kinks: [0] },
  { config: 'linear' },
  { config: 'log_sigmoid', scale: 6 },
  { config: 'mish', scale: 4 },
  { config: 'relu', kinks: [0] },
  { config: { type: 'relu', negativeSlope: 0.1 }, kinks: [0] },
  { config: { type: 'relu', maxValue: 1.5 }, kinks: [0, 1.5] },
  { config: { type: 'relu', threshold: 0.5 }, kinks: [0.5] },
  { config: { type: 'relu', threshold: -0.5 }, kinks: [-0.5] },
  { config: { type: 'relu', threshold: -0.5, maxValue: 1 }, kinks: [-0.5, 0, 1] },
  { config: { type: 'relu', negativeSlope: 0.1, maxValue: 1.5, threshold: 0.5 }, kinks: [0.5, 1.5] },
  { config: { type: 'relu', negativeSlope: 0.3, maxValue: 6 }, kinks: [0, 6], scale: 8 },
  { config: 'relu6', kinks: [0, 6], scale: 8 },
  { config: 'selu', kinks: [0] },
  { config: 'sigmoid', scale: 6 },
  { config: 'silu', scale: 4 },
  { config: 'soft_shrink', kinks: [-0.5, 0.5] },
  { config: { type: 'soft_shrink', threshold: 1 }, kinks: [-1, 1] },
  { config: 'softplus', scale: 6 },
  { config: 'softsign', kinks: [0] },
  { config: 'sparse_plus', kinks: [-1, 1] }, // C¹: the corners must pass either way
  { config: 'sparse_sigmoid', kinks: [-1, 1] },
  { config: 'squareplus' },
  { config: { type: 'squareplus', b: 1 } },
  { config: { type: 'squareplus', b: 0 }, kinks: [0] },
  { config: 'tanh' },
  { config: 'tanh_shrink' },
  { config: { type: 'threshold', threshold: 0.5, defaultValue: -1 }, kinks: [0.5] },
  { config: { type: 'threshold', threshold: -1, defaultValue: 0 }, kinks: [-1] },
];

const axisWise: Case[] = [];
for (const name of ['softmax', 'log_softmax', 'sparsemax']) {
  axisWise.push(
    { config: name, shape: [2, 3, 4], scale: 3 },
    { config: { type: name, axis: 1 }, shape: [2, 4, 3], scale: 3 },
    { config: { type: name, axis: 0 }, shape: [3, 2, 2], scale: 3 },
    { config: { type: name, axis: -2 }, shape: [2, 4, 3], scale: 3 },
  );
}
axisWise.push(
  { config: 'glu', shape: [2, 3, 4], scale: 3 },
  { config: { type: 'glu', axis: 1 }, shape: [2, 4, 3], scale: 3 },
  { config: { type: 'glu', axis: 0 }, shape: [2, 3, 2], scale: 3 },
  { config: { type: 'glu', axis: -2 }, shape: [3, 2, 2], scale: 3 },
  // [1, 0, -1] sits on a support boundary: the support is {0} with τ = 0, so z₂ - τ = 0 exactly; moving any z_i one
  // way keeps the support, the other way changes it.
  { config: 'sparsemax', shape: [1, 3], inputs: [1, 0, -1], allKinks: true },
);

function nameOf(config: ActivationConfig): string {
  return typeof config === 'string' ? config : `${config.type} ${JSON.stringify({ ...config, type: undefined })}`;
}

function inputsOf(c: Case): { shape: Shape; x: Float64Array } {
  if (c.inputs) return { shape: c.shape ?? [c.inputs.length], x: Float64Array.from(c.inputs) };
  if (c.shape) {
    const n = c.shape.reduce((a, b) => a * b, 1);
    return { shape: c.shape, x: testInputs(n, c.scale ?? 2, 7) };
  }
  const random = testInputs(30, c.scale ?? 2, 3);
  const x = Float64Array.from([...random, ...(c.kinks ?? [])]);
  return { shape: [1, x.length], x };
}

function check(c: Case) {
  const activation = getActivation(c.config);
  const { shape, x } = inputsOf(c);
  const x0 = backend.fromValues(shape, x);
  const y0 = activation.apply(x0, backend);
  const rng = new Rng(11);
  const w = Float64Array.from({ length: y0.size }, () => rng.uniformRange(-1, 1));
  const loss = (probe: Float64Array): number => {
    const y = activation.apply(backend.fromValues(shape, probe), backend).data;
    let s = 0;
    for (let i = 0; i < y.length; i++) s += w[i]! * (y[i]! - y0.data[i]!);
    return s;
  };
  const analytic = activation.gradient(x0, y0, backend.fromValues(y0.shape, w), backend).data;
  expect(analytic.length).toBe(x.length);

  const kinkSet = new Set(c.kinks ?? []);
  const atKink = (i: number) => c.allKinks === true || kinkSet.has(x[i]!);
  const numeric = numericGradient(loss, x);
  const smoothA: number[] = [];
  const smoothN: number[] = [];
  let kinkCount = 0;
  let worstOneSided = 0;
  for (let i = 0; i < x.length; i++) {
    if (!atKink(i)) {
      smoothA.push(analytic[i]!);
      smoothN.push(numeric[i]!);
      continue;
    }
    kinkCount++;
    const probe = Float64Array.from(x);
    probe[i] = x[i]! + H_ONE_SIDED;
    const right = loss(probe) / H_ONE_SIDED; // loss(x) = 0 by construction
    probe[i] = x[i]! - H_ONE_SIDED;
    const left = -loss(probe) / H_ONE_SIDED;
    const err = Math.min(maxRelativeError([analytic[i]!], [left]), maxRelativeError([analytic[i]!], [right]));
    worstOneSided = Math.max(worstOneSided, err);
  }
  return { smooth: maxRelativeError(smoothA, smoothN), smoothCount: smoothA.length, kinkCount, worstOneSided };
}

describe('activation gradients match centered finite differences (float64)', () => {
  it.each([...elementwise, ...axisWise].map((c) => [nameOf(c.config), c] as const))('%s', (_name, c) => {
    const { smooth, smoothCount, kinkCount, worstOneSided } = check(c);
    expect(smooth).toBeLessThan(TOLERANCE);
    expect(worstOneSided).toBeLessThan(ONE_SIDED_TOLERANCE);
    // Every listed corner is actually probed (the random inputs contain 0 too, so 0 may count twice).
    expect(kinkCount).toBeGreaterThanOrEqual(c.allKinks ? 3 : (c.kinks ?? []).length);
    expect(smoothCount).toBeGreaterThan(c.allKinks ? -1 : 10);
  });

  it('covers every registered activation, with defaults and every argument form', () => {
    const covered = new Set([...elementwise, ...axisWise].map((c) => activationRegistry.canonicalName(typeof c.config === 'string' ? c.config : c.config.type)));
    expect([...covered].sort()).toEqual(activationRegistry.names());
  });

  it('the corner check can fail: a wrong subgradient at a kink is caught', () => {
    // relu'(0) reported as 0.5 matches neither one-sided slope (0 or 1); this guards the check itself.
    const relu = getActivation('relu');
    const x = backend.fromValues([1], [0]);
    const y = relu.apply(x, backend);
    const g = relu.gradient(x, y, backend.fromValues([1], [1]), backend).data[0]!;
    expect([0, 1]).toContain(g);
    expect(Math.min(maxRelativeError([0.5], [0]), maxRelativeError([0.5], [1]))).toBeGreaterThan(ONE_SIDED_TOLERANCE);
  });
});
