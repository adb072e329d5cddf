import { activationRegistry } from '../activations/index.js';
import { constraintTypes, getConstraint } from '../constraints/index.js';
import { normalizeIdentifier } from '../identifiers.js';
import { getInitializer, initializerTypes } from '../initializers/index.js';
import { getRegularizer, regularizerTypes } from '../regularizers/index.js';
import { camelToSnake, isRecord, snakeToCamel } from './keras-case.js';
import { type LayerRef, layerError } from './interchange-error.js';

/*
 * Initializers, regularizers, constraints and activations inside a layer config. Keras nests the first three as
 * `{class_name, config}` (Keras 3 adds `module` and `registered_name`); Kiln writes `"glorot_uniform"` or
 * `{type: "GlorotUniform", seed: 1}`. Activations are names in every dialect.
 */

/** Which dialect a Keras JSON document speaks: Keras 2 (also TensorFlow.js Layers) or Keras 3. */
export type KerasDialect = 'keras2' | 'keras3';

/** The families of nested objects a layer argument can hold. */
export type NestedKind = 'initializer' | 'regularizer' | 'constraint';

const typesOf: Record<NestedKind, readonly string[]> = {
  initializer: initializerTypes,
  regularizer: regularizerTypes,
  constraint: constraintTypes,
};

/** Which family a camelCase argument belongs to, by the Keras naming convention (`kernelInitializer`...). */
export function nestedKindOf(argument: string): NestedKind | undefined {
  if (argument.endsWith('Initializer')) return 'initializer';
  if (argument.endsWith('Regularizer')) return 'regularizer';
  if (argument.endsWith('Constraint')) return 'constraint';
  return undefined;
}

/** Whether a Keras object entry was registered by user code (a custom object Kiln cannot know). */
export function isCustomObject(entry: Record<string, unknown>): boolean {
  const registered = entry.registered_name;
  const module = entry.module;
  if (typeof registered === 'string' && registered !== entry.class_name) return true;
  return typeof module === 'string' && !module.startsWith('keras');
}

/** Keras `{class_name, config}` of an initializer/regularizer/constraint → Kiln `{type, ...camelCaseArgs}`. */
export function importNested(kind: NestedKind, value: unknown, layer: LayerRef, argument: string): unknown {
  if (value === null || value === undefined) return undefined;
  if (typeof value === 'string') return value;
  if (!isRecord(value) || typeof value.class_name !== 'string') {
    throw layerError(layer, `${argument} must be a ${kind} name or a {class_name, config} object`, value);
  }
  if (isCustomObject(value)) {
    throw layerError(layer, `${argument} is a custom ${kind} (${String(value.registered_name ?? value.class_name)}), which Kiln cannot load`, value.class_name);
  }
  const className = value.class_name;
  const type = typesOf[kind].find((t) => normalizeIdentifier(t) === normalizeIdentifier(className));
  if (!type) throw layerError(layer, `${argument}: unknown ${kind} class ${className}; Kiln has ${typesOf[kind].join(', ')}`, className);
  const out: Record<string, unknown> = { type };
  const config = value.config ?? {};
  if (!isRecord(config)) throw layerError(layer, `${argument}.config must be an object`, config);
  for (const [key, arg] of Object.entries(config)) {
    // Keras 2 constraints and regularizers may repeat their class in the config; dtype is a Keras 3 detail Kiln does not model.
    if (key === 'name' || key === 'dtype') continue;
    out[snakeToCamel(key)] = arg;
  }
  return out;
}

/**
 * Activation names whose Keras 2 / TensorFlow.js meaning differs from Keras 3 (Kiln's names follow Keras 3), by
 * normalized name → the Kiln activation with the Keras 2 meaning.
 */
const KERAS2_DIFFERENT: Record<string, string> = {
  // Keras 2 and TensorFlow.js: clip(0.2·x + 0.5, 0, 1); Keras 3 (Kiln's hard_sigmoid): relu6(x + 3) / 6.
  hardsigmoid: 'hard_sigmoid_keras2',
};

/** A Keras activation (a name; Keras 3 may wrap builtins as `{class_name: "function", config: "relu"}`) → Kiln. */
export function importActivation(value: unknown, layer: LayerRef, argument: string, dialect: KerasDialect): unknown {
  if (value === null || value === undefined) return undefined;
  let name: unknown = value;
  if (isRecord(value)) {
    if (isCustomObject(value) || typeof value.config !== 'string') {
      throw layerError(layer, `${argument} is a custom activation object, which Kiln cannot load`, value);
    }
    name = value.config;
  }
  if (typeof name !== 'string') throw layerError(layer, `${argument} must be an activation name`, value);
  if (dialect === 'keras2') return KERAS2_DIFFERENT[normalizeIdentifier(name)] ?? name;
  return name;
}

