import { describe, expect, it } from 'vitest';
import { ConfigError } from '../errors.js';
import { type Tensor, shapeSize } from '../tensor.js';
import { trainableVariables } from '../training/network.js';
import { float64Backend, maxRelativeError, numericGradient, testInputs } from '../testing/gradient-check.js';
import { readCsvDataset, standardize } from '../testing/datasets.js';
import type { ModelDefinition } from './definition.js';
import { modelFromDefinition } from './from-definition.js';
import { Functional } from './functional.js';
import { Sequential } from './sequential.js';

/* Functional graphs: construction checks, forward/backward through fan-out, several inputs and outputs, training. */

const iris = readCsvDataset('iris_train.csv');
standardize(iris.x);

/** x → trunk → (species head, petal-width head): one input, two outputs, a fan-out after the trunk. */
const twoHeads = (seed = 1): ModelDefinition => ({
  type: 'Functional',
  seed,
  inputs: [{ name: 'features', shape: [4] }],
  layers: [
    { type: 'Dense', name: 'trunk', units: 8, activation: 'tanh', inbound: ['features'] },
    { type: 'Dense', name: 'species', units: 3, activation: 'softmax', inbound: ['trunk'] },
    { type: 'Dense', name: 'width', units: 1, inbound: ['trunk'] },
  ],
  outputs: ['species', 'width'],
});

/**
 * Checks the whole model's weight gradients for L = Σ_k Σ y_k·r_k (fixed random r_k) against centered finite
 * differences: what backward accumulates through fan-outs and merges must be the true gradient.
 */
function expectModelGradients(model: Functional, xs: Tensor[]): void {
  const batch = xs[0]!.shape[0]!;
  const rs = model.outputShapes.map((s, k) => float64Backend.fromValues([batch, ...s], testInputs(batch * shapeSize(s), 1, 20 + k)));
  const loss = (): number =>
    model.forward(xs, true).reduce((sum, y, k) => sum + Array.from(y.data).reduce((a, v, i) => a + v * rs[k]!.data[i]!, 0), 0);
  const vars = trainableVariables(model);
  for (const v of vars) float64Backend.fill(v.grad, 0);
  loss();
  model.backward(rs);
  for (const v of vars) {
    const w0 = Float64Array.from(v.value.data);
    const numeric = numericGradient((probe) => {
      v.value.data.set(probe);
      return loss();
    }, w0, 1e-6);
    v.value.data.set(w0);
    expect(maxRelativeError(v.grad.data, numeric), v.name).toBeLessThan(1e-6);
  }
}

function configError(definition: unknown): ConfigError {
  try {
    modelFromDefinition(definition);
  } catch (e) {
    expect(e).toBeInstanceOf(ConfigError);
    return e as ConfigError;
  }
  throw new Error('expected a ConfigError');
}

