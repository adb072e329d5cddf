import { describe, expect, it } from 'vitest';
import { SGD } from './sgd.js';
import { backend32, expectClose, step, variable } from '../testing/optimizer-steps.js';

// One scenario for every SGD variant: w0 = [1, -2, 0.5], lr = 0.1, gradients per step:
const w0 = [1, -2, 0.5];
const g1 = [0.1, -0.2, 0.3];
const g2 = [0.4, 0, -0.5];
const g3 = [-0.3, 0.2, 0.1];

function run(opt: SGD): number[][] {
  const w = variable(w0);
  return [g1, g2, g3].map((g) => {
    step(opt, [w], [g]);
    return Array.from(w.value.data);
  });
}

describe('SGD', () => {
  it('plain: w -= lr·g', () => {
    // w1 = [1 - 0.01, -2 + 0.02, 0.5 - 0.03] = [0.99, -1.98, 0.47]
    // w2 = [0.99 - 0.04, -1.98 - 0, 0.47 + 0.05] = [0.95, -1.98, 0.52]
    // w3 = [0.95 + 0.03, -1.98 - 0.02, 0.52 - 0.01] = [0.98, -2.0, 0.51]
    const [w1, w2, w3] = run(new SGD({ learningRate: 0.1 }));
    expectClose(w1!, [0.99, -1.98, 0.47]);
    expectClose(w2!, [0.95, -1.98, 0.52]);
    expectClose(w3!, [0.98, -2.0, 0.51]);
  });

  it('momentum 0.9: v = 0.9·v - lr·g, w += v', () => {
    // v1 = -0.1·g1 = [-0.01, 0.02, -0.03]                          w1 = [0.99, -1.98, 0.47]
    // v2 = 0.9·v1 - 0.1·g2 = [-0.009 - 0.04, 0.018, -0.027 + 0.05] = [-0.049, 0.018, 0.023]
    //                                                               w2 = [0.941, -1.962, 0.493]
    // v3 = 0.9·v2 - 0.1·g3 = [-0.0441 + 0.03, 0.0162 - 0.02, 0.0207 - 0.01] = [-0.0141, -0.0038, 0.0107]
    //                                                               w3 = [0.9269, -1.9658, 0.5037]
    const [w1, w2, w3] = run(new SGD({ learningRate: 0.1, momentum: 0.9 }));
    expectClose(w1!, [0.99, -1.98, 0.47]);
    expectClose(w2!, [0.941, -1.962, 0.493]);
    expectClose(w3!, [0.9269, -1.9658, 0.5037]);
  });

  it('nesterov: w += 0.9·v_new - lr·g', () => {
    // Same velocities as above.
    // w1 = w0 + 0.9·v1 - 0.1·g1 = [1 - 0.009 - 0.01, -2 + 0.018 + 0.02, 0.5 - 0.027 - 0.03] = [0.981, -1.962, 0.443]
    // w2 = w1 + 0.9·v2 - 0.1·g2 = [0.981 - 0.0441 - 0.04, -1.962 + 0.0162, 0.443 + 0.0207 + 0.05] = [0.8969, -1.9458, 0.5137]
    // w3 = w2 + 0.9·v3 - 0.1·g3 = [0.8969 - 0.01269 + 0.03, -1.9458 - 0.00342 - 0.02, 0.5137 + 0.00963 - 0.01]
    //    = [0.91421, -1.96922, 0.51333]
    const [w1, w2, w3] = run(new SGD({ learningRate: 0.1, momentum: 0.9, nesterov: true }));
    expectClose(w1!, [0.981, -1.962, 0.443]);
    expectClose(w2!, [0.8969, -1.9458, 0.5137]);
    expectClose(w3!, [0.91421, -1.96922, 0.51333]);
  });

  it('has Keras defaults and creates the velocity slot only with momentum', () => {
    const plain = new SGD();
    expect(plain.getConfig()).toEqual({ type: 'SGD', learningRate: 0.01, momentum: 0, nesterov: false });
    plain.build([variable(w0)], backend32);
    expect(plain.getState().arrays).toHaveLength(1); // only the learning rate
    const withMomentum = new SGD({ momentum: 0.5 });
    withMomentum.build([variable(w0)], backend32);
    expect(withMomentum.getState().arrays).toHaveLength(2);
  });
});
