import { beforeAll, describe, expect, it } from 'vitest';
import { referenceConv2d } from '../../kernels/conv-reference.js';
import { type PaddingMode, windowGeometry } from '../../kernels/window-geometry.js';
import { Rng } from '../../rng.js';
import type { Tensor } from '../../tensor.js';
import type { Backend, WindowGeometry } from '../backend.js';
import { JsBackend } from '../js-backend.js';
import { WasmBackend } from './wasm-backend.js';

/*
 * The fused convolution ops (conv2d, conv2dBackward) against the chain of ops they replace, run on the same backend:
 * im2col, matmul, addInPlace, col2im. WasmBackend keeps the im2col matrix in its staging region, yet must give the same
 * bits as that chain (same kernels, same order); both backends agree with the naive float64 convolution.
 */

interface ConvCase {
  input: [number, number, number, number];
  kernel: [number, number];
  filters: number;
  strides: [number, number];
  dilation: [number, number];
  padding: PaddingMode;
}

// 1-sized, odd, strided, dilated, causal (1-D), 'same' with uneven padding, a depth across the gemm's 256-step block,
// and W2's second convolution at batch 2.
const cases: ConvCase[] = [
  { input: [1, 1, 1, 1], kernel: [1, 1], filters: 1, strides: [1, 1], dilation: [1, 1], padding: 'valid' },
  { input: [2, 5, 5, 3], kernel: [3, 3], filters: 5, strides: [1, 1], dilation: [1, 1], padding: 'valid' },
  { input: [1, 6, 7, 2], kernel: [3, 2], filters: 7, strides: [2, 3], dilation: [1, 1], padding: 'same' },
  { input: [2, 7, 6, 1], kernel: [2, 3], filters: 3, strides: [1, 1], dilation: [2, 3], padding: 'same' },
  { input: [3, 1, 9, 2], kernel: [1, 3], filters: 4, strides: [1, 2], dilation: [1, 1], padding: 'causal' },
  { input: [1, 4, 4, 4], kernel: [4, 4], filters: 9, strides: [3, 3], dilation: [1, 1], padding: 'same' },
  { input: [1, 5, 5, 40], kernel: [3, 3], filters: 6, strides: [1, 1], dilation: [1, 1], padding: 'same' },
  { input: [2, 13, 13, 32], kernel: [3, 3], filters: 64, strides: [1, 1], dilation: [1, 1], padding: 'valid' },
];

const label = (c: ConvCase): string =>
  `input [${c.input}], kernel [${c.kernel}] × ${c.filters}, strides [${c.strides}], dilation [${c.dilation}], ${c.padding}`;

function random(n: number, rng: Rng): number[] {
  return Array.from({ length: n }, () => rng.uniformRange(-1, 1));
}

const bits = (a: Float32Array | Float64Array): Buffer => Buffer.from(a.buffer, a.byteOffset, a.byteLength);

function expectSameBits(actual: Tensor, expected: Tensor): void {
  expect(actual.shape).toEqual(expected.shape);
  if (bits(actual.data).equals(bits(expected.data))) return;
  const i = actual.data.findIndex((v, j) => !Object.is(v, expected.data[j]));
  throw new Error(`differ at element ${i} of ${actual.size}: ${actual.data[i]} vs ${expected.data[i]}`);
}

/** The unfused chain the layers ran before conv2d/conv2dBackward existed. */
function chainForward(b: Backend, x: Tensor, kernel: Tensor, g: WindowGeometry): Tensor {
  return b.matmul(b.im2col(x, g), kernel);
}

function chainBackward(b: Backend, x: Tensor, dy: Tensor, kernel: Tensor, g: WindowGeometry, kernelGrad: Tensor | null): Tensor {
  const cols = b.im2col(x, g);
  if (kernelGrad) b.addInPlace(kernelGrad, b.matmul(cols, dy, { transposeA: true }));
  const dx = b.zeros([g.batch, g.inH, g.inW, g.channels]);
  b.col2im(b.matmul(dy, kernel, { transposeB: true }), g, dx);
  return dx;
}

/** The naive dL/dx and dL/dkernel: adjoints of the reference convolution, by scattering dy through every tap. */
function referenceBackward(x: ArrayLike<number>, dy: ArrayLike<number>, kernel: ArrayLike<number>, g: WindowGeometry, filters: number) {
  const dx = new Float64Array(g.batch * g.inH * g.inW * g.channels);
  const dk = new Float64Array(g.kH * g.kW * g.channels * filters);
  for (let n = 0; n < g.batch; n++) for (let oh = 0; oh < g.outH; oh++) for (let ow = 0; ow < g.outW; ow++) {
    for (let ki = 0; ki < g.kH; ki++) for (let kj = 0; kj < g.kW; kj++) {
      const ih = oh * g.strideH + ki * g.dilationH - g.padTop;
      const iw = ow * g.strideW + kj * g.dilationW - g.padLeft;
      if (ih < 0 || ih >= g.inH || iw < 0 || iw >= g.inW) continue;
      for (let c = 0; c < g.channels; c++) {
        const xi = ((n * g.inH + ih) * g.inW + iw) * g.channels + c;
        for (let f = 0; f < filters; f++) {
          const d = dy[((n * g.outH + oh) * g.outW + ow) * filters + f]!;
          const ki2 = ((ki * g.kW + kj) * g.channels + c) * filters + f;
          dx[xi]! += d * kernel[ki2]!;
          dk[ki2]! += d * x[xi]!;
        }
      }
    }
  }
  return { dx, dk };
}

