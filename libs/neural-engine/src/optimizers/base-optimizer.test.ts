import { describe, expect, it } from 'vitest';
import type { Backend } from '../backend/backend.js';
import type { Constraint } from '../constraints/constraint.js';
import { Variable } from '../layers/variable.js';
import type { Tensor } from '../tensor.js';
import { Adam } from './adam.js';
import { optimizerRegistry } from './index.js';
import { SGD } from './sgd.js';
import { GRADS, W0, backend32, expectClose, expectTrajectory, step, trajectory, variable } from '../testing/optimizer-steps.js';

// The shared step of every optimizer, exercised through SGD (w -= lr·g) so that each expected value is easy to derive.

describe('clipping', () => {
  // Two variables: a = [3, 4] and b = [1]; SGD lr 0.1.
  const gradsA = [[3, 4], [0, -2], [0.3, 0.4]];
  const gradsB = [[0.5], [-3], [0]];

  function run(opt: SGD): number[][][] {
    const a = variable([3, 4]);
    const b = variable([1]);
    return gradsA.map((ga, i) => {
      step(opt, [a, b], [ga, gradsB[i]!]);
      return [Array.from(a.value.data), Array.from(b.value.data)];
    });
  }

  it('clipnorm clips each variable to its own norm', () => {
    // step 1: ‖ga‖ = 5 → [0.6, 0.8]; ‖gb‖ = 0.5 (kept): a = [2.94, 3.92], b = [0.95]
    // step 2: ‖ga‖ = 2 → [0, -1]; ‖gb‖ = 3 → [-1]:     a = [2.94, 4.02], b = [1.05]
    // step 3: ‖ga‖ = 0.5 (kept); gb = 0:                a = [2.91, 3.98], b = [1.05]
    const out = run(new SGD({ learningRate: 0.1, clipnorm: 1 }));
    expectClose(out[0]![0]!, [2.94, 3.92]);
    expectClose(out[0]![1]!, [0.95]);
    expectClose(out[1]![0]!, [2.94, 4.02]);
    expectClose(out[1]![1]!, [1.05]);
    expectClose(out[2]![0]!, [2.91, 3.98]);
    expectClose(out[2]![1]!, [1.05]);
  });

  it('globalClipnorm scales all gradients by one factor', () => {
    // step 1: ‖all‖ = sqrt(25 + 0.25) = 5.0249378, scale 1/5.0249378 = 0.1990074:
    //         a = [3 - 0.0597022, 4 - 0.0796030], b = 1 - 0.0099504
    // step 2: ‖all‖ = sqrt(4 + 9) = 3.6055513, scale 0.2773501: a[1] += 0.0554700, b += 0.0832050
    // step 3: ‖all‖ = 0.5 <= 1, unscaled: a -= [0.03, 0.04]
    const out = run(new SGD({ learningRate: 0.1, globalClipnorm: 1 }));
    const s1 = 1 / Math.sqrt(25.25);
    const s2 = 1 / Math.sqrt(13);
    const a1 = [3 - 0.1 * 3 * s1, 4 - 0.1 * 4 * s1];
    const b1 = 1 - 0.1 * 0.5 * s1;
    const a2 = [a1[0]!, a1[1]! + 0.1 * 2 * s2];
    const b2 = b1 + 0.1 * 3 * s2;
    expectClose(out[0]![0]!, a1);
    expectClose(out[0]![1]!, [b1]);
    expectClose(out[1]![0]!, a2);
    expectClose(out[1]![1]!, [b2]);
    expectClose(out[2]![0]!, [a2[0]! - 0.03, a2[1]! - 0.04]);
    expectClose(out[2]![1]!, [b2]);
    expectClose(out[0]![0]!, [2.9402978, 3.920397]);
  });

  it('clipvalue clamps each element', () => {
    // clipped grads: [0.5, -0.2, -0.5], [0.4, 0.5, -0.5], [-0.5, 0.1, 0]
    // w1 = [0.95, -1.98, 0.55], w2 = [0.91, -2.03, 0.6], w3 = [0.96, -2.04, 0.6]
    const out = trajectory(new SGD({ learningRate: 0.1, clipvalue: 0.5 }), [[2, -0.2, -3], [0.4, 0.6, -0.5], [-1, 0.1, 0]]);
    expectTrajectory(out, [[0.95, -1.98, 0.55], [0.91, -2.03, 0.6], [0.96, -2.04, 0.6]]);
  });

  it('never modifies variable.grad', () => {
    const w = variable([3, 4]);
    step(new SGD({ clipnorm: 1 }), [w], [[3, 4]]);
    expect(Array.from(w.grad.data)).toEqual([3, 4]);
  });

  it('leaves variable.grad as backward left it, for every optimizer, with and without gradient processing', () => {
    // Without loss scaling, accumulation or clipping, gradients are read in place rather than copied first: no
    // update step may write into them.
    const extras = [{}, { clipvalue: 0.5 }, { lossScaleFactor: 2 }, { gradientAccumulationSteps: 2 }];
    for (const name of optimizerRegistry.names()) {
      for (const extra of extras) {
        const optimizer = optimizerRegistry.get(name).create(extra);
        const [kernel, bias] = [variable([0.5, -1, 2, 0.25, 1.5, -0.75], [2, 3]), variable([0.1, -0.2], [2], backend32, 'dense/bias')];
        for (const grads of [[[3, -4, 0.5, 1, -2, 0.25], [1, -1]], [[-0.5, 2, 0, 1.5, 0.75, -3], [0.5, 2]]]) {
          step(optimizer, [kernel, bias], grads);
          expect([Array.from(kernel.grad.data), Array.from(bias.grad.data)], `${name} ${JSON.stringify(extra)}`).toEqual(grads);
        }
      }
    }
  });
});

