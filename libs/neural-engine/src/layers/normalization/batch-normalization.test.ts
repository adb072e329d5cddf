import { describe, expect, it } from 'vitest';
import { ConfigError } from '../../errors.js';
import { Rng } from '../../rng.js';
import type { Shape, Tensor } from '../../tensor.js';
import { float64Backend as backend } from '../../testing/gradient-check.js';
import { type Layer, type LayerConfig, createLayer } from '../index.js';
import { BatchNormalization } from './batch-normalization.js';
import { testBackend } from '../../testing/test-backend.js';

/*
 * BatchNormalization against hand computations (written as plain loops over the tensor's indices), for what TF.js does
 * not cover or gets wrong: non-last and multiple axes, masks, frozen layers; plus the moving-average rule, configs and
 * the contract checks a trainable BatchNormalization cannot pass in the shared harness.
 */

function build(config: Omit<LayerConfig, 'type'>, inputShape: Shape, weights?: number[][]): Layer {
  const layer = createLayer({ type: 'BatchNormalization', name: 'bn', ...config });
  layer.build(inputShape, { backend, rng: new Rng(1) });
  weights?.forEach((w, k) => layer.variables[k]!.value.data.set(w));
  return layer;
}

const values = (t: Tensor): number[] => Array.from(t.data);
const mean = (xs: number[]): number => xs.reduce((a, b) => a + b, 0) / xs.length;
const biasedVar = (xs: number[]): number => mean(xs.map((v) => (v - mean(xs)) ** 2));

// A batch of 3 samples of shape [2]: x[b][f].
const X = [
  [1, -2],
  [4, 0],
  [-3, 5],
];
const GAMMA = [1.5, -0.5];
const BETA = [0.25, 1];
const MM = [0.5, -1];
const MV = [2, 0.5];

