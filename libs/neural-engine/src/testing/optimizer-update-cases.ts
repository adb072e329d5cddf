import { OPTIMIZER_RULES, type OptimizerRule, type UpdateCoefficients } from '../kernels/optimizer-updates.js';
import type { Rng } from '../rng.js';

/*
 * Every fused optimizer update rule and variant (imported by *.test.ts only), with states to run them on: the
 * parameter, the gradient with edge values, and the slots after some history.
 */

/** One rule in one configuration: `present[i]` says whether the rule's slot i is given (optional ones select a variant). */
export interface UpdateCase<R extends OptimizerRule = OptimizerRule> {
  readonly label: string;
  readonly rule: R;
  readonly present: readonly boolean[];
  readonly c: UpdateCoefficients<R>;
}

const t = 3;
const mu = (step: number): number => 0.9 * (1 - 0.5 * Math.pow(0.96, step));
const rmsprop = { lr: 0.001, rho: 0.9, momentum: 0.8, epsilon: 1e-7 };

export const UPDATE_CASES: readonly UpdateCase[] = [
  { label: 'adam', rule: 'adam', present: [true, true, false], c: { alpha: 0.00316, beta1: 0.9, beta2: 0.999, epsilon: 1e-7 } },
  { label: 'adam AMSGrad', rule: 'adam', present: [true, true, true], c: { alpha: 0.00316, beta1: 0.9, beta2: 0.999, epsilon: 1e-7 } },
  { label: 'sgd', rule: 'sgd', present: [], c: { lr: 0.01 } },
  { label: 'sgd momentum', rule: 'sgdMomentum', present: [true], c: { lr: 0.01, momentum: 0.9 } },
  { label: 'sgd nesterov', rule: 'sgdNesterov', present: [true], c: { lr: 0.01, momentum: 0.9 } },
  { label: 'rmsprop', rule: 'rmsprop', present: [true, false, false], c: rmsprop },
  { label: 'rmsprop momentum', rule: 'rmsprop', present: [true, true, false], c: rmsprop },
  { label: 'rmsprop centered', rule: 'rmsprop', present: [true, false, true], c: rmsprop },
  { label: 'rmsprop momentum centered', rule: 'rmsprop', present: [true, true, true], c: rmsprop },
  { label: 'adagrad', rule: 'adagrad', present: [true], c: { lr: 0.01, epsilon: 1e-7 } },
  { label: 'adamax', rule: 'adamax', present: [true, true], c: { lr: 0.002, beta1: 0.9, beta2: 0.999, epsilon: 1e-7, correction: 1 - 0.9 ** t } },
  {
    label: 'nadam', rule: 'nadam', present: [true, true],
    c: { lr: 0.002, beta1: 0.9, beta2: 0.999, epsilon: 1e-7, uT: mu(t), uNext: mu(t + 1), productT: mu(1) * mu(2) * mu(3), beta2Power: 0.999 ** t },
  },
  { label: 'adadelta', rule: 'adadelta', present: [true, true], c: { lr: 1, rho: 0.95, epsilon: 1e-7 } },
  { label: 'lion', rule: 'lion', present: [true], c: { lr: 0.001, beta1: 0.9, beta2: 0.99 } },
];

/** Slots holding signed values (moments, velocities, momenta); the others are non-negative (squares, norms). */
const SIGNED = new Set(['m', 'momentum?', 'average?', 'sgdMomentum velocity', 'sgdNesterov velocity']);

/**
 * Gradient edge values: ±0, NaN, ±Infinity, squares past f32's range (3e19² = 9e38), a subnormal. Paired with a -0
 * parameter and ±0 slots at the first two, so Math.sign(±0) and w - (±0) show.
 */
const EDGES = [0, -0, NaN, 3e19, -3e19, Infinity, -Infinity, 1e-45];

export interface UpdateState {
  w: Float32Array;
  g: Float32Array;
  /** The rule's slots, null where the case leaves an optional one out. */
  slots: (Float32Array | null)[];
}

/**
 * Slot values at the edge of the subnormals, paired with a zero gradient (after the edges) so that updates land on
 * both sides of it (the float32 rules store subnormals as zero): the smallest normal and above, a subnormal, the
 * smallest subnormal.
 */
const TINY = [1.1754944e-38, -1.3e-38, 5e-39, -1e-45];

const isSigned = (c: UpdateCase, name: string): boolean => SIGNED.has(name) || SIGNED.has(`${c.rule} ${name}`);

/** A state of n elements for `c`: random history, edge values at both ends of the gradient (lanes 0 and 1, and the tail). */
export function updateState(c: UpdateCase, n: number, rng: Rng): UpdateState {
  const f = (min: number, max: number): Float32Array => Float32Array.from({ length: n }, () => rng.uniformRange(min, max));
  const w = f(-1, 1);
  const g = f(-3, 3);
  const names: readonly string[] = OPTIMIZER_RULES[c.rule].slots;
  const slots = names.map((name, i) => {
    if (!c.present[i]) return null;
    const signed = isSigned(c, name);
    const s = signed ? f(-0.5, 0.5) : f(0, 2);
    if (n > 1) [s[0], s[1]] = [0, signed ? -0 : 0];
    return s;
  });
  EDGES.forEach((edge, i) => {
    if (i < n) g[i] = edge;
    if (n >= 2 * EDGES.length) g[n - 1 - i] = edge;
  });
  if (n >= 2 * EDGES.length + TINY.length) {
    TINY.forEach((v, k) => {
      g[EDGES.length + k] = 0;
      slots.forEach((s, i) => s && (s[EDGES.length + k] = isSigned(c, names[i]!) ? v : Math.abs(v)));
    });
  }
  if (n > 1) [w[0], w[1]] = [-0, -0];
  return { w, g, slots };
}

export const copyState = (s: UpdateState): UpdateState => ({ w: s.w.slice(), g: s.g, slots: s.slots.map((x) => x?.slice() ?? null) });
