import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { windowGeometry } from '../../../kernels/window-geometry.js';
import { Rng } from '../../../rng.js';
import { UPDATE_CASES, updateState } from '../../../testing/optimizer-update-cases.js';
import type { FloatArray, Tensor } from '../../../tensor.js';
import { WasmBackend } from '../wasm-backend.js';

/*
 * Every op WasmBackend splits between threads, at 2 and 3 threads with every op split (split thresholds 0), against
 * the same backend on 1 thread: bitwise equal, on odd shapes (rows not a multiple of the 4-row tile, fewer rows than
 * threads, one row). Work stealing is off, so every part sent to a worker is computed there, and the pool's counters
 * prove it (no test passes by running inline); one more run with it on checks the parts the caller takes back.
 */

const always = { gemmThreshold: 0, windowThreshold: 0, rowThreshold: 0, initialBytes: 2 ** 20, maximumBytes: 256 * 2 ** 20 };
const split = { gemmSplitThreshold: 0, windowSplitThreshold: 0, rowSplitThreshold: 0 };
type Stealing = 'stealing' | 'no stealing';
const backends: WasmBackend[] = [];
afterAll(async () => {
  await Promise.all(backends.map((b) => b.close()));
});

async function backend(threads: number, stealing: Stealing = 'no stealing'): Promise<WasmBackend> {
  const b = WasmBackend.create({ ...always, ...(threads > 1 ? split : {}), threads, workStealing: stealing === 'stealing' });
  backends.push(b);
  await b.ready();
  return b;
}

const bits = (a: FloatArray | Int32Array): Buffer => Buffer.from(a.buffer, a.byteOffset, a.byteLength);

function expectSameBits(actual: FloatArray | Int32Array, expected: FloatArray | Int32Array, what: string): void {
  if (bits(actual).equals(bits(expected))) return;
  const i = actual.findIndex((v, j) => !Object.is(v, expected[j]));
  throw new Error(`${what}: differ at element ${i} of ${actual.length}: ${actual[i]} vs ${expected[i]}`);
}

const rng = new Rng(5);
function random(b: WasmBackend, shape: number[]): Tensor {
  const t = b.zeros(shape);
  for (let i = 0; i < t.size; i++) t.data[i] = rng.uniformRange(-1, 1);
  return t;
}

