import type { Backend } from '../backend/backend.js';
import type { Tensor } from '../tensor.js';
import type { LossDefinition, LossOptions } from './definition.js';
import type { Loss, LossConfig, LossWithGradient, Reduction } from './loss.js';
import { reduceRows } from './reduction.js';

/**
 * The one loss class (Keras' LossFunctionWrapper): a definition's pure per-row function plus sample weights and
 * reduction. Each instance is bound to the Backend given to getLoss, which creates its gradient tensors (the Loss
 * interface only receives tensors, and only a backend may create them).
 */
export class LossFunctionWrapper implements Loss {
  constructor(
    readonly definition: LossDefinition,
    /** The loss' arguments with every default filled in. */
    readonly options: Readonly<LossOptions>,
    readonly name: string,
    readonly reduction: Reduction,
    private readonly backend: Backend,
  ) {}

  /** Keras class name, e.g. `CategoricalCrossentropy`. */
  get className(): string {
    return this.definition.className;
  }

  values(yTrue: Tensor, yPred: Tensor, sampleWeight?: ArrayLike<number> | null): Float64Array {
    return this.reduce(yTrue, yPred, sampleWeight, null).weighted;
  }

  call(yTrue: Tensor, yPred: Tensor, sampleWeight?: ArrayLike<number> | null): number {
    return this.reduce(yTrue, yPred, sampleWeight, null).loss;
  }

  callWithGradient(yTrue: Tensor, yPred: Tensor, sampleWeight?: ArrayLike<number> | null): LossWithGradient {
    const local = new Float64Array(yPred.size);
    const { loss, rowCoefficients, rowOf } = this.reduce(yTrue, yPred, sampleWeight, local);
    const grad = this.backend.zeros(yPred.shape);
    const g = grad.data;
    // Each element of yPred feeds exactly one row, so the chain rule is one product per element.
    for (let i = 0; i < local.length; i++) g[i] = rowCoefficients[rowOf(i)]! * local[i]!;
    return { loss, grad };
  }

  callWithLogitsGradient(yTrue: Tensor, yPred: Tensor, sampleWeight?: ArrayLike<number> | null): LossWithGradient | null {
    const fused = this.definition.softmaxBackward?.(this.options, yPred.shape.length) ?? null;
    if (!fused) return null;
    // The values (hence the loss, and the labels' checks) are the definition's own; the gradient skips dL/dyPred and
    // the softmax's Jacobian.
    const { loss, rowCoefficients } = this.reduce(yTrue, yPred, sampleWeight, null);
    const labels = fused.sparse ? this.oneHot(yTrue, yPred) : yTrue;
    return { loss, grad: this.backend.softmaxCrossentropyBackward(yPred, labels, fused.labelSmoothing, rowCoefficients) };
  }

  /**
   * Class indices (one per row, already checked by the loss) as one-hot rows shaped like yPred. A label outside the
   * classes (ignoreClass) leaves its row zero; its row coefficient is 0 anyway.
   */
  private oneHot(yTrue: Tensor, yPred: Tensor): Tensor {
    const classes = yPred.shape[yPred.shape.length - 1]!;
    const dense = this.backend.zeros(yPred.shape);
    const labels = yTrue.data;
    for (let r = 0; r < labels.length; r++) {
      const label = labels[r]!;
      if (label >= 0 && label < classes) dense.data[r * classes + label] = 1;
    }
    return dense;
  }

  getConfig(): LossConfig {
    const args: Record<string, unknown> = {};
    for (const [key, value] of Object.entries(this.options)) args[key] = Array.isArray(value) ? [...value] : value;
    return { type: this.className, name: this.name, reduction: this.reduction, ...args };
  }

  private reduce(yTrue: Tensor, yPred: Tensor, sampleWeight: ArrayLike<number> | null | undefined, grad: Float64Array | null) {
    const d = this.definition;
    const values = d.compute(yTrue, yPred, this.options, grad ?? undefined);
    const map = d.rowMap(yPred.shape, this.options);
    const mask = d.rowMask ? d.rowMask(yTrue, this.options) : null;
    return { ...reduceRows(values, map, yPred.shape[0] ?? 1, this.reduction, sampleWeight, mask), rowOf: map.rowOf };
  }
}
