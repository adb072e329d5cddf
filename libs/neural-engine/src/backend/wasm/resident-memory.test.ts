import { spawnSync } from 'node:child_process';
import { beforeAll, describe, expect, it } from 'vitest';
import { buildEngineDist, engineDistUrl } from '../../testing/engine-dist.js';
import { WasmBackend } from './wasm-backend.js';

/*
 * Lasting tensors (resident-memory.ts): released on demand, and given back to the arena once garbage — which only a
 * whole process with a forced collection can show, so that part runs the built engine (dist) in a child node with
 * --expose-gc: 40 models built and dropped one after another leave the memory where one model left it.
 */

const dist = engineDistUrl;

beforeAll(buildEngineDist, 180_000);

describe('lasting tensors', () => {
  it('live in the memory, and release() gives their block back at once', () => {
    const backend = WasmBackend.create({ threads: 1 });
    const inUse = backend.kernels.arena.bytesInUse;
    const t = backend.lasting(() => backend.fromValues([1000], new Array(1000).fill(2)));
    expect(t.data.buffer instanceof SharedArrayBuffer).toBe(true);
    expect(backend.lastingBytes).toBe(4000);
    expect(backend.kernels.arena.bytesInUse).toBe(inUse + 4000);
    backend.release(backend.reshape(t, [10, 100])); // a reshape shares the storage, so it releases it too
    expect(backend.lastingBytes).toBe(0);
    expect(backend.kernels.arena.bytesInUse).toBe(inUse);
    // Releasing a JS-heap tensor or a step tensor (its memory is the step's) frees nothing.
    backend.release(backend.zeros([3]));
    expect(backend.kernels.arena.bytesInUse).toBe(inUse);
    backend.step('train', 1, () => {
      const t = backend.fromValues([3], [1, 2, 3]);
      const withChunk = backend.kernels.arena.bytesInUse;
      backend.release(t);
      expect(backend.kernels.arena.bytesInUse).toBe(withChunk);
    });
  });

  it('go back to the arena once garbage: models built and dropped in rounds reuse the same memory', () => {
    const program = `
import { Sequential, WasmBackend } from ${JSON.stringify(dist)};
const backend = WasmBackend.create({ threads: 1, initialBytes: 2 ** 20 });
const collect = async () => { for (let i = 0; i < 3; i++) { globalThis.gc(); await new Promise((r) => setTimeout(r, 10)); } };
const x = { shape: [8, 100], data: new Float32Array(800).fill(0.5) };
const y = { shape: [8, 10], data: new Float32Array(80).fill(0.1) };
function trainOne(seed) {
  const model = Sequential.fromDefinition({ type: 'Sequential', seed, layers: [
    { type: 'InputLayer', shape: [100] }, { type: 'Dense', units: 200, activation: 'relu' }, { type: 'Dense', units: 10, activation: 'softmax' },
  ] }, { backend });
  model.compile({ optimizer: { type: 'Adam' }, loss: 'categorical_crossentropy' });
  model.trainOnBatch(x, y);
  return backend.lastingBytes;
}
const rounds = [];
for (let round = 0; round < 4; round++) {
  let peak = 0;
  for (let i = 0; i < 10; i++) peak = Math.max(peak, trainOne(round * 10 + i));
  await collect();
  rounds.push({ peak, lasting: backend.lastingBytes, memory: backend.memoryBytes });
}
console.log(JSON.stringify(rounds));
`;
    const child = spawnSync(process.execPath, ['--expose-gc', '--input-type=module', '-e', program], { encoding: 'utf8', timeout: 60_000 });
    expect(child.status, child.stderr).toBe(0);
    const rounds = JSON.parse(child.stdout) as { peak: number; lasting: number; memory: number }[];
    console.log(`4 rounds of 10 models: lasting storage peaks ${rounds.map((r) => r.peak).join(', ')} bytes; after each round's collection ${rounds.map((r) => r.lasting).join(', ')} live; memory ${rounds.map((r) => r.memory).join(', ')} bytes`);
    // Each model: ~22k parameters as weights, gradients, Adam's two slots and the optimizer's work copy.
    expect(rounds[0]!.peak).toBeGreaterThan(400_000);
    for (const r of rounds) expect(r.lasting).toBe(0);
    // Round 1 grew the memory (it starts at 1 MiB); rounds 2-4 fit in the blocks round 1 freed, so it grows no more.
    expect(rounds[0]!.memory).toBeGreaterThan(rounds[0]!.peak);
    expect(rounds[3]!.memory).toBe(rounds[0]!.memory);
  });
});