/** Target of an export: TensorFlow.js Layers (the Keras 2 dialect tf.loadLayersModel reads) or Keras 3. */
export type ExportDialect = 'tfjs' | 'keras3';

/** TensorFlow.js class names where they differ from Keras's. */
const TFJS_CLASS: Record<string, string> = { LecunNormal: 'LeCunNormal', LecunUniform: 'LeCunUniform' };

const keras3Module: Record<NestedKind, string> = {
  initializer: 'keras.initializers',
  regularizer: 'keras.regularizers',
  constraint: 'keras.constraints',
};

/** A Kiln initializer/regularizer/constraint config → Keras `{class_name, config}` with every argument spelled out. */
export function exportNested(kind: NestedKind, value: unknown, layer: LayerRef, argument: string, dialect: ExportDialect): unknown {
  if (value === null || value === undefined) return null;
  const create = kind === 'initializer' ? getInitializer : kind === 'regularizer' ? getRegularizer : getConstraint;
  // Going through the instance spells out defaults, so the file does not depend on which defaults the reader assumes.
  const full = create(value).getConfig();
  const { type, ...args } = typeof full === 'string' ? { type: full } : full;
  let className = typesOf[kind].find((t) => normalizeIdentifier(t) === normalizeIdentifier(type)) ?? type;
  const config: Record<string, unknown> = {};
  for (const [key, arg] of Object.entries(args)) config[camelToSnake(key)] = arg === undefined ? null : arg;
  if (dialect === 'tfjs') {
    className = TFJS_CLASS[className] ?? className;
    if (className === 'L1' || className === 'L2') {
      // TensorFlow.js registers only L1L2 (its l1() and l2() helpers build one).
      return { class_name: 'L1L2', config: { l1: config.l1 ?? 0, l2: config.l2 ?? 0 } };
    }
    if (className === 'OrthogonalRegularizer') throw layerError(layer, `${argument}: TensorFlow.js has no OrthogonalRegularizer`, value);
    if (className === 'VarianceScaling' || className === 'TruncatedNormal') {
      // TensorFlow.js (like Keras 2) spells truncated_normal "normal" and has no untruncated normal.
      if (config.distribution === 'truncated_normal') config.distribution = 'normal';
      if (config.distribution === 'untruncated_normal') throw layerError(layer, `${argument}: TensorFlow.js has no untruncated_normal VarianceScaling`, value);
    }
    return { class_name: className, config };
  }
  return { module: keras3Module[kind], class_name: className, config, registered_name: null };
}

/** Activations TensorFlow.js 4.22 knows, by Kiln (Keras 3) name → the name TensorFlow.js reads. */
const TFJS_ACTIVATIONS: Record<string, string> = {
  elu: 'elu',
  linear: 'linear',
  relu: 'relu',
  relu6: 'relu6',
  selu: 'selu',
  sigmoid: 'sigmoid',
  softmax: 'softmax',
  log_softmax: 'logSoftmax',
  softplus: 'softplus',
  softsign: 'softsign',
  tanh: 'tanh',
  silu: 'swish',
  mish: 'mish',
  gelu: 'gelu',
  // TensorFlow.js's hardSigmoid is the Keras 2 formula; Kiln's hard_sigmoid (Keras 3) has no TF.js counterpart.
  hard_sigmoid_keras2: 'hardSigmoid',
};

/** A Kiln activation config → the activation name of the target dialect; activations with arguments cannot be written. */
export function exportActivation(value: unknown, layer: LayerRef, argument: string, dialect: ExportDialect): unknown {
  if (value === null || value === undefined) return 'linear';
  if (typeof value !== 'string') {
    throw layerError(layer, `${argument}: an activation with arguments cannot be written as a Keras activation name; use an activation layer`, value);
  }
  const name = activationRegistry.canonicalName(value) ?? value;
  if (dialect === 'keras3') {
    if (name === 'hard_sigmoid_keras2') {
      throw layerError(layer, `${argument}: Keras 3 has no activation equal to hard_sigmoid_keras2 (clip(0.2·x + 0.5, 0, 1)); its hard_sigmoid is relu6(x + 3) / 6`, value);
    }
    return name;
  }
  const tfjs = TFJS_ACTIVATIONS[name];
  if (!tfjs) throw layerError(layer, `${argument}: TensorFlow.js has no activation ${JSON.stringify(name)} with Keras 3 semantics`, value);
  return tfjs;
}