function expectClose(actual: ArrayLike<number>, expected: ArrayLike<number>, tolerance: number): void {
  expect(actual.length).toBe(expected.length);
  let worst = 0;
  for (let i = 0; i < actual.length; i++) worst = Math.max(worst, Math.abs(actual[i]! - expected[i]!));
  expect(worst).toBeLessThan(tolerance);
}

const js = new JsBackend('float32');
let wasm: WasmBackend;
let wasmDefault: WasmBackend;
beforeAll(() => {
  wasm = WasmBackend.create({ gemmThreshold: 0, windowThreshold: 0, rowThreshold: 0, initialBytes: 2 ** 20, maximumBytes: 256 * 2 ** 20 });
  wasmDefault = WasmBackend.create({ initialBytes: 2 ** 20, maximumBytes: 256 * 2 ** 20 });
});

describe('conv2d and conv2dBackward, fused, against the unfused chain and the naive convolution', () => {
  const rng = new Rng(41);
  for (const c of cases) {
    it(label(c), () => {
      const g = windowGeometry(c.input, c.kernel, c.strides, c.dilation, c.padding);
      const depth = g.kH * g.kW * g.channels;
      const xv = random(c.input.reduce((p, d) => p * d, 1), rng);
      const kv = random(depth * c.filters, rng);
      const dyv = random(g.batch * g.outH * g.outW * c.filters, rng);
      const grad0 = random(depth * c.filters, rng);
      const y64 = referenceConv2d(xv, kv, g, c.filters);
      const { dx: dx64, dk: dk64 } = referenceBackward(xv, dyv, kv, g, c.filters);
      // float32 rounding of sums over `depth` (forward, dx) or batch·outH·outW (kernel gradient) terms of size ≤ 1.
      const tolerance = 1e-5 * Math.max(depth, g.batch * g.outH * g.outW, 1);
      for (const b of [js, wasm, wasmDefault]) {
        const x = b.fromValues(c.input, xv);
        const kernel = b.fromValues([depth, c.filters], kv);
        const dy = b.fromValues([g.batch * g.outH * g.outW, c.filters], dyv);
        const y = b.conv2d(x, kernel, g);
        expectSameBits(y, chainForward(b, x, kernel, g));
        expectClose(y.data, y64, tolerance);

        const grad = b.fromValues([depth, c.filters], grad0);
        const gradChain = b.fromValues([depth, c.filters], grad0);
        const dx = b.conv2dBackward(x, dy, kernel, g, grad);
        expectSameBits(dx, chainBackward(b, x, dy, kernel, g, gradChain));
        expectSameBits(grad, gradChain);
        expectClose(dx.data, dx64, tolerance);
        expectClose(Array.from(grad.data, (v, i) => v - grad0[i]!), dk64, tolerance);
        // Without a kernel gradient (a frozen kernel) only dx is computed.
        expectSameBits(b.conv2dBackward(x, dy, kernel, g, null), dx);
        // And the kernel gradient alone (a first layer, whose dx nobody needs): the same bits.
        const gradOnly = b.fromValues([depth, c.filters], grad0);
        b.conv2dKernelGradient(x, dy, g, gradOnly);
        expectSameBits(gradOnly, gradChain);
      }
    });
  }

  it('says what does not match', () => {
    const g = windowGeometry([1, 4, 4, 2], [3, 3], [1, 1], [1, 1], 'valid');
    expect(() => wasm.conv2dKernelGradient(wasm.zeros([1, 4, 4, 2]), wasm.zeros([4, 4]), g, wasm.zeros([9, 4])))
      .toThrow(/conv2dKernelGradient kernel gradient \(9, 4\): expected \[18, filters\]/);
    expect(() => wasm.conv2dKernelGradient(wasm.zeros([1, 4, 4, 2]), wasm.zeros([4, 5]), g, wasm.zeros([18, 4])))
      .toThrow(/conv2dKernelGradient output gradient .* holds 20 values; the window geometry needs 16/);
    expect(() => wasm.conv2d(wasm.zeros([1, 4, 4, 3]), wasm.zeros([18, 4]), g)).toThrow(/conv2d input .* holds 48 values; the window geometry needs 32/);
    expect(() => wasm.conv2d(wasm.zeros([1, 4, 4, 2]), wasm.zeros([17, 4]), g)).toThrow(/conv2d kernel \(17, 4\): expected \[18, filters\]/);
    expect(() => wasm.conv2dBackward(wasm.zeros([1, 4, 4, 2]), wasm.zeros([4, 5]), wasm.zeros([18, 4]), g, null))
      .toThrow(/conv2dBackward output gradient .* holds 20 values; the window geometry needs 16/);
  });
});
