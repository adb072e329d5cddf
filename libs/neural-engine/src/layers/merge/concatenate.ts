import { z } from 'zod';
import { parseConfig } from '../../config.js';
import { type Shape, type Tensor, shapeSize } from '../../tensor.js';
import { type LayerConfig, baseLayerSchema } from '../layer.js';
import { MergeLayer, mergeShapeError } from './merge-layer.js';

/** Strict config schema of the Keras `Concatenate` layer (unknown properties are rejected). */
export const concatenateSchema = baseLayerSchema.extend({
  type: z.literal('Concatenate'),
  /** Concatenation axis; as in Keras it counts the batch axis as 0 (which cannot be concatenated), -1 is the last. */
  axis: z
    .number()
    .int()
    .refine((a) => a !== 0, { error: 'axis 0 is the batch axis; concatenate along a sample axis (1, 2, ... or -1)' })
    .optional(),
}).strict();
/** Arguments of `Concatenate` as written in a model definition. */
export type ConcatenateConfig = z.input<typeof concatenateSchema>;

/** Keras `Concatenate`: joins two or more inputs along `axis`; their shapes must match on every other axis. */
export class Concatenate extends MergeLayer {
  readonly className = 'Concatenate';
  /** The configured axis (batch axis counted, negative from the end). */
  readonly axis: number;
  /** Per-input sizes along the axis, from the last training call. */
  private lastSizes: number[] | null = null;
  private lastBatch = 0;

  constructor(config: Omit<ConcatenateConfig, 'type'> = {}) {
    const parsed = parseConfig(concatenateSchema, { ...config, type: 'Concatenate' });
    super(parsed);
    this.axis = parsed.axis ?? -1;
  }

  /** The axis as an index into a per-sample shape of `rank` (undefined when out of range). */
  private sampleAxis(rank: number): number | undefined {
    const full = this.axis < 0 ? this.axis + rank + 1 : this.axis;
    return full >= 1 && full <= rank ? full - 1 : undefined;
  }

  protected mergeOutputShape(inputShapes: readonly Shape[]): Shape {
    const rank = inputShapes[0]!.length;
    if (inputShapes.some((s) => s.length !== rank)) {
      throw mergeShapeError(this, 'inputs must have the same rank', inputShapes);
    }
    const a = this.sampleAxis(rank);
    if (a === undefined) {
      throw mergeShapeError(this, `axis ${this.axis} is out of range for inputs of rank ${rank + 1} (batch axis included; valid: 1..${rank} or -${rank}..-1)`, inputShapes);
    }
    const first = inputShapes[0]!;
    const mismatch = inputShapes.some((s) => s.some((d, k) => k !== a && d !== first[k]));
    if (mismatch) {
      throw mergeShapeError(this, `inputs must have the same shape except on the concatenation axis ${this.axis}`, inputShapes);
    }
    const out = [...first];
    out[a] = inputShapes.reduce((n, s) => n + s[a]!, 0);
    return out;
  }

  /** Rows before the axis (batch included) and elements after it, for tensors of the built rank. */
  private layout(batch: number): { outer: number; inner: number; sizes: number[] } {
    const shapes = this.inputShapes;
    const a = this.sampleAxis(shapes[0]!.length)!;
    const first = shapes[0]!;
    return {
      outer: batch * shapeSize(first.slice(0, a)),
      inner: shapeSize(first.slice(a + 1)),
      sizes: shapes.map((s) => s[a]!),
    };
  }

  protected merge(inputs: readonly Tensor[], training: boolean): Tensor {
    const batch = inputs[0]!.shape[0]!;
    const { outer, inner, sizes } = this.layout(batch);
    const y = this.backend.zeros([batch, ...this.outputShape]);
    const yd = y.data;
    const total = sizes.reduce((n, s) => n + s, 0) * inner;
    let offset = 0;
    inputs.forEach((x, k) => {
      const chunk = sizes[k]! * inner;
      const xd = x.data;
      for (let o = 0; o < outer; o++) yd.set(xd.subarray(o * chunk, (o + 1) * chunk), o * total + offset);
      offset += chunk;
    });
    this.lastSizes = training ? sizes : null;
    this.lastBatch = batch;
    return y;
  }

  protected mergeBackward(dy: Tensor): Tensor[] {
    if (!this.lastSizes) throw new Error(`layer ${this.name}: backward called before a training forward`);
    const batch = this.lastBatch;
    const { outer, inner, sizes } = this.layout(batch);
    const total = sizes.reduce((n, s) => n + s, 0) * inner;
    const gd = dy.data;
    let offset = 0;
    return this.inputShapes.map((shape, k) => {
      const chunk = sizes[k]! * inner;
      const dx = this.backend.zeros([batch, ...shape]);
      for (let o = 0; o < outer; o++) dx.data.set(gd.subarray(o * total + offset, o * total + offset + chunk), o * chunk);
      offset += chunk;
      return dx;
    });
  }

  getConfig(): LayerConfig {
    return { ...this.baseConfig(), axis: this.axis };
  }
}
