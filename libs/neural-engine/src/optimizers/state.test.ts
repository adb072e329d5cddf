import { describe, expect, it } from 'vitest';
import type { Variable } from '../layers/variable.js';
import { getOptimizer } from './index.js';
import type { Optimizer, OptimizerConfig } from './optimizer.js';
import { backend32, step, variable } from '../testing/optimizer-steps.js';

// Optimizer A runs 5 steps; optimizer B runs 2, its state goes through getState into a fresh optimizer built from
// B's config, which runs the remaining 3: the variables (and the states) must be equal bit for bit.

const configs: OptimizerConfig[] = [
  { type: 'SGD', learningRate: 0.1, momentum: 0.9, nesterov: true, useEma: true, emaOverwriteFrequency: 3 },
  { type: 'Adam', learningRate: 0.01, amsgrad: true, gradientAccumulationSteps: 2, clipnorm: 1 },
  { type: 'AdamW', learningRate: { type: 'CosineDecay', initialLearningRate: 0.01, decaySteps: 10 } },
  { type: 'RMSprop', momentum: 0.5, centered: true, globalClipnorm: 2 },
  { type: 'Adagrad', learningRate: 0.1, clipvalue: 0.3 },
  { type: 'Adadelta', learningRate: 1, weightDecay: 0.01 },
  { type: 'Adamax', useEma: true },
  { type: 'Nadam', learningRate: 0.01, gradientAccumulationSteps: 3 },
  { type: 'Ftrl', learningRate: 0.1, l1RegularizationStrength: 0.01, beta: 0.1 },
  { type: 'Lion', learningRate: 0.01, weightDecay: 0.1 },
  { type: 'Lamb', learningRate: 0.01 },
  { type: 'Adafactor', learningRate: 0.1 },
];

const grads = (k: number): number[][] => [
  [0.1 * k - 0.2, -0.3 + 0.05 * k, 0.7 - 0.2 * k, 0.01 * k * k, -0.4, 0.25 * k],
  [0.3 - 0.1 * k, 0.2 * k - 0.5],
];

function makeVariables(): Variable[] {
  return [variable([0.5, -1, 0.25, 0, 1.5, -0.75], [2, 3]), variable([0.1, -0.2], [2], backend32, 'dense/bias')];
}

function run(opt: Optimizer, vars: Variable[], from: number, to: number): void {
  for (let k = from; k < to; k++) step(opt, vars, grads(k));
}

const bits = (vars: Variable[]) => vars.map((v) => Array.from(new Uint32Array(v.value.data.buffer, v.value.data.byteOffset, v.value.size)));

describe('getState / setState', () => {
  it.each(configs.map((c) => [typeof c === 'string' ? c : c.type, c] as const))('%s resumes bitwise-exactly', (_name, config) => {
    const a = getOptimizer(config);
    const aVars = makeVariables();
    run(a, aVars, 0, 5);

    const b = getOptimizer(config);
    const bVars = makeVariables();
    run(b, bVars, 0, 2);
    const saved = b.getState();
    const savedWeights = bVars.map((v) => v.value.data.slice());
    // Through JSON, as a checkpoint stores it (float32 values print and parse back exactly).
    const json = JSON.parse(JSON.stringify({ iterations: saved.iterations, arrays: saved.arrays.map((x) => Array.from(x)) })) as {
      iterations: number;
      arrays: number[][];
    };
    const types = saved.arrays.map((x) => (x instanceof Float64Array ? Float64Array : Float32Array));
    const savedCopy = saved.arrays.map((x) => Array.from(x));
    run(b, bVars, 2, 3); // B goes on: what getState returned must not change
    expect(saved.arrays.map((x) => Array.from(x))).toEqual(savedCopy);

    const c = getOptimizer(b.getConfig());
    const cVars = makeVariables();
    cVars.forEach((v, i) => v.value.data.set(savedWeights[i]!));
    c.build(cVars, backend32);
    c.setState({ iterations: json.iterations, arrays: json.arrays.map((x, i) => types[i]!.from(x)) });
    run(c, cVars, 2, 5);

    expect(bits(cVars)).toEqual(bits(aVars));
    const sa = a.getState();
    const sc = c.getState();
    expect(sc.iterations).toBe(sa.iterations);
    expect(sc.arrays.map((x) => Array.from(x))).toEqual(sa.arrays.map((x) => Array.from(x)));
  });

  it('carries a learning rate set during training and rejects mismatched states', () => {
    const b = getOptimizer({ type: 'SGD', learningRate: 0.1, momentum: 0.9 });
    const vars = makeVariables();
    run(b, vars, 0, 1);
    b.learningRate = 0.02;
    const saved = b.getState();
    const c = getOptimizer({ type: 'SGD', learningRate: 0.1, momentum: 0.9 });
    c.build(makeVariables(), backend32);
    c.setState(saved);
    expect(c.learningRate).toBe(0.02);
    expect(() => c.setState({ iterations: 1, arrays: saved.arrays.slice(1) })).toThrow(/needs 3 arrays, received 2/);
    expect(() => c.setState({ iterations: 1, arrays: [saved.arrays[0]!, saved.arrays[1]!, new Float32Array(5)] })).toThrow(/array 1 has 5 values, expected 2/);
    expect(() => c.setState({ iterations: -1, arrays: saved.arrays })).toThrow(/iterations/);
  });
});