describe('BatchNormalization (hand-derived)', () => {
  it('training normalizes with the batch mean and biased variance, then applies gamma and beta', () => {
    const layer = build({}, [2], [GAMMA, BETA, MM, MV]);
    const y = layer.call(backend.fromValues([3, 2], X.flat()), true);
    const expected = X.map((row) =>
      row.map((v, f) => {
        const col = X.map((r) => r[f]!);
        return ((v - mean(col)) / Math.sqrt(biasedVar(col) + 1e-3)) * GAMMA[f]! + BETA[f]!;
      }),
    );
    expect(values(y)).toEqual(expected.flat().map((v) => expect.closeTo(v, 12)));
  });

  it('a training call moves the moving statistics towards the batch mean and biased variance by 1 − momentum', () => {
    const layer = build({ momentum: 0.8 }, [2], [GAMMA, BETA, MM, MV]);
    layer.call(backend.fromValues([3, 2], X.flat()), true);
    const cols = [0, 1].map((f) => X.map((r) => r[f]!));
    expect(values(layer.variables[2]!.value)).toEqual(cols.map((c, f) => expect.closeTo(MM[f]! * 0.8 + mean(c) * 0.2, 12)));
    expect(values(layer.variables[3]!.value)).toEqual(cols.map((c, f) => expect.closeTo(MV[f]! * 0.8 + biasedVar(c) * 0.2, 12)));
    // A second call moves them again (the rule compounds).
    layer.call(backend.fromValues([3, 2], X.flat()), true);
    expect(layer.variables[2]!.value.data[0]).toBeCloseTo((MM[0]! * 0.8 + mean(cols[0]!) * 0.2) * 0.8 + mean(cols[0]!) * 0.2, 12);
  });

  it('inference uses the moving statistics and leaves them unchanged', () => {
    const layer = build({ epsilon: 0.01 }, [2], [GAMMA, BETA, MM, MV]);
    const y = layer.call(backend.fromValues([3, 2], X.flat()), false);
    const expected = X.map((row) => row.map((v, f) => ((v - MM[f]!) / Math.sqrt(MV[f]! + 0.01)) * GAMMA[f]! + BETA[f]!));
    expect(values(y)).toEqual(expected.flat().map((v) => expect.closeTo(v, 12)));
    expect(values(layer.variables[2]!.value)).toEqual(MM);
    expect(values(layer.variables[3]!.value)).toEqual(MV);
  });

  it('a frozen layer (trainable false) runs in inference mode even in training, as in Keras 3', () => {
    const frozen = build({ trainable: false }, [2], [GAMMA, BETA, MM, MV]);
    const inference = build({}, [2], [GAMMA, BETA, MM, MV]);
    const x = backend.fromValues([3, 2], X.flat());
    expect(values(frozen.call(x, true))).toEqual(values(inference.call(x, false)));
    expect(values(frozen.variables[2]!.value)).toEqual(MM);
    expect(frozen.trainableVariables).toEqual([]);
  });

  it('axis 1 of a [3, 2] input keeps statistics per entry of that axis (TF.js 4.22 broadcasts these wrongly)', () => {
    const layer = build({ axis: 1 }, [3, 2]);
    const xs = [0.5, -1, 2, 3, -2, 0, 1, 1, -0.5, 4, 2.5, -3]; // [batch 2][3][2]
    const at = (b: number, i: number, j: number): number => xs[b * 6 + i * 2 + j]!;
    const y = layer.call(backend.fromValues([2, 3, 2], xs), true);
    for (let i = 0; i < 3; i++) {
      const group = [at(0, i, 0), at(0, i, 1), at(1, i, 0), at(1, i, 1)];
      for (let b = 0; b < 2; b++) {
        for (let j = 0; j < 2; j++) expect(y.data[b * 6 + i * 2 + j]).toBeCloseTo((at(b, i, j) - mean(group)) / Math.sqrt(biasedVar(group) + 1e-3), 12);
      }
      expect(layer.variables[2]!.value.data[i]).toBeCloseTo(0.01 * mean(group), 12);
    }
  });

  it('axis [1, -1] of a [2, 3, 2] input keeps a statistic and weight per (axis 1, axis 3) pair', () => {
    const layer = build({ axis: [1, -1] }, [2, 3, 2]);
    expect(layer.variables.map((v) => v.value.shape)).toEqual([[2, 2], [2, 2], [2, 2], [2, 2]]);
    const rng = new Rng(3);
    const xs = Array.from({ length: 2 * 12 }, () => rng.normal());
    const at = (b: number, i: number, j: number, k: number): number => xs[b * 12 + i * 6 + j * 2 + k]!;
    const y = layer.call(backend.fromValues([2, 2, 3, 2], xs), true);
    for (let i = 0; i < 2; i++) {
      for (let k = 0; k < 2; k++) {
        const group = [0, 1].flatMap((b) => [0, 1, 2].map((j) => at(b, i, j, k)));
        for (let b = 0; b < 2; b++) {
          for (let j = 0; j < 3; j++) {
            expect(y.data[b * 12 + i * 6 + j * 2 + k]).toBeCloseTo((at(b, i, j, k) - mean(group)) / Math.sqrt(biasedVar(group) + 1e-3), 12);
          }
        }
      }
    }
  });

  it('a timestep mask weights the batch moments as Keras does (masked steps excluded; Σ mask + 1e-7 denominator)', () => {
    const layer = build({ momentum: 0 }, [3, 1]);
    const xs = [1, 2, 100, 3, -50, 5]; // [batch 2][3 steps][1 feature]
    const mask = [1, 1, 0, 1, 0, 1];
    layer.inputMask = backend.fromValues([2, 3], mask);
    const y = layer.call(backend.fromValues([2, 3, 1], xs), true);
    const kept = xs.filter((_, i) => mask[i] === 1);
    const m = kept.reduce((a, b) => a + b, 0) / (kept.length + 1e-7);
    const v = kept.reduce((a, b) => a + (b - m) ** 2, 0) / (kept.length + 1e-7);
    // momentum 0: the moving statistics become the batch statistics.
    expect(layer.variables[2]!.value.data[0]).toBeCloseTo(m, 12);
    expect(layer.variables[3]!.value.data[0]).toBeCloseTo(v, 12);
    xs.forEach((x, i) => expect(y.data[i]).toBeCloseTo((x - m) / Math.sqrt(v + 1e-3), 12));
    expect(layer.computeOutputMask()).toBe(layer.inputMask);
  });

  it('has Keras weight names, order, shapes and trainability; drops gamma/beta with scale/center false', () => {
    const layer = build({}, [3, 4]);
    expect(layer.variables.map((v) => [v.name, v.value.shape, v.trainable])).toEqual([
      ['bn/gamma', [4], true],
      ['bn/beta', [4], true],
      ['bn/moving_mean', [4], false],
      ['bn/moving_variance', [4], false],
    ]);
    expect(values(layer.variables[0]!.value)).toEqual([1, 1, 1, 1]);
    expect(values(layer.variables[3]!.value)).toEqual([1, 1, 1, 1]);
    expect(build({ scale: false }, [3]).variables.map((v) => v.name)).toEqual(['bn/beta', 'bn/moving_mean', 'bn/moving_variance']);
    expect(build({ center: false }, [3]).variables.map((v) => v.name)).toEqual(['bn/gamma', 'bn/moving_mean', 'bn/moving_variance']);
  });

  it('validates its config with ConfigErrors naming the path and value', () => {
    expect(() => new BatchNormalization({ synchronized: true as false })).toThrow(/synchronized.*received true/);
    expect(() => new BatchNormalization({ momentum: 2 })).toThrow(/momentum.*received 2/);
    expect(() => new BatchNormalization({ epsilon: 0 })).toThrow(ConfigError);
    expect(() => createLayer({ type: 'BatchNormalization', renorm: true })).toThrow(/renorm/);
    expect(() => build({ axis: 3 }, [4])).toThrow(/layer "bn" \(BatchNormalization\): axis 3 is out of range.*received input shape \(None, 4\)/);
    expect(() => build({ axis: 0 }, [4])).toThrow(/batch axis/);
    expect(() => build({ axis: [1, -1] }, [4])).toThrow(/repeated/);
  });

  it('getConfig lists the Keras arguments with their defaults and round-trips', () => {
    const layer = build({ gammaRegularizer: 'l2' }, [3]);
    const config = layer.getConfig();
    expect(config).toEqual({
      type: 'BatchNormalization',
      name: 'bn',
      axis: -1,
      momentum: 0.99,
      epsilon: 1e-3,
      center: true,
      scale: true,
      betaInitializer: 'zeros',
      gammaInitializer: 'ones',
      movingMeanInitializer: 'zeros',
      movingVarianceInitializer: 'ones',
      gammaRegularizer: 'l2',
      synchronized: false,
    });
    expect(createLayer(config).getConfig()).toEqual(config);
    expect(build({ axis: [1] }, [3]).getConfig().axis).toEqual([1]);
  });
});

