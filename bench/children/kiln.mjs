// One Kiln measurement in its own process (so its peak RSS is Kiln's alone): builds the workload's model from its
// JSON definition on the requested backend, trains with trainOnBatch (the step fit runs per batch) and predicts.
import { createKilnBackend, importEngine } from '../lib/kiln-engine.mjs';
import { measurePhases, readSpec, report } from '../lib/measure.mjs';
import { syntheticBatches } from '../lib/synthetic.mjs';

// Keras mnist_convnet and friends, in the engine's definition format (the same JSON the service accepts).
const LAYERS = {
  W1: [
    { type: 'InputLayer', shape: [784] },
    { type: 'Dense', units: 128, activation: 'relu' },
    { type: 'Dense', units: 10, activation: 'softmax' },
  ],
  W2: [
    { type: 'InputLayer', shape: [28, 28, 1] },
    { type: 'Conv2D', filters: 32, kernelSize: 3, activation: 'relu' },
    { type: 'MaxPooling2D', poolSize: 2 },
    { type: 'Conv2D', filters: 64, kernelSize: 3, activation: 'relu' },
    { type: 'MaxPooling2D', poolSize: 2 },
    { type: 'Flatten' },
    { type: 'Dropout', rate: 0.5 },
    { type: 'Dense', units: 10, activation: 'softmax' },
  ],
  W3: [
    { type: 'InputLayer', shape: [50, 8] },
    { type: 'LSTM', units: 64 },
    { type: 'Dense', units: 1 },
  ],
};

const spec = readSpec();
const { workload, batch } = spec;
const engine = await importEngine();
const kiln = await createKilnBackend(engine, { backend: spec.kilnBackend, threads: spec.threads });
const model = engine.Sequential.fromDefinition({ type: 'Sequential', seed: spec.seed, layers: LAYERS[workload.kind] }, { backend: kiln.backend });
model.compile({ optimizer: { type: 'Adam', learningRate: 0.001 }, loss: workload.loss === 'categorical' ? 'categorical_crossentropy' : 'mse' });

const data = syntheticBatches(workload, batch, spec.distinctBatches, spec.seed).map(({ x, y }) => ({
  x: { shape: [batch, ...workload.inputShape], data: x },
  y: { shape: [batch, ...workload.outputShape], data: y },
}));
const pick = (i) => data[i % data.length];

const result = await measurePhases(spec, {
  trainStep: (i) => {
    const { x, y } = pick(i);
    model.trainOnBatch(x, y);
  },
  inferStep: (i) => {
    const out = model.predict(pick(i).x, { batchSize: batch });
    model.backend.release(out);
  },
});
// Report before closing: if the backend's pool fails to shut down, the parent still has the figures and says so.
report({ ...result, threads: kiln.threads, backend: kiln.name });
await kiln.close();
