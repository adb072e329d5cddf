/*
 * Merge layers for functional graphs: Add, Subtract, Multiply, Average, Maximum, Minimum, Concatenate, Dot.
 * Each layer is registered in the table below (see ../index.ts for how tables combine).
 */
import { entry } from '../registry-entry.js';
import { Add, addSchema } from './add.js';
import { Average, averageSchema } from './average.js';
import { Concatenate, concatenateSchema } from './concatenate.js';
import { Dot, dotSchema } from './dot.js';
import { Maximum, maximumSchema } from './maximum.js';
import { Minimum, minimumSchema } from './minimum.js';
import { Multiply, multiplySchema } from './multiply.js';
import { Subtract, subtractSchema } from './subtract.js';

/** Merge layer types by Keras class name. */
export const mergeLayers = {
  Add: entry(addSchema, (c) => new Add(c)),
  Subtract: entry(subtractSchema, (c) => new Subtract(c)),
  Multiply: entry(multiplySchema, (c) => new Multiply(c)),
  Average: entry(averageSchema, (c) => new Average(c)),
  Maximum: entry(maximumSchema, (c) => new Maximum(c)),
  Minimum: entry(minimumSchema, (c) => new Minimum(c)),
  Concatenate: entry(concatenateSchema, (c) => new Concatenate(c)),
  Dot: entry(dotSchema, (c) => new Dot(c)),
};

export { MergeLayer, mergeShapeError } from './merge-layer.js';
export { ElementwiseMerge, broadcastShapes } from './elementwise-merge.js';
export { ExtremumMerge } from './extremum-merge.js';
export { Add, addSchema, type AddConfig } from './add.js';
export { Subtract, subtractSchema, type SubtractConfig } from './subtract.js';
export { Multiply, multiplySchema, type MultiplyConfig } from './multiply.js';
export { Average, averageSchema, type AverageConfig } from './average.js';
export { Maximum, maximumSchema, type MaximumConfig } from './maximum.js';
export { Minimum, minimumSchema, type MinimumConfig } from './minimum.js';
export { Concatenate, concatenateSchema, type ConcatenateConfig } from './concatenate.js';
export { Dot, dotSchema, type DotConfig } from './dot.js';
