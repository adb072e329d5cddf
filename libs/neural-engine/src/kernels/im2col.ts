import type { FloatArray } from '../tensor.js';
import type { WindowGeometry } from './window-geometry.js';

/*
 * im2col turns convolution into one matrix product: each output position becomes a row holding its receptive field
 * (kH·kW·count values, ordered [ki][kj][c] like a Keras kernel [kH, kW, in, filters] flattened to rows), so that
 * y = cols · kernel. col2im is its adjoint (it sums each column entry back into the input element it came from), used
 * for input gradients and transposed convolutions.
 */

/**
 * cols[r, (ki·kW + kj)·count + c] = x[n, oh·sH + ki·dH - padTop, ow·sW + kj·dW - padLeft, start + c] (0 outside the
 * image), r = (n·outH + oh)·outW + ow, for the output rows r in [rowStart, rowEnd). `cols` is overwritten.
 */
export function im2col(
  x: FloatArray, cols: FloatArray, g: WindowGeometry, start: number, count: number,
  rowStart = 0, rowEnd = g.batch * g.outH * g.outW,
): void {
  const { inH, inW, channels, kH, kW, strideH, strideW, dilationH, dilationW, padTop, padLeft, outH, outW } = g;
  const width = kH * kW * count;
  for (let r = rowStart; r < rowEnd; r++) {
    const ow = r % outW;
    const oh = Math.floor(r / outW) % outH;
    const n = Math.floor(r / (outW * outH));
    let o = r * width;
    for (let ki = 0; ki < kH; ki++) {
      const ih = oh * strideH + ki * dilationH - padTop;
      for (let kj = 0; kj < kW; kj++) {
        const iw = ow * strideW + kj * dilationW - padLeft;
        if (ih < 0 || ih >= inH || iw < 0 || iw >= inW) {
          cols.fill(0, o, o + count);
        } else {
          const base = ((n * inH + ih) * inW + iw) * channels + start;
          for (let c = 0; c < count; c++) cols[o + c] = x[base + c]!;
        }
        o += count;
      }
    }
  }
}

/**
 * The adjoint of im2col: dx[n, ih, iw, start + c] += Σ cols[r, (ki·kW + kj)·count + c] over every (output row, kernel
 * tap) that read that element. Written as a gather over the input rows (n, ih) in [rowStart, rowEnd) of batch·inH,
 * so that threads splitting by input rows never write the same element.
 */
export function col2im(
  cols: FloatArray, dx: FloatArray, g: WindowGeometry, start: number, count: number,
  rowStart = 0, rowEnd = g.batch * g.inH,
): void {
  const { inH, inW, channels, kH, kW, strideH, strideW, dilationH, dilationW, padTop, padLeft, outH, outW } = g;
  const width = kH * kW * count;
  for (let row = rowStart; row < rowEnd; row++) {
    const ih = row % inH;
    const n = Math.floor(row / inH);
    for (let ki = 0; ki < kH; ki++) {
      const th = ih + padTop - ki * dilationH;
      if (th < 0 || th % strideH !== 0) continue;
      const oh = th / strideH;
      if (oh >= outH) continue;
      for (let iw = 0; iw < inW; iw++) {
        const dBase = ((n * inH + ih) * inW + iw) * channels + start;
        for (let kj = 0; kj < kW; kj++) {
          const tw = iw + padLeft - kj * dilationW;
          if (tw < 0 || tw % strideW !== 0) continue;
          const ow = tw / strideW;
          if (ow >= outW) continue;
          const cBase = ((n * outH + oh) * outW + ow) * width + (ki * kW + kj) * count;
          for (let c = 0; c < count; c++) dx[dBase + c]! += cols[cBase + c]!;
        }
      }
    }
  }
}