describe('weight decay', () => {
  it('decays w by w·wd·lr before the update (decoupled)', () => {
    // lr 0.1, wd 0.5: w ← 0.95·w, then w -= 0.1·g
    // step 1: [0.95, -1.9, 0.475] - [0.01, -0.02, 0.03] = [0.94, -1.88, 0.445]
    // step 2: [0.893, -1.786, 0.42275] - [0.04, 0, -0.05] = [0.853, -1.786, 0.47275]
    // step 3: [0.81035, -1.6967, 0.4491125] - [-0.03, 0.02, 0.01] = [0.84035, -1.7167, 0.4391125]
    expectTrajectory(trajectory(new SGD({ learningRate: 0.1, weightDecay: 0.5 })), [
      [0.94, -1.88, 0.445],
      [0.853, -1.786, 0.47275],
      [0.84035, -1.7167, 0.4391125],
    ]);
  });

  it('skips variables excluded by name', () => {
    const opt = new SGD({ learningRate: 0.1, weightDecay: 0.5 });
    opt.excludeFromWeightDecay({ varNames: ['bias'] });
    const kernel = variable([1], [1], backend32, 'dense/kernel');
    const bias = variable([1], [1], backend32, 'dense/bias');
    step(opt, [kernel, bias], [[0], [0]]);
    expectClose(kernel.value.data, [0.95]);
    expectClose(bias.value.data, [1]);
    expect(() => opt.excludeFromWeightDecay({ varNames: ['x'] })).toThrow(/before the optimizer is built/);
  });
});

