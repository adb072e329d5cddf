import { describe, expect, it } from 'vitest';
import { JsBackend } from '../backend/js-backend.js';
import type { Loss } from '../losses/loss.js';
import { getLoss } from '../losses/index.js';
import type { ModelDefinition } from '../model/definition.js';
import { modelFromDefinition } from '../model/from-definition.js';
import type { Tensor } from '../tensor.js';
import { maxRelativeError, testInputs } from '../testing/gradient-check.js';
import { oneHot } from '../testing/loss-test-data.js';

/*
 * The training step hands a softmax output's layer dL/d(logits) when its loss is categorical crossentropy
 * (kernels/softmax-crossentropy.ts). On the float64 backend, models trained that way end with the weights of the same
 * models trained through the three separate backward passes (a loss that does not offer the fused gradient), and the
 * fused op runs exactly where the model allows it.
 */

/** A float64 backend that counts the fused op's calls. */
class CountingBackend extends JsBackend {
  fused = 0;
  constructor() {
    super('float64');
  }
  override softmaxCrossentropyBackward(probs: Tensor, labels: Tensor, labelSmoothing: number, rowScale: ArrayLike<number>): Tensor {
    this.fused++;
    return super.softmaxCrossentropyBackward(probs, labels, labelSmoothing, rowScale);
  }
}

/** The same loss without the fused gradient: the step falls back to dL/dyPred and the softmax's own backward pass. */
function composedOnly(loss: Loss): Loss {
  return {
    name: loss.name,
    reduction: loss.reduction,
    values: (t, p, w) => loss.values(t, p, w),
    call: (t, p, w) => loss.call(t, p, w),
    callWithGradient: (t, p, w) => loss.callWithGradient(t, p, w),
    getConfig: () => loss.getConfig(),
  };
}

const BATCH = 6;
const crossentropy = { type: 'CategoricalCrossentropy', labelSmoothing: 0.1 } as const;
const sparseCrossentropy = { type: 'SparseCategoricalCrossentropy', ignoreClass: 2 } as const;

interface Case {
  definition: ModelDefinition;
  /** Per output: the loss config, and the label shape per sample (class indices for the sparse loss). */
  outputs: { loss: typeof crossentropy | typeof sparseCrossentropy | 'mse'; shape: number[] }[];
  /** Whether the first output's loss is expected to take over its softmax. */
  fuses: boolean;
}

const sequential = (layers: unknown[], inputShape = [4]): ModelDefinition =>
  ({ type: 'Sequential', seed: 3, layers: [{ type: 'InputLayer', shape: inputShape }, ...layers] }) as ModelDefinition;

