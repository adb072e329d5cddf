import type { WindowGeometry } from './window-geometry.js';

/*
 * Naive reference kernels for convolution and pooling, written straight from the definitions (direct sums and
 * scatters, float64) rather than the gather formulations of im2col.ts and pooling.ts; tests use them as the oracle.
 */

/** Input element read by output (n, oh, ow) at kernel tap (ki, kj), channel c; undefined in the padding. */
function at(x: ArrayLike<number>, g: WindowGeometry, n: number, oh: number, ow: number, ki: number, kj: number, c: number): number | undefined {
  const ih = oh * g.strideH + ki * g.dilationH - g.padTop;
  const iw = ow * g.strideW + kj * g.dilationW - g.padLeft;
  if (ih < 0 || ih >= g.inH || iw < 0 || iw >= g.inW) return undefined;
  return x[((n * g.inH + ih) * g.inW + iw) * g.channels + c]!;
}

/** y[n, oh, ow, f] = Σ x·kernel over the group of filter f; kernel [kH, kW, channels/groups, filters]. */
export function referenceConv2d(x: ArrayLike<number>, kernel: ArrayLike<number>, g: WindowGeometry, filters: number, groups = 1): Float64Array {
  const perGroup = g.channels / groups;
  const filtersPerGroup = filters / groups;
  const y = new Float64Array(g.batch * g.outH * g.outW * filters);
  for (let n = 0; n < g.batch; n++) for (let oh = 0; oh < g.outH; oh++) for (let ow = 0; ow < g.outW; ow++) {
    for (let f = 0; f < filters; f++) {
      const group = Math.floor(f / filtersPerGroup);
      let sum = 0;
      for (let ki = 0; ki < g.kH; ki++) for (let kj = 0; kj < g.kW; kj++) for (let c = 0; c < perGroup; c++) {
        const v = at(x, g, n, oh, ow, ki, kj, group * perGroup + c);
        if (v !== undefined) sum += v * kernel[((ki * g.kW + kj) * perGroup + c) * filters + f]!;
      }
      y[((n * g.outH + oh) * g.outW + ow) * filters + f] = sum;
    }
  }
  return y;
}

/** The adjoint of im2col as a scatter: every column entry added into the input element it was read from. */
export function referenceCol2im(cols: ArrayLike<number>, g: WindowGeometry, start: number, count: number): Float64Array {
  const dx = new Float64Array(g.batch * g.inH * g.inW * g.channels);
  const width = g.kH * g.kW * count;
  for (let n = 0; n < g.batch; n++) for (let oh = 0; oh < g.outH; oh++) for (let ow = 0; ow < g.outW; ow++) {
    const row = (n * g.outH + oh) * g.outW + ow;
    for (let ki = 0; ki < g.kH; ki++) for (let kj = 0; kj < g.kW; kj++) {
      const ih = oh * g.strideH + ki * g.dilationH - g.padTop;
      const iw = ow * g.strideW + kj * g.dilationW - g.padLeft;
      if (ih < 0 || ih >= g.inH || iw < 0 || iw >= g.inW) continue;
      for (let c = 0; c < count; c++) {
        dx[((n * g.inH + ih) * g.inW + iw) * g.channels + start + c]! += cols[row * width + (ki * g.kW + kj) * count + c]!;
      }
    }
  }
  return dx;
}

/** Max and mean (over real elements) of every window, and the scatter of an output gradient back to x. */
export function referencePool(x: ArrayLike<number>, g: WindowGeometry, dy: ArrayLike<number>): {
  max: Float64Array; avg: Float64Array; dxMax: Float64Array; dxAvg: Float64Array;
} {
  const size = g.batch * g.outH * g.outW * g.channels;
  const max = new Float64Array(size);
  const avg = new Float64Array(size);
  const dxMax = new Float64Array(x.length);
  const dxAvg = new Float64Array(x.length);
  for (let n = 0; n < g.batch; n++) for (let oh = 0; oh < g.outH; oh++) for (let ow = 0; ow < g.outW; ow++) {
    for (let c = 0; c < g.channels; c++) {
      const o = ((n * g.outH + oh) * g.outW + ow) * g.channels + c;
      const members: number[] = [];
      for (let ki = 0; ki < g.kH; ki++) for (let kj = 0; kj < g.kW; kj++) {
        const ih = oh * g.strideH + ki - g.padTop;
        const iw = ow * g.strideW + kj - g.padLeft;
        if (ih >= 0 && ih < g.inH && iw >= 0 && iw < g.inW) members.push(((n * g.inH + ih) * g.inW + iw) * g.channels + c);
      }
      let best = members[0]!;
      for (const i of members) if (x[i]! > x[best]!) best = i;
      max[o] = x[best]!;
      dxMax[best]! += dy[o]!;
      avg[o] = members.reduce((s, i) => s + x[i]!, 0) / members.length;
      for (const i of members) dxAvg[i]! += dy[o]! / members.length;
    }
  }
  return { max, avg, dxMax, dxAvg };
}
