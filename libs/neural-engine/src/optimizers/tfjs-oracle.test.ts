import * as tf from '@tensorflow/tfjs';
import { beforeAll, describe, it } from 'vitest';
import { Adadelta } from './adadelta.js';
import { Adagrad } from './adagrad.js';
import { Adam } from './adam.js';
import { Adamax } from './adamax.js';
import type { Optimizer } from './optimizer.js';
import { RMSprop } from './rmsprop.js';
import { SGD } from './sgd.js';
import { GRADS, W0, expectTrajectory, trajectory } from '../testing/optimizer-steps.js';

// TensorFlow.js as an independent oracle: its optimizers run on the same variable and gradients for 3 steps, and
// every step must agree with ours to float32 precision. Where TF.js and Keras 3 differ, the settings make them equal
// (each case says how).

beforeAll(async () => {
  await tf.setBackend('cpu');
});

function tfTrajectory(optimizer: tf.Optimizer): number[][] {
  const v = tf.variable(tf.tensor1d(W0));
  const out = GRADS.map((g) => {
    const grad = tf.tensor1d(g);
    optimizer.applyGradients({ [v.name]: grad });
    grad.dispose();
    return Array.from(v.dataSync());
  });
  v.dispose();
  optimizer.dispose();
  return out;
}

function agree(ours: Optimizer, theirs: tf.Optimizer, rel = 2e-6): void {
  expectTrajectory(trajectory(ours), tfTrajectory(theirs), rel);
}

describe('agreement with TensorFlow.js optimizers (3 steps)', () => {
  it('SGD', () => agree(new SGD({ learningRate: 0.1 }), tf.train.sgd(0.1)));

  // TF.js keeps accum = μ·accum + g and steps -lr·accum; Keras keeps velocity = μ·v - lr·g, the same for a constant lr.
  it('SGD with momentum', () => agree(new SGD({ learningRate: 0.1, momentum: 0.9 }), tf.train.momentum(0.1, 0.9)));
  it('SGD with Nesterov momentum', () => agree(new SGD({ learningRate: 0.1, momentum: 0.9, nesterov: true }), tf.train.momentum(0.1, 0.9, true)));

  // TF.js adds ε to the bias-corrected sqrt(v̂), Keras to the uncorrected sqrt(v); with ε = 0 both are
  // lr·m̂/sqrt(v̂). With the default ε = 1e-7 they differ by about ε/|g| relative, covered by the same check.
  // Tolerance 1e-5: TF.js keeps β2^t as a float32 running product, and 1 - β2^t (~3e-3) loses about 3e-5 of it
  // to cancellation, which the square root halves; the trajectories show ~2e-6.
  it('Adam (ε = 0)', () => agree(new Adam({ learningRate: 0.1, epsilon: 0 }), tf.train.adam(0.1, 0.9, 0.999, 0), 1e-5));
  it('Adam (ε = 1e-7, where the conventions differ slightly)', () => agree(new Adam({ learningRate: 0.1 }), tf.train.adam(0.1, 0.9, 0.999, 1e-7), 1e-5));

  it('Adamax', () => agree(new Adamax({ learningRate: 0.1 }), tf.train.adamax(0.1, 0.9, 0.999, 1e-7)));

  // TF.js Adagrad uses the backend epsilon (1e-7 on the cpu backend), the Keras default.
  it('Adagrad', () => agree(new Adagrad({ learningRate: 0.1 }), tf.train.adagrad(0.1, 0.1)));

  // No Adadelta comparison: TF.js 4.22 divides by sqrt of the accumulated squared gradient *before* this step's
  // update (its first step is exactly lr·g), while Keras 3 (and TF's ApplyAdadelta) use the updated accumulator; no
  // setting makes them agree. The test below pins that difference so the reason stays checked.
  it('Adadelta: TF.js uses the stale accumulator, Keras the updated one', () => {
    const theirs = tfTrajectory(tf.train.adadelta(1, 0.95, 1e-7));
    expectTrajectory([theirs[0]!], [W0.map((w, i) => w - GRADS[0]![i]!)]);
    // Ours (Keras): step 1 is -sqrt(ε)/sqrt(0.05g² + ε)·g ≈ ∓1.41421e-3 (see adadelta.test.ts).
    expectTrajectory([trajectory(new Adadelta({ learningRate: 1 }))[0]!], [[0.998586, -1.998586, 0.498586]], 2e-6);
  });

  // TF.js names rho `decay`; its default epsilon is the backend epsilon, 1e-7 like Keras.
  it('RMSprop', () => agree(new RMSprop({ learningRate: 0.01 }), tf.train.rmsprop(0.01, 0.9, 0, 1e-7)));
  it('RMSprop with momentum', () => agree(new RMSprop({ learningRate: 0.01, momentum: 0.5 }), tf.train.rmsprop(0.01, 0.9, 0.5, 1e-7)));

  // Centered TF.js computes sqrt(s - (ḡ² + ε)) where Keras computes sqrt(s - ḡ² + ε); with ε = 0 they coincide.
  it('RMSprop centered (ε = 0)', () => agree(new RMSprop({ learningRate: 0.01, momentum: 0.5, centered: true, epsilon: 0 }), tf.train.rmsprop(0.01, 0.9, 0.5, 0, true)));
});
