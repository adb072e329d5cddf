import { describe, expect, it } from 'vitest';
import { Callback, CheckpointHook, EarlyStopping, LearningRateScheduler, ReduceLROnPlateau, type TrainingCheckpoint } from '../callbacks/index.js';
import type { ProgressEvent } from '../training/fit.js';
import { readCsvDataset, standardize } from '../testing/datasets.js';
import { Sequential } from './sequential.js';

/* fit behaviour: callbacks, validation, progress events, diagnostics, cancellation and divergence. */

const iris = readCsvDataset('iris_train.csv');
standardize(iris.x);

function irisModel(seed = 1, lr = 0.01): Sequential {
  const model = new Sequential(
    [
      { type: 'Dense', units: 8, activation: 'relu', inputShape: [4] },
      { type: 'Dense', units: 3, activation: 'softmax' },
    ],
    { seed },
  );
  model.compile({ optimizer: { type: 'SGD', learningRate: lr }, loss: 'sparse_categorical_crossentropy', metrics: ['accuracy'] });
  return model;
}

describe('fit', () => {
  it('reports loss, metrics and validation metrics per epoch; validationSplit takes the last samples', async () => {
    const model = irisModel();
    const history = await model.fit(iris.x, iris.y, { epochs: 3, validationSplit: 0.25 });
    expect(Object.keys(history.history).sort()).toEqual(['accuracy', 'loss', 'val_accuracy', 'val_loss']);
    expect(history.history.loss).toHaveLength(3);
    // The validation logs equal evaluate() on the last 25% of the data.
    const val = model.evaluate(iris.x.slice(90), iris.y.slice(90));
    expect(history.history.val_loss!.at(-1)).toBeCloseTo(val.loss!, 6);
  });

  it('emits batch and epoch progress with per-layer gradient and weight norms', async () => {
    const model = irisModel();
    const events: ProgressEvent[] = [];
    await model.fit(iris.x, iris.y, { epochs: 2, batchSize: 40, diagnosticsEveryBatches: 3, onProgress: (e) => events.push(e) });
    const batches = events.filter((e) => e.type === 'batch');
    const epochs = events.filter((e) => e.type === 'epoch');
    expect(batches).toHaveLength(6);
    expect(epochs).toHaveLength(2);
    expect(batches[2]!.type === 'batch' && batches[2]!.diagnostics?.length).toBe(2);
    const epoch = epochs[0]!;
    if (epoch.type !== 'epoch') throw new Error('unreachable');
    expect(epoch.diagnostics.map((d) => d.layer)).toEqual(['dense', 'dense_1']);
    for (const d of epoch.diagnostics) {
      expect(d.gradNorm).toBeGreaterThan(0);
      expect(d.gradNormMax).toBeGreaterThanOrEqual(d.gradNorm);
      expect(d.weightNorm).toBeGreaterThan(0);
    }
    expect(epoch.learningRate).toBeCloseTo(0.01, 7);
  });

  it('makes vanishing gradients visible: in a deep sigmoid stack the first layer gets far smaller gradients', async () => {
    const layers = [{ type: 'Dense', units: 16, activation: 'sigmoid', inputShape: [4] }];
    for (let i = 0; i < 7; i++) layers.push({ type: 'Dense', units: 16, activation: 'sigmoid' } as (typeof layers)[0]);
    const model = new Sequential([...layers, { type: 'Dense', units: 3, activation: 'softmax' }], { seed: 1 });
    model.compile({ optimizer: 'sgd', loss: 'sparse_categorical_crossentropy' });
    let diagnostics: { layer: string; gradNorm: number }[] = [];
    await model.fit(iris.x, iris.y, { epochs: 1, onProgress: (e) => e.type === 'epoch' && (diagnostics = e.diagnostics) });
    const first = diagnostics[0]!.gradNorm;
    const last = diagnostics.at(-2)!.gradNorm;
    expect(first / last).toBeLessThan(0.01);
  });

  it('EarlyStopping stops when the monitored value stops improving and restores the best weights', async () => {
    const model = irisModel(1, 0.5);
    const stopper = new EarlyStopping({ monitor: 'loss', patience: 2, minDelta: 10, restoreBestWeights: true });
    let bestWeights: Float32Array[] = [];
    const spy = new (class extends Callback {
      override onEpochEnd(epoch: number): void {
        if (epoch === 0) bestWeights = this.model.getWeights() as Float32Array[];
      }
    })();
    const history = await model.fit(iris.x, iris.y, { epochs: 20, callbacks: [spy, stopper] });
    // minDelta 10 makes every epoch after the first a non-improvement: stop after patience 2 → epochs 0, 1, 2.
    expect(history.epoch).toEqual([0, 1, 2]);
    expect(history.stopped?.reason).toBe('callback');
    expect(model.getWeights().map((w) => Array.from(w))).toEqual(bestWeights.map((w) => Array.from(w)));
  });

  it('EarlyStopping from a JSON config, with mode inferred from the metric name', async () => {
    const model = irisModel(1, 0.5);
    const history = await model.fit(iris.x, iris.y, {
      epochs: 50,
      callbacks: [{ type: 'EarlyStopping', monitor: 'accuracy', patience: 0, minDelta: 0.5 }],
    });
    expect(history.epoch.length).toBe(2);
  });

  it('ReduceLROnPlateau multiplies the learning rate by factor after patience epochs without improvement', async () => {
    const model = irisModel(1, 0.1);
    const rates: number[] = [];
    await model.fit(iris.x, iris.y, {
      epochs: 5,
      callbacks: [new ReduceLROnPlateau({ monitor: 'loss', patience: 1, factor: 0.5, minDelta: 100 })],
      onProgress: (e) => e.type === 'epoch' && rates.push(e.learningRate),
    });
    // Epoch 0 improves on +inf; then every epoch is a plateau with patience 1 → halve after epochs 1, 2, 3, 4.
    expect(rates.map((r) => +r.toFixed(6))).toEqual([0.1, 0.05, 0.025, 0.0125, 0.00625]);
  });

  it('LearningRateScheduler sets the rate at each epoch start (function and JSON schedule)', async () => {
    const model = irisModel(1, 0.1);
    const rates: number[] = [];
    await model.fit(iris.x, iris.y, {
      epochs: 3,
      callbacks: [new LearningRateScheduler((epoch: number) => 0.1 / (epoch + 1))],
      onProgress: (e) => e.type === 'epoch' && rates.push(e.learningRate),
    });
    expect(rates.map((r) => +r.toFixed(6))).toEqual([0.1, 0.05, +(0.1 / 3).toFixed(6)]);
    const json = irisModel(1, 0.1);
    const jsonRates: number[] = [];
    await json.fit(iris.x, iris.y, {
      epochs: 3,
      callbacks: [{ type: 'LearningRateScheduler', schedule: { type: 'ExponentialDecay', initialLearningRate: 0.1, decaySteps: 1, decayRate: 0.5 } }],
      onProgress: (e) => e.type === 'epoch' && jsonRates.push(e.learningRate),
    });
    expect(jsonRates.map((r) => +r.toFixed(6))).toEqual([0.1, 0.05, 0.025]);
  });

  it('a diverging loss stops training with a reason naming the epoch and batch, and leaves weights finite', async () => {
    const model = new Sequential([{ type: 'Dense', units: 1, inputShape: [4] }], { seed: 1 });
    model.compile({ optimizer: { type: 'SGD', learningRate: 1e6 }, loss: 'mse' });
    const y = iris.x.map((r) => [r[0]! * 1000]);
    let afterLastGoodBatch: number[][] = [];
    const history = await model.fit(iris.x, y, {
      epochs: 5,
      batchSize: 8,
      callbacks: [{ type: 'TerminateOnNaN' }],
      onProgress: (e) => e.type === 'batch' && (afterLastGoodBatch = model.getWeights().map((w) => Array.from(w))),
    });
    expect(history.stopped?.reason).toBe('diverged');
    const { epoch, batch } = history.stopped!;
    expect(history.stopped?.message).toMatch(new RegExp(`loss became (NaN|-?Infinity) at epoch ${epoch + 1}, batch ${batch + 1}`));
    // The batch whose loss was not finite applied no update.
    expect(model.getWeights().map((w) => Array.from(w))).toEqual(afterLastGoodBatch);
  });

  it('an AbortSignal cancels within one batch', async () => {
    const model = irisModel();
    const controller = new AbortController();
    let batchesRun = 0;
    const history = await model.fit(iris.x, iris.y, {
      epochs: 10,
      batchSize: 10,
      signal: controller.signal,
      onProgress: (e) => {
        if (e.type === 'batch' && ++batchesRun === 5) controller.abort();
      },
    });
    expect(batchesRun).toBe(5);
    expect(history.stopped).toMatchObject({ reason: 'cancelled', epoch: 0, batch: 5 });
  });

  it('the checkpoint hook receives resumable training state each epoch', async () => {
    const model = irisModel();
    const checkpoints: TrainingCheckpoint[] = [];
    await model.fit(iris.x, iris.y, { epochs: 3, callbacks: [new CheckpointHook(model, async (c) => void checkpoints.push(c))] });
    expect(checkpoints.map((c) => c.epoch)).toEqual([1, 2, 3]);
    const restored = irisModel(99);
    expect(restored.loadTrainingState(checkpoints[2]!.state).epoch).toBe(3);
    expect(restored.getWeights().map((w) => Array.from(w))).toEqual(model.getWeights().map((w) => Array.from(w)));
  });

  it('classWeight and sampleWeight change the loss as weights on samples', async () => {
    const x = iris.x.slice(0, 6);
    const y = iris.y.slice(0, 6);
    const model = irisModel();
    const plain = model.evaluate(x, y).loss!;
    const doubled = model.evaluate(x, y, { sampleWeight: new Array(6).fill(2) }).loss!;
    expect(doubled).toBeCloseTo(2 * plain, 5);
    const a = irisModel(5);
    const b = irisModel(5);
    const w = y.map((c) => (c === 0 ? 3 : 1));
    const la = a.trainOnBatch(x, y, { sampleWeight: w }).loss;
    const lb = b.trainOnBatch(x, y, { classWeight: { '0': 3 } }).loss;
    expect(la).toBe(lb);
  });

  it('kernel and bias constraints hold after every training step', async () => {
    const model = new Sequential(
      [
        { type: 'Dense', units: 6, activation: 'relu', inputShape: [4], kernelConstraint: { type: 'MaxNorm', maxValue: 0.3 }, biasConstraint: 'non_neg' },
        { type: 'Dense', units: 3, activation: 'softmax', kernelConstraint: { type: 'UnitNorm' } },
      ],
      { seed: 2 },
    );
    model.compile({ optimizer: { type: 'SGD', learningRate: 0.5 }, loss: 'sparse_categorical_crossentropy' });
    const violations: string[] = [];
    const check = (): void => {
      const [k1, b1, k2] = model.getWeights();
      for (let unit = 0; unit < 6; unit++) {
        const norm = Math.hypot(...[0, 1, 2, 3].map((i) => k1![i * 6 + unit]!));
        if (norm > 0.3 + 1e-6) violations.push(`dense kernel column ${unit} norm ${norm}`);
      }
      if (Array.from(b1!).some((v) => v < 0)) violations.push('dense bias negative');
      for (let unit = 0; unit < 3; unit++) {
        const norm = Math.hypot(...[0, 1, 2, 3, 4, 5].map((i) => k2![i * 3 + unit]!));
        if (Math.abs(norm - 1) > 1e-5) violations.push(`dense_1 kernel column ${unit} norm ${norm}`);
      }
    };
    await model.fit(iris.x, iris.y, { epochs: 3, batchSize: 16, onProgress: (e) => e.type === 'batch' && check() });
    expect(violations).toEqual([]);
  });

  it('summary prints Keras-style shapes and parameter counts', () => {
    const model = new Sequential([
      { type: 'Dense', units: 128, activation: 'relu', inputShape: [784] },
      { type: 'Dropout', rate: 0.2 },
      { type: 'Dense', units: 10, activation: 'softmax' },
    ]);
    const s = model.summaryData();
    expect(s.layers.map((l) => [l.name, l.outputShape, l.params])).toEqual([
      ['dense', [128], 100480],
      ['dropout', [128], 0],
      ['dense_1', [10], 1290],
    ]);
    expect(s.totalParams).toBe(101770);
    const text = model.summary();
    expect(text).toMatch(/dense \(Dense\)\s+\(None, 128\)\s+100,480/);
    expect(text).toMatch(/Total params: 101,770/);
  });
});
