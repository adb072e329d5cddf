import type { FloatArray, Shape, Tensor } from '../../tensor.js';
import { shapesEqual } from '../../tensor.js';
import { broadcastIndex } from '../broadcast.js';
import type { LayerContext } from '../layer.js';
import { MergeLayer, mergeShapeError } from './merge-layer.js';

/**
 * The broadcast of per-sample shapes as Keras 3 merge layers compute it: shapes are aligned on their last axis (a
 * lower-rank input gains leading size-1 axes after the batch axis), and on each axis the sizes must be equal or 1.
 * Returns null when they do not broadcast.
 */
export function broadcastShapes(shapes: readonly Shape[]): Shape | null {
  const rank = Math.max(...shapes.map((s) => s.length));
  const out = new Array<number>(rank).fill(1);
  for (const shape of shapes) {
    const offset = rank - shape.length;
    for (let k = 0; k < shape.length; k++) {
      const d = shape[k]!;
      const o = out[offset + k]!;
      if (d === o || d === 1) continue;
      if (o !== 1) return null;
      out[offset + k] = d;
    }
  }
  return out;
}

/** How one input maps onto the output: null when it already has the output's shape, else a broadcast index. */
type InputMap = Int32Array | null;

/**
 * Base of the element-wise merges (Add, Subtract, Multiply, Average, Maximum, Minimum): inputs are broadcast to the
 * output shape (see broadcastShapes), combined element by element, and each input's gradient is summed back over the
 * axes it was broadcast along.
 */
export abstract class ElementwiseMerge extends MergeLayer {
  private maps: InputMap[] = [];
  /** Batch size the maps were built for. */
  private mapsBatch = -1;
  /** The inputs of the last training call, broadcast to the output's shape. */
  private expanded: FloatArray[] | null = null;
  private inputShapesOfLastCall: Shape[] = [];

  /** out[i] = op(xs[0][i], xs[1][i], ...): all arrays have the output's length. */
  protected abstract combine(xs: readonly FloatArray[], out: FloatArray): void;

  /** dL/dx_k (at the output's shape) into `out`, from dL/dy and the broadcast inputs of the last call. */
  protected abstract inputGradient(k: number, dy: FloatArray, xs: readonly FloatArray[], out: FloatArray): void;

  override buildMany(inputShapes: readonly Shape[], context: LayerContext): void {
    super.buildMany(inputShapes, context);
    this.mapsBatch = -1; // the broadcast maps depend on the input shapes
  }

  protected mergeOutputShape(inputShapes: readonly Shape[]): Shape {
    const out = broadcastShapes(inputShapes);
    if (!out) {
      throw mergeShapeError(this, 'inputs must have the same shape, or sizes of 1 where they differ (broadcasting)', inputShapes);
    }
    return out;
  }

  protected merge(inputs: readonly Tensor[], training: boolean): Tensor {
    const batch = inputs[0]!.shape[0]!;
    const outShape = [batch, ...this.outputShape];
    const y = this.backend.zeros(outShape);
    if (this.mapsBatch !== batch) {
      // Built once per batch size (the last batch of an epoch may be smaller), not at every step.
      this.maps = inputs.map((x) => {
        if (shapesEqual(x.shape, outShape)) return null;
        // Keras expands a lower-rank input at axis 1 until the ranks agree, i.e. it aligns the last axes.
        const padded = [batch, ...new Array<number>(outShape.length - x.shape.length).fill(1), ...x.shape.slice(1)];
        return broadcastIndex(outShape, padded);
      });
      this.mapsBatch = batch;
    }
    const xs = inputs.map((x, k) => this.expand(x, this.maps[k] ?? null, outShape));
    this.combine(xs, y.data);
    this.expanded = training ? xs : null;
    this.inputShapesOfLastCall = inputs.map((x) => x.shape);
    return y;
  }

  protected mergeBackward(dy: Tensor): Tensor[] {
    const xs = this.expanded;
    if (!xs) throw new Error(`layer ${this.name}: backward called before a training forward`);
    return this.inputShapesOfLastCall.map((shape, k) => {
      const map = this.maps[k] ?? null;
      const g = this.backend.zeros(dy.shape);
      this.inputGradient(k, dy.data, xs, g.data);
      if (!map) return g;
      // Sum the gradient over the axes this input was broadcast along.
      const dx = this.backend.zeros(shape);
      const d = dx.data;
      const gd = g.data;
      for (let i = 0; i < gd.length; i++) d[map[i]!]! += gd[i]!;
      return dx;
    });
  }

  /** The values of `x` at the output's shape (x's own storage when no broadcast is needed). */
  private expand(x: Tensor, map: InputMap, outShape: Shape): FloatArray {
    if (!map) return x.data;
    const e = this.backend.zeros(outShape);
    const ed = e.data;
    const xd = x.data;
    for (let i = 0; i < ed.length; i++) ed[i] = xd[map[i]!]!;
    return ed;
  }
}
