import { z } from 'zod';
import { parseConfig } from '../../config.js';
import { ConfigError } from '../../errors.js';
import type { Shape, Tensor } from '../../tensor.js';
import { inputShapeError } from '../layer-errors.js';
import { type LayerConfig, Layer, baseLayerSchema } from '../layer.js';
import type { Variable } from '../variable.js';
import { createNestedLayer, defaultLayerName, nestedLayerSchema, wrappedConfig } from './nested-layer.js';
import { RecurrentLayer } from './recurrent-layer.js';

/** How Bidirectional combines the forward and backward outputs; null returns both as separate outputs. */
export const mergeModeSchema = z.enum(['concat', 'sum', 'mul', 'ave']);
/** A Bidirectional merge mode. */
export type MergeMode = z.infer<typeof mergeModeSchema>;

/** Strict config schema of the Keras `Bidirectional` wrapper. */
export const bidirectionalSchema = baseLayerSchema.extend({
  type: z.literal('Bidirectional'),
  /** The recurrent layer run forwards (SimpleRNN, LSTM or GRU config). */
  layer: nestedLayerSchema,
  /** How the two outputs are combined (default concat); null returns them separately. */
  mergeMode: mergeModeSchema.nullable().optional(),
  /** The layer run backwards; by default a copy of `layer` with goBackwards true. */
  backwardLayer: nestedLayerSchema.optional(),
}).strict();
/** Arguments of `Bidirectional` as written in a model definition. */
export type BidirectionalConfig = z.input<typeof bidirectionalSchema>;

function recurrentOrThrow(layer: Layer, path: string, config: LayerConfig): RecurrentLayer {
  if (layer instanceof RecurrentLayer) return layer;
  throw new ConfigError(`${path}: Bidirectional wraps a recurrent layer (SimpleRNN, LSTM, GRU) (received ${JSON.stringify(config.type)})`, [
    { path, message: 'Bidirectional wraps a recurrent layer (SimpleRNN, LSTM, GRU)', received: config.type },
  ]);
}

/** Reverses the step axis of a [batch, steps, units] tensor (the backward layer's sequence, back into time order). */
function reverseSteps(t: Tensor, out: Tensor): Tensor {
  const [batch, steps, units] = t.shape as [number, number, number];
  for (let b = 0; b < batch; b++) {
    for (let s = 0; s < steps; s++) {
      const from = (b * steps + s) * units;
      out.data.set(t.data.subarray(from, from + units), (b * steps + (steps - 1 - s)) * units);
    }
  }
  return out;
}

/**
 * Keras `Bidirectional`: runs a recurrent layer forwards and a copy backwards over the same input and merges their
 * outputs (the backward sequence re-reversed into time order). Weights are the forward layer's then the backward
 * layer's, named `<bidirectional>/forward_<rnn>/kernel`... and `<bidirectional>/backward_<rnn>/...` as TensorFlow.js
 * and Keras name them. With returnState the outputs are [merged, ...forward states, ...backward states].
 */
export class Bidirectional extends Layer {
  readonly className = 'Bidirectional';
  override supportsMasking = true;
  /** The layer run over the sequence in time order. */
  readonly forwardLayer: RecurrentLayer;
  /** The layer run over the sequence last step first. */
  readonly backwardLayer: RecurrentLayer;
  /** How the two outputs are combined; null keeps them as two outputs. */
  readonly mergeMode: MergeMode | null;
  private readonly forwardName: string;
  private readonly backwardName: string;
  private readonly originalNames: [string | undefined, string | undefined];
  private readonly backwardGiven: boolean;
  private last: { yf: Tensor; yb: Tensor } | null = null;

