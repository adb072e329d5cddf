import type { Backend, WindowGeometry } from '../../backend/backend.js';
import type { Tensor } from '../../tensor.js';

/*
 * Convolution as im2col + matrix product, split into `groups` independent convolutions (Keras groups: input channels
 * and filters are cut into `groups` equal consecutive blocks, block i of the filters sees only block i of the
 * channels). The kernel is Keras's [...kernelSize, in/groups, filters], seen as the matrix [kH·kW·in/groups, filters]
 * whose column block i belongs to group i. DepthwiseConv2D is the case groups = in.
 */

/**
 * What the backward pass needs from the forward pass: the input itself when there is one group (the backend's
 * conv2dBackward recomputes its im2col matrix), else the im2col matrix of each group.
 */
export type GroupedConvCache = { x: Tensor } | { cols: Tensor[] };

/** Copies columns [start, start + count) of a [rows, cols] tensor into a new [rows, count] tensor. */
function columnBlock(b: Backend, m: Tensor, start: number, count: number): Tensor {
  const [rows, width] = m.shape as [number, number];
  const out = b.zeros([rows, count]);
  const src = m.data;
  const dst = out.data;
  for (let r = 0; r < rows; r++) dst.set(src.subarray(r * width + start, r * width + start + count), r * count);
  return out;
}

/** m[:, start:start+count] += block. */
function addColumnBlock(m: Tensor, block: Tensor, start: number): void {
  const [rows, width] = m.shape as [number, number];
  const count = block.shape[1]!;
  const dst = m.data;
  const src = block.data;
  for (let r = 0; r < rows; r++) {
    for (let c = 0; c < count; c++) dst[r * width + start + c]! += src[r * count + c]!;
  }
}

/** y [batch·outH·outW, filters] = conv(x, kernel); with `keep`, also the im2col matrices for backward. */
export function groupedConvForward(
  b: Backend, x: Tensor, kernel: Tensor, g: WindowGeometry, groups: number, keep: boolean,
): { y: Tensor; cache: GroupedConvCache | null } {
  const filters = kernel.shape[kernel.shape.length - 1]!;
  const perGroup = g.channels / groups;
  const kernelMat = b.reshape(kernel, [g.kH * g.kW * perGroup, filters]);
  if (groups === 1) return { y: b.conv2d(x, kernelMat, g), cache: keep ? { x } : null };
  const filtersPerGroup = filters / groups;
  const y = b.zeros([g.batch * g.outH * g.outW, filters]);
  const kept: Tensor[] = [];
  for (let i = 0; i < groups; i++) {
    const cols = b.im2col(x, g, { start: i * perGroup, count: perGroup });
    const w = columnBlock(b, kernelMat, i * filtersPerGroup, filtersPerGroup);
    const yi = b.matmul(cols, w);
    addColumnBlock(y, yi, i * filtersPerGroup);
    b.release(w);
    b.release(yi);
    if (keep) kept.push(cols);
    else b.release(cols);
  }
  return { y, cache: keep ? { cols: kept } : null };
}

/** dL/dx [batch, inH, inW, channels] for dL/dy [batch·outH·outW, filters]; adds dL/dkernel into `kernelGrad`. */
export function groupedConvBackward(
  b: Backend, dy: Tensor, kernel: Tensor, kernelGrad: Tensor | null, cache: GroupedConvCache, g: WindowGeometry, groups: number,
): Tensor {
  const filters = kernel.shape[kernel.shape.length - 1]!;
  const perGroup = g.channels / groups;
  const kernelMat = b.reshape(kernel, [g.kH * g.kW * perGroup, filters]);
  const gradMat = kernelGrad ? b.reshape(kernelGrad, kernelMat.shape) : null;
  if ('x' in cache) return b.conv2dBackward(cache.x, dy, kernelMat, g, gradMat);
  const dx = b.zeros([g.batch, g.inH, g.inW, g.channels]);
  const filtersPerGroup = filters / groups;
  for (let i = 0; i < groups; i++) {
    const dyi = columnBlock(b, dy, i * filtersPerGroup, filtersPerGroup);
    if (gradMat) addGroupKernelGradient(b, cache.cols[i]!, dyi, gradMat, i * filtersPerGroup);
    const w = columnBlock(b, kernelMat, i * filtersPerGroup, filtersPerGroup);
    const dcols = b.matmul(dyi, w, { transposeB: true });
    b.col2im(dcols, g, dx, { start: i * perGroup, count: perGroup });
    b.release(w);
    b.release(dyi);
    b.release(dcols);
  }
  return dx;
}

/**
 * Only the kernel gradient of groupedConvBackward, with the same bits: adds dL/dkernel into `kernelGrad` for dL/dy
 * [batch·outH·outW, filters], without the dL/dx products (a first layer's input gradient, which nobody needs).
 */
export function groupedConvKernelGradient(
  b: Backend, dy: Tensor, kernelGrad: Tensor, cache: GroupedConvCache, g: WindowGeometry, groups: number,
): void {
  const filters = kernelGrad.shape[kernelGrad.shape.length - 1]!;
  const gradMat = b.reshape(kernelGrad, [g.kH * g.kW * (g.channels / groups), filters]);
  if ('x' in cache) {
    b.conv2dKernelGradient(cache.x, dy, g, gradMat);
    return;
  }
  const filtersPerGroup = filters / groups;
  for (let i = 0; i < groups; i++) {
    const dyi = columnBlock(b, dy, i * filtersPerGroup, filtersPerGroup);
    addGroupKernelGradient(b, cache.cols[i]!, dyi, gradMat, i * filtersPerGroup);
    b.release(dyi);
  }
}

/** One group's dL/dkernel = colsᵀ·dyi, added into its column block of the kernel gradient matrix. */
function addGroupKernelGradient(b: Backend, cols: Tensor, dyi: Tensor, gradMat: Tensor, firstColumn: number): void {
  const dw = b.matmul(cols, dyi, { transposeA: true });
  addColumnBlock(gradMat, dw, firstColumn);
  b.release(dw);
}
