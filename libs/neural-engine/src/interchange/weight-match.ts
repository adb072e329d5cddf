import { ConfigError } from '../errors.js';
import { formatShape, shapesEqual } from '../tensor.js';
import type { ImportedWeight } from './weight-decode.js';

/** Name and shape of one weight a Kiln model expects (an entry of `model.weightManifest()`). */
export interface ExpectedWeight {
  name: string;
  shape: readonly number[];
}

/** `dense/kernel:0` → `dense/kernel` (TensorFlow names carry an output index). */
function stripOutputIndex(name: string): string {
  return name.replace(/:\d+$/, '');
}

const layerOf = (name: string): string => name.split('/')[0]!;
const leafOf = (name: string): string => name.split('/').pop()!;

/**
 * Orders imported weights as a Kiln model expects them. A weight is found by its exact name (`dense/kernel`); failing
 * that, among the file's weights of the same layer in file order, because converters nest names differently
 * (Keras 2 writes `lstm/lstm_cell/kernel`, Kiln `lstm/kernel`; Keras 3 may prefix the model, `sequential/dense/kernel`)
 * while keeping Keras's order; the last name segment must still agree. Missing weights, leftovers and shape mismatches throw a ConfigError naming the weight.
 */
export function matchWeights(expected: readonly ExpectedWeight[], weights: readonly ImportedWeight[]): Float32Array[] {
  const available = weights.map((w) => ({ ...w, name: stripOutputIndex(w.name), used: false }));
  const byName = new Map(available.map((w) => [w.name, w]));
  const result = expected.map((e) => {
    let hit = byName.get(e.name);
    if (!hit || hit.used) {
      const layer = layerOf(e.name);
      const leaf = leafOf(e.name);
      const fits = (w: (typeof available)[number]) => !w.used && leafOf(w.name) === leaf;
      // Same layer first; then a layer nested under a model scope (Keras 3 paths such as `sequential/dense/kernel`).
      hit = available.find((w) => fits(w) && layerOf(w.name) === layer) ?? available.find((w) => fits(w) && w.name.split('/').slice(1, -1).includes(layer));
    }
    if (!hit) {
      throw new ConfigError(`weights: missing weight ${e.name} ${formatShape(e.shape, false)}; the file has no unused weight of layer "${layerOf(e.name)}" named like it`, [
        { path: `weights.${e.name}`, message: 'missing weight' },
      ]);
    }
    if (!shapesEqual(hit.shape, e.shape)) {
      throw new ConfigError(`weights: weight ${e.name} has shape ${formatShape(hit.shape, false)} in the file; the model expects ${formatShape(e.shape, false)}`, [
        { path: `weights.${e.name}`, message: `expected shape ${formatShape(e.shape, false)}`, received: hit.shape },
      ]);
    }
    hit.used = true;
    return hit.values;
  });
  const unused = available.filter((w) => !w.used);
  if (unused.length > 0) {
    throw new ConfigError(`weights: ${unused.map((w) => w.name).join(', ')} in the file match${unused.length === 1 ? 'es' : ''} no weight of the model`, unused.map((w) => ({
      path: `weights.${w.name}`, message: 'matches no weight of the model', received: w.shape,
    })));
  }
  return result;
}

/** Anything whose weights can be set in manifest order (Sequential, functional Model). */
export interface WeightTarget {
  weightManifest(): readonly ExpectedWeight[];
  setWeights(weights: readonly ArrayLike<number>[]): void;
}

/** Loads imported weights into a model built from the imported definition. */
export function applyWeights(model: WeightTarget, weights: readonly ImportedWeight[]): void {
  model.setWeights(matchWeights(model.weightManifest(), weights));
}
