import type { Backend } from '../backend/backend.js';
import { JsBackend } from '../backend/js-backend.js';
import type { Callback, CallbackConfig, CallbackModel, History, Logs } from '../callbacks/index.js';
import { configErrorFromZod, parseConfig } from '../config.js';
import { ConfigError, DataError } from '../errors.js';
import { type LayerConfig, Layer } from '../layers/layer.js';
import { createLayer } from '../layers/index.js';
import { Rng } from '../rng.js';
import { type FloatArray, type Shape, type Tensor, formatShape, shapeSize } from '../tensor.js';
import { type CompileArgs, Compiled } from '../training/compiled.js';
import { evaluateData, type ProgressEvent, runFit } from '../training/fit.js';
import { type Network, allVariables, trainableVariables } from '../training/network.js';
import { trainStep } from '../training/train-step.js';
import { type ArrayData, type TensorInput, conformToShape, gatherSamples, sampleCount, sliceSamples, toArrayData } from './data.js';
import { checkLabels, sampleWeights } from './labels.js';
import { assignUniqueNames, prefixError } from './layer-names.js';
import { type FitConfig, fitConfigSchema, type ModelDefinition, modelDefinitionSchema } from './definition.js';
import { checkManifest, decodeContainer, encodeContainer, packArrays, type SavedWeights, unpackArrays, type WeightSpec } from './serialization.js';
import { formatSummary, type ModelSummary, summarize } from './summary.js';

/** Options of a Sequential model that are not part of its JSON definition. */
export interface SequentialOptions {
  name?: string;
  /** Seed of the model's random generator; random when absent (read it back from `seed`). */
  seed?: number;
  /** Where tensors live and math runs; the plain TypeScript float32 backend by default. */
  backend?: Backend;
}

/** fit() options: the JSON fit config plus data-bearing and code-level options. */
export interface FitOptions extends Omit<FitConfig, 'callbacks'> {
  /** Validation set (takes precedence over validationSplit): [x, y] or [x, y, sampleWeight]. */
  validationData?: [TensorInput, TensorInput] | [TensorInput, TensorInput, ArrayLike<number>];
  /** One weight per training sample, multiplied into the loss. */
  sampleWeight?: ArrayLike<number>;
  /** Callback instances or JSON callback configs. */
  callbacks?: (Callback | CallbackConfig)[];
  /** Cancels training within one batch; fit then resolves with history.stopped.reason = 'cancelled'. */
  signal?: AbortSignal;
  /** Progress after every batch and epoch (losses, metrics, diagnostics, throughput). */
  onProgress?: (event: ProgressEvent) => void;
}

/** A linear stack of layers (Keras Sequential): build, compile, fit, evaluate, predict, save and restore. */
export class Sequential implements Network, CallbackModel {
  readonly layers: Layer[] = [];
  readonly backend: Backend;
  /** The one random generator of this model: initializers, dropout masks and shuffling draw from it. */
  readonly rng: Rng;
  readonly seed: number;
  name: string;
  stopTraining = false;
  private compiled: Compiled | null = null;
  private built = false;

  constructor(layers: (Layer | LayerConfig)[] = [], options: SequentialOptions = {}) {
    this.backend = options.backend ?? new JsBackend('float32');
    this.seed = options.seed ?? Math.floor(Math.random() * 0x100000000);
    this.rng = new Rng(this.seed);
    this.name = options.name ?? 'sequential';
    layers.forEach((l, i) => this.add(l, i));
    if (this.layers[0]?.declaredInputShape) this.build();
  }

  /** Creates a model from its JSON definition; errors name the path (`layers[2].units`) and the received value. */
  static fromDefinition(definition: ModelDefinition | unknown, options: Omit<SequentialOptions, 'seed' | 'name'> = {}): Sequential {
    const result = modelDefinitionSchema.safeParse(definition, { reportInput: true });
    if (!result.success) throw configErrorFromZod(result.error);
    const def = result.data;
    const model = new Sequential([], { ...options, name: def.name ?? 'sequential', ...(def.seed !== undefined ? { seed: def.seed } : {}) });
    def.layers.forEach((config, i) => model.add(config as LayerConfig, i));
    model.build();
    return model;
  }