describe('learning-rate schedules inside an optimizer', () => {
  it('evaluates the schedule at the iteration before each step, for the update and the weight decay', () => {
    // ExponentialDecay(0.1, decaySteps 1, decayRate 0.5): lr = 0.1, 0.05, 0.025 at steps 0, 1, 2.
    // w1 = w0 - 0.1·g1 = [0.99, -1.98, 0.47]; w2 = w1 - 0.05·g2 = [0.97, -1.98, 0.495]; w3 = w2 - 0.025·g3 = [0.9775, -1.985, 0.4925]
    const opt = new SGD({ learningRate: { type: 'ExponentialDecay', initialLearningRate: 0.1, decaySteps: 1, decayRate: 0.5 } });
    expect(opt.learningRate).toBeCloseTo(0.1, 15);
    expectTrajectory(trajectory(opt), [[0.99, -1.98, 0.47], [0.97, -1.98, 0.495], [0.9775, -1.985, 0.4925]]);
    expect(opt.learningRate).toBeCloseTo(0.0125, 15);
    expect(() => {
      opt.learningRate = 0.5;
    }).toThrow(/schedule ExponentialDecay.*cannot be set/);

    // With weight decay 1: w ← w·(1 - lr) first. Step 1: 0.9·w0 - 0.1·g1 = [0.89, -1.78, 0.42];
    // step 2: 0.95·w1 - 0.05·g2 = [0.8255, -1.691, 0.424]
    const decayed = new SGD({ learningRate: { type: 'ExponentialDecay', initialLearningRate: 0.1, decaySteps: 1, decayRate: 0.5 }, weightDecay: 1 });
    const out = trajectory(decayed, GRADS.slice(0, 2));
    expectTrajectory(out, [[0.89, -1.78, 0.42], [0.8255, -1.691, 0.424]]);
  });

  it('a constant learning rate can be set between steps (ReduceLROnPlateau) and is reported by getConfig', () => {
    const opt = new SGD({ learningRate: 0.1 });
    const w = variable(W0);
    step(opt, [w], [GRADS[0]!]);
    opt.learningRate = 0.01;
    step(opt, [w], [GRADS[1]!]);
    // w2 = [0.99, -1.98, 0.47] - 0.01·[0.4, 0, -0.5] = [0.986, -1.98, 0.475]
    expectClose(w.value.data, [0.986, -1.98, 0.475]);
    expect(opt.getConfig()).toMatchObject({ learningRate: 0.01 });
    expect(() => {
      opt.learningRate = -1;
    }).toThrow(RangeError);
  });
});

describe('gradient accumulation', () => {
  it('applies the average every N calls and counts iterations as calls / N', () => {
    // N = 2, lr 0.1: calls 1 and 3 only accumulate; call 2 applies (g1 + g2)/2 = [0.25, -0.1, -0.1],
    // call 4 applies (g3 + g4)/2 with g4 = [0.1, 0, 0.3] → [-0.1, 0.1, 0.2].
    // w after call 2 = [1 - 0.025, -2 + 0.01, 0.5 + 0.01] = [0.975, -1.99, 0.51]; after call 4 = [0.985, -2.0, 0.49]
    const opt = new SGD({ learningRate: 0.1, gradientAccumulationSteps: 2 });
    const out = trajectory(opt, [...GRADS, [0.1, 0, 0.3]]);
    expectTrajectory(out, [W0, [0.975, -1.99, 0.51], [0.975, -1.99, 0.51], [0.985, -2.0, 0.49]]);
    expect(opt.iterations).toBe(2);
    expect(opt.getState().iterations).toBe(4);
  });

  it('clips the averaged gradient, not each accumulated one', () => {
    // grads [6, 8] then [0, 0]: average [3, 4], norm 5 → clipped to [0.6, 0.8]; w = [1, 1] - 0.1·[0.6, 0.8] = [0.94, 0.92]
    // (clipping each call first would give an average of [0.3, 0.4]).
    const out = trajectory(new SGD({ learningRate: 0.1, gradientAccumulationSteps: 2, clipnorm: 1 }), [[6, 8], [0, 0]], [1, 1]);
    expectClose(out[1]!, [0.94, 0.92]);
  });

  it('bias corrections use the update count and schedules the raw call count (as Keras documents)', () => {
    // Adam, N = 2: the first update (call 2) has t = iterations + 1 = 1, so it moves by ≈ lr·sign(average gradient).
    const adam = new Adam({ learningRate: 0.1, gradientAccumulationSteps: 2 });
    const out = trajectory(adam, [[0.2, -0.4], [0.4, -0.2]], [1, 1]);
    expectClose(out[1]!, [0.9, 1.1], 1e-5);
    // SGD with ExponentialDecay(0.1, 1, 0.5), N = 2: the update on call 2 uses lr at raw step 1 = 0.05:
    // w = 1 - 0.05·(0.2 + 0.4)/2 = 0.985.
    const sgd = new SGD({ learningRate: { type: 'ExponentialDecay', initialLearningRate: 0.1, decaySteps: 1, decayRate: 0.5 }, gradientAccumulationSteps: 2 });
    expectClose(trajectory(sgd, [[0.2], [0.4]], [1])[1]!, [0.985]);
  });
});

