// The workloads of issue 5, section 2, as plain facts every system builds its own model from. Each child process
// receives one of these (plus the time budget) as JSON, so Kiln, TensorFlow.js and PyTorch train the same shapes.

/**
 * @typedef {object} Workload
 * @property {string} id          name in the table and the JSON (`W1-b64`)
 * @property {'W1'|'W2'|'W3'} kind which architecture (see the children for each system's code)
 * @property {string} description
 * @property {number} batch        samples per training step and per inference call
 * @property {number[]} inputShape per-sample input shape, channels-last like Keras
 * @property {number[]} outputShape per-sample output shape
 * @property {'categorical'|'mse'} loss categorical crossentropy on softmax with one-hot targets, or mean squared error
 */

/** @type {Workload[]} */
export const WORKLOADS = [
  {
    id: 'W1-b64',
    kind: 'W1',
    description: 'Dense 784→128 relu→10 softmax, Adam, batch 64',
    batch: 64,
    inputShape: [784],
    outputShape: [10],
    loss: 'categorical',
  },
  {
    id: 'W1-b256',
    kind: 'W1',
    description: 'Dense 784→128 relu→10 softmax, Adam, batch 256',
    batch: 256,
    inputShape: [784],
    outputShape: [10],
    loss: 'categorical',
  },
  {
    id: 'W2',
    kind: 'W2',
    description: 'Keras mnist_convnet (Conv2D 32 3x3 relu, MaxPool 2, Conv2D 64 3x3 relu, MaxPool 2, Flatten, Dropout 0.5, Dense 10 softmax) on 28x28x1, Adam, batch 64',
    batch: 64,
    inputShape: [28, 28, 1],
    outputShape: [10],
    loss: 'categorical',
  },
  {
    id: 'W3',
    kind: 'W3',
    description: 'LSTM(64) over 50 steps × 8 features → Dense(1), MSE, Adam, batch 64',
    batch: 64,
    inputShape: [50, 8],
    outputShape: [1],
    loss: 'mse',
  },
];

/** Workloads selected by `--workloads`: an id (`W1-b64`) or a kind (`W1` = both batch sizes). */
export function selectWorkloads(names) {
  const picked = [];
  for (const name of names) {
    const matches = WORKLOADS.filter((w) => w.id.toLowerCase() === name.toLowerCase() || w.kind.toLowerCase() === name.toLowerCase());
    if (matches.length === 0) {
      throw new Error(`--workloads: unknown workload ${JSON.stringify(name)}; expected one of ${[...new Set(WORKLOADS.flatMap((w) => [w.kind, w.id]))].join(', ')}`);
    }
    for (const w of matches) if (!picked.includes(w)) picked.push(w);
  }
  return picked;
}
