import { type Shape, shapeSize } from '../../tensor.js';

/**
 * A linear map between one sample's input and output, stored sparsely: output element o is
 * Σ_k weight[o·terms + k] · input[source[o·terms + k]], where a source of -1 contributes nothing (zero padding).
 * Padding, cropping, nearest up-sampling, Permute and RepeatVector are pure gathers (one term of weight 1); bilinear
 * up-sampling has four weighted terms. The backward pass is the transpose: a scatter-add of dy into dx.
 */
export interface SampleMap {
  readonly inSize: number;
  readonly outSize: number;
  readonly terms: number;
  readonly source: Int32Array;
  /** Per-term weights; null means every weight is 1. */
  readonly weight: Float64Array | null;
}

/**
 * A gather map: for each output element (visited in row-major order with its coordinates), `locate` returns the flat
 * index of the input element it copies, or -1 for a zero.
 */
export function gatherMap(inShape: Shape, outShape: Shape, locate: (coords: readonly number[]) => number): SampleMap {
  const outSize = shapeSize(outShape);
  const source = new Int32Array(outSize);
  const coords = new Array<number>(outShape.length).fill(0);
  for (let o = 0; o < outSize; o++) {
    source[o] = locate(coords);
    // Odometer increment over the output's coordinates.
    for (let k = outShape.length - 1; k >= 0; k--) {
      if (++coords[k]! < outShape[k]!) break;
      coords[k] = 0;
    }
  }
  return { inSize: shapeSize(inShape), outSize, terms: 1, source, weight: null };
}

/** Row-major strides of a shape. */
export function stridesOf(shape: Shape): number[] {
  const strides = new Array<number>(shape.length).fill(1);
  for (let k = shape.length - 2; k >= 0; k--) strides[k] = strides[k + 1]! * shape[k + 1]!;
  return strides;
}

/** y[b] = map(x[b]) for each sample b of a batch stored flat. */
export function applySampleMap(map: SampleMap, x: ArrayLike<number>, y: { [i: number]: number }, batch: number): void {
  const { inSize, outSize, terms, source, weight } = map;
  for (let b = 0; b < batch; b++) {
    const xo = b * inSize;
    const yo = b * outSize;
    for (let o = 0; o < outSize; o++) {
      let s = 0;
      for (let k = o * terms, end = k + terms; k < end; k++) {
        const j = source[k]!;
        if (j >= 0) s += (weight ? weight[k]! : 1) * x[xo + j]!;
      }
      y[yo + o] = s;
    }
  }
}

/** dx[b] += mapᵀ(dy[b]) for each sample b: the gradient of applySampleMap. */
export function applySampleMapTranspose(map: SampleMap, dy: ArrayLike<number>, dx: { [i: number]: number }, batch: number): void {
  const { inSize, outSize, terms, source, weight } = map;
  for (let b = 0; b < batch; b++) {
    const xo = b * inSize;
    const yo = b * outSize;
    for (let o = 0; o < outSize; o++) {
      const g = dy[yo + o]!;
      for (let k = o * terms, end = k + terms; k < end; k++) {
        const j = source[k]!;
        if (j >= 0) dx[xo + j] = dx[xo + j]! + (weight ? weight[k]! : 1) * g;
      }
    }
  }
}