describe.each([[2, 'no stealing'], [3, 'no stealing'], [2, 'stealing']] as const)('WasmBackend at %i threads, every op split, %s', (threads, stealing) => {
  let one: WasmBackend;
  let many: WasmBackend;
  beforeAll(async () => {
    one = await backend(1);
    many = await backend(threads, stealing);
  });

  /**
   * Runs `op` on both backends and expects bitwise-equal outputs, and that the workers computed every part but the
   * caller's: one per thread, or fewer when the op's range (`units` rows, columns or elements, in parts of whole `align`)
   * has fewer.
   */
  function same(what: string, units: number, align: number, op: (b: WasmBackend) => FloatArray | Int32Array | (FloatArray | Int32Array)[]): void {
    const sent = (): number => many.poolStats!.workerParts + many.poolStats!.stolenParts;
    const [before, stolenBefore] = [sent(), many.poolStats!.stolenParts];
    const expected = [op(one)].flat();
    const actual = [op(many)].flat();
    expected.forEach((e, i) => expectSameBits(actual[i]!, e, what));
    const parts = Math.min(threads, Math.ceil(units / align));
    expect(sent() - before, `${what}: parts sent to workers`).toBe(parts - 1);
    if (stealing === 'no stealing') expect(many.poolStats!.stolenParts, `${what}: parts taken back`).toBe(stolenBefore);
  }

  it('matmul (NN, TN, NT, into out) on odd shapes', () => {
    for (const [m, k, n] of [[2, 3, 5], [5, 3, 9], [13, 2, 17], [17, 129, 65], [33, 257, 10], [203, 300, 77]] as const) {
      for (const [tA, tB] of [[false, false], [true, false], [false, true]] as const) {
        const a = random(one, tA ? [k, m] : [m, k]);
        const b = random(one, tB ? [n, k] : [k, n]);
        same(`matmul ${m}x${k}x${n} ${tA ? 'TN' : tB ? 'NT' : 'NN'}`, m, 4, (be) => be.matmul(a, b, { transposeA: tA, transposeB: tB }).data);
      }
    }
    const a = random(one, [7, 9]);
    const b = random(one, [9, 11]);
    same('matmul into out', 7, 4, (be) => {
      const out = be.zeros([7, 11]);
      be.matmul(a, b, {}, out);
      return out.data;
    });
  });

  it('im2col, col2im (channel ranges too), max and average pooling and their gradients', () => {
    for (const [input, kernel, strides, padding] of [
      [[3, 7, 5, 3], [3, 3], [1, 1], 'same'],
      [[2, 9, 9, 4], [2, 2], [2, 2], 'valid'],
      [[1, 5, 6, 2], [3, 2], [2, 1], 'valid'],
      [[5, 11, 13, 3], [3, 3], [2, 2], 'same'],
    ] as const) {
      const g = windowGeometry(input, kernel, strides, [1, 1], padding);
      const x = random(one, [...input]);
      const label = `${input.join('x')} ${kernel.join('x')}/${strides.join('x')} ${padding}`;
      // Rows: im2col's are output pixels (n, oh, ow); pooling forward's output rows (n, oh); the gradients' input rows (n, ih).
      const pixels = g.batch * g.outH * g.outW;
      const outRows = g.batch * g.outH;
      const inRows = g.batch * g.inH;
      same(`im2col ${label}`, pixels, 1, (be) => be.im2col(x, g).data);
      same(`im2col channels 1..2 ${label}`, pixels, 1, (be) => be.im2col(x, g, { start: 1, count: Math.min(2, input[3] - 1) }).data);
      const cols = random(one, [g.batch * g.outH * g.outW, g.kH * g.kW * g.channels]);
      const dx0 = random(one, [...input]);
      same(`col2im ${label}`, inRows, 1, (be) => {
        const dx = be.zeros([...input]);
        dx.data.set(dx0.data);
        be.col2im(cols, g, dx);
        return dx.data;
      });
      same(`maxPool ${label}`, outRows, 1, (be) => {
        const { output, argmax } = be.maxPool(x, g);
        return [output.data, argmax];
      });
      const { argmax } = one.maxPool(x, g);
      const dy = random(one, [g.batch, g.outH, g.outW, g.channels]);
      same(`maxPoolBackward ${label}`, inRows, 1, (be) => be.maxPoolBackward(dy, argmax, g).data);
      same(`avgPool ${label}`, outRows, 1, (be) => be.avgPool(x, g).data);
      same(`avgPoolBackward ${label}`, inRows, 1, (be) => be.avgPoolBackward(dy, g).data);
    }
  });

  it('addRowVector, sumRows, axpyInPlace, scale, relu, every optimizer update on odd shapes', () => {
    for (const [rows, cols] of [[1, 1], [2, 3], [3, 17], [37, 29], [129, 65]] as const) {
      const x = random(one, [rows, cols]);
      const v = random(one, [cols]);
      const label = `${rows}x${cols}`;
      // Split by rows; sumRows by columns, 8 at a time; scale and axpy by elements, 16 at a time.
      same(`addRowVector ${label}`, rows, 1, (be) => be.addRowVector(x, v).data);
      same(`sumRows ${label}`, cols, 8, (be) => be.sumRows(x).data);
      same(`scale ${label}`, rows * cols, 16, (be) => be.scale(x, 0.3).data);
      same(`add ${label}`, rows * cols, 16, (be) => be.add(x, v.size === x.size ? v : x).data);
      same(`multiply ${label}`, rows * cols, 16, (be) => be.multiply(x, x).data);
      const t0 = random(one, [rows, cols]);
      same(`axpyInPlace ${label}`, rows * cols, 16, (be) => {
        const t = be.zeros([rows, cols]);
        t.data.set(t0.data);
        be.axpyInPlace(t, -0.7, x);
        return t.data;
      });
      // relu and the optimizer updates: by elements, 16 at a time.
      const dy = random(one, [rows, cols]);
      same(`relu ${label}`, rows * cols, 16, (be) => be.activation('relu', x).data);
      same(`relu gradient ${label}`, rows * cols, 16, (be) => be.activationGradient('relu', x, x, dy).data);
      for (const c of UPDATE_CASES) {
        const s = updateState(c, rows * cols, rng);
        same(`optimizerUpdate ${c.label} ${label}`, rows * cols, 16, (be) => {
          const [w, g] = [be.fromValues([rows, cols], s.w), be.fromValues([rows, cols], s.g)];
          const slots = s.slots.map((values) => (values ? be.fromValues([rows, cols], values) : null));
          be.optimizerUpdate(c.rule, w, g, slots, c.c);
          return [w.data, ...slots.flatMap((t) => (t ? [t.data] : []))];
        });
      }
    }
  });

  it('lstmSequence: each thread runs its rows through every step', () => {
    const kinds = { gate: 'sigmoid', cell: 'tanh' } as const;
    for (const [batch, steps, units] of [[7, 5, 6], [1, 3, 4], [13, 4, 9]] as const) {
      const xz = random(one, [batch, steps, 4 * units]);
      const kernel = random(one, [units, 4 * units]);
      const [h0, c0] = [random(one, [batch, units]), random(one, [batch, units])];
      const options = { goBackwards: batch % 2 === 1, returnSequences: true, record: true };
      same(`lstmSequence ${batch}×${steps}×${units}`, batch, 1, (b) => {
        const r = b.lstmSequence(kinds, xz, kernel, h0, c0, options);
        return [r.sequence!.data, r.h.data, r.c.data, r.record!.steps.data, r.record!.hPrev.data];
      });
      const dOut = random(one, [batch, steps, units]);
      // Each backend's own record, made before the op counted.
      const records = new Map([one, many].map((b) => [b, b.lstmSequence(kinds, xz, kernel, h0, c0, options).record!]));
      same(`lstmSequenceBackward ${batch}×${steps}×${units}`, batch, 1, (b) => {
        const r = b.lstmSequenceBackward(kinds, records.get(b)!, kernel, dOut, h0, c0, options);
        return [r.dxz.data, r.dh.data, r.dc.data];
      });
    }
  });

  it('lstmCellBackward: rows', () => {
    const kinds = { gate: 'sigmoid', cell: 'tanh' } as const;
    for (const [rows, units] of [[7, 6], [1, 5], [13, 9]] as const) {
      const [gates, z] = [random(one, [rows, 4 * units]), random(one, [rows, 4 * units])];
      const state = () => random(one, [rows, units]);
      const [cPrev, c, cellOut, dh, dc] = [state(), state(), state(), state(), state()];
      same(`lstmCellBackward ${rows}×${units}`, rows, 1, (b) => {
        const r = b.lstmCellBackward(kinds, { z, gates, cPrev, c, cellOut }, dh, dc);
        return [r.dz.data, r.dcPrev.data];
      });
    }
  });

  it('conv2d and conv2dBackward (im2col, the products, axpy and col2im in the staging region, each split)', () => {
    const g = windowGeometry([3, 9, 7, 5], [3, 3], [1, 1], [1, 1], 'same');
    const x = random(one, [3, 9, 7, 5]);
    const kernel = random(one, [45, 6]);
    const dy = random(one, [g.batch * g.outH * g.outW, 6]);
    const grad0 = random(one, [45, 6]);
    const before = many.poolStats!.workerParts + many.poolStats!.stolenParts;
    const run = (be: WasmBackend): FloatArray[] => {
      const grad = be.clone(grad0);
      return [be.conv2d(x, kernel, g).data, be.conv2dBackward(x, dy, kernel, g, grad).data, grad.data];
    };
    const expected = run(one);
    run(many).forEach((a, i) => expectSameBits(a, expected[i]!, `conv2d output ${i}`));
    expect(many.poolStats!.workerParts + many.poolStats!.stolenParts).toBeGreaterThan(before);
  });
});