describe('EMA', () => {
  it('averages after each step and overwrites the variables every emaOverwriteFrequency steps', () => {
    // SGD lr 0.1, emaMomentum 0.5, frequency 2, g4 = [0.2, 0.2, 0.2]:
    // call 1 (iterations 0, momentum 0): w = [0.99, -1.98, 0.47], avg = w
    // call 2: w = [0.95, -1.98, 0.52], avg = 0.5·avg + 0.5·w = [0.97, -1.98, 0.495]; (1 + 1) % 2 = 0 → w = avg
    // call 3: w = [1.0, -2.0, 0.485], avg = [0.985, -1.99, 0.49]
    // call 4: w = [0.98, -2.02, 0.465], avg = [0.9825, -2.005, 0.4775]; overwrite → w = avg
    const opt = new SGD({ learningRate: 0.1, useEma: true, emaMomentum: 0.5, emaOverwriteFrequency: 2 });
    expectTrajectory(trajectory(opt, [...GRADS, [0.2, 0.2, 0.2]]), [
      [0.99, -1.98, 0.47],
      [0.97, -1.98, 0.495],
      [1.0, -2.0, 0.485],
      [0.9825, -2.005, 0.4775],
    ]);
  });

  it('finalizeVariableValues copies the averages into the variables', () => {
    // Plain SGD trajectory w1..w3 = [0.99, -1.98, 0.47], [0.95, -1.98, 0.52], [0.98, -2.0, 0.51];
    // avg1 = w1, avg2 = [0.97, -1.98, 0.495], avg3 = 0.5·avg2 + 0.5·w3 = [0.975, -1.99, 0.5025]
    const opt = new SGD({ learningRate: 0.1, useEma: true, emaMomentum: 0.5 });
    const w = variable(W0);
    for (const g of GRADS) step(opt, [w], [g]);
    expectClose(w.value.data, [0.98, -2.0, 0.51]);
    opt.finalizeVariableValues([w], backend32);
    expectClose(w.value.data, [0.975, -1.99, 0.5025]);
  });

  it('default emaMomentum is 0.99', () => {
    // avg2 = 0.99·w1 + 0.01·w2 → element 0: 0.99·0.99 + 0.01·0.95 = 0.9896
    const opt = new SGD({ learningRate: 0.1, useEma: true });
    const w = variable(W0);
    for (const g of GRADS.slice(0, 2)) step(opt, [w], [g]);
    opt.finalizeVariableValues([w], backend32);
    expectClose([w.value.data[0]!], [0.9896]);
  });
});

describe('other parts of the step', () => {
  it('divides gradients by lossScaleFactor', () => {
    // grads are 4× the real ones; lr 0.1 → same as plain SGD: w1 = [0.99, -1.98, 0.47]
    const out = trajectory(new SGD({ learningRate: 0.1, lossScaleFactor: 4 }), [GRADS[0]!.map((g) => 4 * g)]);
    expectClose(out[0]!, [0.99, -1.98, 0.47]);
  });

  it('applies variable constraints after each step', () => {
    const nonNeg: Constraint = {
      name: 'non_neg',
      apply: (w: Tensor, b: Backend) => void b.map(w, (x) => Math.max(0, x), w),
      getConfig: () => 'non_neg',
    };
    const w = new Variable('dense/kernel', backend32.fromValues([2], [0.05, 1]), backend32, true, null, nonNeg);
    step(new SGD({ learningRate: 0.1 }), [w], [[1, 1]]);
    // [0.05 - 0.1, 1 - 0.1] = [-0.05, 0.9] → projected to [0, 0.9]
    expectClose(w.value.data, [0, 0.9]);
  });

  it('counts iterations and rejects variables it was not built for', () => {
    const opt = new SGD();
    const w = variable(W0);
    expect(opt.iterations).toBe(0);
    step(opt, [w], [GRADS[0]!]);
    step(opt, [w], [GRADS[1]!]);
    expect(opt.iterations).toBe(2);
    expect(() => step(opt, [variable(W0)], [GRADS[0]!])).toThrow(/unknown variable/);
    expect(() => opt.build([variable(W0)], backend32)).toThrow(/built for other variables/);
  });

  it('needs build before getState/setState', () => {
    const opt = new Adam();
    expect(() => opt.getState()).toThrow(/call build/);
    expect(() => opt.setState({ iterations: 0, arrays: [] })).toThrow(/call build/);
  });
});
