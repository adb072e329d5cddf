import type { Backend } from '../backend/backend.js';
import { parseConfig } from '../config.js';
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

/** compile() arguments: JSON configs, or instances for code that builds its own. */
export interface CompileArgs {
  optimizer?: OptimizerConfig | Optimizer;
  loss: LossConfig | Loss;
  metrics?: (MetricConfig | Metric)[];
}

/** A named metric as it appears in logs. */
export interface NamedMetric {
  name: string;
  metric: Metric;
}

/** The optimizer, loss and metrics a model trains with, resolved from compile arguments. */
export class Compiled {
  readonly optimizer: Optimizer;
  readonly loss: Loss;
  private readonly metricSpecs: (MetricConfig | Metric)[];
  private resolved: NamedMetric[] | null = null;
  /** JSON form of the compile arguments, when they were given as JSON. */
  readonly config: { optimizer: OptimizerConfig; loss: LossConfig; metrics: MetricConfig[] } | null;

  constructor(args: CompileArgs, backend: Backend) {
    const allJson = !isInstance(args.optimizer) && !isInstance(args.loss) && !(args.metrics ?? []).some((m) => isInstance(m));
    if (allJson) {
      const parsed = parseConfig(compileConfigSchema, args);
      this.config = { optimizer: parsed.optimizer, loss: parsed.loss, metrics: parsed.metrics };
    } else {
      this.config = null;
    }
    this.optimizer = isInstance<Optimizer>(args.optimizer) ? args.optimizer : getOptimizer((args.optimizer as OptimizerConfig | undefined) ?? 'rmsprop');
    this.loss = isInstance<Loss>(args.loss) ? args.loss : getLoss(args.loss as LossConfig, backend);
    this.metricSpecs = args.metrics ?? [];
    this.metricSpecs.forEach((spec, i) => {
      if (isInstance<Metric>(spec) || isGeneric(spec)) return;
      try {
        getMetric(spec);
      } catch (e) {
        throw e instanceof ConfigError ? new ConfigError(`metrics[${i}]: ${e.message}`, e.issues.map((x) => ({ ...x, path: `metrics[${i}]${x.path ? `.${x.path}` : ''}` }))) : e;
      }
    });
  }

  /**
   * The metrics, resolved on first use once label and prediction shapes are known: `accuracy` (or `acc`) becomes
   * binary, sparse categorical or categorical accuracy, and `crossentropy` (`ce`) the matching crossentropy, as Keras
   * decides from the shapes. A metric given as a string is logged under that string.
   */
  metrics(yTrueShape: Shape, yPredShape: Shape): NamedMetric[] {
    if (this.resolved) return this.resolved;
    const lastPred = yPredShape[yPredShape.length - 1] ?? 1;
    const lastTrue = yTrueShape[yTrueShape.length - 1] ?? 1;
    const isBinary = lastPred === 1;
    const isSparse = yTrueShape.length < yPredShape.length || (lastTrue === 1 && lastPred > 1);
    const resolved = this.metricSpecs.map((spec): NamedMetric => {
      if (isInstance<Metric>(spec)) return { name: spec.name, metric: spec };
      const name = typeof spec === 'string' ? spec : getMetric(spec).name;
      if (typeof spec === 'string' && isGeneric(spec)) {
        const key = normalizeIdentifier(spec);
        const kind = isBinary ? 'binary' : isSparse ? 'sparse_categorical' : 'categorical';
        const target = key === 'accuracy' || key === 'acc' ? `${kind}_accuracy` : `${kind}_crossentropy`;
        return { name, metric: getMetric(target) };
      }
      return { name, metric: getMetric(spec) };
    });
    this.resolved = resolved;
    return resolved;
  }
}

function isGeneric(spec: MetricConfig | Metric): boolean {
  return typeof spec === 'string' && ['accuracy', 'acc', 'crossentropy', 'ce'].includes(normalizeIdentifier(spec));
}

function isInstance<T extends object>(value: unknown): value is T {
  return typeof value === 'object' && value !== null && !('type' in value) && typeof (value as { getConfig?: unknown }).getConfig === 'function';
}