// The shared contract harness runs frozen BatchNormalization samples only; these are its checks for trainable ones.
describe('BatchNormalization contract (trainable)', () => {
  const samples: { config: LayerConfig; inputShape: Shape; params: number }[] = [
    { config: { type: 'BatchNormalization' }, inputShape: [4], params: 16 },
    { config: { type: 'BatchNormalization', axis: 1, momentum: 0.5, gammaRegularizer: 'l2' }, inputShape: [3, 2], params: 12 },
    { config: { type: 'BatchNormalization', axis: [1, -1], center: false }, inputShape: [2, 3, 2], params: 12 },
  ];
  const batch = 5;

  it.each(samples)('$config', ({ config, inputShape, params }) => {
    const f32 = testBackend();
    const make = (c: LayerConfig): Layer => {
      const layer = createLayer({ name: 'under_test', ...c });
      layer.build(inputShape, { backend: f32, rng: new Rng(42) });
      return layer;
    };
    const layer = make(config);
    expect(layer.countParams()).toBe(params);
    const rng = new Rng(7);
    const full = [batch, ...inputShape];
    const x = f32.fromValues(full, Array.from({ length: full.reduce((a, b) => a * b) }, () => rng.normal(1, 2)));
    const r = f32.fromValues(full, Array.from({ length: x.size }, () => rng.normal()));

    // Round trip: same config, same outputs in both modes (training moves both copies' statistics alike).
    const copy = make(JSON.parse(JSON.stringify(layer.getConfig())) as LayerConfig);
    expect(copy.getConfig()).toEqual(layer.getConfig());
    expect(values(copy.call(x, false))).toEqual(values(layer.call(x, false)));
    expect(values(copy.call(x, true))).toEqual(values(layer.call(x, true)));

    // Inference is deterministic, and changes after a training pass only through the moving statistics.
    const before = values(layer.call(x, false));
    expect(values(layer.call(x, false))).toEqual(before);
    const moving = layer.variables.filter((v) => !v.trainable).map((v) => values(v.value));
    layer.call(x, true);
    expect(layer.variables.filter((v) => !v.trainable).map((v) => values(v.value))).not.toEqual(moving);

    // One SGD step on the trainable weights lowers L = Σ y·r (+ penalties) and leaves the moving statistics to training.
    const loss = (): number => {
      const y = layer.call(x, true);
      let s = 0;
      for (let i = 0; i < y.size; i++) s += y.data[i]! * r.data[i]!;
      for (const v of layer.trainableVariables) if (v.regularizer) s += v.regularizer.penalty(v.value, f32);
      return s;
    };
    for (const v of layer.variables) f32.fill(v.grad, 0);
    const loss0 = loss();
    layer.callBackward(r);
    expect(layer.trainableVariables.map((v) => v.name.split('/')[1])).toEqual(layer.variables.filter((v) => v.trainable).map((v) => v.name.split('/')[1]));
    for (const v of layer.trainableVariables) {
      v.regularizer?.accumulateGradient(v.value, v.grad, f32);
      f32.axpyInPlace(v.value, -1e-2, v.grad);
    }
    expect(loss()).toBeLessThan(loss0);
    // Non-trainable variables never receive gradients.
    for (const v of layer.variables.filter((w) => !w.trainable)) expect(values(v.grad).every((g) => g === 0)).toBe(true);
  });
});
