import type { Backend, WindowGeometry } from '../../backend/backend.js';
import { type Shape, type Tensor } from '../../tensor.js';
import { type GroupedConvCache, groupedConvBackward, groupedConvForward } from './grouped-conv.js';

/*
 * The depthwise step of DepthwiseConv2D and SeparableConv2D: each input channel convolved with its own
 * depthMultiplier filters. Its kernel [kh, kw, in, dm] has the same memory layout as a grouped-convolution kernel
 * [kh, kw, 1, in·dm] with groups = in (output channel c·dm + m comes from input channel c), so it runs as one.
 */

/** Depthwise convolution of x [batch, h, w, in] with kernel [kh, kw, in, dm]: y [batch·outH·outW, in·dm]. */
export function depthwiseForward(
  b: Backend, x: Tensor, kernel: Tensor, g: WindowGeometry, keep: boolean,
): { y: Tensor; cache: GroupedConvCache | null } {
  return groupedConvForward(b, x, asGrouped(b, kernel), g, g.channels, keep);
}

/** dL/dx for dL/dy [batch·outH·outW, in·dm]; adds dL/dkernel into kernelGrad. */
export function depthwiseBackward(
  b: Backend, dy: Tensor, kernel: Tensor, kernelGrad: Tensor, cache: GroupedConvCache, g: WindowGeometry,
): Tensor {
  return groupedConvBackward(b, dy, asGrouped(b, kernel), asGrouped(b, kernelGrad), cache, g, g.channels);
}

function asGrouped(b: Backend, kernel: Tensor): Tensor {
  const [kH, kW, channels, multiplier] = kernel.shape as Shape as [number, number, number, number];
  return b.reshape(kernel, [kH, kW, 1, channels * multiplier]);
}