  /** Appends a layer (or a layer config). */
  add(layer: Layer | LayerConfig, index = this.layers.length): void {
    if (this.built) throw new ConfigError('cannot add layers to a model that is already built');
    let instance: Layer;
    try {
      instance = layer instanceof Layer ? layer : createLayer(layer);
    } catch (e) {
      throw prefixError(e, `layers[${index}]`);
    }
    if (index > 0 && instance.className === 'InputLayer') {
      throw new ConfigError(`layers[${index}]: an Input layer may only be the first layer`, [{ path: `layers[${index}].type`, message: 'an Input layer may only be the first layer', received: 'InputLayer' }]);
    }
    this.layers.push(instance);
  }

  /** Builds every layer for a per-sample input shape (the first layer's inputShape when omitted). */
  build(inputShape?: Shape): void {
    if (this.built) return;
    const first = this.layers[0];
    if (!first) throw new ConfigError('layers: a model needs at least one layer', [{ path: 'layers', message: 'needs at least one layer', received: [] }]);
    let shape = inputShape ?? first.declaredInputShape;
    if (!shape) {
      throw new ConfigError('layers[0].inputShape: the first layer must declare inputShape (or the model must start with an Input layer)', [
        { path: 'layers[0].inputShape', message: 'the first layer must declare inputShape' },
      ]);
    }
    assignUniqueNames(this.layers);
    const context = { backend: this.backend, rng: this.rng };
    this.layers.forEach((layer, i) => {
      try {
        layer.build(shape!, context);
      } catch (e) {
        throw prefixError(e, `layers[${i}]`, layer.name);
      }
      shape = layer.outputShape;
    });
    this.built = true;
  }

  get inputShape(): Shape {
    this.requireBuilt();
    return this.layers[0]!.inputShape;
  }

  get outputShape(): Shape {
    this.requireBuilt();
    return this.layers[this.layers.length - 1]!.outputShape;
  }

  forward(x: Tensor, training: boolean): Tensor {
    let y = x;
    for (const layer of this.layers) y = layer.call(y, training);
    return y;
  }

  backward(dy: Tensor): void {
    let d = dy;
    for (let i = this.layers.length - 1; i >= 0; i--) d = this.layers[i]!.callBackward(d);
  }

  /** Configures training (Keras compile): optimizer (default rmsprop), loss, metrics. */
  compile(args: CompileArgs): void {
    this.requireBuilt();
    const compiled = new Compiled(args, this.backend);
    compiled.optimizer.build(trainableVariables(this), this.backend);
    this.compiled = compiled;
  }

  /** Current learning rate of the optimizer. */
  get learningRate(): number {
    return this.requireCompiled().optimizer.learningRate;
  }

  set learningRate(value: number) {
    this.requireCompiled().optimizer.learningRate = value;
  }

  /** Trains for a number of epochs (Keras fit). Resolves with the History; stops early on cancel or divergence. */
  async fit(x: TensorInput, y: TensorInput, options: FitOptions = {}): Promise<History> {
    const compiled = this.requireCompiled();
    const { callbacks = [], validationData, sampleWeight, signal, onProgress, ...json } = options;
    const config = parseConfig(fitConfigSchema.omit({ callbacks: true }), json);
    let xs = this.prepareX(x, 'x');
    let ys = checkLabels(y, sampleCount(xs), this.outputShape, 'y');
    let weights = sampleWeights(sampleWeight, sampleCount(xs), config.classWeight, ys);
    let validation = null;
    if (validationData) {
      const vx = this.prepareX(validationData[0], 'validationData.x');
      const vy = checkLabels(validationData[1], sampleCount(vx), this.outputShape, 'validationData.y');
      validation = { x: vx, y: vy, sampleWeight: sampleWeights(validationData[2], sampleCount(vx), undefined, vy) };
    } else if (config.validationSplit > 0) {
      // Keras takes the validation samples from the end of the arrays, before any shuffling.
      const n = sampleCount(xs);
      const split = Math.floor(n * (1 - config.validationSplit));
      if (split === 0 || split === n) {
        throw new DataError(`validationSplit ${config.validationSplit} of ${n} samples leaves ${split === 0 ? 'no training' : 'no validation'} samples`);
      }
      validation = { x: sliceSamples(xs, split, n), y: sliceSamples(ys, split, n), sampleWeight: weights ? weights.slice(split) : null };
      xs = sliceSamples(xs, 0, split);
      ys = sliceSamples(ys, 0, split);
      weights = weights ? weights.slice(0, split) : null;
    }
    if (config.seed !== undefined && config.initialEpoch === 0) this.rng.reseed(config.seed);
    const history = await runFit({
      network: this,
      compiled,
      backend: this.backend,
      rng: this.rng,
      model: this,
      x: xs,
      y: ys,
      sampleWeight: weights,
      validation,
      epochs: config.epochs,
      initialEpoch: config.initialEpoch,
      batchSize: config.batchSize,
      shuffle: config.shuffle,
      callbacks,
      diagnosticsEveryBatches: config.diagnosticsEveryBatches,
      signal,
      onProgress,
      finalize: () => compiled.optimizer.finalizeVariableValues(trainableVariables(this), this.backend),
    });
    this.completedEpochs = history.epoch.length > 0 ? history.epoch[history.epoch.length - 1]! + 1 : config.initialEpoch;
    return history;
  }

