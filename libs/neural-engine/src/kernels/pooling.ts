import type { FloatArray } from '../tensor.js';
import type { WindowGeometry } from './window-geometry.js';

/*
 * Max and average pooling over each channel separately (padding elements never take part: max pooling ignores
 * them and "same" average pooling divides by the number of real elements, as TensorFlow does). Forward kernels run
 * over output rows (n, oh) in [rowStart, rowEnd) of batch·outH; backward kernels gather over input rows (n, ih) in
 * [rowStart, rowEnd) of batch·inH, so threads splitting by rows never write the same element.
 */

/** Range of output positions o whose window [o·s - pad, o·s - pad + k) covers input position i. */
function coveringOutputs(i: number, pad: number, stride: number, kernel: number, out: number): [number, number] {
  const t = i + pad;
  const first = Math.max(Math.ceil((t - kernel + 1) / stride), 0);
  const last = Math.min(Math.floor(t / stride), out - 1);
  return [first, last];
}

/**
 * y[n, oh, ow, c] = max over the window; argmax[same index] = flat index into x of the (first) maximum, which the
 * backward pass routes the gradient to.
 */
export function maxPool(
  x: FloatArray, y: FloatArray, argmax: Int32Array, g: WindowGeometry,
  rowStart = 0, rowEnd = g.batch * g.outH,
): void {
  const { inH, inW, channels: C, kH, kW, strideH, strideW, padTop, padLeft, outH, outW } = g;
  for (let row = rowStart; row < rowEnd; row++) {
    const oh = row % outH;
    const n = Math.floor(row / outH);
    const h0 = Math.max(oh * strideH - padTop, 0);
    const h1 = Math.min(oh * strideH - padTop + kH, inH);
    for (let ow = 0; ow < outW; ow++) {
      const w0 = Math.max(ow * strideW - padLeft, 0);
      const w1 = Math.min(ow * strideW - padLeft + kW, inW);
      const o = (row * outW + ow) * C;
      for (let c = 0; c < C; c++) {
        let best = -Infinity;
        let at = -1;
        for (let ih = h0; ih < h1; ih++) {
          for (let iw = w0; iw < w1; iw++) {
            const i = ((n * inH + ih) * inW + iw) * C + c;
            const v = x[i]!;
            // `at < 0` takes the first element even when it is NaN or -Infinity, so the gradient always has a target.
            if (v > best || at < 0) {
              best = v;
              at = i;
            }
          }
        }
        y[o + c] = best;
        argmax[o + c] = at;
      }
    }
  }
}

/** dx[i] = Σ dy[o] over the outputs o whose argmax is i; dx rows (n, ih) in [rowStart, rowEnd) are overwritten. */
export function maxPoolBackward(
  dy: FloatArray, argmax: Int32Array, dx: FloatArray, g: WindowGeometry,
  rowStart = 0, rowEnd = g.batch * g.inH,
): void {
  const { inH, inW, channels: C, kH, kW, strideH, strideW, padTop, padLeft, outH, outW } = g;
  dx.fill(0, rowStart * inW * C, rowEnd * inW * C);
  for (let row = rowStart; row < rowEnd; row++) {
    const ih = row % inH;
    const n = Math.floor(row / inH);
    const [oh0, oh1] = coveringOutputs(ih, padTop, strideH, kH, outH);
    for (let iw = 0; iw < inW; iw++) {
      const [ow0, ow1] = coveringOutputs(iw, padLeft, strideW, kW, outW);
      const base = (row * inW + iw) * C;
      for (let oh = oh0; oh <= oh1; oh++) {
        for (let ow = ow0; ow <= ow1; ow++) {
          const o = ((n * outH + oh) * outW + ow) * C;
          for (let c = 0; c < C; c++) if (argmax[o + c] === base + c) dx[base + c]! += dy[o + c]!;
        }
      }
    }
  }
}

/** Number of real (non-padding) input elements in the window of output (oh, ow). */
function windowCount(g: WindowGeometry, oh: number, ow: number): number {
  const h0 = Math.max(oh * g.strideH - g.padTop, 0);
  const h1 = Math.min(oh * g.strideH - g.padTop + g.kH, g.inH);
  const w0 = Math.max(ow * g.strideW - g.padLeft, 0);
  const w1 = Math.min(ow * g.strideW - g.padLeft + g.kW, g.inW);
  return Math.max(h1 - h0, 0) * Math.max(w1 - w0, 0);
}

/** y[n, oh, ow, c] = mean of the real elements of the window. */
export function avgPool(
  x: FloatArray, y: FloatArray, g: WindowGeometry,
  rowStart = 0, rowEnd = g.batch * g.outH,
): void {
  const { inH, inW, channels: C, kH, kW, strideH, strideW, padTop, padLeft, outH, outW } = g;
  const acc = new Float64Array(C);
  for (let row = rowStart; row < rowEnd; row++) {
    const oh = row % outH;
    const n = Math.floor(row / outH);
    const h0 = Math.max(oh * strideH - padTop, 0);
    const h1 = Math.min(oh * strideH - padTop + kH, inH);
    for (let ow = 0; ow < outW; ow++) {
      const w0 = Math.max(ow * strideW - padLeft, 0);
      const w1 = Math.min(ow * strideW - padLeft + kW, inW);
      acc.fill(0);
      for (let ih = h0; ih < h1; ih++) {
        for (let iw = w0; iw < w1; iw++) {
          const base = ((n * inH + ih) * inW + iw) * C;
          for (let c = 0; c < C; c++) acc[c]! += x[base + c]!;
        }
      }
      const inv = 1 / windowCount(g, oh, ow);
      const o = (row * outW + ow) * C;
      for (let c = 0; c < C; c++) y[o + c] = acc[c]! * inv;
    }
  }
}

/** dx[n, ih, iw, c] = Σ dy[o] / count(o) over the windows o covering the element; dx rows are overwritten. */
export function avgPoolBackward(
  dy: FloatArray, dx: FloatArray, g: WindowGeometry,
  rowStart = 0, rowEnd = g.batch * g.inH,
): void {
  const { inH, inW, channels: C, kH, kW, strideH, strideW, padTop, padLeft, outH, outW } = g;
  dx.fill(0, rowStart * inW * C, rowEnd * inW * C);
  for (let row = rowStart; row < rowEnd; row++) {
    const ih = row % inH;
    const n = Math.floor(row / inH);
    const [oh0, oh1] = coveringOutputs(ih, padTop, strideH, kH, outH);
    for (let iw = 0; iw < inW; iw++) {
      const [ow0, ow1] = coveringOutputs(iw, padLeft, strideW, kW, outW);
      const base = (row * inW + iw) * C;
      for (let oh = oh0; oh <= oh1; oh++) {
        for (let ow = ow0; ow <= ow1; ow++) {
          const inv = 1 / windowCount(g, oh, ow);
          const o = ((n * outH + oh) * outW + ow) * C;
          for (let c = 0; c < C; c++) dx[base + c]! += dy[o + c]! * inv;
        }
      }
    }
  }
}
