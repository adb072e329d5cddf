import { z } from 'zod';
import { parseConfig } from '../../config.js';
import type { Shape, Tensor } from '../../tensor.js';
import { inputShapeError } from '../layer-errors.js';
import { type LayerConfig, Layer, baseLayerSchema } from '../layer.js';
import type { Variable } from '../variable.js';
import { createNestedLayer, nestedLayerSchema, wrappedConfig } from './nested-layer.js';

/** Strict config schema of the Keras `TimeDistributed` wrapper. */
export const timeDistributedSchema = baseLayerSchema.extend({
  type: z.literal('TimeDistributed'),
  /** The layer applied to every step (any layer config). */
  layer: nestedLayerSchema,
}).strict();
/** Arguments of `TimeDistributed` as written in a model definition. */
export type TimeDistributedConfig = z.input<typeof timeDistributedSchema>;

/**
 * Keras `TimeDistributed`: applies one layer (one set of weights) to every step of a [batch, steps, ...] input by
 * folding the steps into the batch. Its weights are the wrapped layer's, named under the wrapper as TensorFlow.js
 * names them (`time_distributed/kernel`).
 */
export class TimeDistributed extends Layer {
  readonly className = 'TimeDistributed';
  override supportsMasking = true;
  /** The wrapped layer. */
  readonly layer: Layer;
  private readonly layerName: string | undefined;
  private lastShape: Shape | null = null;

  constructor(config: Omit<TimeDistributedConfig, 'type'>) {
    const parsed = parseConfig(timeDistributedSchema, { ...config, type: 'TimeDistributed' });
    super(parsed);
    this.layerName = parsed.layer.name;
    this.layer = createNestedLayer(parsed.layer, ['layer']);
    // The wrapped layer's activity penalty is a sum over its output, so taking it over the folded output is the same.
    this.activityRegularizer = this.layer.activityRegularizer;
    this.seededRng = this.layer.seededRng;
  }

  computeOutputShape(inputShape: Shape): Shape {
    if (inputShape.length < 2) throw inputShapeError(this, 'expects an input of shape (batch, steps, ...) with at least 3 axes', inputShape);
    const inner = this.layer.computeOutputShapes([inputShape.slice(1)]);
    if (inner.length !== 1) throw inputShapeError(this, `the wrapped ${this.layer.className} must have one output`, inputShape);
    return [inputShape[0]!, ...inner[0]!];
  }

  protected override buildWeights(inputShape: Shape): void {
    this.layer.name = this.name;
    this.layer.buildMany([inputShape.slice(1)], { backend: this.backend, rng: this.rng });
    this.variables.push(...this.layer.variables);
  }

  /** Renames the wrapper, its variables and the wrapped layer(s). */
  override rename(name: string): void {
    super.rename(name);
    this.layer.name = name;
  }

  /** The wrapped layer's trainable weights (none when either the wrapper or the wrapped layer is frozen). */
  override get trainableVariables(): Variable[] {
    return this.trainable ? this.layer.trainableVariables : [];
  }

  forward(x: Tensor, training: boolean): Tensor {
    const b = this.backend;
    const [batch, steps] = x.shape as [number, number];
    if (x.shape.length < 3) throw inputShapeError(this, 'expects an input with at least 3 axes', x.shape.slice(1));
    this.layer.inputMask = null;
    const y = this.layer.forward(b.reshape(x, [batch * steps, ...x.shape.slice(2)]), training);
    if (training) this.lastShape = x.shape;
    return b.reshape(y, [batch, steps, ...y.shape.slice(1)]);
  }

  backward(dy: Tensor): Tensor {
    const shape = this.lastShape;
    if (!shape) throw new Error(`layer ${this.name}: backward called before a training forward`);
    const b = this.backend;
    const [batch, steps] = shape as [number, number];
    const dx = this.layer.backward(b.reshape(dy, [batch * steps, ...dy.shape.slice(2)]));
    return b.reshape(dx, shape);
  }

  getConfig(): LayerConfig {
    return { ...this.baseConfig(), layer: wrappedConfig(this.layer, this.layerName) };
  }
}
