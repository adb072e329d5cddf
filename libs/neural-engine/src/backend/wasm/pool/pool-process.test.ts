import { spawnSync } from 'node:child_process';
import { beforeAll, describe, expect, it } from 'vitest';
import { buildEngineDist, engineDistUrl } from '../../../testing/engine-dist.js';

/*
 * The pool seen from a whole Node process, running the built engine (dist) in a child:
 * - a program that trains on a 2-thread backend and never calls close() exits by itself, with code 0 (the workers
 *   are unref()ed: an unclosed pool never keeps a process alive);
 * - 1,000 training steps on a 2-thread backend, every op split, do not leak: RSS after them is within 5 % of RSS
 *   after a 1,000-step warm-up (both after a full garbage collection), with Node's default flags. The warm-up is
 *   long because V8 grows its young generation while a program allocates fast: on 1 thread, RSS goes 86.7 → 96.7 MiB
 *   from step 100 to 1,000 and then stays (97.4 MiB at 5,000; heap used 12.8 → 13.3 MiB, array buffers 0: a step's
 *   tensors are in the planned WebAssembly memory);
 * - a pool started inside a worker thread (the worker app's trainer thread) works, and its process still exits;
 * - a backend dropped without close() has its workers terminated once it is garbage-collected (the process's thread
 *   count, from /proc/self/status, returns to what it was before the pool started).
 */

const dist = engineDistUrl;

beforeAll(buildEngineDist, 180_000);

/** Runs an ES module program in a child node; a child still running after `timeoutMs` is killed (signal set). */
function runChild(program: string, timeoutMs: number, flags: string[] = []): { status: number | null; signal: string | null; stdout: string; stderr: string } {
  const { status, signal, stdout, stderr } = spawnSync(process.execPath, [...flags, '--input-type=module', '-e', program], {
    encoding: 'utf8', timeout: timeoutMs, killSignal: 'SIGKILL',
  });
  return { status, signal, stdout, stderr };
}

// A small MLP with every op in wasm, split between the threads, the worker computing every part it is sent.
const setUp = `
import { Sequential, WasmBackend } from ${JSON.stringify(dist)};
const backend = WasmBackend.create({
  threads: 2, gemmThreshold: 0, windowThreshold: 0, rowThreshold: 0, gemmSplitThreshold: 0, windowSplitThreshold: 0, rowSplitThreshold: 0,
  workStealing: false,
});
await backend.ready();
const model = Sequential.fromDefinition({ type: 'Sequential', seed: 3, layers: [
  { type: 'InputLayer', shape: [64] }, { type: 'Dense', units: 32, activation: 'relu' }, { type: 'Dense', units: 10, activation: 'softmax' },
] }, { backend });
model.compile({ optimizer: { type: 'Adam', learningRate: 0.001 }, loss: 'categorical_crossentropy' });
const x = { shape: [16, 64], data: Float32Array.from({ length: 16 * 64 }, (_, i) => Math.sin(i)) };
const y = { shape: [16, 10], data: Float32Array.from({ length: 160 }, (_, i) => (i % 10 === (i / 10 | 0) % 10 ? 1 : 0)) };
`;

describe('the pool in a whole process', () => {
  it('a program that trains on 2 threads and never calls close() exits by itself with code 0', () => {
    const child = runChild(`${setUp}
for (let step = 0; step < 20; step++) model.trainOnBatch(x, y);
console.log(JSON.stringify(backend.poolStats));
`, 20_000);
    expect(child.signal, `killed after 20 s: the process did not exit by itself; stderr: ${child.stderr}`).toBeNull();
    expect(child.status, child.stderr).toBe(0);
    const stats = JSON.parse(child.stdout) as { workerParts: number };
    expect(stats.workerParts).toBeGreaterThan(0);
  }, 30_000);

  it('1,000 training steps on 2 threads: RSS stable within 5 % after a 1,000-step warm-up', () => {
    const child = runChild(`${setUp}
const rss = () => { globalThis.gc(); globalThis.gc(); return process.memoryUsage().rss; };
for (let step = 0; step < 1000; step++) model.trainOnBatch(x, y);
const warm = rss();
for (let step = 1000; step < 2000; step++) model.trainOnBatch(x, y);
const end = rss();
console.log(JSON.stringify({ warm, end, workerParts: backend.poolStats.workerParts }));
`, 60_000, ['--expose-gc']);
    expect(child.signal, `killed after 60 s; stderr: ${child.stderr}`).toBeNull();
    expect(child.status, child.stderr).toBe(0);
    const { warm, end, workerParts } = JSON.parse(child.stdout) as { warm: number; end: number; workerParts: number };
    console.log(`RSS after 1,000 steps ${(warm / 2 ** 20).toFixed(1)} MiB, after 2,000 ${(end / 2 ** 20).toFixed(1)} MiB (${(((end - warm) / warm) * 100).toFixed(2)} %); ${workerParts} parts computed by the worker`);
    expect(workerParts).toBeGreaterThan(1000);
    expect(Math.abs(end - warm) / warm).toBeLessThanOrEqual(0.05);
  }, 90_000);

  it('a pool started inside a worker thread (as the worker app\'s trainer thread does) computes parts and ends with it', () => {
    // The trainer thread trains on WasmBackend.create({ threads: TRAINING_THREADS }): its pool's workers are nested.
    const child = runChild(`
import { Worker } from 'node:worker_threads';
const trainer = new Worker(${JSON.stringify(`${setUp}
for (let step = 0; step < 20; step++) model.trainOnBatch(x, y);
const { parentPort } = await import('node:worker_threads');
parentPort.postMessage(backend.poolStats);
`)}, { eval: true });
const stats = await new Promise((resolve, reject) => { trainer.once('message', resolve); trainer.once('error', reject); });
console.log(JSON.stringify(stats));
`, 20_000);
    expect(child.signal, `killed after 20 s: the process did not exit by itself; stderr: ${child.stderr}`).toBeNull();
    expect(child.status, child.stderr).toBe(0);
    const stats = JSON.parse(child.stdout) as { workerParts: number };
    expect(stats.workerParts).toBeGreaterThan(0);
  }, 30_000);

  it('a 3-thread backend dropped without close() has its workers terminated after garbage collection', () => {
    const child = runChild(`
import { readFileSync } from 'node:fs';
import { WasmBackend } from ${JSON.stringify(dist)};
const threads = () => Number(/Threads:\\s+(\\d+)/.exec(readFileSync('/proc/self/status', 'utf8'))[1]);
const before = threads();
let backend = WasmBackend.create({ threads: 3 });
await backend.ready();
const withPool = threads();
backend = undefined;
let after = withPool;
for (let i = 0; i < 100 && after > before; i++) {
  globalThis.gc();
  await new Promise((resolve) => setTimeout(resolve, 50));
  after = threads();
}
console.log(JSON.stringify({ before, withPool, after }));
`, 20_000, ['--expose-gc']);
    expect(child.status, child.stderr).toBe(0);
    const { before, withPool, after } = JSON.parse(child.stdout) as { before: number; withPool: number; after: number };
    expect(withPool, 'threads with the pool started').toBe(before + 2);
    expect(after, 'threads after the backend was collected').toBe(before);
  }, 30_000);
});
