import { configErrorFromZod } from '../config.js';
import { ConfigError } from '../errors.js';
import type { Layer, LayerConfig } from '../layers/layer.js';
import { createLayer } from '../layers/index.js';
import type { Shape, Tensor } from '../tensor.js';
import { functionalDefinitionSchema, type ModelDefinition } from './definition.js';
import { type GraphNode, type TensorRef, checkGraph, formatReference } from './graph.js';
import { prefixError } from './layer-names.js';
import { type ModelSummary, summarize } from './summary.js';
import { Model, type ModelOptions } from './model.js';

/**
 * A directed acyclic graph of layers (Keras functional API): named inputs, layers applied to the tensors named in
 * their `inbound`, and named outputs. Forward walks the graph in topological order; backward walks it in reverse and
 * sums gradients where a tensor feeds several layers.
 */
export class Functional extends Model {
  /** Layers in definition order (the order of their weights). */
  readonly layers: Layer[];
  readonly inputNames: string[];
  readonly outputNames: string[];
  private readonly declaredInputShapes: Shape[];
  private readonly order: { node: GraphNode; layer: Layer }[];
  private readonly outputs: TensorRef[];
  /** Per layer name: how many places read its outputs (layers' inbound and the model's outputs). */
  private readonly readers = new Map<string, number>();

  private constructor(def: FunctionalDefinition, options: ModelOptions) {
    super(options, 'functional');
    const graph = checkGraph(def);
    this.layers = def.layers.map((config, i) => {
      const { inbound: _inbound, ...layerConfig } = config;
      return createLayer(layerConfig as LayerConfig, ['layers', i]);
    });
    this.inputNames = def.inputs.map((i) => i.name);
    this.declaredInputShapes = def.inputs.map((i) => [...i.shape]);
    this.order = graph.order.map((node) => ({ node, layer: this.layers[node.index]! }));
    this.outputs = graph.outputs;
    this.outputNames = graph.outputs.map((r) => (r.output === 0 ? r.name : `${r.name}_${r.output}`));
    for (const r of [...graph.order.flatMap((node) => node.inbound), ...graph.outputs]) this.readers.set(r.name, (this.readers.get(r.name) ?? 0) + 1);
    this.build();
  }

  /** Creates a model from its JSON definition; errors name the path (`layers[2].inbound[0]`) and the layer. */
  static fromDefinition(definition: ModelDefinition | unknown, options: Omit<ModelOptions, 'seed' | 'name'> = {}): Functional {
    const result = functionalDefinitionSchema.safeParse(definition, { reportInput: true });
    if (!result.success) throw configErrorFromZod(result.error);
    const def = result.data;
    return new Functional(def, { ...options, name: def.name ?? 'functional', ...(def.seed !== undefined ? { seed: def.seed } : {}) });
  }

  get inputShapes(): Shape[] {
    return this.declaredInputShapes;
  }

  get outputShapes(): Shape[] {
    return this.outputs.map((r) => this.layerNamed(r.name).outputShapes[r.output]!);
  }

  forward(xs: readonly Tensor[], training: boolean): Tensor[] {
    const values = new Map<string, Tensor[]>();
    const masks = new Map<string, (Tensor | null)[]>();
    this.inputNames.forEach((name, k) => values.set(name, [xs[k]!]));
    for (const { node, layer } of this.order) {
      const inputs = node.inbound.map((r) => values.get(r.name)![r.output]!);
      // A one-input layer receives the mask of its input tensor (Embedding with maskZero → recurrent layers).
      const first = node.inbound[0]!;
      layer.inputMask = node.inbound.length === 1 ? (masks.get(first.name)?.[first.output] ?? null) : null;
      const outputs = layer.callMany(inputs, training);
      values.set(node.name, outputs);
      masks.set(node.name, outputs.map((_, k) => (k === 0 ? layer.computeOutputMask() : null)));
    }
    return this.outputs.map((r) => values.get(r.name)![r.output]!);
  }

