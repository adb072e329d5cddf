import { z } from 'zod';
import type { Activation as ActivationFunction } from '../activations/activation.js';
import { getActivation } from '../activations/index.js';
import { parseConfig } from '../config.js';
import { ActivationFunctionLayer } from './activation-function-layer.js';
import { type LayerConfig, baseLayerSchema } from './layer.js';

/** Strict config schema of the Keras `ELU` layer (unknown properties are rejected). */
export const eluSchema = baseLayerSchema.extend({
  type: z.literal('ELU'),
  /** Scale of the negative part (Keras default 1). */
  alpha: z.number().optional(),
}).strict();
/** Arguments of `ELU` as written in a model definition. */
export type ELUConfig = z.input<typeof eluSchema>;

/** Keras `ELU`: f(x) = x for x > 0, alpha·(exp(x) - 1) otherwise — the `elu` activation. */
export class ELU extends ActivationFunctionLayer {
  readonly className = 'ELU';
  readonly alpha: number;
  protected readonly fn: ActivationFunction;

  constructor(config: Omit<ELUConfig, 'type'> = {}) {
    const parsed = parseConfig(eluSchema, { ...config, type: 'ELU' });
    super(parsed);
    this.alpha = parsed.alpha ?? 1;
    this.fn = getActivation({ type: 'elu', alpha: this.alpha });
  }

  getConfig(): LayerConfig {
    return { ...this.baseConfig(), alpha: this.alpha };
  }
}