  constructor(config: Omit<BidirectionalConfig, 'type'>) {
    const parsed = parseConfig(bidirectionalSchema, { ...config, type: 'Bidirectional' });
    super(parsed);
    this.mergeMode = parsed.mergeMode === undefined ? 'concat' : parsed.mergeMode;
    const fwdConfig = parsed.layer;
    this.forwardLayer = recurrentOrThrow(createNestedLayer(fwdConfig, ['layer']), 'layer', fwdConfig);
    this.backwardGiven = parsed.backwardLayer !== undefined;
    // Keras 3 builds the default backward layer from the forward layer's config with goBackwards set to true (so a
    // forward layer that itself goes backwards needs an explicit backwardLayer; TF.js would flip it instead).
    const bwdConfig = parsed.backwardLayer ?? { ...fwdConfig, goBackwards: true };
    this.backwardLayer = recurrentOrThrow(createNestedLayer(bwdConfig, ['backwardLayer']), 'backwardLayer', bwdConfig);
    const f = this.forwardLayer;
    const bw = this.backwardLayer;
    for (const [layer, path] of [[f, 'layer'], [bw, 'backwardLayer']] as const) {
      if (layer.activityRegularizer) {
        // The engine counts an activity penalty per layer of the model, so a wrapped layer's own would be lost.
        const message = 'an activityRegularizer inside Bidirectional is not supported';
        throw new ConfigError(`${path}.activityRegularizer: ${message}`, [
          { path: `${path}.activityRegularizer`, message, received: layer.activityRegularizer.getConfig() },
        ]);
      }
    }
    if (f.returnSequences !== bw.returnSequences || f.returnState !== bw.returnState || f.units !== bw.units) {
      // The two outputs are merged element by element (or side by side) and their states listed in one signature.
      const message = 'must have the same units, returnSequences and returnState as layer';
      throw new ConfigError(`backwardLayer: ${message}`, [
        { path: 'backwardLayer', message, received: { units: bw.units, returnSequences: bw.returnSequences, returnState: bw.returnState } },
      ]);
    }
    if (f.goBackwards === bw.goBackwards) {
      throw new ConfigError('backwardLayer: must have the opposite goBackwards of layer', [
        { path: 'backwardLayer.goBackwards', message: 'must be the opposite of layer.goBackwards', received: bw.goBackwards },
      ]);
    }
    this.originalNames = [fwdConfig.name, bwdConfig.name];
    // Keras 3 and TF.js name the directions forward_<layer> and backward_<layer>; an explicit backward layer (which
    // TF.js 4.22 does not support) keeps its own name, as in Keras 3.
    const innerName = fwdConfig.name ?? defaultLayerName(f.className);
    this.forwardName = `forward_${innerName}`;
    this.backwardName = parsed.backwardLayer ? (bwdConfig.name ?? defaultLayerName(bw.className)) : `backward_${innerName}`;
    // Keras outputs zeros at masked steps of both directions when returning sequences, so they line up when merged.
    f.zeroOutputForMask = f.returnSequences;
    bw.zeroOutputForMask = bw.returnSequences;
    this.activityRegularizer = null;
  }

  /** Whether the outputs are sequences (the wrapped layers' returnSequences). */
  get returnSequences(): boolean {
    return this.forwardLayer.returnSequences;
  }

  computeOutputShape(inputShape: Shape): Shape {
    return this.computeOutputShapes([inputShape])[0]!;
  }

  override computeOutputShapes(inputShapes: readonly Shape[]): Shape[] {
    if (inputShapes.length !== 1) throw inputShapeError(this, 'takes one input', inputShapes[0] ?? []);
    const [out, ...fStates] = this.forwardLayer.computeOutputShapes(inputShapes);
    const [, ...bStates] = this.backwardLayer.computeOutputShapes(inputShapes);
    const o = out!;
    const merged = this.mergeMode === null ? [o, o] : [this.mergeMode === 'concat' ? [...o.slice(0, -1), 2 * o[o.length - 1]!] : o];
    return [...merged, ...fStates, ...bStates];
  }

  override computeOutputMask(): Tensor | null {
    return this.returnSequences ? this.inputMask : null;
  }

  override get innerLayers(): readonly Layer[] {
    return [this.forwardLayer, this.backwardLayer];
  }

  private prefixed(inner: string): string {
    return this.name ? `${this.name}/${inner}` : inner;
  }

  protected override buildWeights(inputShape: Shape): void {
    const context = { backend: this.backend, rng: this.rng };
    this.forwardLayer.name = this.prefixed(this.forwardName);
    this.backwardLayer.name = this.prefixed(this.backwardName);
    this.forwardLayer.buildMany([inputShape], context);
    this.backwardLayer.buildMany([inputShape], context);
    this.variables.push(...this.forwardLayer.variables, ...this.backwardLayer.variables);
  }

  /** Renames the wrapper, its variables and the wrapped layer(s). */
  override rename(name: string): void {
    super.rename(name);
    this.forwardLayer.name = this.prefixed(this.forwardName);
    this.backwardLayer.name = this.prefixed(this.backwardName);
  }

  /** Both layers' trainable weights (none when the wrapper is frozen). */
  override get trainableVariables(): Variable[] {
    return this.trainable ? [...this.forwardLayer.trainableVariables, ...this.backwardLayer.trainableVariables] : [];
  }

  forward(x: Tensor, training: boolean): Tensor {
    return this.forwardAll(x, training)[0]!;
  }

