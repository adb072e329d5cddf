import type { Backend } from '../backend/backend.js';
import { defaultBackend } from '../backend/default-backend.js';
import type { Callback, CallbackConfig, CallbackModel, History, Logs } from '../callbacks/index.js';
import { parseConfig } from '../config.js';
import { ConfigError, DataError } from '../errors.js';
import type { Layer } from '../layers/layer.js';
import { Rng } from '../rng.js';
import { type FloatArray, type Shape, type Tensor, formatShape, shapeSize } from '../tensor.js';
import { type CompileArgs, Compiled } from '../training/compiled.js';
import { evaluateData, type ProgressEvent, runFit } from '../training/fit.js';
import { type Network, allVariables, trainableVariables } from '../training/network.js';
import { trainStep } from '../training/train-step.js';
import { type ArrayData, gatherSamples, sampleCount, sliceSamples } from './data.js';
import { type FitConfig, fitConfigSchema, type ModelDefinition } from './definition.js';
import { type ModelData, prepareInputs, prepareTargets } from './inputs.js';
import { sampleWeights } from './labels.js';
import { checkManifest, decodeContainer, encodeContainer, packArrays, type SavedWeights, unpackArrays, type WeightSpec } from './serialization.js';
import { formatSummary, type ModelSummary, summarize } from './summary.js';

/** Options of a model that are not part of its JSON definition. */
export interface ModelOptions {
  name?: string;
  /** Seed of the model's random generator; random when absent (read it back from `seed`). */
  seed?: number;
  /** Where tensors live and math runs; this thread's defaultBackend() (WebAssembly SIMD, float32) when absent. */
  backend?: Backend;
}

/** fit() options: the JSON fit config plus data-bearing and code-level options. */
export interface FitOptions extends Omit<FitConfig, 'callbacks'> {
  /** Validation set (takes precedence over validationSplit): [x, y] or [x, y, sampleWeight]. */
  validationData?: [ModelData, ModelData] | [ModelData, ModelData, ArrayLike<number>];
  /** One weight per training sample, multiplied into the loss. */
  sampleWeight?: ArrayLike<number>;
  /** Callback instances or JSON callback configs. */
  callbacks?: (Callback | CallbackConfig)[];
  /** Cancels training within one batch; fit then resolves with history.stopped.reason = 'cancelled'. */
  signal?: AbortSignal;
  /** Progress after every batch and epoch (losses, metrics, diagnostics, throughput). */
  onProgress?: (event: ProgressEvent) => void;
}

/**
 * What every model can do (Keras Model): compile, fit, evaluate, predict, save and restore. Subclasses say how
 * layers connect: Sequential chains them, Functional walks a graph.
 */
export abstract class Model implements Network, CallbackModel {
  abstract readonly layers: Layer[];
  readonly backend: Backend;
  /** The one random generator of this model: initializers, dropout masks and shuffling draw from it. */
  readonly rng: Rng;
  readonly seed: number;
  name: string;
  stopTraining = false;
  /** Epochs completed by the last fit (what saveTrainingState records by default). */
  completedEpochs = 0;
  private compiled: Compiled | null = null;

  protected constructor(options: ModelOptions, defaultName: string) {
    this.backend = options.backend ?? defaultBackend();
    this.seed = options.seed ?? Math.floor(Math.random() * 0x100000000);
    this.rng = new Rng(this.seed);
    this.name = options.name ?? defaultName;
  }

  abstract readonly inputNames: readonly string[];
  abstract readonly outputNames: readonly string[];
  abstract get inputShapes(): Shape[];
  abstract get outputShapes(): Shape[];
  abstract forward(xs: readonly Tensor[], training: boolean): Tensor[];
  abstract backward(dys: readonly Tensor[], logits?: readonly boolean[]): void;
  abstract takesLogitsGradient(output: number): boolean;
  /** The JSON definition that recreates this model (weights excluded). */
  abstract getDefinition(): ModelDefinition;
  /** Builds the layers if that has not happened yet. */
  protected abstract requireBuilt(): void;

  /** Per-sample shape of the (first) input. */
  get inputShape(): Shape {
    return this.inputShapes[0]!;
  }

  /** Per-sample shape of the (first) output. */
  get outputShape(): Shape {
    return this.outputShapes[0]!;
  }