const cases: [string, Case][] = [
  ['Dense(softmax) after a hidden layer', {
    definition: sequential([{ type: 'Dense', units: 8, activation: 'tanh' }, { type: 'Dense', units: 3, activation: 'softmax' }]),
    outputs: [{ loss: crossentropy, shape: [3] }], fuses: true,
  }],
  ['a single Dense(softmax): weight gradients only', {
    definition: sequential([{ type: 'Dense', units: 3, activation: 'softmax' }]), outputs: [{ loss: crossentropy, shape: [3] }], fuses: true,
  }],
  ['Dense then an Activation(softmax) layer', {
    definition: sequential([{ type: 'Dense', units: 3 }, { type: 'Activation', activation: 'softmax' }]), outputs: [{ loss: crossentropy, shape: [3] }], fuses: true,
  }],
  ['Dense then a Softmax layer', {
    definition: sequential([{ type: 'Dense', units: 3 }, { type: 'Softmax' }]), outputs: [{ loss: crossentropy, shape: [3] }], fuses: true,
  }],
  ['Dense(softmax) over a time axis', {
    definition: sequential([{ type: 'Dense', units: 3, activation: 'softmax' }], [5, 4]), outputs: [{ loss: crossentropy, shape: [5, 3] }], fuses: true,
  }],
  ['Dense(softmax) with sparse labels and an ignored class', {
    definition: sequential([{ type: 'Dense', units: 8, activation: 'relu' }, { type: 'Dense', units: 4, activation: 'softmax' }]),
    outputs: [{ loss: sparseCrossentropy, shape: [1] }], fuses: true,
  }],
  ['Dense(softmax) with an activity regularizer: not fused', {
    definition: sequential([{ type: 'Dense', units: 3, activation: 'softmax', activityRegularizer: { type: 'L2', l2: 0.01 } }]),
    outputs: [{ loss: crossentropy, shape: [3] }], fuses: false,
  }],
  ['a softmax over the first axis: not fused', {
    definition: sequential([{ type: 'Dense', units: 3, activation: { type: 'softmax', axis: 1 } }], [5, 4]),
    outputs: [{ loss: crossentropy, shape: [5, 3] }], fuses: false,
  }],
  ['a functional softmax head beside a regression head, loss weights', {
    definition: {
      type: 'Functional', seed: 3, inputs: [{ name: 'x', shape: [4] }],
      layers: [
        { type: 'Dense', name: 'trunk', units: 8, activation: 'tanh', inbound: ['x'] },
        { type: 'Dense', name: 'species', units: 3, activation: 'softmax', inbound: ['trunk'] },
        { type: 'Dense', name: 'width', units: 1, inbound: ['trunk'] },
      ],
      outputs: ['species', 'width'],
    } as ModelDefinition,
    outputs: [{ loss: crossentropy, shape: [3] }, { loss: 'mse', shape: [1] }], fuses: true,
  }],
  ['a functional softmax output that another layer also reads: not fused', {
    definition: {
      type: 'Functional', seed: 3, inputs: [{ name: 'x', shape: [4] }],
      layers: [
        { type: 'Dense', name: 'species', units: 3, activation: 'softmax', inbound: ['x'] },
        { type: 'Dense', name: 'score', units: 1, inbound: ['species'] },
      ],
      outputs: ['species', 'score'],
    } as ModelDefinition,
    outputs: [{ loss: crossentropy, shape: [3] }, { loss: 'mse', shape: [1] }], fuses: false,
  }],
];

/** Trains `steps` batches and returns the weights and the backend's count of fused calls. */
function train({ definition, outputs }: Case, fused: boolean, steps = 4) {
  const backend = new CountingBackend();
  const model = modelFromDefinition(definition, { backend });
  const losses = outputs.map(({ loss }) => (fused ? getLoss(loss, backend) : composedOnly(getLoss(loss, backend))));
  model.compile({ optimizer: { type: 'Adam', learningRate: 0.05 }, loss: losses, lossWeights: outputs.length > 1 ? [0.5, 2] : undefined });
  const inputShape = model.inputShapes[0]!;
  const perSample = inputShape.reduce((a, d) => a * d, 1);
  for (let s = 0; s < steps; s++) {
    const x = { shape: [BATCH, ...inputShape], data: testInputs(BATCH * perSample, 2, 10 + s) };
    const ys = outputs.map(({ loss, shape }, k) => {
      if (loss === sparseCrossentropy) return { shape: [BATCH, 1], data: Array.from({ length: BATCH }, (_, i) => (i * 7 + s) % 4) };
      const classes = shape[shape.length - 1]!;
      const rows = (BATCH * shape.reduce((a, d) => a * d, 1)) / classes;
      return { shape: [BATCH, ...shape], data: loss === 'mse' ? testInputs(rows * classes, 1, 30 + s + k) : oneHot(rows, classes, 40 + s) };
    });
    model.trainOnBatch(x, ys.length === 1 ? ys[0]! : ys, { sampleWeight: [1, 0.5, 2, 0, 1, 1.5] });
  }
  return { weights: model.getWeights(), fusedCalls: backend.fused };
}

describe('softmax crossentropy fused into the training step', () => {
  it.each(cases)('%s', (_, c) => {
    const fused = train(c, true);
    const composed = train(c, false);
    const initial = train(c, true, 0);
    expect(composed.fusedCalls).toBe(0);
    expect(fused.fusedCalls).toBe(c.fuses ? 4 : 0);
    expect(fused.weights.length).toBe(composed.weights.length);
    // Training moved the weights, and both ways moved them alike (float64: only rounding differs).
    expect(Math.max(...fused.weights.map((w, i) => maxRelativeError(w, initial.weights[i]!)))).toBeGreaterThan(1e-2);
    fused.weights.forEach((w, i) => expect(maxRelativeError(w, composed.weights[i]!, 1e-8)).toBeLessThan(1e-9));
  });
});
