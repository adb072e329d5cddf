import { ConfigError } from '../../errors.js';
import { type Shape, type Tensor, formatShape } from '../../tensor.js';
import { Layer } from '../layer.js';

/**
 * The ConfigError a merge layer throws when it cannot take its inputs: it names the layer and lists every received
 * shape, e.g. `layer "add_1" (Add): inputs must have the same shape ...; received (None, 3), (None, 4)`.
 */
export function mergeShapeError(layer: { name: string; className: string }, problem: string, inputShapes: readonly Shape[]): ConfigError {
  const who = layer.name ? `layer "${layer.name}" (${layer.className})` : `${layer.className} layer`;
  const received = inputShapes.map((s) => formatShape(s)).join(', ');
  return new ConfigError(`${who}: ${problem}; received ${received}`, [{ path: layer.name, message: problem, received }]);
}

/**
 * Base of the layers that merge several inputs into one output (Keras `Merge`): they exist only in functional graphs,
 * so they implement the multi-tensor protocol and refuse the one-tensor one.
 *
 * Masks: Keras 3 merge layers OR their inputs' masks; here a layer has one `inputMask`, which cannot describe several
 * inputs, so merge layers do not support masking and pass no mask on (computeOutputMask returns null).
 */
export abstract class MergeLayer extends Layer {
  /** Fewest inputs the layer takes. */
  protected readonly minInputs: number = 2;
  /** Most inputs the layer takes (Subtract and Dot: exactly 2). */
  protected readonly maxInputs: number = Infinity;

  /** The per-sample output shape for per-sample input shapes, already known to be 2 or more (and within maxInputs). */
  protected abstract mergeOutputShape(inputShapes: readonly Shape[]): Shape;

  /** Merges the inputs (full tensors, batch first); with `training`, keeps what mergeBackward needs. */
  protected abstract merge(inputs: readonly Tensor[], training: boolean): Tensor;

  /** dL/dx of every input for dL/dy of the last training merge. */
  protected abstract mergeBackward(dy: Tensor): Tensor[];

  override computeOutputShapes(inputShapes: readonly Shape[]): Shape[] {
    const n = inputShapes.length;
    if (n < this.minInputs || n > this.maxInputs) {
      const count = this.minInputs === this.maxInputs ? `exactly ${this.minInputs}` : `at least ${this.minInputs}`;
      const use = n === 1 ? ' (use it in a functional model)' : '';
      throw mergeShapeError(this, `takes a list of ${count} inputs, got ${n}${use}`, inputShapes);
    }
    return [this.mergeOutputShape(inputShapes)];
  }

  /** Merge layers take several inputs: the one-input form is an error (a merge layer in a Sequential model). */
  computeOutputShape(inputShape: Shape): Shape {
    throw mergeShapeError(this, `${this.className} takes a list of inputs; use it in a functional model`, [inputShape]);
  }

  forward(_x: Tensor, _training: boolean): Tensor {
    throw new Error(`${this.className} takes a list of inputs; use it in a functional model`);
  }

  backward(_dy: Tensor): Tensor {
    throw new Error(`${this.className} takes a list of inputs; use it in a functional model`);
  }

  override callMany(inputs: readonly Tensor[], training: boolean): Tensor[] {
    const expected = this.inputShapes.length;
    if (inputs.length !== expected) {
      throw new Error(`layer ${this.name} (${this.className}) was built for ${expected} inputs, received ${inputs.length}`);
    }
    const batch = inputs[0]!.shape[0];
    if (inputs.some((x) => x.shape[0] !== batch)) {
      throw new Error(`layer ${this.name} (${this.className}): inputs have different batch sizes: ${inputs.map((x) => x.shape[0]).join(', ')}`);
    }
    return [this.merge(inputs, training)];
  }

  override callBackwardMany(dys: readonly Tensor[]): Tensor[] {
    if (dys.length !== 1) throw new Error(`layer ${this.name} (${this.className}) has 1 output, received ${dys.length} gradients`);
    return this.mergeBackward(dys[0]!);
  }

  /** Merge layers pass no mask on (see the class comment). */
  override computeOutputMask(): Tensor | null {
    return null;
  }
}
