import { categoricalHingeRows, hingeRows, squaredHingeRows } from './loss-rows.js';
import { type NameOnlyConfig, SimpleMeanMetric, nameOnlySchema } from './simple-mean-metric.js';

/** Mean hinge max(1 - y·p, 0), 0/1 labels mapped to -1/1 (Keras metrics.Hinge). */
export class Hinge extends SimpleMeanMetric {
  static readonly schema = nameOnlySchema('Hinge');
  constructor(config: NameOnlyConfig = {}) {
    super(Hinge.schema, 'Hinge', 'hinge', hingeRows, config);
  }
}

/** Mean squared hinge max(1 - y·p, 0)² (Keras metrics.SquaredHinge). */
export class SquaredHinge extends SimpleMeanMetric {
  static readonly schema = nameOnlySchema('SquaredHinge');
  constructor(config: NameOnlyConfig = {}) {
    super(SquaredHinge.schema, 'SquaredHinge', 'squared_hinge', squaredHingeRows, config);
  }
}

/** Mean categorical hinge max(max((1-y)·p) - Σy·p + 1, 0) (Keras metrics.CategoricalHinge). */
export class CategoricalHinge extends SimpleMeanMetric {
  static readonly schema = nameOnlySchema('CategoricalHinge');
  constructor(config: NameOnlyConfig = {}) {
    super(CategoricalHinge.schema, 'CategoricalHinge', 'categorical_hinge', categoricalHingeRows, config);
  }
}
