import { z } from 'zod';
import { parseConfig } from '../../config.js';
import type { Tensor } from '../../tensor.js';
import type { LayerConfig } from '../layer.js';
import { type CellGradients, type CellStep, RecurrentLayer } from './recurrent-layer.js';
import { recurrentBaseSchema } from './rnn-schema.js';

/** Strict config schema of the Keras `SimpleRNN` layer. */
export const simpleRNNSchema = recurrentBaseSchema.extend({ type: z.literal('SimpleRNN') }).strict();
/** Arguments of `SimpleRNN` as written in a model definition. */
export type SimpleRNNConfig = z.input<typeof simpleRNNSchema>;

interface SimpleRNNCache {
  hds: readonly Tensor[];
  pre: Tensor;
  h: Tensor;
}

/** Keras `SimpleRNN`: h_t = activation(x_t·kernel + h_{t-1}·recurrent_kernel + bias). */
export class SimpleRNN extends RecurrentLayer<SimpleRNNCache> {
  readonly className = 'SimpleRNN';
  protected readonly gateCount = 1;
  protected readonly stateCount = 1;

  constructor(config: Omit<SimpleRNNConfig, 'type'>) {
    super(parseConfig(simpleRNNSchema, { ...config, type: 'SimpleRNN' }));
  }

  protected cellStep(xz: Tensor, hds: readonly Tensor[], _prev: readonly Tensor[]): CellStep<SimpleRNNCache> {
    const b = this.backend;
    const pre = this.recurrentProduct(hds);
    b.addInPlace(pre, xz);
    const h = this.activation.apply(pre, b);
    return { states: [h], cache: { hds, pre, h } };
  }

  protected cellBackward(cache: SimpleRNNCache, dStates: readonly Tensor[]): CellGradients {
    const b = this.backend;
    const dPre = this.activation.gradient(cache.pre, cache.h, dStates[0]!, b);
    return { dxz: dPre, dhds: this.recurrentProductBackward(cache.hds, dPre), dPrev: [null] };
  }

  getConfig(): LayerConfig {
    return this.recurrentConfig();
  }
}
