import { z } from 'zod';
import { parseConfig } from '../../config.js';
import type { FloatArray, Shape, Tensor } from '../../tensor.js';
import { type LayerConfig, baseLayerSchema } from '../layer.js';
import { type AxisLayout, axisLayout } from './axis-layout.js';
import { l2Normalize, l2NormalizeBackward } from './l2-normalize.js';
import { MergeLayer, mergeShapeError } from './merge-layer.js';

const axisInt = z.number().int();

/** Strict config schema of the Keras `Dot` layer (unknown properties are rejected). */
export const dotSchema = baseLayerSchema.extend({
  type: z.literal('Dot'),
  /**
   * Axis (or one axis per input) to contract; as in Keras it counts the batch axis as 0 and negative values count
   * from the end. Required, as in Keras.
   */
  axes: z.union([axisInt, z.tuple([axisInt, axisInt])]),
  /** L2-normalize both inputs along the dot axes first, making the output the cosine proximity. */
  normalize: z.boolean().optional(),
}).strict();
/** Arguments of `Dot` as written in a model definition. */
export type DotConfig = z.input<typeof dotSchema>;

/** What the last training call keeps: the (normalized) inputs, and the normalization factors. */
interface DotState {
  batch: number;
  xs: [FloatArray, FloatArray];
  factors: [Float64Array, Float64Array] | null;
}

/**
 * Keras `Dot`: the batch-wise dot product of two inputs along one axis of each (Keras batch_dot). For each sample,
 * out[i..., j...] = Σ_k x[i... with k at axes[0]] · y[j... with k at axes[1]]: the first input's remaining axes, then
 * the second's; a result with no axes left (two vectors) has shape (1,). [b, n]·[b, n] → [b, 1]; for 3-D inputs it is
 * a batched matrix product, e.g. axes [2, 1]: [b, m, n]·[b, n, p] → [b, m, p].
 */
export class Dot extends MergeLayer {
  readonly className = 'Dot';
  protected override readonly maxInputs = 2;
  /** The configured axes (an integer or one per input). */
  readonly axes: number | [number, number];
  readonly normalize: boolean;
  private layouts: [AxisLayout, AxisLayout] | null = null;
  private state: DotState | null = null;

  constructor(config: Omit<DotConfig, 'type'>) {
    const parsed = parseConfig(dotSchema, { ...config, type: 'Dot' });
    super(parsed);
    this.axes = typeof parsed.axes === 'number' ? parsed.axes : [parsed.axes[0], parsed.axes[1]];
    this.normalize = parsed.normalize ?? false;
  }

  /** The dot axes of two inputs as per-sample axes (0-based, batch not counted); throws when out of range. */
  private sampleAxes(inputShapes: readonly Shape[]): [number, number] {
    const configured = typeof this.axes === 'number' ? [this.axes, this.axes] : this.axes;
    const axes = inputShapes.map((shape, k) => {
      const rank = shape.length + 1;
      const a = configured[k]!;
      const full = a < 0 ? a + rank : a;
      if (full < 1 || full >= rank) {
        throw mergeShapeError(
          this,
          `axes ${JSON.stringify(this.axes)} are out of range for input ${k} of rank ${rank} (batch axis included; valid: 1..${rank - 1} or -${rank - 1}..-1)`,
          inputShapes,
        );
      }
      return full - 1;
    });
    return [axes[0]!, axes[1]!];
  }

  protected mergeOutputShape(inputShapes: readonly Shape[]): Shape {
    const [s1, s2] = inputShapes as [Shape, Shape];
    const [a1, a2] = this.sampleAxes(inputShapes);
    if (s1[a1] !== s2[a2]) {
      throw mergeShapeError(
        this,
        `the dot axes have different sizes: ${s1[a1]} (axis ${a1 + 1} of input 0) != ${s2[a2]} (axis ${a2 + 1} of input 1)`,
        inputShapes,
      );
    }
    const out = [...s1.filter((_, k) => k !== a1), ...s2.filter((_, k) => k !== a2)];
    return out.length === 0 ? [1] : out;
  }

