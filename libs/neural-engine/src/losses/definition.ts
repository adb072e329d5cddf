import type { z } from 'zod';
import type { Shape, Tensor } from '../tensor.js';
import type { RowMap } from './layout.js';

/** A loss' arguments as the factory passes them to its pure function (every default filled in). */
export type LossOptions = Record<string, unknown>;

/**
 * Everything the factory needs to know about one Keras loss class: its names, its argument schema and defaults, its
 * pure per-row function and how elements map to rows.
 */
export interface LossDefinition<O extends LossOptions = LossOptions> {
  /** Keras class name, the `type` of object configs. */
  readonly className: string;
  /** Keras function name, the canonical string identifier. */
  readonly identifier: string;
  /** Other accepted string identifiers (Keras legacy aliases). */
  readonly aliases: readonly string[];
  /** Default instance name (Keras class default `name`). */
  readonly defaultName: string;
  /** Zod shape of the class-specific arguments (besides type, name, reduction). */
  readonly args: z.ZodRawShape;
  /** Defaults of every argument in `args`. */
  readonly defaults: O;
  /** Per-row values; fills `grad` with d(row value)/d(yPred element) when given. */
  compute(yTrue: Tensor, yPred: Tensor, options: O, grad?: Float64Array): Float64Array;
  /** Rows of yPred: which row each element belongs to. */
  rowMap(shape: Shape, options: O): RowMap;
  /**
   * When yPred comes from a softmax over its last axis (of a tensor of `rank`) and these options let the loss be
   * differentiated through it in one pass (kernels/softmax-crossentropy.ts): the label smoothing to apply, and whether
   * yTrue holds class indices (sparse) rather than one value per class; else null.
   */
  softmaxBackward?(options: O, rank: number): { labelSmoothing: number; sparse: boolean } | null;
  /** Rows that count (1) or are masked out (0); absent for losses without masking. */
  rowMask?(yTrue: Tensor, options: O): Uint8Array | null;
}

/** Type-checks a definition against its own options, then erases them for the catalogue. */
export function defineLoss<O extends LossOptions>(definition: LossDefinition<O>): LossDefinition {
  return definition as unknown as LossDefinition;
}