  /** One optimization step on one batch (Keras train_on_batch); returns the batch's loss and metrics. */
  trainOnBatch(x: TensorInput, y: TensorInput, options: { sampleWeight?: ArrayLike<number>; classWeight?: Record<string, number> } = {}): Logs {
    const compiled = this.requireCompiled();
    const xs = this.prepareX(x, 'x');
    const n = sampleCount(xs);
    const ys = checkLabels(y, n, this.outputShape, 'y');
    const weights = sampleWeights(options.sampleWeight, n, options.classWeight, ys);
    const order = Uint32Array.from({ length: n }, (_, i) => i);
    const metrics = compiled.metrics(ys.shape, [0, ...this.outputShape]);
    for (const { metric } of metrics) metric.reset();
    const step = trainStep(this, compiled, this.backend, gatherSamples(this.backend, xs, order, 0, n), gatherSamples(this.backend, ys, order, 0, n), weights);
    const logs: Logs = { loss: step.loss };
    for (const { name, metric } of metrics) logs[name] = metric.result();
    return logs;
  }

  /** Loss and metrics on data, in inference mode (Keras evaluate). */
  evaluate(x: TensorInput, y: TensorInput, options: { batchSize?: number; sampleWeight?: ArrayLike<number> } = {}): Logs {
    const compiled = this.requireCompiled();
    const xs = this.prepareX(x, 'x');
    const ys = checkLabels(y, sampleCount(xs), this.outputShape, 'y');
    const weights = sampleWeights(options.sampleWeight, sampleCount(xs), undefined, ys);
    return evaluateData(this, compiled, this.backend, xs, ys, weights, options.batchSize ?? 32);
  }

  /** Outputs for inputs, in inference mode, batch by batch (Keras predict). Returns [samples, ...outputShape]. */
  predict(x: TensorInput, options: { batchSize?: number } = {}): Tensor {
    const xs = this.prepareX(x, 'x');
    const n = sampleCount(xs);
    const batchSize = options.batchSize ?? 32;
    const out = this.backend.zeros([n, ...this.outputShape]);
    const per = shapeSize(this.outputShape);
    const order = Uint32Array.from({ length: n }, (_, i) => i);
    for (let start = 0; start < n; start += batchSize) {
      const end = Math.min(start + batchSize, n);
      const xb = gatherSamples(this.backend, xs, order, start, end);
      const yb = this.forward(xb, false);
      out.data.set(yb.data, start * per);
      this.backend.release(xb);
    }
    return out;
  }

  /** Layer table with output shapes and parameter counts (Keras summary), as text. */
  summary(): string {
    return formatSummary(this.summaryData());
  }

  /** The summary as data. */
  summaryData(): ModelSummary {
    this.requireBuilt();
    return summarize(this.name, this.layers);
  }

  /** Total number of weights. */
  countParams(): number {
    return this.layers.reduce((n, l) => n + l.countParams(), 0);
  }

