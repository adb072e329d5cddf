import type { ContractSample } from '../contract-sample.js';

/** Contract-test cases for the merge layers, by layer type (see ../contract-sample.ts). None has weights. */
export const mergeSamples: Record<string, ContractSample[]> = {
  Add: [
    { config: { type: 'Add' }, inputShapes: [[4], [4]], params: 0 },
    { config: { type: 'Add' }, inputShapes: [[2, 3], [2, 3], [2, 3]], params: 0 },
    // Keras 3 broadcasting: a size of 1 stretches, a lower-rank input aligns on the last axes.
    { config: { type: 'Add' }, inputShapes: [[2, 3], [1, 3], [3]], params: 0 },
  ],
  Subtract: [
    { config: { type: 'Subtract' }, inputShapes: [[2, 3], [2, 3]], params: 0 },
    { config: { type: 'Subtract' }, inputShapes: [[2, 1], [2, 3]], params: 0 },
  ],
  Multiply: [
    { config: { type: 'Multiply' }, inputShapes: [[4], [4]], params: 0 },
    { config: { type: 'Multiply' }, inputShapes: [[2, 3], [2, 3], [2, 3]], params: 0 },
    { config: { type: 'Multiply' }, inputShapes: [[2, 3], [2, 1]], params: 0 },
  ],
  Average: [
    { config: { type: 'Average' }, inputShapes: [[4], [4]], params: 0 },
    { config: { type: 'Average', name: 'avg' }, inputShapes: [[3], [3], [3]], params: 0 },
  ],
  Maximum: [
    { config: { type: 'Maximum' }, inputShapes: [[4], [4]], params: 0 },
    { config: { type: 'Maximum' }, inputShapes: [[2, 3], [2, 3], [2, 3]], params: 0 },
  ],
  Minimum: [
    { config: { type: 'Minimum' }, inputShapes: [[4], [4]], params: 0 },
    { config: { type: 'Minimum' }, inputShapes: [[2, 3], [2, 3], [2, 3]], params: 0 },
  ],
  Concatenate: [
    { config: { type: 'Concatenate' }, inputShapes: [[3], [2]], params: 0 },
    { config: { type: 'Concatenate', axis: -1 }, inputShapes: [[2, 3], [2, 1], [2, 2]], params: 0 },
    { config: { type: 'Concatenate', axis: 1 }, inputShapes: [[2, 3], [1, 3], [3, 3]], params: 0 },
    { config: { type: 'Concatenate', axis: -2 }, inputShapes: [[2, 2, 3], [2, 1, 3]], params: 0 },
  ],
  Dot: [
    { config: { type: 'Dot', axes: 1 }, inputShapes: [[4], [4]], params: 0 },
    { config: { type: 'Dot', axes: [1, 1] }, inputShapes: [[3, 2], [3, 4]], params: 0 },
    { config: { type: 'Dot', axes: [2, 2] }, inputShapes: [[3, 2], [4, 2]], params: 0 },
    { config: { type: 'Dot', axes: [2, 1] }, inputShapes: [[3, 2], [2, 4]], params: 0 },
    { config: { type: 'Dot', axes: -1, normalize: true }, inputShapes: [[3, 4], [2, 4]], params: 0 },
    { config: { type: 'Dot', axes: 1, normalize: true }, inputShapes: [[4], [4]], params: 0 },
  ],
};
