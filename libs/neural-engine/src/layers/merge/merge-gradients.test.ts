import { describe, expect, it } from 'vitest';
import { Rng } from '../../rng.js';
import { type Shape, shapeSize } from '../../tensor.js';
import { testInputs } from '../../testing/gradient-check.js';
import { checkLayerGradients } from '../../testing/layer-gradient-check.js';
import type { LayerConfig } from '../layer.js';

/*
 * Finite-difference gradient checks (centered differences, float64 backend, h = 1e-5) of dL/dx for every input of
 * every merge layer and option combination, L = Σ y·r. None of these layers has weights. Inputs are random in
 * [-2, 2] and include 0 and negatives (testInputs), except for Maximum/Minimum (below).
 */

const TOLERANCE = 1e-6;
const BATCH = 2;

/**
 * Inputs for Maximum/Minimum, kept away from ties: at every position the inputs take the values of a random
 * permutation of (k - (n-1)/2)·0.8 plus a shared jitter in [-0.3, 0.3], so any two differ by at least 0.8, far more
 * than the step h, and the selected input never changes within a centered difference. (At an exact tie the function
 * has a kink and a centered difference would average the two one-sided slopes; ties are checked against TF.js's rule
 * in merge-tfjs-oracle.test.ts and analytically in merge-layers.test.ts.) The jitter is 0 at position 0, so for an
 * odd count the middle input is exactly 0 there; values are negative and positive.
 */
function separatedInputs(inputShapes: readonly Shape[]): number[][] {
  const n = inputShapes.length;
  const size = BATCH * shapeSize(inputShapes[0]!);
  const jitter = testInputs(size, 0.3, 17);
  const rng = new Rng(5);
  const out = inputShapes.map(() => new Array<number>(size).fill(0));
  for (let i = 0; i < size; i++) {
    const perm = Array.from({ length: n }, (_, k) => k);
    rng.shuffle(perm);
    perm.forEach((rank, k) => {
      out[k]![i] = (rank - (n - 1) / 2) * 0.8 + jitter[i]!;
    });
  }
  return out;
}

interface GradCase {
  label: string;
  config: LayerConfig;
  inputShapes: Shape[];
  separated?: boolean;
}

