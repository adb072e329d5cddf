import type { Initializer, InitializerConfig } from '../../initializers/index.js';
import type { Rng } from '../../rng.js';
import type { Shape } from '../../tensor.js';

/**
 * LSTM bias initializer with `unitForgetBias` (Keras): the forget-gate block is ones and the i, c, o blocks come from
 * the configured bias initializer, drawn as Keras draws them (the i block, then the c and o blocks together).
 */
export class UnitForgetBias implements Initializer {
  readonly name = 'UnitForgetBias';

  constructor(
    private readonly base: Initializer,
    private readonly units: number,
  ) {}

  init(shape: Shape, rng: Rng): Float64Array {
    const u = this.units;
    const out = new Float64Array(4 * u);
    out.set(this.base.init([u], rng), 0);
    out.fill(1, u, 2 * u);
    out.set(this.base.init([2 * u], rng), 2 * u);
    if (shape.length !== 1 || shape[0] !== 4 * u) throw new RangeError(`UnitForgetBias initializes a bias of ${4 * u}, not ${String(shape)}`);
    return out;
  }

  getConfig(): InitializerConfig {
    return this.base.getConfig();
  }
}
