import { Rng } from '../rng.js';

/**
 * The generator an initializer draws from. Keras 3: a seeded initializer gives the same values on every call, so it
 * starts a fresh `Rng(seed)` each time; an unseeded one uses the model's RNG, so the model seed alone fixes the values.
 */
export function randomSource(seed: number | null, rng: Rng): Rng {
  return seed === null ? rng : new Rng(seed);
}