describe('functional models', () => {
  it('a chain equals the Sequential model with the same layers and seed, bit for bit, through training', async () => {
    const f = Functional.fromDefinition({
      type: 'Functional',
      seed: 3,
      inputs: [{ name: 'x', shape: [4] }],
      layers: [
        { type: 'Dense', name: 'dense', units: 6, activation: 'relu', inbound: ['x'] },
        { type: 'Dense', name: 'dense_1', units: 3, activation: 'softmax', inbound: ['dense'] },
      ],
      outputs: ['dense_1'],
    });
    const s = new Sequential([{ type: 'Dense', units: 6, activation: 'relu', inputShape: [4] }, { type: 'Dense', units: 3, activation: 'softmax' }], { seed: 3 });
    for (const m of [f, s]) m.compile({ optimizer: 'adam', loss: 'sparse_categorical_crossentropy', metrics: ['accuracy'] });
    const hf = await f.fit(iris.x, iris.y, { epochs: 3, batchSize: 16 });
    const hs = await s.fit(iris.x, iris.y, { epochs: 3, batchSize: 16 });
    expect(hf.history).toEqual(hs.history);
    expect(Buffer.from(f.saveWeights().data).equals(Buffer.from(s.saveWeights().data))).toBe(true);
  });

  it('backward sums gradients at a fan-out: the whole-model gradient matches finite differences', () => {
    const model = Functional.fromDefinition(twoHeads(), { backend: float64Backend });
    expectModelGradients(model, [float64Backend.fromValues([3, 4], testInputs(12, 2, 7))]);
  });

  it('trains two outputs with their own losses, loss weights and metrics, logged Keras-style', async () => {
    const model = Functional.fromDefinition(twoHeads());
    model.compile({
      optimizer: { type: 'Adam', learningRate: 0.01 },
      loss: { species: 'sparse_categorical_crossentropy', width: 'mse' },
      lossWeights: { species: 1, width: 0.5 },
      metrics: { species: ['accuracy'], width: ['mae'] },
    });
    const width = iris.x.map((r) => [r[3]!]);
    const history = await model.fit(iris.x, { species: iris.y, width }, { epochs: 40, batchSize: 16, validationSplit: 0.2 });
    expect(Object.keys(history.history).sort()).toEqual(
      ['loss', 'species_loss', 'width_loss', 'species_accuracy', 'width_mae', 'val_loss', 'val_species_loss', 'val_width_loss', 'val_species_accuracy', 'val_width_mae'].sort(),
    );
    const last = (k: string): number => history.history[k]!.at(-1)!;
    // The total is the weighted sum of the output losses.
    expect(last('loss')).toBeCloseTo(last('species_loss') + 0.5 * last('width_loss'), 5);
    expect(last('species_accuracy')).toBeGreaterThan(0.9);
    expect(last('width_mae')).toBeLessThan(0.3);
    const [species, widths] = model.predictOutputs(iris.x.slice(0, 2));
    expect(species!.shape).toEqual([2, 3]);
    expect(widths!.shape).toEqual([2, 1]);
    expect(() => model.predict(iris.x)).toThrow(/2 outputs; use predictOutputs/);
  });

  it('takes several inputs as a list or a record by name', () => {
    const model = Functional.fromDefinition({
      type: 'Functional',
      seed: 1,
      inputs: [{ name: 'a', shape: [2] }, { name: 'b', shape: [3] }],
      layers: [
        { type: 'Dense', name: 'from_a', units: 1, inbound: ['a'] },
        { type: 'Dense', name: 'from_b', units: 1, inbound: ['b'] },
      ],
      outputs: ['from_a', 'from_b'],
    });
    const a = [[1, 2], [3, 4]];
    const b = [[1, 0, 1], [0, 1, 0]];
    const list = model.predictOutputs([a, b]).map((t) => Array.from(t.data));
    const record = model.predictOutputs({ b, a }).map((t) => Array.from(t.data));
    expect(record).toEqual(list);
    expect(() => model.predictOutputs({ a })).toThrow(/x\.b is missing/);
    expect(() => model.predictOutputs({ a, b, c: a })).toThrow(/no input named "c"/);
    expect(() => model.predictOutputs([a, [[1, 2, 3]]])).toThrow(/different numbers of samples/);
  });

  it('merges branches: two inputs joined by Concatenate, then an Add residual; gradients match finite differences', () => {
    const model = Functional.fromDefinition(
      {
        type: 'Functional',
        seed: 4,
        inputs: [{ name: 'left', shape: [3] }, { name: 'right', shape: [2] }],
        layers: [
          { type: 'Dense', name: 'l', units: 4, activation: 'tanh', inbound: ['left'] },
          { type: 'Dense', name: 'r', units: 2, activation: 'tanh', inbound: ['right'] },
          { type: 'Concatenate', name: 'joined', inbound: ['l', 'r'] },
          { type: 'Dense', name: 'mix', units: 6, activation: 'tanh', inbound: ['joined'] },
          { type: 'Add', name: 'residual', inbound: ['mix', 'joined'] },
          { type: 'Dense', name: 'out', units: 2, inbound: ['residual'] },
        ],
        outputs: ['out'],
      },
      { backend: float64Backend },
    );
    expect(model.summaryData().layers.map((l) => [l.name, l.outputShape])).toEqual([
      ['l', [4]], ['r', [2]], ['joined', [6]], ['mix', [6]], ['residual', [6]], ['out', [2]],
    ]);
    expect(model.summary()).toMatch(/residual \(Add\)\s+\(None, 6\)\s+0\s+mix, joined/);
    expectModelGradients(model, [float64Backend.fromValues([2, 3], testInputs(6, 2, 1)), float64Backend.fromValues([2, 2], testInputs(4, 2, 2))]);
  });

  it('round-trips its definition through JSON', () => {
    const a = Functional.fromDefinition(twoHeads(9));
    const json = JSON.parse(JSON.stringify(a.getDefinition()));
    const b = modelFromDefinition(json);
    expect(b).toBeInstanceOf(Functional);
    expect(b.getDefinition()).toEqual(a.getDefinition());
    expect(Buffer.from(b.saveWeights().data).equals(Buffer.from(a.saveWeights().data))).toBe(true);
  });
});

