import { describe, expect, it } from 'vitest';
import { activationRegistry } from '../activations/index.js';
import { Rng } from '../rng.js';
import { type Shape, type Tensor, shapeSize } from '../tensor.js';
import { float64Backend, maxRelativeError, numericGradient, testInputs } from '../testing/gradient-check.js';
import { type Layer, type LayerConfig, createLayer } from './index.js';

/*
 * Finite-difference gradient checks of every layer on the float64 backend: dL/dx and dL/dw of every weight, for
 * L = Σ y·r + activity penalty + Σ weight-regularizer penalties (r fixed), against centered differences (h = 1e-6).
 * Random layers (Dropout family) run in training mode with the model RNG restored before each forward, so every
 * evaluation sees the same draw.
 */

const TOLERANCE = 1e-6;
const BATCH = 3;
/** Finite-difference step: the losses here are O(1) and mostly piecewise polynomial, so a larger step than the default 1e-6 cuts rounding noise. */
const H = 1e-5;

interface GradCase {
  label: string;
  config: LayerConfig;
  inputShape: Shape;
  /**
   * Points where the layer's function has a kink in x (relu-type corners). A centered difference straddling a kink
   * averages the two one-sided slopes, so inputs within 0.05 of one are moved 0.05 off it; smooth layers keep their
   * exact zeros.
   */
  kinks?: number[];
  /** The layer draws random numbers in training: check that the draw actually changed the output. */
  random?: boolean;
}

function offKinks(xs: Float64Array, kinks: readonly number[]): Float64Array {
  for (let i = 0; i < xs.length; i++) {
    for (const k of kinks) if (Math.abs(xs[i]! - k) < 0.05) xs[i] = xs[i]! >= k ? k + 0.05 : k - 0.05;
  }
  return xs;
}

function sumProduct(a: Tensor, r: Tensor): number {
  let s = 0;
  for (let i = 0; i < a.size; i++) s += a.data[i]! * r.data[i]!;
  return s;
}

/** Relative errors of dL/dx and of each weight's dL/dw. */
function checkGradients(c: GradCase): { layer: Layer; dx: number; weights: Record<string, number>; changed: boolean } {
  const backend = float64Backend;
  const rng = new Rng(11);
  const layer = createLayer({ name: 'checked', ...c.config });
  layer.build(c.inputShape, { backend, rng });
  const xShape = [BATCH, ...c.inputShape];
  const xs = offKinks(testInputs(shapeSize(xShape), 2, 3), c.kinks ?? []);
  const x = backend.fromValues(xShape, xs);
  const r = backend.fromValues([BATCH, ...layer.outputShape], testInputs(BATCH * shapeSize(layer.outputShape), 1, 5));
  const state = rng.getState();

  const loss = (): number => {
    rng.setState(state);
    const y = layer.call(x, true);
    let l = sumProduct(y, r) + (layer.activityRegularizer ? layer.activityPenalty : 0);
    for (const v of layer.variables) if (v.regularizer) l += v.regularizer.penalty(v.value, backend);
    return l;
  };

  // Analytic gradients.
  for (const v of layer.variables) backend.fill(v.grad, 0);
  loss();
  const dx = Float64Array.from(layer.callBackward(r).data);
  const analytic = layer.variables.map((v) => {
    const g = backend.clone(v.grad);
    v.regularizer?.accumulateGradient(v.value, g, backend);
    return Float64Array.from(g.data);
  });
  rng.setState(state);
  const changed = Array.from(layer.call(x, true).data).some((v, i) => v !== xs[i]);

  const numericDx = numericGradient((probe) => {
    x.data.set(probe);
    return loss();
  }, xs, H);
  x.data.set(xs);
  const weights: Record<string, number> = {};
  layer.variables.forEach((v, k) => {
    const w0 = Float64Array.from(v.value.data);
    const numeric = numericGradient((probe) => {
      v.value.data.set(probe);
      return loss();
    }, w0, H);
    v.value.data.set(w0);
    weights[v.name] = maxRelativeError(analytic[k]!, numeric);
  });
  return { layer, dx: maxRelativeError(dx, numericDx), weights, changed };
}

