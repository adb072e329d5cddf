import type { Shape } from '../tensor.js';
import type { LayerConfig } from './layer.js';

/**
 * One case of the layer contract test (layer-contract.test.ts): a config, the per-sample input shape(s) to build it
 * on, and the parameter count worked out by hand. Each layer family lists its samples in its contract-samples.ts.
 */
export interface ContractSample {
  config: LayerConfig;
  /** Per-sample input shape of a one-input layer. */
  inputShape?: Shape;
  /** Per-sample input shapes of a multi-input (merge) layer. */
  inputShapes?: Shape[];
  /** countParams after build, worked out by hand from the layer's definition. */
  params: number;
  /**
   * How to make valid inputs when random normals are not (e.g. integer token ids for Embedding): a function from the
   * input index and element index to a value. Such inputs are not differentiated.
   */
  inputValues?: (input: number, index: number) => number;
}