  /** The JSON definition that recreates this model (weights excluded). */
  getDefinition(): ModelDefinition {
    return { type: 'Sequential', name: this.name, seed: this.seed, layers: this.layers.map((l) => l.getConfig()) } as ModelDefinition;
  }

  /** Copies of every weight, in layer order (Keras get_weights). */
  getWeights(): FloatArray[] {
    return allVariables(this).map((v) => v.value.data.slice());
  }

  /** Replaces every weight, in layer order; sizes must match. */
  setWeights(weights: readonly ArrayLike<number>[]): void {
    const vars = allVariables(this);
    if (weights.length !== vars.length) throw new DataError(`setWeights needs ${vars.length} arrays, received ${weights.length}`);
    vars.forEach((v, i) => {
      const w = weights[i]!;
      if (w.length !== v.value.size) throw new DataError(`weight ${v.name} has ${v.value.size} values (shape ${formatShape(v.value.shape, false)}), received ${w.length}`);
      v.value.data.set(w);
    });
  }

  /** Names, shapes and order of the weights. */
  weightManifest(): WeightSpec[] {
    return allVariables(this).map((v) => ({ name: v.name, shape: [...v.value.shape], dtype: this.backend.dtype }));
  }

  /** Weights as a manifest plus little-endian bytes. */
  saveWeights(): SavedWeights {
    const vars = allVariables(this);
    return { manifest: this.weightManifest(), data: packArrays(vars.map((v) => v.value.data)) };
  }

  /** Loads weights saved by saveWeights; names and shapes must match this model's. */
  loadWeights(saved: SavedWeights): void {
    const expected = this.weightManifest();
    checkManifest(saved.manifest, expected);
    this.setWeights(unpackArrays(saved.data, saved.manifest.map((w) => ({ length: shapeSize(w.shape), dtype: w.dtype }))));
  }

  /** Everything needed to continue training exactly: weights, optimizer slots and iterations, RNG state. */
  saveTrainingState(epoch: number = this.completedEpochs): Uint8Array {
    const compiled = this.requireCompiled();
    // The optimizer state includes a constant learning rate, so a rate changed by ReduceLROnPlateau survives a resume.
    const opt = compiled.optimizer.getState();
    const vars = allVariables(this);
    return encodeContainer(
      {
        epoch,
        seed: this.seed,
        rng: this.rng.getState(),
        layerRngs: this.layers.filter((l) => l.seededRng).map((l) => ({ layer: l.name, state: l.seededRng!.getState() })),
        weights: this.weightManifest(),
        optimizer: { iterations: opt.iterations, arrays: opt.arrays.map((a) => ({ length: a.length, dtype: a instanceof Float32Array ? 'float32' : 'float64' })) },
      },
      [...vars.map((v) => v.value.data), ...opt.arrays],
    );
  }

  /** Restores a state written by saveTrainingState (compile first, with the same optimizer). Returns the epoch to resume at. */
  loadTrainingState(bytes: Uint8Array): { epoch: number } {
    const compiled = this.requireCompiled();
    const { header, arrays } = decodeContainer(bytes);
    checkManifest(header.weights, this.weightManifest());
    const weights = arrays.slice(0, header.weights.length);
    this.setWeights(weights);
    compiled.optimizer.setState({ iterations: header.optimizer.iterations, arrays: arrays.slice(header.weights.length) });
    this.rng.setState(header.rng);
    for (const { layer, state } of header.layerRngs) {
      const target = this.layers.find((l) => l.name === layer)?.seededRng;
      if (!target) throw new DataError(`training state has a random generator for layer ${layer}, which has no seed in this model`);
      target.setState(state);
    }
    this.completedEpochs = header.epoch;
    return { epoch: header.epoch };
  }

  /** Epochs completed by the last fit (what saveTrainingState records by default). */
  completedEpochs = 0;

  private prepareX(x: TensorInput, label: string): ArrayData {
    this.requireBuilt();
    return conformToShape(toArrayData(x, label), this.inputShape, label);
  }

  private requireBuilt(): void {
    if (!this.built) this.build();
  }

  private requireCompiled(): Compiled {
    this.requireBuilt();
    if (!this.compiled) throw new ConfigError('the model must be compiled (optimizer, loss, metrics) before training or evaluation');
    return this.compiled;
  }
}