describe('functional definition errors name the layer', () => {
  const base = twoHeads() as { layers: Record<string, unknown>[] } & Record<string, unknown>;
  const withLayers = (layers: Record<string, unknown>[], extra: Record<string, unknown> = {}): unknown => ({ ...base, layers, ...extra });

  it('a missing inbound name', () => {
    const e = configError(withLayers([{ ...base.layers[0]!, inbound: ['featurez'] }, base.layers[1]!, base.layers[2]!]));
    expect(e.message).toMatch(/layers\[0\]\.inbound\[0\]: unknown layer or input "featurez"/);
  });

  it('a cycle', () => {
    const e = configError({
      type: 'Functional',
      inputs: [{ name: 'x', shape: [2] }],
      layers: [
        { type: 'Dense', name: 'a', units: 2, inbound: ['x'] },
        { type: 'Dense', name: 'b', units: 2, inbound: ['c'] },
        { type: 'Dense', name: 'c', units: 2, inbound: ['b'] },
        { type: 'Dense', name: 'out', units: 1, inbound: ['c'] },
      ],
      outputs: ['out', 'a'],
    });
    expect(e.message).toMatch(/cycle between layers "(b|c)" → "(b|c)" → "(b|c)"/);
  });

  it('an unused input, a layer that leads nowhere, a duplicate name', () => {
    expect(configError({ ...base, inputs: [{ name: 'features', shape: [4] }, { name: 'aux', shape: [2] }] }).message).toMatch(
      /inputs\[1\]: input "aux" is not used by any layer/,
    );
    expect(configError({ ...base, outputs: ['species'] }).message).toMatch(/layers\[2\]: layer "width" does not lead to any output/);
    expect(configError(withLayers([base.layers[0]!, { ...base.layers[1]!, name: 'trunk' }, base.layers[2]!])).message).toMatch(
      /layers\[1\]\.name: duplicate name "trunk"/,
    );
  });

  it('bad output references and misplaced inputs', () => {
    expect(configError({ ...base, outputs: ['species:1', 'width'] }).message).toMatch(/outputs\[0\].*"species" has 1 output/);
    expect(configError({ ...base, outputs: ['features', 'species', 'width'] }).message).toMatch(/outputs\[0\]: an output must be a layer's tensor/);
    expect(configError(withLayers([{ type: 'InputLayer', name: 'in2', shape: [4], inbound: ['features'] }, ...base.layers])).message).toMatch(
      /layers\[0\]\.type: layer "in2": declare model inputs in `inputs`/,
    );
  });

  it('a bad layer argument and a layer without a name or inbound', () => {
    const e = configError(withLayers([{ ...base.layers[0]!, units: -1 }, base.layers[1]!, base.layers[2]!]));
    expect(e.message).toMatch(/layers\[0\]\.units/);
    expect(e.message).toMatch(/received -1/);
    const { name: _n, ...noName } = base.layers[0]!;
    expect(configError(withLayers([noName, base.layers[1]!, base.layers[2]!])).message).toMatch(/layers\[0\]\.name/);
    const { inbound: _i, ...noInbound } = base.layers[0]!;
    expect(configError(withLayers([noInbound, base.layers[1]!, base.layers[2]!])).message).toMatch(/layers\[0\]\.inbound/);
  });

  it('a shape mismatch at a merge names the layer and the shapes', () => {
    const e = configError({
      type: 'Functional',
      inputs: [{ name: 'x', shape: [4] }],
      layers: [
        { type: 'Dense', name: 'a', units: 3, inbound: ['x'] },
        { type: 'Dense', name: 'b', units: 5, inbound: ['x'] },
        { type: 'Add', name: 'sum', inbound: ['a', 'b'] },
      ],
      outputs: ['sum'],
    });
    expect(e.message).toMatch(/layers\[2\]/);
    expect(e.message).toMatch(/"sum" \(Add\)/);
    expect(e.message).toMatch(/\(None, 3\).*\(None, 5\)/);
  });

  it('per-output compile arguments must name real outputs', () => {
    const model = Functional.fromDefinition(twoHeads());
    expect(() => model.compile({ loss: { species: 'mse' } })).toThrow(/loss\.width: missing/);
    expect(() => model.compile({ loss: { species: 'mse', width: 'mse', height: 'mse' } })).toThrow(/loss\.height: no output is named "height"/);
    expect(() => model.compile({ loss: ['mse'] })).toThrow(/loss: expected 2 entries/);
    expect(() => model.compile({ loss: 'mse', lossWeight: 1 } as never)).toThrow(/lossWeight: unknown compile argument/);
  });
});
