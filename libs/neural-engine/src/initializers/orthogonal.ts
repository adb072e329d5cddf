import { z } from 'zod';
import { parseConfig, seedSchema } from '../config.js';
import { ConfigError } from '../errors.js';
import type { Rng } from '../rng.js';
import { type Shape, formatShape, shapeSize } from '../tensor.js';
import { householderQr } from './householder-qr.js';
import type { Initializer, InitializerConfig } from './initializer.js';
import { randomSource } from './random-source.js';

export const orthogonalSchema = z.object({
  type: z.literal('Orthogonal'),
  gain: z.number().finite().optional(),
  seed: seedSchema,
}).strict();

/**
 * Keras `Orthogonal(gain=1.0, seed=None)`: the weight seen as a [prod(shape[:-1]), shape[-1]] matrix gets orthonormal
 * columns (or rows, when it has fewer rows than columns), from the QR decomposition of a normal matrix.
 */
export class Orthogonal implements Initializer {
  readonly name = 'Orthogonal';
  readonly gain: number;
  readonly seed: number | null;

  constructor(args: Omit<z.input<typeof orthogonalSchema>, 'type'> = {}) {
    const c = parseConfig(orthogonalSchema, { ...args, type: 'Orthogonal' });
    this.gain = c.gain ?? 1;
    this.seed = c.seed ?? null;
  }

  init(shape: Shape, rng: Rng): Float64Array {
    if (shape.length < 2) {
      throw new ConfigError(
        `Orthogonal initializer needs a weight of rank >= 2, received shape ${formatShape(shape, false)} of rank ${shape.length}`,
      );
    }
    const cols = shape[shape.length - 1]!;
    const rows = shapeSize(shape) / cols;
    const tall = Math.max(rows, cols);
    const wide = Math.min(rows, cols);
    const source = randomSource(this.seed, rng);
    const a = new Float64Array(tall * wide);
    for (let i = 0; i < a.length; i++) a[i] = source.normal();
    const { q, rDiag } = householderQr(a, tall, wide);
    // Keras multiplies Q by sign(diag(R)): that makes the decomposition unique (R with a positive diagonal), so Q is
    // uniformly (Haar) distributed whatever sign convention the QR routine uses.
    const out = new Float64Array(rows * cols);
    for (let i = 0; i < tall; i++) {
      for (let j = 0; j < wide; j++) {
        const value = this.gain * q[i * wide + j]! * (rDiag[j]! < 0 ? -1 : 1);
        // Tall matrices take Q as is; wide ones take Qᵀ, whose rows are orthonormal.
        if (rows >= cols) out[i * cols + j] = value;
        else out[j * cols + i] = value;
      }
    }
    return out;
  }

  getConfig(): InitializerConfig {
    return { type: 'Orthogonal', gain: this.gain, seed: this.seed };
  }
}