  protected merge(inputs: readonly Tensor[], training: boolean): Tensor {
    const [x1, x2] = inputs as [Tensor, Tensor];
    const batch = x1.shape[0]!;
    const [a1, a2] = this.sampleAxes(this.inputShapes);
    const l1 = axisLayout(this.inputShapes[0]!, a1);
    const l2 = axisLayout(this.inputShapes[1]!, a2);
    this.layouts = [l1, l2];
    let xs: [FloatArray, FloatArray] = [x1.data, x2.data];
    let factors: [Float64Array, Float64Array] | null = null;
    if (this.normalize) {
      const n1 = this.backend.zeros(x1.shape).data;
      const n2 = this.backend.zeros(x2.shape).data;
      factors = [l2Normalize(x1.data, n1, batch, l1), l2Normalize(x2.data, n2, batch, l2)];
      xs = [n1, n2];
    }
    const y = this.backend.zeros([batch, ...this.outputShape]);
    const [a, b] = xs;
    const yd = y.data;
    const [s1, s2, k] = [l1.post, l2.post, l1.k];
    this.forEachOutput(batch, (yi, xi, zi) => {
      let sum = 0;
      for (let kk = 0; kk < k; kk++) sum += a[xi + kk * s1]! * b[zi + kk * s2]!;
      yd[yi] = sum;
    });
    this.state = training ? { batch, xs, factors } : null;
    return y;
  }

  protected mergeBackward(dy: Tensor): Tensor[] {
    const state = this.state;
    if (!state || !this.layouts) throw new Error(`layer ${this.name}: backward called before a training forward`);
    const { batch, xs, factors } = state;
    const g1 = this.backend.zeros([batch, ...this.inputShapes[0]!]);
    const g2 = this.backend.zeros([batch, ...this.inputShapes[1]!]);
    const d = dy.data;
    const [a, b] = xs;
    const [d1, d2] = [g1.data, g2.data];
    const [l1, l2] = this.layouts;
    const [s1, s2, k] = [l1.post, l2.post, l1.k];
    // y = Σ_k a·b along the dot axes, so each term routes dy·b to a's element and dy·a to b's.
    this.forEachOutput(batch, (yi, xi, zi) => {
      const g = d[yi]!;
      for (let kk = 0; kk < k; kk++) {
        d1[xi + kk * s1]! += g * b[zi + kk * s2]!;
        d2[zi + kk * s2]! += g * a[xi + kk * s1]!;
      }
    });
    if (factors) {
      l2NormalizeBackward(d1, xs[0], factors[0], batch, this.layouts[0]);
      l2NormalizeBackward(d2, xs[1], factors[1], batch, this.layouts[1]);
    }
    return [g1, g2];
  }

  /**
   * Visits every output element yi with the flat offsets xi and zi where its dot axes start in the two inputs
   * (element kk of the axis is at xi + kk·post₁ and zi + kk·post₂; see axisLayout).
   */
  private forEachOutput(batch: number, visit: (yi: number, xi: number, zi: number) => void): void {
    const [l1, l2] = this.layouts!;
    const m1 = l1.pre * l1.post;
    const m2 = l2.pre * l2.post;
    for (let s = 0; s < batch; s++) {
      for (let p1 = 0; p1 < l1.pre; p1++) {
        for (let q1 = 0; q1 < l1.post; q1++) {
          const row = s * m1 * m2 + (p1 * l1.post + q1) * m2;
          const xi = s * l1.size + p1 * l1.k * l1.post + q1;
          for (let p2 = 0; p2 < l2.pre; p2++) {
            for (let q2 = 0; q2 < l2.post; q2++) visit(row + p2 * l2.post + q2, xi, s * l2.size + p2 * l2.k * l2.post + q2);
          }
        }
      }
    }
  }

  getConfig(): LayerConfig {
    return { ...this.baseConfig(), axes: typeof this.axes === 'number' ? this.axes : [...this.axes], normalize: this.normalize };
  }
}
