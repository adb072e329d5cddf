import { describe, expect, it } from 'vitest';
import type { Tensor } from '../../tensor.js';
import { WasmBackend } from './wasm-backend.js';

/*
 * The planned step memory (step-memory.ts) through WasmBackend's API: step tensors are views into the memory, a
 * repeated batch size gets the recorded tensors back, a departure from the plan is recorded anew, lasting tensors
 * outlive the step, and poisoning shows a tensor kept by mistake.
 */

/** Whether t is a view into a backend's shared memory (JS-heap tensors have plain ArrayBuffers). */
const isResident = (t: Tensor): boolean => t.data.buffer instanceof SharedArrayBuffer;

/** A toy step: three tensors, the middle one's size depending on the batch. */
function toyStep(backend: WasmBackend, batch: number): Tensor[] {
  return backend.step('train', batch, () => [backend.zeros([batch, 4]), backend.fromValues([batch], Array.from({ length: batch }, (_, i) => i)), backend.zeros([3])]);
}

describe('the step memory', () => {
  it('gives a step views into the WebAssembly memory, and the same tensor objects when its batch size repeats', () => {
    const backend = WasmBackend.create({ threads: 1 });
    const first = toyStep(backend, 8);
    const second = toyStep(backend, 8);
    for (const t of first) expect(isResident(t)).toBe(true);
    second.forEach((t, i) => expect(t).toBe(first[i]));
    expect(backend.stepStats).toMatchObject({ recorded: 1, replayed: 1 });
    // Distinct tensors of one step never overlap.
    const spans = first.map((t) => [t.data.byteOffset, t.data.byteOffset + t.data.byteLength] as const).sort((a, b) => a[0] - b[0]);
    for (let i = 1; i < spans.length; i++) expect(spans[i]![0]).toBeGreaterThanOrEqual(spans[i - 1]![1]);
  });

  it('hands out zeros as zeros and fromValues as the values, whatever the previous step left there', () => {
    const backend = WasmBackend.create({ threads: 1 });
    backend.step('train', 4, () => {
      backend.fill(backend.zeros([4, 4]), 7);
      backend.fromValues([4], [1, 2, 3, 4]);
    });
    backend.step('train', 4, () => {
      expect([...backend.zeros([4, 4]).data]).toEqual(new Array(16).fill(0));
      expect([...backend.fromValues([4], [5, 6, 7, 8]).data]).toEqual([5, 6, 7, 8]);
    });
    expect(backend.stepStats).toMatchObject({ recorded: 1, replayed: 1 });
  });

  it('keeps one plan per batch size: a last, smaller batch each epoch does not make the full ones record again', () => {
    const backend = WasmBackend.create({ threads: 1 });
    for (let epoch = 0; epoch < 3; epoch++) {
      for (let b = 0; b < 4; b++) toyStep(backend, 64);
      toyStep(backend, 16);
    }
    expect(backend.stepStats).toMatchObject({ recorded: 2, replayed: 13 });
    const floats = backend.stepStats.floats;
    toyStep(backend, 64);
    expect(backend.stepStats.floats).toBe(floats);
  });

  it('keeps the plans of training, evaluation and prediction apart, so alternating them replays each', () => {
    const backend = WasmBackend.create({ threads: 1 });
    const train = () => backend.step('train', 8, () => [backend.zeros([8, 4]), backend.zeros([8, 4])]);
    const predict = () => backend.step('predict', 8, () => [backend.zeros([8, 2])]);
    const [t1, p1] = [train(), predict()];
    const [t2, p2] = [train(), predict()];
    t2.forEach((t, i) => expect(t).toBe(t1[i]));
    expect(p2[0]).toBe(p1[0]);
    expect(backend.stepStats).toMatchObject({ recorded: 2, replayed: 2 });
  });

  it('records anew from where a step departs from its plan, keeping the tensors before that point', () => {
    const backend = WasmBackend.create({ threads: 1 });
    const a = backend.step('train', 2, () => [backend.zeros([2, 2]), backend.zeros([5])]);
    const b = backend.step('train', 2, () => [backend.zeros([2, 2]), backend.zeros([6]), backend.zeros([1])]);
    expect(b[0]).toBe(a[0]);
    expect(b[1]).not.toBe(a[1]);
    expect(b[1]!.shape).toEqual([6]);
    const c = backend.step('train', 2, () => [backend.zeros([2, 2]), backend.zeros([6]), backend.zeros([1])]);
    c.forEach((t, i) => expect(t).toBe(b[i]));
    expect(backend.stepStats).toMatchObject({ recorded: 2, replayed: 1 });
  });

  it('lets lasting tensors made inside a step outlive it, while poisoning shows a step tensor kept by mistake', () => {
    const backend = WasmBackend.create({ threads: 1, poisonSteps: true });
    const { kept, lasting } = backend.step('train', 3, () => ({
      kept: backend.fromValues([3], [1, 2, 3]),
      lasting: backend.lasting(() => backend.fromValues([3], [4, 5, 6])),
    }));
    expect(isResident(lasting)).toBe(true);
    expect([...lasting.data]).toEqual([4, 5, 6]);
    expect([...kept.data].every(Number.isNaN)).toBe(true);
    // A later step reuses the step memory and leaves the lasting tensor alone.
    backend.step('train', 3, () => backend.fill(backend.zeros([3]), 9));
    expect([...lasting.data]).toEqual([4, 5, 6]);
  });

  it('treats a step inside a step as part of the outer one', () => {
    const backend = WasmBackend.create({ threads: 1 });
    backend.step('train', 2, () => {
      const outer = backend.zeros([2]);
      const inner = backend.step('train', 5, () => backend.zeros([5]));
      expect(inner.data.byteOffset).toBeGreaterThanOrEqual(outer.data.byteOffset + outer.data.byteLength);
    });
    expect(backend.stepStats).toMatchObject({ recorded: 1, replayed: 0 });
  });

  it('falls back to the JS heap when the memory cannot hold a step, and the ops still compute the same values', () => {
    const backend = WasmBackend.create({ threads: 1, initialBytes: 2 ** 20, maximumBytes: 2 ** 21, gemmThreshold: 0 });
    const values = Array.from({ length: 600_000 }, (_, i) => (i % 13) - 6);
    const [big, product] = backend.step('train', 1, () => {
      const t = backend.fromValues([600_000], values);
      const a = backend.fromValues([2, 3], [1, 2, 3, 4, 5, 6]);
      const b = backend.fromValues([3, 2], [1, 0, 0, 1, 1, 1]);
      return [t, [...backend.matmul(a, b).data]] as const;
    });
    expect(isResident(big)).toBe(false);
    expect(big.data[599_999]).toBe(values[599_999]);
    expect(product).toEqual([4, 5, 10, 11]);
  });

  it('with planSteps false, puts step tensors on the JS heap', () => {
    const backend = WasmBackend.create({ threads: 1, planSteps: false });
    const [t] = toyStep(backend, 4);
    expect(isResident(t!)).toBe(false);
    expect(backend.stepStats).toMatchObject({ recorded: 0, replayed: 0, floats: 0 });
  });
});
