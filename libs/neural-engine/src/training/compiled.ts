import type { Backend } from '../backend/backend.js';
import { ConfigError } from '../errors.js';
import { normalizeIdentifier } from '../identifiers.js';
import type { Loss, LossConfig } from '../losses/loss.js';
import { getLoss } from '../losses/index.js';
import type { Metric, MetricConfig } from '../metrics/metric.js';
import { getMetric } from '../metrics/index.js';
import { compileConfigSchema } from '../model/definition.js';
import type { Optimizer, OptimizerConfig } from '../optimizers/optimizer.js';
import { getOptimizer } from '../optimizers/index.js';
import type { Shape } from '../tensor.js';

/** Something given per output: one value for all outputs, a list in output order, or a record by output name. */
export type PerOutput<T> = T | T[] | Record<string, T>;

/** compile() arguments: JSON configs, or instances for code that builds its own. */
export interface CompileArgs {
  optimizer?: OptimizerConfig | Optimizer;
  /** One loss for every output, or one per output (list in output order, or record by output name). */
  loss: PerOutput<LossConfig | Loss>;
  /** Weights of the outputs' losses in the total loss (default 1 each). */
  lossWeights?: number[] | Record<string, number>;
  /** Metrics for every output (a list), or per output (a list of lists, or a record by output name). */
  metrics?: (MetricConfig | Metric)[] | (MetricConfig | Metric)[][] | Record<string, (MetricConfig | Metric)[]>;
}

/** A named metric as it appears in logs, and the output it measures. */
export interface NamedMetric {
  name: string;
  output: number;
  metric: Metric;
}

/** The optimizer, per-output losses and weights, and metrics a model trains with, resolved from compile arguments. */
export class Compiled {
  readonly optimizer: Optimizer;
  /** One loss per model output. */
  readonly losses: Loss[];
  /** One weight per model output. */
  readonly lossWeights: number[];
  private readonly metricSpecs: (MetricConfig | Metric)[][];
  private resolved: NamedMetric[] | null = null;

  constructor(args: CompileArgs, backend: Backend, private readonly outputNames: readonly string[]) {
    // Each part is validated by its own factory below, which names the exact path (`loss.out_a`, `metrics[1]`);
    // here only the keys themselves.
    for (const key of Object.keys(args)) {
      if (!(key in compileConfigSchema.shape)) {
        throw new ConfigError(`${key}: unknown compile argument; expected optimizer, loss, lossWeights, metrics`, [
          { path: key, message: 'unknown compile argument', received: (args as unknown as Record<string, unknown>)[key] },
        ]);
      }
    }
    if (args.loss === undefined) throw new ConfigError('loss: required', [{ path: 'loss', message: 'required' }]);
    this.optimizer = isInstance<Optimizer>(args.optimizer) ? args.optimizer : getOptimizer((args.optimizer as OptimizerConfig | undefined) ?? 'rmsprop');
    this.losses = perOutput(args.loss, outputNames, 'loss').map((spec, k) =>
      isInstance<Loss>(spec) ? spec : withPath(() => getLoss(spec as LossConfig, backend), pathOf('loss', args.loss, outputNames, k)),
    );
    this.lossWeights = args.lossWeights ? perOutput(args.lossWeights as PerOutput<number>, outputNames, 'lossWeights', true) : outputNames.map(() => 1);
    this.metricSpecs = metricsPerOutput(args.metrics, outputNames);
    this.metricSpecs.forEach((specs, k) =>
      specs.forEach((spec, i) => {
        if (isInstance<Metric>(spec) || isGeneric(spec)) return;
        withPath(() => getMetric(spec), outputNames.length > 1 ? `metrics.${outputNames[k]}[${i}]` : `metrics[${i}]`);
      }),
    );
  }

  /** Whether losses and metrics are logged per output (models with several outputs). */
  get multiOutput(): boolean {
    return this.outputNames.length > 1;
  }

  /** Name of an output's loss in logs: `<output>_loss`. */
  lossName(output: number): string {
    return `${this.outputNames[output]}_loss`;
  }

