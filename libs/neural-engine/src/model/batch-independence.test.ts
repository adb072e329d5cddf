import { describe, expect, it } from 'vitest';
import { JsBackend } from '../backend/js-backend.js';
import { WasmBackend } from '../backend/wasm/wasm-backend.js';
import { Rng } from '../rng.js';
import { Sequential } from './sequential.js';

/*
 * A sample's prediction does not depend on the batch it is predicted in: predicted alone, it has the same bits as
 * its row of a batch of 50. (A backend that picked its matmul kernel by size would break this for small layers: the
 * two kernels sum in different orders.) Both backends with their default options, whatever the test backend is.
 */

const backends = { wasm: () => WasmBackend.create({ threads: 1 }), js: () => new JsBackend('float32') };

const models = {
  'small MLP': [
    { type: 'InputLayer', shape: [6] },
    { type: 'Dense', units: 4, activation: 'tanh' },
    { type: 'Dense', units: 8, activation: 'relu' },
    { type: 'Dense', units: 3, activation: 'softmax' },
  ],
  'small convnet': [
    { type: 'InputLayer', shape: [6, 6, 1] },
    { type: 'Conv2D', filters: 2, kernelSize: 3, activation: 'relu' },
    { type: 'Flatten' },
    { type: 'Dense', units: 2 },
  ],
  'small LSTM': [
    { type: 'InputLayer', shape: [5, 2] },
    { type: 'LSTM', units: 8 },
    { type: 'Dense', units: 1 },
  ],
};

describe('predictions are independent of the batch', () => {
  for (const [name, layers] of Object.entries(models)) for (const [backendName, backend] of Object.entries(backends)) {
    it(`${name} on ${backendName}`, () => {
      const model = Sequential.fromDefinition({ type: 'Sequential', seed: 2, layers } as never, { backend: backend() });
      const perSample = model.inputShapes[0]!.reduce((p, d) => p * d, 1);
      const rng = new Rng(6);
      const batch = 50;
      const x = Float32Array.from({ length: batch * perSample }, () => rng.uniformRange(-2, 2));
      const all = model.predict({ shape: [batch, ...model.inputShapes[0]!], data: x });
      const outPer = all.size / batch;
      for (let i = 0; i < batch; i += 7) {
        const one = model.predict({ shape: [1, ...model.inputShapes[0]!], data: x.subarray(i * perSample, (i + 1) * perSample) });
        expect(Array.from(one.data)).toEqual(Array.from(all.data.subarray(i * outPer, (i + 1) * outPer)));
      }
    });
  }
});