const randomBias = { type: 'RandomNormal', stddev: 0.5 };
const cases: GradCase[] = [
  { label: 'InputLayer', config: { type: 'InputLayer', shape: [4] }, inputShape: [4] },
  // Dense with every activation (a random bias keeps pre-activations off the kinks at exactly 0).
  ...activationRegistry
    .names()
    .filter((name) => activationRegistry.get(name).nameSuffices)
    .map((name): GradCase => ({
      label: `Dense activation=${name}`,
      config: { type: 'Dense', units: 4, activation: name, biasInitializer: randomBias },
      inputShape: [3],
    })),
  {
    label: 'Dense threshold activation (object form)',
    config: { type: 'Dense', units: 4, activation: { type: 'threshold', threshold: 0.1, defaultValue: -0.5 }, biasInitializer: randomBias },
    inputShape: [3],
  },
  // Dense with regularizers on every weight and on the activity, alone and combined.
  { label: 'Dense kernel l2', config: { type: 'Dense', units: 3, kernelRegularizer: 'l2', biasInitializer: randomBias }, inputShape: [4] },
  {
    label: 'Dense kernel L1 + bias L2',
    config: { type: 'Dense', units: 3, kernelRegularizer: { type: 'L1', l1: 0.05 }, biasRegularizer: { type: 'L2', l2: 0.1 }, biasInitializer: randomBias },
    inputShape: [4],
  },
  {
    label: 'Dense tanh, kernel L1L2 + bias l1 + activity L1L2',
    config: {
      type: 'Dense', units: 3, activation: 'tanh', biasInitializer: randomBias,
      kernelRegularizer: { type: 'L1L2', l1: 0.01, l2: 0.02 }, biasRegularizer: 'l1', activityRegularizer: { type: 'L1L2', l1: 0.03, l2: 0.04 },
    },
    inputShape: [2, 4],
  },
  { label: 'Dense sigmoid, no bias, activity l2', config: { type: 'Dense', units: 3, activation: 'sigmoid', useBias: false, activityRegularizer: 'l2' }, inputShape: [4] },
  {
    label: 'Dense relu, orthogonal kernel + activity L1',
    config: {
      type: 'Dense', units: 3, activation: 'relu', biasInitializer: randomBias,
      kernelRegularizer: { type: 'OrthogonalRegularizer', factor: 0.05 }, activityRegularizer: { type: 'L1', l1: 0.02 },
    },
    inputShape: [4],
  },
  { label: 'Dense softmax, activity l1', config: { type: 'Dense', units: 3, activation: 'softmax', activityRegularizer: 'l1', biasInitializer: randomBias }, inputShape: [4] },
  // Activation layers.
  { label: 'Activation tanh', config: { type: 'Activation', activation: 'tanh' }, inputShape: [5] },
  { label: 'Activation gelu', config: { type: 'Activation', activation: 'gelu' }, inputShape: [5] },
  { label: 'Activation log_softmax', config: { type: 'Activation', activation: 'log_softmax' }, inputShape: [5] },
  { label: 'Activation glu', config: { type: 'Activation', activation: 'glu' }, inputShape: [2, 4] },
  { label: 'Activation relu', config: { type: 'Activation', activation: 'relu' }, inputShape: [5], kinks: [0] },
  { label: 'ReLU', config: { type: 'ReLU' }, inputShape: [6], kinks: [0] },
  { label: 'ReLU maxValue 1.2, negativeSlope 0.1, threshold 0.3', config: { type: 'ReLU', maxValue: 1.2, negativeSlope: 0.1, threshold: 0.3 }, inputShape: [2, 5], kinks: [0.3, 1.2] },
  { label: 'LeakyReLU (0.3)', config: { type: 'LeakyReLU' }, inputShape: [6], kinks: [0] },
  { label: 'LeakyReLU 0.05', config: { type: 'LeakyReLU', negativeSlope: 0.05 }, inputShape: [2, 3], kinks: [0] },
  {
    label: 'PReLU, one alpha per element, l2 on alpha',
    config: { type: 'PReLU', alphaInitializer: { type: 'RandomUniform', minval: 0.1, maxval: 0.4 }, alphaRegularizer: 'l2' },
    inputShape: [3, 4],
    kinks: [0],
  },
  {
    label: 'PReLU sharedAxes [1]',
    config: { type: 'PReLU', alphaInitializer: { type: 'RandomUniform', minval: 0.1, maxval: 0.4 }, sharedAxes: [1] },
    inputShape: [3, 4],
    kinks: [0],
  },
  {
    label: 'PReLU sharedAxes [1, 2], alpha 0 (the Keras default)',
    config: { type: 'PReLU', sharedAxes: [1, 2] },
    inputShape: [2, 2, 3],
    kinks: [0],
  },
  // ELU with alpha 1 is continuously differentiable at 0 (both slopes are 1), so its zeros stay.
  { label: 'ELU', config: { type: 'ELU' }, inputShape: [6] },
  { label: 'ELU alpha 0.5', config: { type: 'ELU', alpha: 0.5 }, inputShape: [6], kinks: [0] },
  { label: 'Softmax', config: { type: 'Softmax' }, inputShape: [5] },
  { label: 'Softmax axis 1', config: { type: 'Softmax', axis: 1 }, inputShape: [3, 4] },
  { label: 'Softmax axes [1, 2]', config: { type: 'Softmax', axis: [1, 2] }, inputShape: [2, 3] },
  { label: 'Softmax over the batch axis', config: { type: 'Softmax', axis: 0 }, inputShape: [4] },
  // Random layers, in training mode with a fixed draw.
  { label: 'Dropout 0.4', config: { type: 'Dropout', rate: 0.4 }, inputShape: [6], random: true },
  { label: 'Dropout noiseShape', config: { type: 'Dropout', rate: 0.5, noiseShape: [null, 1, 3] }, inputShape: [2, 3], random: true },
  { label: 'GaussianDropout', config: { type: 'GaussianDropout', rate: 0.3 }, inputShape: [6], random: true },
  { label: 'GaussianNoise', config: { type: 'GaussianNoise', stddev: 0.5 }, inputShape: [6], random: true },
  { label: 'AlphaDropout', config: { type: 'AlphaDropout', rate: 0.3 }, inputShape: [6], random: true },
  { label: 'AlphaDropout noiseShape', config: { type: 'AlphaDropout', rate: 0.4, noiseShape: [1, null, 1] }, inputShape: [3, 2], random: true },
  // |x| has a kink at 0, so the L1 case keeps its probes off 0; the pure L2 case keeps the zeros.
  { label: 'ActivityRegularization l1 + l2', config: { type: 'ActivityRegularization', l1: 0.05, l2: 0.1 }, inputShape: [6], kinks: [0] },
  { label: 'ActivityRegularization l2', config: { type: 'ActivityRegularization', l2: 0.1 }, inputShape: [6] },
  { label: 'Flatten', config: { type: 'Flatten' }, inputShape: [2, 3, 2] },
  { label: 'Reshape', config: { type: 'Reshape', targetShape: [3, -1] }, inputShape: [2, 3] },
];

describe('layer gradients (float64, centered differences)', () => {
  it.each(cases)('$label', (c) => {
    const { layer, dx, weights, changed } = checkGradients(c);
    expect(dx, 'dL/dx').toBeLessThan(TOLERANCE);
    expect(Object.keys(weights)).toEqual(layer.variables.map((v) => v.name));
    for (const [name, err] of Object.entries(weights)) expect(err, `dL/d${name}`).toBeLessThan(TOLERANCE);
    if (c.random) expect(changed, 'the training draw changed the output').toBe(true);
  });

  it('covers every weight of the checked layers (PReLU alpha shapes follow sharedAxes)', () => {
    const alphaShapes = cases
      .filter((c) => c.config.type === 'PReLU')
      .map((c) => checkGradients(c).layer.variables.map((v) => v.value.shape));
    expect(alphaShapes).toEqual([[[3, 4]], [[1, 4]], [[1, 1, 3]]]);
  });
});