  backward(dy: Tensor): Tensor {
    return this.backwardAll([dy]);
  }

  override callMany(inputs: readonly Tensor[], training: boolean): Tensor[] {
    if (inputs.length !== 1) throw new Error(`layer ${this.name} (Bidirectional) takes 1 input, received ${inputs.length}`);
    return this.forwardAll(inputs[0]!, training);
  }

  override callBackwardMany(dys: readonly Tensor[]): Tensor[] {
    return [this.backwardAll(dys)];
  }

  /** Every output: the merged output (or both, without a merge mode), then the forward and backward final states. */
  forwardAll(x: Tensor, training: boolean): Tensor[] {
    const b = this.backend;
    const f = this.forwardLayer;
    const bw = this.backwardLayer;
    f.inputMask = this.inputMask;
    bw.inputMask = this.inputMask;
    const [yf, ...fStates] = f.forwardAll(x, training);
    const [ybRaw, ...bStates] = bw.forwardAll(x, training);
    const yb = this.returnSequences ? reverseSteps(ybRaw!, b.zeros(ybRaw!.shape)) : ybRaw!;
    this.last = training ? { yf: yf!, yb } : null;
    return [...this.merge(yf!, yb), ...fStates, ...bStates];
  }

  private merge(yf: Tensor, yb: Tensor): Tensor[] {
    const b = this.backend;
    switch (this.mergeMode) {
      case null:
        return [yf, yb];
      case 'sum':
        return [b.add(yf, yb)];
      case 'mul':
        return [b.multiply(yf, yb)];
      case 'ave':
        return [b.map2(yf, yb, (p, q) => (p + q) / 2)];
      case 'concat': {
        const n = yf.shape[yf.shape.length - 1]!;
        const out = b.zeros([...yf.shape.slice(0, -1), 2 * n]);
        const rows = yf.size / n;
        for (let r = 0; r < rows; r++) {
          out.data.set(yf.data.subarray(r * n, (r + 1) * n), 2 * r * n);
          out.data.set(yb.data.subarray(r * n, (r + 1) * n), (2 * r + 1) * n);
        }
        return [out];
      }
    }
  }

  /** dL/dx from the gradients of the outputs (missing ones are zero); accumulates both layers' weight gradients. */
  backwardAll(dys: readonly Tensor[]): Tensor {
    const last = this.last;
    if (!last) throw new Error(`layer ${this.name}: backward called before a training forward`);
    const b = this.backend;
    const { yf, yb } = last;
    const merged = this.mergeMode === null ? 2 : 1;
    const zeros = (): Tensor => b.zeros(yf.shape);
    let dyf: Tensor;
    let dyb: Tensor;
    const d = dys[0] ?? b.zeros(this.mergeMode === 'concat' ? [...yf.shape.slice(0, -1), 2 * yf.shape[yf.shape.length - 1]!] : yf.shape);
    switch (this.mergeMode) {
      case null:
        dyf = d;
        dyb = dys[1] ?? zeros();
        break;
      case 'sum':
        dyf = d;
        dyb = d;
        break;
      case 'mul':
        dyf = b.multiply(d, yb);
        dyb = b.multiply(d, yf);
        break;
      case 'ave':
        dyf = b.scale(d, 0.5);
        dyb = dyf;
        break;
      case 'concat': {
        const n = yf.shape[yf.shape.length - 1]!;
        dyf = zeros();
        dyb = zeros();
        for (let r = 0; r < yf.size / n; r++) {
          dyf.data.set(d.data.subarray(2 * r * n, (2 * r + 1) * n), r * n);
          dyb.data.set(d.data.subarray((2 * r + 1) * n, (2 * r + 2) * n), r * n);
        }
        break;
      }
    }
    if (this.returnSequences) dyb = reverseSteps(dyb, b.zeros(dyb.shape));
    const states = dys.slice(merged);
    const nf = this.forwardLayer.returnState ? this.forwardLayer.computeOutputShapes([this.inputShape]).length - 1 : 0;
    const dx = this.forwardLayer.backwardAll([dyf, ...states.slice(0, nf)]);
    b.addInPlace(dx, this.backwardLayer.backwardAll([dyb, ...states.slice(nf)]));
    return dx;
  }

  getConfig(): LayerConfig {
    const config: LayerConfig = {
      ...this.baseConfig(),
      layer: wrappedConfig(this.forwardLayer, this.originalNames[0]),
      mergeMode: this.mergeMode,
    };
    if (this.backwardGiven) config.backwardLayer = wrappedConfig(this.backwardLayer, this.originalNames[1]);
    return config;
  }
}