  backward(dys: readonly Tensor[], logits: readonly boolean[] = []): void {
    const grads = new Map<string, (Tensor | null)[]>();
    // Nodes whose gradient is dL/d(logits) of their softmax: an output that nothing else reads (takesLogitsGradient).
    const fromLogits = new Set(this.outputs.filter((_, k) => logits[k]).map((r) => r.name));
    const accumulate = (ref: TensorRef, g: Tensor): void => {
      if (ref.isInput) return;
      const slots = grads.get(ref.name) ?? this.layerNamed(ref.name).outputShapes.map(() => null);
      const existing = slots[ref.output];
      if (existing) {
        // Returned gradients may be views of a layer's buffers: sum into a fresh tensor.
        const sum = this.backend.clone(existing);
        this.backend.addInPlace(sum, g);
        slots[ref.output] = sum;
      } else {
        slots[ref.output] = g;
      }
      grads.set(ref.name, slots);
    };
    this.outputs.forEach((r, k) => accumulate(r, dys[k]!));
    const batch = dys[0]!.shape[0]!;
    for (let i = this.order.length - 1; i >= 0; i--) {
      const { node, layer } = this.order[i]!;
      const slots = grads.get(node.name);
      if (!slots) continue;
      const full = layer.outputShapes.map((s, k) => slots[k] ?? this.backend.zeros([batch, ...s]));
      const dxs = layer.callBackwardMany(full, fromLogits.has(node.name));
      node.inbound.forEach((r, j) => accumulate(r, dxs[j]!));
    }
  }

  takesLogitsGradient(output: number): boolean {
    const ref = this.outputs[output];
    if (!ref || ref.isInput) return false;
    const layer = this.layerNamed(ref.name);
    // The gradient that reaches the layer must be this output's alone: no other output or layer reads the tensor.
    return layer.outputShapes.length === 1 && this.readers.get(ref.name) === 1 && layer.takesLogitsGradient();
  }

  getDefinition(): ModelDefinition {
    return {
      type: 'Functional',
      name: this.name,
      seed: this.seed,
      inputs: this.inputNames.map((name, k) => ({ name, shape: [...this.declaredInputShapes[k]!] })),
      layers: this.layers.map((layer, i) => {
        const node = this.order.find((o) => o.node.index === i)!.node;
        return { ...layer.getConfig(), name: layer.name, inbound: node.inbound.map(formatReference) };
      }),
      outputs: this.outputs.map(formatReference),
    } as ModelDefinition;
  }

  override summaryData(): ModelSummary {
    const inbound = new Map(this.order.map(({ node, layer }) => [layer, node.inbound.map(formatReference)]));
    return summarize(this.name, this.layers, (layer) => inbound.get(layer) ?? []);
  }

  protected requireBuilt(): void {}

  /** Builds every layer in topological order from the shapes of the tensors it reads. */
  private build(): void {
    const shapes = new Map<string, Shape[]>();
    this.inputNames.forEach((name, k) => shapes.set(name, [this.declaredInputShapes[k]!]));
    const context = { backend: this.backend, rng: this.rng };
    for (const { node, layer } of this.order) {
      const inputShapes = node.inbound.map((r, j) => {
        const available = shapes.get(r.name)!;
        if (r.output >= available.length) {
          throw new ConfigError(`layers[${node.index}].inbound[${j}]: layer "${r.name}" has ${available.length} output(s); received ${formatReference(r)}`, [
            { path: `layers[${node.index}].inbound[${j}]`, message: 'output index out of range', received: formatReference(r) },
          ]);
        }
        return available[r.output]!;
      });
      try {
        layer.buildMany(inputShapes, context);
      } catch (e) {
        throw prefixError(e, `layers[${node.index}]`, layer.name);
      }
      shapes.set(node.name, layer.outputShapes);
    }
    this.outputs.forEach((r, k) => {
      const available = shapes.get(r.name)!.length;
      if (r.output >= available) {
        throw new ConfigError(`outputs[${k}]: layer "${r.name}" has ${available} output(s); received ${formatReference(r)}`, [
          { path: `outputs[${k}]`, message: 'output index out of range', received: formatReference(r) },
        ]);
      }
    });
  }

  private layerNamed(name: string): Layer {
    return this.layers.find((l) => l.name === name)!;
  }
}

type FunctionalDefinition = ReturnType<typeof functionalDefinitionSchema.parse>;
