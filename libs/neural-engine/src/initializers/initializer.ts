import type { Rng } from '../rng.js';
import type { Shape } from '../tensor.js';

/** An initializer as written in a config: a Keras name (`"glorot_uniform"`, any spelling) or `{type, ...args}`. */
export type InitializerConfig = string | { type: string; [arg: string]: unknown };

/** Creates initial values of a weight. A seeded initializer ignores `rng` and draws from its own seed. */
export interface Initializer {
  /** Keras class name, e.g. `GlorotUniform`. */
  readonly name: string;
  /** Values for a weight of `shape` (row-major). */
  init(shape: Shape, rng: Rng): Float64Array;
  getConfig(): InitializerConfig;
}

/** Keras `compute_fans`: fan-in and fan-out of a weight shape (kernels of convolutions count their receptive field). */
export function computeFans(shape: Shape): { fanIn: number; fanOut: number } {
  if (shape.length === 0) return { fanIn: 1, fanOut: 1 };
  if (shape.length === 1) return { fanIn: shape[0]!, fanOut: shape[0]! };
  if (shape.length === 2) return { fanIn: shape[0]!, fanOut: shape[1]! };
  let receptive = 1;
  for (const d of shape.slice(0, -2)) receptive *= d;
  return { fanIn: shape[shape.length - 2]! * receptive, fanOut: shape[shape.length - 1]! * receptive };
}
