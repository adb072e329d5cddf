import { configErrorFromZod } from '../config.js';
import { ConfigError } from '../errors.js';
import { type LayerConfig, Layer } from '../layers/layer.js';
import { createLayer } from '../layers/index.js';
import type { Shape, Tensor } from '../tensor.js';
import { type ModelDefinition, sequentialDefinitionSchema } from './definition.js';
import { assignUniqueNames, prefixError } from './layer-names.js';
import { Model, type ModelOptions } from './model.js';

export type { FitOptions } from './model.js';
/** Options of a Sequential model that are not part of its JSON definition. */
export type SequentialOptions = ModelOptions;

/** A linear stack of layers, each feeding the next (Keras Sequential). */
export class Sequential extends Model {
  readonly layers: Layer[] = [];
  private built = false;

  constructor(layers: (Layer | LayerConfig)[] = [], options: SequentialOptions = {}) {
    super(options, 'sequential');
    layers.forEach((l, i) => this.add(l, i));
    if (this.layers[0]?.declaredInputShape) this.build();
  }

  /** Creates a model from its JSON definition; errors name the path (`layers[2].units`) and the received value. */
  static fromDefinition(definition: ModelDefinition | unknown, options: Omit<SequentialOptions, 'seed' | 'name'> = {}): Sequential {
    const result = sequentialDefinitionSchema.safeParse(definition, { reportInput: true });
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
      throw new ConfigError(`layers[${index}]: an Input layer may only be the first layer`, [
        { path: `layers[${index}].type`, message: 'an Input layer may only be the first layer', received: 'InputLayer' },
      ]);
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
      if (layer.outputShapes.length > 1) {
        throw new ConfigError(`layers[${i}]: layer "${layer.name}" (${layer.className}) has ${layer.outputShapes.length} outputs; use a Functional model to use them`, [
          { path: `layers[${i}]`, message: 'a layer with several outputs cannot be used in a Sequential model' },
        ]);
      }
      shape = layer.outputShape;
    });
    this.built = true;
  }

  get inputNames(): string[] {
    const first = this.layers[0];
    return [first?.className === 'InputLayer' ? first.name : 'input'];
  }

  get outputNames(): string[] {
    return [this.layers[this.layers.length - 1]?.name ?? 'output'];
  }

  get inputShapes(): Shape[] {
    this.requireBuilt();
    return [this.layers[0]!.inputShape];
  }

  get outputShapes(): Shape[] {
    this.requireBuilt();
    return [this.layers[this.layers.length - 1]!.outputShape];
  }

  forward(xs: readonly Tensor[], training: boolean): Tensor[] {
    let y = xs[0]!;
    let mask: Tensor | null = null;
    for (const layer of this.layers) {
      // Timestep masks (from Embedding with maskZero) flow to the layers that use or pass them.
      layer.inputMask = mask;
      y = layer.call(y, training);
      mask = layer.computeOutputMask();
    }
    return [y];
  }

  backward(dys: readonly Tensor[], logits: readonly boolean[] = []): void {
    // Below the first layer that learns, gradients have nowhere to go; that layer needs only its weight gradients.
    const first = this.layers.findIndex((l) => l.learns);
    if (first < 0) return;
    const last = this.layers.length - 1;
    const fromLogits = logits[0] ?? false;
    let d = dys[0]!;
    for (let i = last; i > first; i--) d = this.layers[i]!.callBackward(d, fromLogits && i === last);
    this.layers[first]!.callBackwardWeightsOnly(d, fromLogits && first === last);
  }

  takesLogitsGradient(output: number): boolean {
    return output === 0 && this.layers.length > 0 && this.layers[this.layers.length - 1]!.takesLogitsGradient();
  }

  getDefinition(): ModelDefinition {
    return { type: 'Sequential', name: this.name, seed: this.seed, layers: this.layers.map((l) => l.getConfig()) } as ModelDefinition;
  }

  protected requireBuilt(): void {
    if (!this.built) this.build();
  }
}
