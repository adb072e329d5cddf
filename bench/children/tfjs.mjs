// One TensorFlow.js measurement in its own process, on the `cpu` (pure JS) or `wasm` (XNNPACK) backend: the same
// layers, Adam and loss as Kiln's, trained with trainOnBatch and run with predict.
import * as tf from '@tensorflow/tfjs';
import { getThreadsCount, setThreadsCount } from '@tensorflow/tfjs-backend-wasm';
import { measurePhases, readSpec, report } from '../lib/measure.mjs';
import { syntheticBatches } from '../lib/synthetic.mjs';

const LAYERS = {
  W1: () => [tf.layers.dense({ inputShape: [784], units: 128, activation: 'relu' }), tf.layers.dense({ units: 10, activation: 'softmax' })],
  W2: () => [
    tf.layers.conv2d({ inputShape: [28, 28, 1], filters: 32, kernelSize: 3, activation: 'relu' }),
    tf.layers.maxPooling2d({ poolSize: 2 }),
    tf.layers.conv2d({ filters: 64, kernelSize: 3, activation: 'relu' }),
    tf.layers.maxPooling2d({ poolSize: 2 }),
    tf.layers.flatten(),
    tf.layers.dropout({ rate: 0.5 }),
    tf.layers.dense({ units: 10, activation: 'softmax' }),
  ],
  W3: () => [tf.layers.lstm({ inputShape: [50, 8], units: 64 }), tf.layers.dense({ units: 1 })],
};

const spec = readSpec();
const { workload, batch } = spec;
// setThreadsCount must precede backend initialisation; in Node the wasm backend loads its non-threaded SIMD build,
// so the count it reports afterwards (1) is what the table shows.
if (spec.system === 'tfjs-wasm') setThreadsCount(spec.threads);
if (!(await tf.setBackend(spec.system === 'tfjs-wasm' ? 'wasm' : 'cpu'))) throw new Error(`TF.js could not initialise backend for ${spec.system}`);
await tf.ready();
const threads = spec.system === 'tfjs-wasm' ? getThreadsCount() : 1;

const model = tf.sequential({ layers: LAYERS[workload.kind]() });
model.compile({ optimizer: tf.train.adam(0.001), loss: workload.loss === 'categorical' ? 'categoricalCrossentropy' : 'meanSquaredError' });

const data = syntheticBatches(workload, batch, spec.distinctBatches, spec.seed).map(({ x, y }) => ({
  x: tf.tensor(x, [batch, ...workload.inputShape]),
  y: tf.tensor(y, [batch, ...workload.outputShape]),
}));
const pick = (i) => data[i % data.length];

const result = await measurePhases(spec, {
  // trainOnBatch resolves after the loss is read back, so the step's work is complete when it returns.
  trainStep: async (i) => {
    const { x, y } = pick(i);
    await model.trainOnBatch(x, y);
  },
  // dataSync waits for the backend to finish, so the timing covers the whole forward pass.
  inferStep: (i) => {
    const out = model.predict(pick(i).x, { batchSize: batch });
    out.dataSync();
    out.dispose();
  },
});
report({ ...result, threads, backend: tf.getBackend(), numTensors: tf.memory().numTensors });
