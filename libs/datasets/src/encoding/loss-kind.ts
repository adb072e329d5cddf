import { lossDefinitions, normalizeIdentifier } from '@kiln/neural-engine';
import { DatasetError } from '../core/dataset-error.js';

/**
 * How a loss wants its targets:
 * - `categorical`: one value per class (one-hot) — categorical_crossentropy, categorical_focal_crossentropy,
 *   categorical_hinge, and kl_divergence. KL divergence compares distributions; a class label is the distribution
 *   that puts all its mass on that class (KL against a one-hot target equals categorical crossentropy), so integer
 *   class labels are one-hot encoded for it too, and label distributions shaped like the output are used as they are.
 * - `sparse`: one class index per output row — sparse_categorical_crossentropy (the only sparse loss in Keras 3).
 * - `raw`: everything else (mse, mae, huber, binary_crossentropy, hinge, poisson, cosine_similarity, dice...): labels
 *   are used as they are and must have the output's size.
 */
export type LossTargetKind = 'categorical' | 'sparse' | 'raw';

const CATEGORICAL = new Set(['categorical_crossentropy', 'categorical_focal_crossentropy', 'categorical_hinge', 'kl_divergence']);
const SPARSE = new Set(['sparse_categorical_crossentropy']);

// Any spelling of an identifier, alias or class name → the Keras identifier.
const byName = new Map<string, string>();
for (const d of lossDefinitions) {
  for (const n of [d.identifier, d.className, ...d.aliases]) byName.set(normalizeIdentifier(n), d.identifier);
}

/** A resolved loss: its Keras identifier, target kind and sparse ignoreClass. */
export interface LossTargets {
  name: string;
  kind: LossTargetKind;
  ignoreClass: number | null;
}

/**
 * Resolves a compile config's loss (`'categoricalCrossentropy'`, `{type: 'SparseCategoricalCrossentropy',
 * ignoreClass: -1}`, or a one-output list/record of either) to what its targets look like.
 */
export function lossTargets(loss: unknown): LossTargets {
  let spec = loss;
  if (Array.isArray(spec) && spec.length === 1) spec = spec[0];
  else if (isRecord(spec) && !('type' in spec)) {
    const values = Object.values(spec);
    if (values.length === 1) spec = values[0];
  }
  const raw = typeof spec === 'string' ? spec : isRecord(spec) && typeof spec.type === 'string' ? spec.type : null;
  const name = raw === null ? undefined : byName.get(normalizeIdentifier(raw));
  if (name === undefined) {
    throw new DatasetError('INVALID_OPTIONS', `unknown loss ${JSON.stringify(spec)}; expected a Keras loss such as "categorical_crossentropy" or {"type": "MeanSquaredError"}`);
  }
  const ignoreClass = isRecord(spec) && typeof spec.ignoreClass === 'number' ? spec.ignoreClass : null;
  return { name, kind: CATEGORICAL.has(name) ? 'categorical' : SPARSE.has(name) ? 'sparse' : 'raw', ignoreClass };
}

function isRecord(v: unknown): v is Record<string, unknown> {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}