  /** Configures training (Keras compile): optimizer (default rmsprop), loss(es), loss weights, metrics. */
  compile(args: CompileArgs): void {
    this.requireBuilt();
    const compiled = new Compiled(args, this.backend, this.outputNames);
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
  async fit(x: ModelData, y: ModelData, options: FitOptions = {}): Promise<History> {
    const compiled = this.requireCompiled();
    const { callbacks = [], validationData, sampleWeight, signal, onProgress, ...json } = options;
    const config = parseConfig(fitConfigSchema.omit({ callbacks: true }), json);
    let { xs, ys, weights } = this.prepare(x, y, sampleWeight, config.classWeight, '');
    let validation = null;
    if (validationData) {
      const v = this.prepare(validationData[0], validationData[1], validationData[2], undefined, 'validationData.');
      validation = { x: v.xs, y: v.ys, sampleWeight: v.weights };
    } else if (config.validationSplit > 0) {
      // Keras takes the validation samples from the end of the arrays, before any shuffling.
      const n = sampleCount(xs[0]!);
      const split = Math.floor(n * (1 - config.validationSplit));
      if (split === 0 || split === n) {
        throw new DataError(`validationSplit ${config.validationSplit} of ${n} samples leaves ${split === 0 ? 'no training' : 'no validation'} samples`);
      }
      const tail = (a: ArrayData[]): ArrayData[] => a.map((d) => sliceSamples(d, split, n));
      const head = (a: ArrayData[]): ArrayData[] => a.map((d) => sliceSamples(d, 0, split));
      validation = { x: tail(xs), y: tail(ys), sampleWeight: weights ? weights.slice(split) : null };
      xs = head(xs);
      ys = head(ys);
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

  /** One optimization step on one batch (Keras train_on_batch); returns the batch's losses and metrics. */
  trainOnBatch(x: ModelData, y: ModelData, options: { sampleWeight?: ArrayLike<number>; classWeight?: Record<string, number> } = {}): Logs {
    const compiled = this.requireCompiled();
    // The inputs' values are checked as the step gathers them, before it computes anything.
    const { xs, ys, weights } = this.prepare(x, y, options.sampleWeight, options.classWeight, '', true);
    const n = sampleCount(xs[0]!);
    const order = Uint32Array.from({ length: n }, (_, i) => i);
    const metrics = compiled.metrics(ys.map((a) => a.shape), this.outputShapes.map((s) => [0, ...s]));
    for (const { metric } of metrics) metric.reset();
    const gather = (a: ArrayData[]): Tensor[] => a.map((d) => gatherSamples(this.backend, d, order, 0, n));
    // The batch is gathered inside the step, into the step's planned memory.
    const step = this.backend.step('train', n, () => trainStep(this, compiled, this.backend, gather(xs), gather(ys), weights));
    const logs: Logs = { loss: step.loss };
    if (compiled.multiOutput) step.outputLosses.forEach((l, k) => (logs[compiled.lossName(k)] = l));
    for (const { name, metric } of metrics) logs[name] = metric.result();
    return logs;
  }

  /** Losses and metrics on data, in inference mode (Keras evaluate). */
  evaluate(x: ModelData, y: ModelData, options: { batchSize?: number; sampleWeight?: ArrayLike<number> } = {}): Logs {
    const compiled = this.requireCompiled();
    const { xs, ys, weights } = this.prepare(x, y, options.sampleWeight, undefined, '');
    return evaluateData(this, compiled, this.backend, xs, ys, weights, options.batchSize ?? 32);
  }

  /** Outputs for inputs, in inference mode, batch by batch (Keras predict): [samples, ...outputShape]. One-output models. */
  predict(x: ModelData, options: { batchSize?: number } = {}): Tensor {
    if (this.outputNames.length !== 1) throw new DataError(`the model has ${this.outputNames.length} outputs; use predictOutputs`);
    return this.predictOutputs(x, options)[0]!;
  }

  /** Every output for inputs, in inference mode, batch by batch: one tensor per output. */
  predictOutputs(x: ModelData, options: { batchSize?: number } = {}): Tensor[] {
    this.requireBuilt();
    const xs = prepareInputs(x, this.inputNames, this.inputShapes, 'x', { deferFiniteCheck: true });
    const n = sampleCount(xs[0]!);
    const batchSize = options.batchSize ?? 32;
    const outs = this.outputShapes.map((s) => this.backend.zeros([n, ...s]));
    const order = Uint32Array.from({ length: n }, (_, i) => i);
    for (let start = 0; start < n; start += batchSize) {
      const end = Math.min(start + batchSize, n);
      // One step a batch: its tensors end with it, so each output is copied into `outs` inside.
      this.backend.step('predict', end - start, () => {
        const xb = xs.map((d) => gatherSamples(this.backend, d, order, start, end));
        this.forward(xb, false).forEach((yb, k) => outs[k]!.data.set(yb.data, start * shapeSize(this.outputShapes[k]!)));
      });
    }
    return outs;
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
    this.requireBuilt();
    return this.layers.reduce((n, l) => n + l.countParams(), 0);
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
    this.requireBuilt();
    return allVariables(this).map((v) => ({ name: v.name, shape: [...v.value.shape], dtype: this.backend.dtype }));
  }

  /** Weights as a manifest plus little-endian bytes. */
  saveWeights(): SavedWeights {
    return { manifest: this.weightManifest(), data: packArrays(allVariables(this).map((v) => v.value.data)) };
  }

  /** Loads weights saved by saveWeights; names and shapes must match this model's. */
  loadWeights(saved: SavedWeights): void {
    checkManifest(saved.manifest, this.weightManifest());
    this.setWeights(unpackArrays(saved.data, saved.manifest.map((w) => ({ length: shapeSize(w.shape), dtype: w.dtype }))));
  }

  /** Everything needed to continue training exactly: weights, optimizer slots and iterations, RNG states. */
  saveTrainingState(epoch: number = this.completedEpochs): Uint8Array {
    const compiled = this.requireCompiled();
    // The optimizer state includes a constant learning rate, so a rate changed by ReduceLROnPlateau survives a resume.
    const opt = compiled.optimizer.getState();
    return encodeContainer(
      {
        epoch,
        seed: this.seed,
        rng: this.rng.getState(),
        layerRngs: [...seededGenerators(this.layers)].map(([layer, rng]) => ({ layer, state: rng.getState() })),
        weights: this.weightManifest(),
        optimizer: { iterations: opt.iterations, arrays: opt.arrays.map((a) => ({ length: a.length, dtype: a instanceof Float32Array ? 'float32' : 'float64' })) },
      },
      [...allVariables(this).map((v) => v.value.data), ...opt.arrays],
    );
  }

  /** Restores a state written by saveTrainingState (compile first, with the same optimizer). Returns the epoch to resume at. */
  loadTrainingState(bytes: Uint8Array): { epoch: number } {
    const compiled = this.requireCompiled();
    const { header, arrays } = decodeContainer(bytes);
    checkManifest(header.weights, this.weightManifest());
    this.setWeights(arrays.slice(0, header.weights.length));
    compiled.optimizer.setState({ iterations: header.optimizer.iterations, arrays: arrays.slice(header.weights.length) });
    this.rng.setState(header.rng);
    const generators = seededGenerators(this.layers);
    for (const { layer, state } of header.layerRngs) {
      const target = generators.get(layer);
      if (!target) throw new DataError(`training state has a random generator for layer ${layer}, which has no seed in this model`);
      target.setState(state);
    }
    this.completedEpochs = header.epoch;
    return { epoch: header.epoch };
  }

  /** Validated inputs, targets and per-sample weights. */
  private prepare(
    x: ModelData, y: ModelData, sampleWeight: ArrayLike<number> | undefined, classWeight: Record<string, number> | undefined, prefix: string,
    deferFiniteCheck = false,
  ) {
    this.requireBuilt();
    const xs = prepareInputs(x, this.inputNames, this.inputShapes, `${prefix}x`, { deferFiniteCheck });
    const n = sampleCount(xs[0]!);
    const ys = prepareTargets(y, this.outputNames, this.outputShapes, n, `${prefix}y`);
    if (classWeight && ys.length > 1) throw new DataError('classWeight is only supported for models with one output; use sampleWeight');
    return { xs, ys, weights: sampleWeights(sampleWeight, n, classWeight, ys[0]!) };
  }

  private requireCompiled(): Compiled {
    this.requireBuilt();
    if (!this.compiled) throw new ConfigError('the model must be compiled (optimizer, loss, metrics) before training or evaluation');
    return this.compiled;
  }
}

/** The generators of layers with their own seed, by layer path (`bidirectional/forward_lstm` for wrapped layers). */
function seededGenerators(layers: readonly Layer[], prefix = ''): Map<string, Rng> {
  const found = new Map<string, Rng>();
  for (const layer of layers) {
    const path = `${prefix}${layer.name}`;
    if (layer.seededRng) found.set(path, layer.seededRng);
    for (const [inner, rng] of seededGenerators(layer.innerLayers, `${path}/`)) found.set(inner, rng);
  }
  return found;
}