const cases: GradCase[] = [
  { label: 'Add, 2 inputs', config: { type: 'Add' }, inputShapes: [[4], [4]] },
  { label: 'Add, 3 inputs', config: { type: 'Add' }, inputShapes: [[2, 3], [2, 3], [2, 3]] },
  { label: 'Add, broadcast (2, 3) + (1, 3) + (3,)', config: { type: 'Add' }, inputShapes: [[2, 3], [1, 3], [3]] },
  { label: 'Subtract', config: { type: 'Subtract' }, inputShapes: [[2, 3], [2, 3]] },
  { label: 'Subtract, broadcast (2, 1) - (2, 3)', config: { type: 'Subtract' }, inputShapes: [[2, 1], [2, 3]] },
  { label: 'Multiply, 2 inputs', config: { type: 'Multiply' }, inputShapes: [[4], [4]] },
  { label: 'Multiply, 3 inputs', config: { type: 'Multiply' }, inputShapes: [[2, 3], [2, 3], [2, 3]] },
  { label: 'Multiply, broadcast (2, 3) * (2, 1) * (3,)', config: { type: 'Multiply' }, inputShapes: [[2, 3], [2, 1], [3]] },
  { label: 'Average, 2 inputs', config: { type: 'Average' }, inputShapes: [[4], [4]] },
  { label: 'Average, 3 inputs', config: { type: 'Average' }, inputShapes: [[2, 3], [2, 3], [2, 3]] },
  { label: 'Average, broadcast (3,) and (2, 3)', config: { type: 'Average' }, inputShapes: [[3], [2, 3]] },
  { label: 'Maximum, 2 inputs', config: { type: 'Maximum' }, inputShapes: [[4], [4]], separated: true },
  { label: 'Maximum, 3 inputs', config: { type: 'Maximum' }, inputShapes: [[2, 3], [2, 3], [2, 3]], separated: true },
  { label: 'Minimum, 2 inputs', config: { type: 'Minimum' }, inputShapes: [[4], [4]], separated: true },
  { label: 'Minimum, 3 inputs', config: { type: 'Minimum' }, inputShapes: [[2, 3], [2, 3], [2, 3]], separated: true },
  { label: 'Concatenate (axis -1 default)', config: { type: 'Concatenate' }, inputShapes: [[3], [2]] },
  { label: 'Concatenate axis -1, 3 inputs', config: { type: 'Concatenate', axis: -1 }, inputShapes: [[2, 3], [2, 1], [2, 2]] },
  { label: 'Concatenate axis 1, 3 inputs', config: { type: 'Concatenate', axis: 1 }, inputShapes: [[2, 3], [1, 3], [3, 3]] },
  { label: 'Concatenate axis 2 of rank-4 inputs', config: { type: 'Concatenate', axis: 2 }, inputShapes: [[2, 2, 3], [2, 1, 3]] },
  { label: 'Dot axes 1 (vectors)', config: { type: 'Dot', axes: 1 }, inputShapes: [[4], [4]] },
  { label: 'Dot axes [1, 1] (3-D)', config: { type: 'Dot', axes: [1, 1] }, inputShapes: [[3, 2], [3, 4]] },
  { label: 'Dot axes [2, 2] (3-D)', config: { type: 'Dot', axes: [2, 2] }, inputShapes: [[3, 2], [4, 2]] },
  { label: 'Dot axes [2, 1] (batch matmul)', config: { type: 'Dot', axes: [2, 1] }, inputShapes: [[3, 2], [2, 4]] },
  { label: 'Dot axes [1, 2], 2-D with 3-D', config: { type: 'Dot', axes: [1, 2] }, inputShapes: [[3], [4, 3]] },
  { label: 'Dot axes [2, 1] of rank-4 and rank-3 inputs', config: { type: 'Dot', axes: [2, 1] }, inputShapes: [[2, 3, 2], [3, 2]] },
  { label: 'Dot axes 1, normalize', config: { type: 'Dot', axes: 1, normalize: true }, inputShapes: [[4], [4]] },
  { label: 'Dot axes [1, 1], normalize', config: { type: 'Dot', axes: [1, 1], normalize: true }, inputShapes: [[3, 2], [3, 4]] },
  { label: 'Dot axes [2, 2], normalize', config: { type: 'Dot', axes: [2, 2], normalize: true }, inputShapes: [[3, 2], [4, 2]] },
  { label: 'Dot axes -1, normalize', config: { type: 'Dot', axes: -1, normalize: true }, inputShapes: [[3, 4], [2, 4]] },
];

describe('merge layer gradients (finite differences, float64)', () => {
  it.each(cases)('$label: max relative error of every input gradient < 1e-6', ({ config, inputShapes, separated }) => {
    const errors = checkLayerGradients({
      config,
      inputShapes,
      batch: BATCH,
      ...(separated ? { inputs: separatedInputs(inputShapes) } : {}),
    });
    expect(errors.inputs).toHaveLength(inputShapes.length);
    for (const e of errors.inputs) expect(e).toBeLessThan(TOLERANCE);
    expect(errors.weights).toEqual({});
  });

  it('keeps Maximum/Minimum inputs at least 0.8 apart at every position', () => {
    const xs = separatedInputs([[2, 3], [2, 3], [2, 3]]);
    for (let i = 0; i < xs[0]!.length; i++) {
      const v = xs.map((x) => x[i]!).sort((a, b) => a - b);
      for (let k = 1; k < v.length; k++) expect(v[k]! - v[k - 1]!).toBeGreaterThan(0.79);
    }
  });
});