  /**
   * The metrics of every output, resolved on first use once label and prediction shapes are known: `accuracy` (or
   * `acc`) becomes binary, sparse categorical or categorical accuracy, and `crossentropy` (`ce`) the matching
   * crossentropy, as Keras decides from the shapes. A metric given as a string is logged under that string, prefixed
   * with the output name when the model has several outputs.
   */
  metrics(yTrueShapes: readonly Shape[], yPredShapes: readonly Shape[]): NamedMetric[] {
    if (this.resolved) return this.resolved;
    const resolved: NamedMetric[] = [];
    this.metricSpecs.forEach((specs, output) => {
      const prefix = this.multiOutput ? `${this.outputNames[output]}_` : '';
      for (const spec of specs) {
        const metric = resolveMetric(spec, yTrueShapes[output]!, yPredShapes[output]!);
        const name = isInstance<Metric>(spec) ? spec.name : typeof spec === 'string' ? spec : metric.name;
        resolved.push({ name: prefix + name, output, metric });
      }
    });
    this.resolved = resolved;
    return resolved;
  }
}

function resolveMetric(spec: MetricConfig | Metric, yTrueShape: Shape, yPredShape: Shape): Metric {
  if (isInstance<Metric>(spec)) return spec;
  if (typeof spec === 'string' && isGeneric(spec)) {
    const lastPred = yPredShape[yPredShape.length - 1] ?? 1;
    const lastTrue = yTrueShape[yTrueShape.length - 1] ?? 1;
    const kind =
      lastPred === 1 ? 'binary' : yTrueShape.length < yPredShape.length || (lastTrue === 1 && lastPred > 1) ? 'sparse_categorical' : 'categorical';
    const key = normalizeIdentifier(spec);
    return getMetric(key === 'accuracy' || key === 'acc' ? `${kind}_accuracy` : `${kind}_crossentropy`);
  }
  return getMetric(spec);
}

/** Spreads a per-output argument over the outputs: one value for all, a list in order, or a record by name. */
function perOutput<T>(value: PerOutput<T>, names: readonly string[], what: string, numeric = false): T[] {
  if (Array.isArray(value)) {
    if (value.length !== names.length) {
      throw new ConfigError(`${what}: expected ${names.length} entries (one per output: ${names.join(', ')}), received ${value.length}`, [
        { path: what, message: `expected one entry per output`, received: value.length },
      ]);
    }
    return value;
  }
  const isRecord = typeof value === 'object' && value !== null && !('type' in value) && !isInstance(value);
  if ((numeric && typeof value === 'object') || isRecord) {
    const record = value as Record<string, T>;
    for (const key of Object.keys(record)) {
      if (!names.includes(key)) {
        throw new ConfigError(`${what}.${key}: no output is named ${JSON.stringify(key)}; outputs are ${names.join(', ')}`, [
          { path: `${what}.${key}`, message: 'unknown output', received: key },
        ]);
      }
    }
    return names.map((n) => {
      if (!(n in record)) {
        if (numeric) return 1 as T;
        throw new ConfigError(`${what}.${n}: missing; every output needs a ${what}`, [{ path: `${what}.${n}`, message: `missing ${what}` }]);
      }
      return record[n]!;
    });
  }
  return names.map(() => value as T);
}

function metricsPerOutput(metrics: CompileArgs['metrics'], names: readonly string[]): (MetricConfig | Metric)[][] {
  if (!metrics) return names.map(() => []);
  if (Array.isArray(metrics)) {
    if (metrics.length > 0 && metrics.every((m) => Array.isArray(m))) return perOutput(metrics as (MetricConfig | Metric)[][], names, 'metrics');
    return names.map(() => metrics as (MetricConfig | Metric)[]);
  }
  return perOutput(metrics as Record<string, (MetricConfig | Metric)[]>, names, 'metrics').map((m) => m ?? []);
}

function pathOf(what: string, value: unknown, names: readonly string[], k: number): string {
  if (Array.isArray(value)) return `${what}[${k}]`;
  if (typeof value === 'object' && value !== null && !('type' in value) && !isInstance(value)) return `${what}.${names[k]}`;
  return what;
}

/** Runs `create`, re-rooting a ConfigError at `path`. */
function withPath<T>(create: () => T, path: string): T {
  try {
    return create();
  } catch (e) {
    if (!(e instanceof ConfigError)) throw e;
    throw new ConfigError(`${path}: ${e.message}`, e.issues.map((x) => ({ ...x, path: x.path ? `${path}.${x.path}` : path })));
  }
}

function isGeneric(spec: MetricConfig | Metric): boolean {
  return typeof spec === 'string' && ['accuracy', 'acc', 'crossentropy', 'ce'].includes(normalizeIdentifier(spec));
}

function isInstance<T extends object>(value: unknown): value is T {
  return typeof value === 'object' && value !== null && !('type' in value) && typeof (value as { getConfig?: unknown }).getConfig === 'function';
}
