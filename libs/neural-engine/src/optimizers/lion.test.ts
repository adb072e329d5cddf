import { describe, it } from 'vitest';
import { Lion } from './lion.js';
import { expectClose, trajectory } from '../testing/optimizer-steps.js';

describe('Lion', () => {
  it('3 steps: w -= lr·sign(β1·m + (1 - β1)·g), m = β2·m + (1 - β2)·g', () => {
    // lr 0.1, β1 0.9, β2 0.99, w0 = [1, -2, 0.5]:
    // step 1: sign(0.1·g1) = [1, -1, 1] → w1 = [0.9, -1.9, 0.4];            m1 = 0.01·g1 = [0.001, -0.002, 0.003]
    // step 2: 0.9·m1 + 0.1·g2 = [0.0409, -0.0018, -0.0473] → [1, -1, -1] → w2 = [0.8, -1.8, 0.5]
    //         m2 = 0.99·m1 + 0.01·g2 = [0.00499, -0.00198, -0.00203]
    // step 3: 0.9·m2 + 0.1·g3 = [-0.025509, 0.018218, 0.008173] → [-1, 1, 1] → w3 = [0.9, -1.9, 0.4]
    const [w1, w2, w3] = trajectory(new Lion({ learningRate: 0.1 }));
    expectClose(w1!, [0.9, -1.9, 0.4]);
    expectClose(w2!, [0.8, -1.8, 0.5]);
    expectClose(w3!, [0.9, -1.9, 0.4]);
  });

  it('sign(0) = 0: a zero gradient with zero momentum does not move the weight', () => {
    // step 1 with g = [0, 0.5, 0]: sign(0) = 0 → w1 = [1, -2 - 0.1, 0.5]
    const [w1] = trajectory(new Lion({ learningRate: 0.1 }), [[0, 0.5, 0]]);
    expectClose(w1!, [1, -2.1, 0.5]);
  });
});
