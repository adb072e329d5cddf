import { describe, expect, it } from 'vitest';
import { Sequential } from '../../model/sequential.js';
import { shapeSize } from '../../tensor.js';
import { WasmBackend, type WasmBackendOptions } from './wasm-backend.js';

/*
 * Training with resident tensors (weights, gradients and optimizer state lasting in the WebAssembly memory, step
 * tensors in the planned step memory) against the copy-in/copy-out path (everything on the JS heap): the same bits,
 * and after the first step of a batch size a training step allocates nothing — the memory does not grow, the arena
 * hands out no block, the step replays its plan.
 */

const MODELS = {
  mlp: { input: [12], output: 3, layers: [{ type: 'Dense', units: 16, activation: 'relu' }, { type: 'Dense', units: 3, activation: 'softmax' }] },
  convnet: {
    input: [8, 8, 1],
    output: 3,
    layers: [
      { type: 'Conv2D', filters: 4, kernelSize: 3, activation: 'relu' },
      { type: 'MaxPooling2D', poolSize: 2 },
      { type: 'Flatten' },
      { type: 'Dropout', rate: 0.5 },
      { type: 'Dense', units: 3, activation: 'softmax' },
    ],
  },
  lstm: { input: [5, 3], output: 1, layers: [{ type: 'LSTM', units: 6 }, { type: 'Dense', units: 1 }] },
} as const;

type ModelName = keyof typeof MODELS;

// Every op through the kernels, so the resident and the copied paths both run them.
const ALL_WASM: WasmBackendOptions = { threads: 1, gemmThreshold: 0, windowThreshold: 0, rowThreshold: 0 };
const COPIED: WasmBackendOptions = { ...ALL_WASM, planSteps: false, lastingBudgetBytes: 0 };

function build(name: ModelName, options: WasmBackendOptions) {
  const spec = MODELS[name];
  const backend = WasmBackend.create(options);
  const model = Sequential.fromDefinition(
    { type: 'Sequential', seed: 5, layers: [{ type: 'InputLayer', shape: [...spec.input] }, ...spec.layers] },
    { backend },
  );
  model.compile({ optimizer: { type: 'Adam', learningRate: 0.01 }, loss: spec.output === 1 ? 'mse' : 'categorical_crossentropy', metrics: ['mae'] });
  return { backend, model };
}

function batch(name: ModelName, size: number, seed: number) {
  const spec = MODELS[name];
  const per = shapeSize(spec.input);
  return {
    x: { shape: [size, ...spec.input], data: Float32Array.from({ length: size * per }, (_, i) => Math.sin(i * 0.37 + seed)) },
    y: { shape: [size, spec.output], data: Float32Array.from({ length: size * spec.output }, (_, i) => (spec.output === 1 ? Math.cos(i + seed) : i % spec.output === (i + seed) % spec.output ? 1 : 0)) },
  };
}

const weightsOf = (model: Sequential): number[][] => model.getWeights().map((w) => Array.from(w));

describe('training on resident tensors', () => {
  for (const name of Object.keys(MODELS) as ModelName[]) {
    it(`${name}: gives bitwise the weights of the copy-in/copy-out path, over batches of two sizes`, () => {
      const resident = build(name, { ...ALL_WASM, poisonSteps: true });
      const copied = build(name, COPIED);
      for (let step = 0; step < 6; step++) {
        const { x, y } = batch(name, step % 3 === 2 ? 3 : 8, step);
        const a = resident.model.trainOnBatch(x, y);
        const b = copied.model.trainOnBatch(x, y);
        expect(a).toEqual(b);
      }
      expect(weightsOf(resident.model)).toEqual(weightsOf(copied.model));
      // The resident model really was resident: weights in the memory, steps planned.
      expect(resident.model.getWeights().length).toBeGreaterThan(0);
      expect(resident.backend.lastingBytes).toBeGreaterThan(0);
      expect(resident.backend.stepStats.replayed).toBeGreaterThan(0);
      expect(copied.backend.lastingBytes).toBe(0);
    });

    it(`${name}: after the first step of each batch size, a training step allocates nothing`, () => {
      const { backend, model } = build(name, ALL_WASM);
      const batches = [batch(name, 8, 1), batch(name, 8, 2), batch(name, 3, 3)];
      for (const { x, y } of batches) model.trainOnBatch(x, y);
      const before = { memory: backend.memoryBytes, arena: backend.kernels.arena.bytesInUse, stats: backend.stepStats, lasting: backend.lastingBytes };
      for (let step = 0; step < 30; step++) model.trainOnBatch(batches[step % 3]!.x, batches[step % 3]!.y);
      expect(backend.memoryBytes).toBe(before.memory);
      expect(backend.kernels.arena.bytesInUse).toBe(before.arena);
      expect(backend.lastingBytes).toBe(before.lasting);
      expect(backend.stepStats.recorded).toBe(before.stats.recorded);
      expect(backend.stepStats.replayed).toBe(before.stats.replayed + 30);
    });
  }

  it('keeps lasting tensors on the JS heap beyond the budget, and trains the same', () => {
    const small = build('mlp', { ...ALL_WASM, lastingBudgetBytes: 1024 });
    const copied = build('mlp', COPIED);
    expect(small.backend.lastingBytes).toBeLessThanOrEqual(1024);
    for (let step = 0; step < 3; step++) {
      const { x, y } = batch('mlp', 8, step);
      small.model.trainOnBatch(x, y);
      copied.model.trainOnBatch(x, y);
    }
    expect(weightsOf(small.model)).toEqual(weightsOf(copied.model));
  });
});
