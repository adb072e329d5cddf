import { z } from 'zod';
import { constraintSchema, getConstraint } from '../../constraints/index.js';
import { parseConfig, positiveInt } from '../../config.js';
import { DataError } from '../../errors.js';
import { getInitializer, initializerSchema } from '../../initializers/index.js';
import { getRegularizer, regularizerSchema } from '../../regularizers/index.js';
import type { Shape, Tensor } from '../../tensor.js';
import { type LayerConfig, Layer, baseLayerSchema } from '../layer.js';
import type { Variable } from '../variable.js';

/** Strict config schema of the Keras `Embedding` layer. */
export const embeddingSchema = baseLayerSchema.extend({
  type: z.literal('Embedding'),
  /** Vocabulary size: ids run from 0 to inputDim - 1. */
  inputDim: positiveInt,
  /** Size of each embedding vector. */
  outputDim: positiveInt,
  /** Default `uniform` (RandomUniform(-0.05, 0.05)). */
  embeddingsInitializer: initializerSchema.optional(),
  embeddingsRegularizer: regularizerSchema.nullable().optional(),
  embeddingsConstraint: constraintSchema.nullable().optional(),
  activityRegularizer: regularizerSchema.nullable().optional(),
  /** Whether id 0 is padding: the layer then outputs a mask that is 0 where the id is 0 (default false). */
  maskZero: z.boolean().optional(),
  /** Length of the input sequences; informational only (deprecated in Keras 3, kept for Keras 2 / TF.js configs). */
  inputLength: positiveInt.nullable().optional(),
}).strict();
/** Arguments of `Embedding` as written in a model definition. */
export type EmbeddingConfig = z.input<typeof embeddingSchema>;

/**
 * Keras `Embedding`: integer ids (stored as floats) of shape (batch, ...steps) → rows of the `embeddings` matrix
 * [inputDim, outputDim], shape (batch, ...steps, outputDim). Ids are not differentiable: the input gradient is zero and
 * the weight gradient adds dy into the rows that were looked up.
 */
export class Embedding extends Layer {
  readonly className = 'Embedding';
  private readonly config: z.output<typeof embeddingSchema>;
  readonly inputDim: number;
  readonly outputDim: number;
  readonly maskZero: boolean;
  private embeddings!: Variable;
  /** Ids of the last training forward, for the scatter-add of backward. */
  private lastIds: Int32Array | null = null;
  private lastInputShape: Shape | null = null;
  /** Mask of the last call (1 where the id is not 0), when maskZero. */
  private lastMask: Tensor | null = null;

  constructor(config: Omit<EmbeddingConfig, 'type'>) {
    const parsed = parseConfig(embeddingSchema, { ...config, type: 'Embedding' });
    super(parsed);
    this.config = parsed;
    this.inputDim = parsed.inputDim;
    this.outputDim = parsed.outputDim;
    this.maskZero = parsed.maskZero ?? false;
    this.activityRegularizer = parsed.activityRegularizer ? getRegularizer(parsed.activityRegularizer) : null;
  }

  computeOutputShape(inputShape: Shape): Shape {
    return [...inputShape, this.outputDim];
  }

  protected override buildWeights(): void {
    const c = this.config;
    const initializer = c.embeddingsInitializer ?? 'uniform';
    this.embeddings = this.addWeight('embeddings', [this.inputDim, this.outputDim], {
      initializer: getInitializer(initializer),
      regularizer: c.embeddingsRegularizer ? getRegularizer(c.embeddingsRegularizer) : null,
      constraint: c.embeddingsConstraint ? getConstraint(c.embeddingsConstraint) : null,
    });
  }

  /** The ids of `x` as integers; throws a DataError naming the layer, the offending value and the valid range. */
  private idsOf(x: Tensor): Int32Array {
    const ids = new Int32Array(x.size);
    const xd = x.data;
    for (let i = 0; i < ids.length; i++) {
      const v = xd[i]!;
      if (!Number.isInteger(v) || v < 0 || v >= this.inputDim) {
        const who = this.name ? `layer "${this.name}" (Embedding)` : 'Embedding layer';
        throw new DataError(
          `${who}: input id ${v} at flat position ${i} is ${Number.isInteger(v) ? 'out of range' : 'not an integer'}; ids must be integers in [0, ${this.inputDim - 1}] (inputDim ${this.inputDim})`,
        );
      }
      ids[i] = v;
    }
    return ids;
  }

  forward(x: Tensor, training: boolean): Tensor {
    const ids = this.idsOf(x);
    const d = this.outputDim;
    const y = this.backend.zeros([...x.shape, d]);
    const table = this.embeddings.value.data;
    const yd = y.data;
    for (let i = 0; i < ids.length; i++) yd.set(table.subarray(ids[i]! * d, ids[i]! * d + d), i * d);
    // The mask is kept for every call, inference included: the next layer asks for it right after this call.
    this.lastMask = this.maskZero ? this.backend.fromValues(x.shape, Array.from(ids, (id) => (id === 0 ? 0 : 1))) : null;
    if (training) {
      this.lastIds = ids;
      this.lastInputShape = x.shape;
    }
    return y;
  }

  backward(dy: Tensor): Tensor {
    const ids = this.lastIds;
    if (!ids || !this.lastInputShape) throw new Error(`layer ${this.name}: backward called before a training forward`);
    const d = this.outputDim;
    const grad = this.embeddings.grad.data;
    const gd = dy.data;
    // Scatter-add: every occurrence of an id adds its output gradient into that id's row.
    for (let i = 0; i < ids.length; i++) {
      const row = ids[i]! * d;
      for (let k = 0; k < d; k++) grad[row + k]! += gd[i * d + k]!;
    }
    return this.backend.zeros(this.lastInputShape);
  }

  /** [batch, ...steps] 0/1 mask of the last call's ids (0 where the id is 0) when maskZero; otherwise none. */
  override computeOutputMask(): Tensor | null {
    return this.maskZero ? this.lastMask : null;
  }

  getConfig(): LayerConfig {
    const c = this.config;
    const config: LayerConfig = {
      ...this.baseConfig(),
      inputDim: this.inputDim,
      outputDim: this.outputDim,
      embeddingsInitializer: c.embeddingsInitializer ?? 'uniform',
      maskZero: this.maskZero,
    };
    for (const key of ['embeddingsRegularizer', 'embeddingsConstraint', 'activityRegularizer'] as const) {
      if (c[key]) config[key] = c[key];
    }
    if (c.inputLength != null) config.inputLength = c.inputLength;
    return config;
  }
}
